"""Command line: ``python -m askdesk.nlp COMMAND [ARGS]``; one JSON object per output line."""

from __future__ import annotations

import importlib
import sys

# Each command lives in its own module, imported only when asked for, so that a light
# command never pays for loading a model.
COMMANDS: dict[str, tuple[str, str]] = {
    "story": ("askdesk.nlp.text", "read a story file, print its title, sentences and call-out"),
    "group": ("askdesk.nlp.group", "group questions read from stdin by meaning"),
    "evidence": ("askdesk.nlp.evidence", "find the story sentences that answer each question"),
    "scrub": ("askdesk.nlp.scrub", "find and remove contact details typed into text"),
}


def main(argv: list[str]) -> int:
    if not argv or argv[0] in {"-h", "--help"} or argv[0] not in COMMANDS:
        print("usage: python -m askdesk.nlp COMMAND [ARGS]\n\ncommands:", file=sys.stderr)
        for name, (_, help_text) in COMMANDS.items():
            print(f"  {name:<9} {help_text}", file=sys.stderr)
        return 0 if argv and argv[0] in {"-h", "--help"} else 2
    module = importlib.import_module(COMMANDS[argv[0]][0])
    return int(module.cli(argv[1:]))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

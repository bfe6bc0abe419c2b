"""axe-core in a desk page: the serious and critical violations it finds.

axe-core is npm's package, pinned in tests/browser/axe/package.json and installed by
`scripts/ensure-axe-core`. It is evaluated in the page through the browser's debugging
protocol, which the page's Content-Security-Policy does not apply to.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page

AXE_JS = Path(__file__).resolve().parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = {"serious", "critical"}


def axe_source() -> str:
    if not AXE_JS.exists():
        pytest.skip(f"{AXE_JS} is missing: run scripts/ensure-axe-core")
    return AXE_JS.read_text()


def serious_violations(page: Page) -> list[dict[str, Any]]:
    """Run axe-core on the page as it is now; each serious or critical rule broken, with where."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source())
    results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        {
            "rule": violation["id"],
            "impact": violation["impact"],
            "help": violation["help"],
            "where": [node["target"] for node in violation["nodes"]][:5],
        }
        for violation in results["violations"]
        if violation["impact"] in BLOCKING
    ]

"""Compile the readers' translations (askdesk/locale/*/LC_MESSAGES/django.po) into .mo files.

Babel does it in Python, so no gettext tools are needed to run askdesk (makemessages, which
extracts new strings, still needs Debian's gettext).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management.base import BaseCommand


def compile_translations() -> list[Path]:
    """Write each catalogue's .mo beside its .po when missing or older; returns those written."""
    written = []
    for locale_dir in settings.LOCALE_PATHS:
        for po_path in sorted(Path(locale_dir).glob("*/LC_MESSAGES/*.po")):
            mo_path = po_path.with_suffix(".mo")
            if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
                continue
            with po_path.open("rb") as po_file:
                catalog = read_po(po_file, locale=po_path.parts[-3])
            with mo_path.open("wb") as mo_file:
                write_mo(mo_file, catalog)
            written.append(mo_path)
    return written


class Command(BaseCommand):
    help = "Compile the readers' translations into .mo files (with Babel; no gettext needed)."

    def handle(self, *args: Any, **options: Any) -> None:
        for path in compile_translations():
            self.stdout.write(f"compiled {path.relative_to(settings.BASE_DIR)}")

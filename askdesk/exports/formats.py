"""Tables as CSV or XLSX files, safe to open in a spreadsheet whatever readers typed."""

from __future__ import annotations

import csv
import datetime as dt
import tempfile
from collections.abc import Iterable, Iterator
from typing import IO, Any

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

# A cell starting with one of these is run as a formula by spreadsheets (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).replace(microsecond=0).isoformat()
    if isinstance(value, bool):
        return "yes" if value else "no"
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(header: list[str], rows: Iterable[list[Any]]) -> Iterator[str]:
    """The table as CSV, one line at a time (for a streaming response); UTF-8 with a BOM for Excel."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(header)
    for row in rows:
        yield writer.writerow([_plain(value) for value in row])


def xlsx_file(header: list[str], rows: Iterable[list[Any]], *, title: str) -> IO[bytes]:
    """The table as an XLSX workbook in a temporary file, written row by row (openpyxl's write-only mode)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    bold = Font(bold=True)
    heading = []
    for name in header:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = bold
        heading.append(cell)
    sheet.append(heading)
    for row in rows:
        sheet.append([_xlsx_cell(sheet, value) for value in row])
    output = tempfile.TemporaryFile()  # noqa: SIM115 - handed to the response, which closes it
    workbook.save(output)
    output.seek(0)
    return output


def _xlsx_cell(sheet: Any, value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).replace(tzinfo=None, microsecond=0)
    if isinstance(value, str):
        cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
        cell.data_type = "s"  # text, even when it starts with "=": never a formula
        return cell
    return value

"""CSV writing safe to open in a spreadsheet.

Callers' words reach these cells (names, what they asked for), so a cell
that a spreadsheet would read as a formula (leading ``=``, ``+``, ``-``,
``@``, tab or carriage return) is prefixed with ``'`` (OWASP CSV injection;
ASVS 5.0 1.2.10). Quoting itself follows RFC 4180 via the csv module.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> str:
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def csv_lines(header: Sequence[str], rows: Iterable[Sequence[object]]) -> Iterator[str]:
    """Yield the CSV text line by line (header first), every cell neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow([neutralise(h) for h in header])
    yield flush()
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
        yield flush()

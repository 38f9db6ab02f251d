"""Read a weekly-summary file into :class:`~.provenance.RawTable` s, keeping source positions.

The requirement: "the tab-separated text of the released record, CSV, and XLSX with the same
columns".  A file may hold several tables: in text and CSV each title line ("Weekly Summary
for Meetings ...") or repeated header row starts a new table, as in the released record; in
a workbook the same holds within each sheet, and each sheet starts afresh.

Whole-file problems raise :class:`~.provenance.ImportRefused` with a message naming the
problem (empty file, binary or ZIP content under a text name, text that is not UTF-8, an
invalid workbook, no header row, a header missing required columns, data before any
header).  Nothing partial is returned.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from safelect.core.exports import restore

from .columns import HEADERS, HeaderMatch, looks_like_header, looks_like_title, match_header
from .provenance import ImportRefused, RawRow, RawTable, SourcePosition

TEXT_SUFFIXES = frozenset({".txt", ".tsv", ".tab"})
CSV_SUFFIXES = frozenset({".csv"})
XLSX_SUFFIXES = frozenset({".xlsx", ".xlsm"})
SUPPORTED = ", ".join(sorted(TEXT_SUFFIXES | CSV_SUFFIXES | XLSX_SUFFIXES))


@dataclass(frozen=True)
class _Line:
    sheet: str | None
    number: int
    cells: tuple[str, ...]


def read_path(path: str | Path) -> tuple[RawTable, ...]:
    """Read the file at ``path``; see :func:`read_tables`."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ImportRefused(f"{path.name}: cannot be read ({error.strerror or error})") from error
    return read_tables(data, path.name)


#: Largest file accepted on every path (page, API, CLI; the CLI may raise it with --max-size).
MAX_FILE_BYTES = 20 * 1024 * 1024
#: Largest cell, in characters (a spreadsheet program's own limit per cell).
MAX_CELL_CHARS = 32_767
#: Largest uncompressed part of an XLSX workbook (a ZIP archive can hide a huge cell or sheet).
MAX_XLSX_PART_BYTES = 100 * 1024 * 1024


def _megabytes(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB"


def check_size(size: int, filename: str, max_bytes: int = MAX_FILE_BYTES) -> None:
    """Refuse a file larger than ``max_bytes`` before reading it (callers that know the size)."""
    if size > max_bytes:
        raise ImportRefused(
            f"{filename}: the file is {_megabytes(size)}; the limit is {_megabytes(max_bytes)} "
            "(split the file, or import it from the command line with --max-size)"
        )


def read_tables(data: bytes, filename: str, max_bytes: int = MAX_FILE_BYTES) -> tuple[RawTable, ...]:
    """Read the bytes of a ``.txt``/``.tsv``, ``.csv`` or ``.xlsx`` file into tables.

    The format follows the file name's suffix; the content must agree with it. Files larger than
    ``max_bytes``, cells longer than :data:`MAX_CELL_CHARS` and workbooks whose parts unpack to
    more than :data:`MAX_XLSX_PART_BYTES` are refused before they are parsed in full.
    """
    suffix = Path(filename).suffix.casefold()
    check_size(len(data), filename, max_bytes)
    if not data.strip():
        raise ImportRefused(f"{filename}: the file is empty")
    if suffix in XLSX_SUFFIXES:
        _check_xlsx_parts(data, filename)
        lines = list(_xlsx_lines(data, filename))
        _check_cells(lines, filename)
    elif suffix in TEXT_SUFFIXES or suffix in CSV_SUFFIXES:
        text = _decode(data, filename)
        try:
            lines = list(_text_lines(text, delimiter="," if suffix in CSV_SUFFIXES else "\t"))
        except ImportRefused as error:
            raise ImportRefused(f"{filename}: {error}") from error
        _check_cells(lines, filename)
    elif suffix == ".xls":
        raise ImportRefused(f"{filename}: legacy .xls workbooks are not supported; save as .xlsx")
    else:
        raise ImportRefused(f"{filename}: unsupported file type {suffix or '(no suffix)'!r}; expected {SUPPORTED}")
    return split_tables(lines, filename)


def _check_cells(lines: list, filename: str) -> None:
    for line in lines:
        for column, cell in enumerate(line.cells, start=1):
            if len(cell) > MAX_CELL_CHARS:
                raise ImportRefused(
                    f"{filename}: the cell at {_where(line)}, column {column}, has {len(cell):,} characters; "
                    f"the limit is {MAX_CELL_CHARS:,}"
                )


def _check_xlsx_parts(data: bytes, filename: str) -> None:
    """Refuse a workbook whose parts would unpack to more than the limit (checked in the ZIP index)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for info in archive.infolist():
                if info.file_size > MAX_XLSX_PART_BYTES:
                    raise ImportRefused(
                        f"{filename}: the workbook part {info.filename} unpacks to {_megabytes(info.file_size)}; "
                        f"the limit is {_megabytes(MAX_XLSX_PART_BYTES)} (a cell or sheet far larger than a weekly summary)"
                    )
    except zipfile.BadZipFile as error:
        raise ImportRefused(f"{filename}: not a valid XLSX workbook ({error})") from error


def _utf16_without_bom(data: bytes) -> str | None:
    """``utf-16-le``/``utf-16-be`` when every other byte of the start is NUL (text saved as UTF-16
    without a byte-order mark), else None."""
    sample = data[:4096]
    if len(sample) < 4 or len(sample) % 2:
        sample = sample[: len(sample) - len(sample) % 2]
    if len(sample) < 4:
        return None
    odd_nuls, even_nuls = sample[1::2].count(0), sample[0::2].count(0)
    half = len(sample) // 2
    if odd_nuls > 0.9 * half and even_nuls < 0.1 * half:
        return "utf-16-le"
    if even_nuls > 0.9 * half and odd_nuls < 0.1 * half:
        return "utf-16-be"
    return None


def _no_nul(text: str, filename: str) -> str:
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise ImportRefused(f"{filename}: a NUL character at line {line}; this is not a plain text/CSV table")
    return text


def _decode(data: bytes, filename: str) -> str:
    """Text content as str, refusing binary content and text that is not UTF-8 or UTF-16."""
    encoding = "utf-16" if data.startswith((b"\xff\xfe", b"\xfe\xff")) else _utf16_without_bom(data)
    if encoding:
        try:
            return _no_nul(data.decode(encoding), filename)
        except UnicodeDecodeError as error:
            raise ImportRefused(f"{filename}: not valid UTF-16 text ({error.reason})") from error
    if data.startswith(b"PK\x03\x04"):
        raise ImportRefused(f"{filename}: this is a ZIP archive (an XLSX workbook?), not text; rename it to .xlsx if it is a workbook")
    if data.startswith(b"%PDF"):
        raise ImportRefused(f"{filename}: this is a PDF document, not a text/CSV table")
    if b"\x00" in data[:8192]:
        raise ImportRefused(f"{filename}: binary content (NUL bytes), not a text/CSV table")
    try:
        return _no_nul(data.decode("utf-8-sig"), filename)
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ImportRefused(
            f"{filename}: not UTF-8 text (byte 0x{data[error.start]:02x} at line {line}); save the file with UTF-8 encoding"
        ) from error


def _text_lines(text: str, delimiter: str) -> Iterator[_Line]:
    if delimiter == "\t":
        # The released record is one row per line; cells may contain quotes, so no CSV quoting.
        for number, line in enumerate(text.splitlines(), start=1):
            yield _Line(None, number, tuple(line.split("\t")))
        return
    first = next((line for line in text.splitlines() if line.strip()), "")
    if "\t" in first and "," not in first:
        delimiter = "\t"  # a tab-separated file named .csv: the header tells
    # strict: an unbalanced quote would otherwise swallow every later row into one cell.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    start = 1
    try:
        for cells in reader:
            yield _Line(None, start, tuple(restore(cell) for cell in cells))
            start = reader.line_num + 1
    except csv.Error as error:
        if "unexpected end of data" in str(error):
            raise ImportRefused(
                f'CSV error: the quoted cell that starts on line {start} is never closed (an unbalanced " character); nothing was imported'
            ) from error
        raise ImportRefused(f"CSV error at line {reader.line_num}: {error}; nothing was imported") from error


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _xlsx_lines(data: bytes, filename: str) -> Iterator[_Line]:
    from openpyxl import load_workbook  # imported lazily: only workbooks need it

    if not data.startswith(b"PK\x03\x04"):
        raise ImportRefused(f"{filename}: not a valid XLSX workbook (not a ZIP archive)")
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise ImportRefused(f"{filename}: not a valid XLSX workbook ({error})") from error
    try:
        for sheet in workbook.worksheets:
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                cells = [_cell_text(value) for value in values]
                while cells and not cells[-1]:
                    cells.pop()
                yield _Line(sheet.title, number, tuple(cells))
    finally:
        workbook.close()


def split_tables(lines: Iterable[_Line], filename: str) -> tuple[RawTable, ...]:
    """Cut a sequence of lines into tables at title lines and header rows."""
    tables: list[RawTable] = []
    title: str | None = None
    header: RawRow | None = None
    header_match = None
    rows: list[RawRow] = []
    sheet: str | None = None
    best_candidate: tuple[int, Sequence[str], _Line] | None = None

    def close() -> None:
        nonlocal header, rows, title
        if header is not None and header_match is not None:
            unknown = tuple(
                h
                for h in header_match.unknown
                if h  # a declared but unknown column
            )
            tables.append(
                RawTable(filename, len(tables) + 1, header.position.sheet, title, header, dict(header_match.columns), tuple(rows), unknown)
            )
        header, rows, title = None, [], None

    for line in lines:
        if line.sheet != sheet:
            close()
            sheet = line.sheet
        if looks_like_title(line.cells):
            close()
            title = next(cell.strip() for cell in line.cells if cell.strip())
            continue
        if looks_like_header(line.cells):
            saved_title = title if header is None else None
            close()
            title = saved_title
            header_match = match_header(line.cells)
            _check_header(header_match, filename, line)
            header = RawRow(SourcePosition(filename, len(tables) + 1, line.number, line.sheet), line.cells)
            continue
        if not any(cell.strip() for cell in line.cells):
            continue
        if header is None:
            recognised = len(match_header(line.cells).columns)
            if best_candidate is None or recognised > best_candidate[0]:
                best_candidate = (recognised, line.cells, line)
            if sum(1 for cell in line.cells if cell.strip()) >= 3 and recognised < 2:
                raise ImportRefused(
                    f"{filename}: {_where(line)} holds data before any header row; "
                    f"a weekly summary needs a header with the columns {_expected()}"
                )
            continue
        rows.append(RawRow(SourcePosition(filename, len(tables) + 1, line.number, line.sheet), line.cells))
    close()
    if not tables:
        if best_candidate is not None and best_candidate[0] >= 2:
            missing = match_header(best_candidate[1]).missing
            raise ImportRefused(
                f"{filename}: the header at {_where(best_candidate[2])} lacks the required "
                f"column(s) {', '.join(repr(HEADERS[m]) for m in missing)}"
            )
        raise ImportRefused(f"{filename}: no weekly-summary header row found; expected the columns {_expected()}")
    return tuple(tables)


def _where(line: _Line) -> str:
    return f"sheet {line.sheet!r} row {line.number}" if line.sheet else f"line {line.number}"


def _expected() -> str:
    return ", ".join(repr(header) for field, header in HEADERS.items() if field != "jurisdiction")


def _check_header(match: HeaderMatch, filename: str, line: _Line) -> None:
    if match.missing:
        raise ImportRefused(
            f"{filename}: the header at {_where(line)} lacks the required column(s) {', '.join(repr(HEADERS[m]) for m in match.missing)}"
        )
    if match.duplicated:
        raise ImportRefused(
            f"{filename}: the header at {_where(line)} names a column twice: {', '.join(repr(h) for h in match.duplicated)}"
        )

"""Reading the diagnosis's tables (CSV or XLSX) into rows with normalized headers.

A file is read whole before anything is stored: ``read_table`` returns a ``Table`` or
raises ``TableError`` with every problem found (row number as a spreadsheet shows it —
the header is row 1 — and the column as written in the file). Callers check the cells
with ``Cells`` and collect their own errors the same way, so that a file with any error
stores nothing.

CSV: UTF-8 (with or without the BOM Excel writes) or Windows-1250 (what Excel on a
Polish Windows saves as "CSV"), detected from the bytes; a file mixing the two, or with
bytes valid in neither, is refused naming the row. The separator (``;``, ``,`` or a tab)
is taken from the header row. Numbers may use a decimal comma and spaces between
thousands ("1 234,5").

XLSX: the first sheet, or the one named; read-only, values (not formulas) as last saved.

Headers are compared after ``normalize_header``: lower case, Polish letters without
diacritics, spaces and punctuation as single underscores ("Powierzchnia (ha)" →
``powierzchnia_ha``). ``ALIASES`` maps the Polish and English names we accept to one
canonical name per column."""

from __future__ import annotations

import csv
import io
import math
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 200_000
MAX_COLUMNS = 500
MAX_CELL = 1_000
MAX_ERRORS = 100  # after this many problems a file is refused without reading further
# An XLSX is a zip archive: refuse one that would expand absurdly (a zip bomb).
MAX_UNPACKED = 200 * 1024 * 1024
MAX_RATIO = 100

# Canonical column → the header names accepted for it (already normalized).
ALIASES: dict[str, tuple[str, ...]] = {
    "unit_id": (
        "unit_id",
        "id",
        "kod",
        "code",
        "unit",
        "unit_code",
        "id_jednostki",
        "kod_jednostki",
        "jednostka",
        "identyfikator",
    ),
    "name": ("name", "nazwa", "unit_name", "nazwa_jednostki"),
    "residents": (
        "residents",
        "mieszkancy",
        "ludnosc",
        "liczba_mieszkancow",
        "population",
        "liczba_ludnosci",
    ),
    "area_ha": (
        "area_ha",
        "area",
        "powierzchnia_ha",
        "powierzchnia",
        "pow_ha",
        "area_hectares",
    ),
    "indicator": (
        "indicator",
        "indicator_code",
        "wskaznik",
        "kod_wskaznika",
        "indicator_id",
    ),
    "value": ("value", "wartosc", "liczba", "count"),
    "base": ("base", "podstawa", "mianownik", "denominator"),
}

# Letters NFKD does not decompose.
_LETTERS = str.maketrans({"ł": "l", "Ł": "l", "ø": "o", "đ": "d", "ß": "ss"})
_NOT_WORD = re.compile(r"[^a-z0-9]+")


def normalize_header(text: str) -> str:
    """``" Liczba mieszkańców (2024)"`` → ``"liczba_mieszkancow_2024"``."""
    text = str(text).translate(_LETTERS)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(char for char in text if not unicodedata.combining(char))
    return _NOT_WORD.sub("_", text.lower()).strip("_")


def canonical_name(header: str, aliases: Mapping[str, Iterable[str]] = ALIASES) -> str:
    """The canonical column a (normalized) header stands for; the header itself if none."""
    for name, accepted in aliases.items():
        if header in accepted:
            return name
    return header


@dataclass(frozen=True)
class Problem:
    """One problem of a file. ``row``: as a spreadsheet numbers it (the header is 1);
    ``column``: the header as written in the file (or the canonical name)."""

    message: str
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        if self.row and self.column:
            return _("Row %(row)s, column “%(column)s”: %(message)s") % {
                "row": self.row,
                "column": self.column,
                "message": self.message,
            }
        if self.row:
            return _("Row %(row)s: %(message)s") % {"row": self.row, "message": self.message}
        if self.column:
            return _("Column “%(column)s”: %(message)s") % {
                "column": self.column,
                "message": self.message,
            }
        return self.message


class TableError(Exception):
    """The file was refused; ``problems`` says why (every problem found, up to a limit)."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(str(problem) for problem in problems[:5]))
        self.problems = problems


@dataclass
class Row:
    number: int  # as a spreadsheet numbers it
    cells: dict[str, str]  # canonical column → the cell's text, stripped ("" when blank)


@dataclass
class Table:
    columns: list[str]  # canonical names in the order of the file
    headers: dict[str, str]  # canonical name → the header as written
    rows: list[Row]
    kind: str  # "CSV (UTF-8)", "CSV (Windows-1250)", "XLSX"
    sheet: str = ""

    def label(self, column: str) -> str:
        return self.headers.get(column, column)


# --- Decoding --------------------------------------------------------------------------

_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)
# Bytes Windows-1250 leaves undefined.
_CP1250_UNDEFINED = re.compile(rb"[\x81\x83\x88\x90\x98]")


def _row_of(data: bytes, position: int) -> int:
    return data.count(b"\n", 0, position) + 1


def decode(data: bytes) -> tuple[str, str]:
    """The text and the encoding's name; TableError naming the row otherwise."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data[:4096]:
        raise TableError(
            [
                Problem(
                    _(
                        "The file is saved as UTF-16 or is not a text file. Save it as "
                        "“CSV UTF-8” (or as XLSX) and try again."
                    )
                )
            ]
        )
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError as exc:
        utf8_error = exc
    # Polish letters saved as UTF-8 somewhere else in the file: the file is UTF-8 with
    # damaged bytes, not Windows-1250 (reading it so would garble every Polish letter).
    if _UTF8_MULTIBYTE.search(data):
        raise TableError(
            [
                Problem(
                    _(
                        "This row has characters that are not valid UTF-8, although the rest "
                        "of the file is UTF-8. Correct them (or save the file again as "
                        "“CSV UTF-8”)."
                    ),
                    row=_row_of(data, utf8_error.start),
                )
            ]
        )
    undefined = _CP1250_UNDEFINED.search(data)
    if undefined:
        raise TableError(
            [
                Problem(
                    _(
                        "This row has characters that are neither UTF-8 nor Windows-1250. "
                        "Save the file as “CSV UTF-8” and try again."
                    ),
                    row=_row_of(data, undefined.start()),
                )
            ]
        )
    return data.decode("cp1250"), "Windows-1250"


def sniff_delimiter(header_line: str) -> str:
    """The separator used in the header row: ``;`` (Polish Excel), ``,`` or a tab."""
    counts = {}
    for delimiter in (";", ",", "\t"):
        try:
            counts[delimiter] = len(next(csv.reader([header_line], delimiter=delimiter))) - 1
        except (csv.Error, StopIteration):
            counts[delimiter] = 0
    best = max(counts, key=lambda d: (counts[d], d == ";"))
    return best if counts[best] else ";"


# --- Reading ---------------------------------------------------------------------------


def _csv_records(text: str) -> Iterable[list[str]]:
    lines = text.splitlines()
    first = next((line for line in lines if line.strip()), "")
    reader = csv.reader(
        io.StringIO(text, newline=""), delimiter=sniff_delimiter(first), strict=True
    )
    try:
        yield from reader
    except csv.Error:
        raise TableError(
            [
                Problem(
                    _(
                        "The CSV is malformed here: a quotation mark is not closed, or text "
                        "follows a closing quotation mark."
                    ),
                    row=reader.line_num,
                )
            ]
        ) from None


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value).strip()


def _check_zip(data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            names = {info.filename for info in infos}
            unpacked = sum(info.file_size for info in infos)
            packed = sum(info.compress_size for info in infos) or 1
    except (zipfile.BadZipFile, OSError, EOFError):
        raise TableError([Problem(_("The XLSX file is damaged and cannot be opened."))]) from None
    if unpacked > MAX_UNPACKED or unpacked / packed > MAX_RATIO:
        raise TableError(
            [Problem(_("The file expands to an unreasonable size when opened; it was refused."))]
        )
    if "xl/workbook.xml" not in names:
        raise TableError(
            [Problem(_("This is a zip archive but not an XLSX workbook. Send CSV or XLSX."))]
        )


def _xlsx_records(data: bytes, sheet: str | None) -> tuple[Iterable[list[str]], str]:
    import openpyxl

    _check_zip(data)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds on a damaged file
        raise TableError([Problem(_("The XLSX file is damaged and cannot be opened."))]) from None
    if sheet:
        if sheet not in workbook.sheetnames:
            workbook.close()
            raise TableError(
                [
                    Problem(
                        _("The workbook has no sheet named “%(sheet)s” (it has: %(names)s).")
                        % {"sheet": sheet, "names": ", ".join(workbook.sheetnames)}
                    )
                ]
            )
        worksheet = workbook[sheet]
    else:
        worksheet = workbook.worksheets[0]

    def records():
        try:
            for values in worksheet.iter_rows(values_only=True, max_col=MAX_COLUMNS + 1):
                yield [_cell_text(value) for value in values]
        finally:
            workbook.close()

    return records(), worksheet.title


def read_table(
    upload,
    *,
    required: Iterable[str] = (),
    aliases: Mapping[str, Iterable[str]] = ALIASES,
    sheet: str | None = None,
    max_rows: int = MAX_ROWS,
) -> Table:
    """Read a CSV or XLSX upload (a file object or bytes) into a ``Table``.

    Headers are normalized and mapped to canonical names through ``aliases``; columns
    not in ``aliases`` keep their normalized header (callers decide whether they are
    allowed). Blank rows are skipped. Raises TableError naming the row and column of
    each problem: undecodable bytes, a malformed CSV, empty or repeated headers, missing
    ``required`` columns, too many rows or columns."""
    data = read_upload(upload, max_bytes=MAX_BYTES)
    if not data.strip():
        raise TableError([Problem(_("The file is empty."))])
    sheet_title = ""
    if data.startswith(b"PK\x03\x04"):
        records, sheet_title = _xlsx_records(data, sheet)
        kind = "XLSX"
    elif data.startswith(b"\xd0\xcf\x11\xe0"):
        raise TableError(
            [Problem(_("This is an old Excel file (XLS). Save it as XLSX or CSV and try again."))]
        )
    elif data.lstrip().startswith((b"{", b"[")):
        raise TableError([Problem(_("This looks like a JSON file, not a CSV or XLSX table."))])
    else:
        text, encoding = decode(data)
        records = _csv_records(text)
        kind = f"CSV ({encoding})"
    return _table(
        records,
        kind=kind,
        sheet=sheet_title,
        required=required,
        aliases=aliases,
        max_rows=max_rows,
    )


def read_upload(upload, *, max_bytes: int) -> bytes:
    """The bytes of an upload (a file object or ``bytes``); TableError when it is larger
    than ``max_bytes`` (reading no more than that)."""
    if isinstance(upload, bytes):
        data, size = upload, len(upload)
    else:
        if hasattr(upload, "seek"):
            upload.seek(0)
        size = getattr(upload, "size", None)
        data = b"" if size and size > max_bytes else upload.read(max_bytes + 1)
        size = size or len(data)
    if size > max_bytes:
        raise TableError(
            [
                Problem(
                    _("The file is too large (%(size)s MB); the limit is %(limit)s MB.")
                    % {"size": f"{size / 1024 / 1024:.1f}", "limit": f"{max_bytes / 1024 / 1024:g}"}
                )
            ]
        )
    return data


def _table(records, *, kind, sheet, required, aliases, max_rows) -> Table:
    problems: list[Problem] = []
    iterator = iter(records)
    header_number = 0
    header: list[str] = []
    for record in iterator:
        header_number += 1
        if any(cell.strip() for cell in record):
            header = record
            break
    if not header:
        raise TableError([Problem(_("The file has no header row."))])
    while header and not header[-1].strip():
        header.pop()  # trailing empty cells (a spreadsheet's formatted but empty columns)
    if len(header) > MAX_COLUMNS:
        raise TableError(
            [
                Problem(
                    _("The file has %(count)s columns; the limit is %(limit)s.")
                    % {"count": len(header), "limit": MAX_COLUMNS},
                    row=header_number,
                )
            ]
        )
    columns: list[str] = []
    headers: dict[str, str] = {}
    for position, written in enumerate(header, start=1):
        written = written.strip().lstrip("\ufeff")
        name = canonical_name(normalize_header(written), aliases)
        if not name:
            problems.append(
                Problem(
                    _("Column %(position)s has no header.") % {"position": position},
                    row=header_number,
                )
            )
            name = f"_column_{position}"
        elif name in headers:
            problems.append(
                Problem(
                    _("The column appears twice (also as “%(other)s”).") % {"other": headers[name]},
                    row=header_number,
                    column=written,
                )
            )
            name = f"_column_{position}"
        columns.append(name)
        headers[name] = written
    for name in required:
        if name not in headers:
            accepted = ", ".join(tuple(aliases.get(name, (name,)))[:4])
            problems.append(
                Problem(
                    _("A column is missing: “%(name)s” (accepted headers: %(accepted)s).")
                    % {"name": name, "accepted": accepted},
                    row=header_number,
                )
            )
    if problems:
        raise TableError(problems)

    rows: list[Row] = []
    number = header_number
    for record in iterator:
        number += 1
        if not any(cell.strip() for cell in record):
            continue
        if len(rows) >= max_rows:
            raise TableError(
                [
                    Problem(
                        _("The file has more than %(limit)s rows; split it into smaller files.")
                        % {"limit": max_rows},
                        row=number,
                    )
                ]
            )
        extra = [cell for cell in record[len(columns) :] if cell.strip()]
        if extra:
            problems.append(
                Problem(
                    _(
                        "The row has more cells than the header has columns (a separator "
                        "inside a value? put such values in quotes)."
                    ),
                    row=number,
                )
            )
            if len(problems) >= MAX_ERRORS:
                break
            continue
        cells = {}
        for position, name in enumerate(columns):
            text = record[position].strip() if position < len(record) else ""
            if len(text) > MAX_CELL:
                problems.append(
                    Problem(
                        _("The cell is longer than %(limit)s characters.") % {"limit": MAX_CELL},
                        row=number,
                        column=headers[name],
                    )
                )
                text = text[:MAX_CELL]
            cells[name] = text
        rows.append(Row(number=number, cells=cells))
    if problems:
        raise TableError(problems[:MAX_ERRORS])
    return Table(columns=columns, headers=headers, rows=rows, kind=kind, sheet=sheet)


# --- Cells -----------------------------------------------------------------------------

_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$")
_SPACES = re.compile(r"[\s\u00a0\u202f']")


def parse_number(text: str) -> float:
    """``"1 234,5"`` → 1234.5; ValueError when the text is not a finite number."""
    cleaned = _SPACES.sub("", text)
    if cleaned.count(",") == 1 and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    if not _NUMBER.match(cleaned):
        raise ValueError(text)
    value = float(cleaned.replace(",", "."))
    if not math.isfinite(value):
        raise ValueError(text)
    return value


@dataclass
class Cells:
    """Checks the cells of a table's rows, collecting problems instead of stopping at
    the first one. ``cells.number(row, "residents", minimum=0)`` returns the number or
    None (and records the problem)."""

    table: Table
    problems: list[Problem] = field(default_factory=list)

    def problem(self, row: Row | None, column: str | None, message: str) -> None:
        self.problems.append(
            Problem(
                message,
                row=row.number if row else None,
                column=self.table.label(column) if column else None,
            )
        )

    @property
    def full(self) -> bool:
        return len(self.problems) >= MAX_ERRORS

    def text(self, row: Row, column: str, *, required=True, max_length=200) -> str | None:
        value = row.cells.get(column, "")
        if not value:
            if required:
                self.problem(row, column, _("The cell is empty; a value is required."))
                return None
            return ""
        if len(value) > max_length:
            self.problem(
                row,
                column,
                _("The text is longer than %(limit)s characters.") % {"limit": max_length},
            )
            return None
        return value

    def number(
        self,
        row: Row,
        column: str,
        *,
        required=True,
        minimum: float | None = None,
        maximum: float | None = None,
        above: float | None = None,
        integer=False,
    ) -> float | None:
        """The cell as a number within the bounds (``above``: strictly greater)."""
        text = row.cells.get(column, "")
        if not text:
            if required:
                self.problem(row, column, _("The cell is empty; a number is required."))
            return None
        try:
            value = parse_number(text)
        except ValueError:
            self.problem(row, column, _("“%(text)s” is not a number.") % {"text": text[:40]})
            return None
        if integer and not value.is_integer():
            self.problem(row, column, _("“%(text)s” is not a whole number.") % {"text": text[:40]})
            return None
        if minimum is not None and value < minimum:
            if minimum == 0:
                message = _("The number may not be negative (it is %(value)s).")
            else:
                message = _("The number may not be smaller than %(limit)s (it is %(value)s).")
            self.problem(row, column, message % {"value": text[:40], "limit": minimum})
            return None
        if above is not None and value <= above:
            self.problem(
                row,
                column,
                _("The number must be greater than %(limit)s (it is %(value)s).")
                % {"value": text[:40], "limit": above},
            )
            return None
        if maximum is not None and value > maximum:
            self.problem(
                row,
                column,
                _("The number is implausibly large: %(value)s (at most %(limit)s).")
                % {"value": text[:40], "limit": f"{maximum:,.0f}".replace(",", " ")},
            )
            return None
        return value

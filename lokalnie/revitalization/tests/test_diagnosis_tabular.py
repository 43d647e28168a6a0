"""Reading CSV and XLSX tables (revitalization.tabular): encodings, separators, headers,
and problems named by row and column."""

import io
from pathlib import Path

import openpyxl
import pytest
from django.utils import translation

from lokalnie.revitalization.tabular import (
    Cells,
    TableError,
    decode,
    normalize_header,
    parse_number,
    read_table,
    sniff_delimiter,
)

DATA = Path(__file__).parent / "data"
UNIT_COLUMNS = ("unit_id", "name", "residents", "area_ha")


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _problems(data: bytes, **kwargs) -> list[str]:
    with pytest.raises(TableError) as caught:
        read_table(data, **kwargs)
    return [str(problem) for problem in caught.value.problems]


def _xlsx(rows, title="Arkusz1") -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("written", "normalized"),
    [
        ("Mieszkańcy", "mieszkancy"),
        (" Powierzchnia (ha) ", "powierzchnia_ha"),
        ("LICZBA  MIESZKAŃCÓW", "liczba_mieszkancow"),
        ("Ludność", "ludnosc"),
        ("Wskaźnik-kod", "wskaznik_kod"),
        ("Łąka", "laka"),
    ],
)
def test_headers_are_normalized(written, normalized):
    assert normalize_header(written) == normalized


def test_polish_utf8_csv_with_semicolons_and_decimal_commas():
    table = read_table((DATA / "units.csv").read_bytes(), required=UNIT_COLUMNS)
    assert table.kind == "CSV (UTF-8)"
    assert table.columns == ["unit_id", "name", "residents", "area_ha"]
    assert table.headers["residents"] == "mieszkańcy"
    first = table.rows[0]
    assert first.number == 2
    assert first.cells == {
        "unit_id": "A01",
        "name": "Śródmieście",
        "residents": "1200",
        "area_ha": "150,5",
    }


def test_the_bom_excel_writes_is_skipped():
    data = "\ufeffid,name,residents,area_ha\nA,Ąę,1,2\n".encode()
    table = read_table(data, required=UNIT_COLUMNS)
    assert table.columns[0] == "unit_id"
    assert table.rows[0].cells["name"] == "Ąę"


def test_windows_1250_is_detected():
    table = read_table((DATA / "units-cp1250.csv").read_bytes(), required=UNIT_COLUMNS)
    assert table.kind == "CSV (Windows-1250)"
    assert [row.cells["name"] for row in table.rows] == [
        "Śródmieście",
        "Bałuty-Północ",
        "Stare Polesie",
        "Widzew-Wschód",
    ]


def test_a_utf8_file_with_a_damaged_row_is_refused_naming_the_row():
    data = "id;nazwa\nA;Łódź\nB;".encode() + b"Zgierz \xb3\n"
    problems = _problems(data)
    assert problems == [
        "Row 3: This row has characters that are not valid UTF-8, although the rest of the "
        "file is UTF-8. Correct them (or save the file again as “CSV UTF-8”)."
    ]


def test_bytes_undefined_in_windows_1250_are_refused_naming_the_row():
    data = b"id;nazwa\nA;Lodz\nB;\x81\n"
    assert _problems(data)[0].startswith("Row 3: This row has characters that are neither")


def test_utf16_is_refused_with_advice():
    data = "id;nazwa\nA;Łódź\n".encode("utf-16")
    assert "UTF-16" in _problems(data)[0]


@pytest.mark.parametrize(
    ("line", "delimiter"),
    [("a;b;c", ";"), ("a,b,c", ","), ("a\tb", "\t"), ('"x;y",b', ","), ("single", ";")],
)
def test_the_separator_is_taken_from_the_header(line, delimiter):
    assert sniff_delimiter(line) == delimiter


def test_comma_separated_with_quoted_decimal_commas():
    data = b'id,name,residents,area_ha\nA,"Nowe, Osiedle",10,"1,5"\n'
    row = read_table(data, required=UNIT_COLUMNS).rows[0]
    assert row.cells["name"] == "Nowe, Osiedle"
    assert parse_number(row.cells["area_ha"]) == 1.5


def test_a_missing_column_is_named_with_the_accepted_headers():
    problems = _problems(b"id;nazwa;mieszkancy\nA;B;1\n", required=UNIT_COLUMNS)
    assert problems == [
        "Row 1: A column is missing: “area_ha” (accepted headers: area_ha, area, "
        "powierzchnia_ha, powierzchnia)."
    ]


def test_a_repeated_column_is_refused():
    problems = _problems(b"id;kod;nazwa\nA;B;C\n")
    assert problems == ["Row 1, column “kod”: The column appears twice (also as “id”)."]


def test_a_row_with_more_cells_than_headers_is_named():
    problems = _problems(b"id;nazwa\nA;B\nC;D;E\n")
    assert problems[0].startswith("Row 3: The row has more cells than the header has columns")


def test_malformed_quoting_is_named():
    problems = _problems(b'id,name\nA,"unterminated\n')
    assert problems[0].startswith("Row")
    assert "malformed" in problems[0]


def test_blank_rows_are_skipped_and_rows_keep_their_spreadsheet_numbers():
    table = read_table(b"id;nazwa\n\nA;B\n;\nC;D\n")
    assert [row.number for row in table.rows] == [3, 5]


def test_too_many_rows_are_refused():
    data = b"id\n" + b"".join(f"{n}\n".encode() for n in range(11))
    assert "more than 10 rows" in _problems(data, max_rows=10)[0]


def test_empty_json_and_old_excel_files_are_refused():
    assert _problems(b"   \n") == ["The file is empty."]
    assert "JSON" in _problems(b'{"type": "FeatureCollection"}')[0]
    assert "XLS" in _problems(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)[0]


def test_xlsx_first_sheet_and_a_named_one():
    data = (DATA / "units.xlsx").read_bytes()
    table = read_table(data, required=UNIT_COLUMNS)
    assert table.kind == "XLSX"
    assert table.sheet == "Jednostki"
    assert table.rows[0].cells == {
        "unit_id": "A01",
        "name": "Śródmieście",
        "residents": "1200",
        "area_ha": "150.5",
    }
    other = read_table(data, sheet="Wartości", required=("unit_id", "indicator", "value"))
    assert other.rows[0].cells["value"] == "120"
    assert "no sheet named “Brak”" in _problems(data, sheet="Brak")[0]


def test_a_damaged_xlsx_is_refused():
    data = _xlsx([["id"], ["A"]])
    assert _problems(data[:200]) == ["The XLSX file is damaged and cannot be opened."]


def test_a_zip_that_is_not_a_workbook_is_refused():
    buffer = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert "not an XLSX workbook" in _problems(buffer.getvalue())[0]


@pytest.mark.parametrize(
    ("text", "value"),
    [("12", 12), ("-3,5", -3.5), ("1 234,5", 1234.5), ("1\u00a0234", 1234), ("1e3", 1000)],
)
def test_numbers_in_polish_and_english_notation(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize("text", ["abc", "1,2,3", "nan", "inf", "", "12 zł"])
def test_not_numbers(text):
    with pytest.raises(ValueError):
        parse_number(text)


def test_cells_collect_problems_naming_row_and_column():
    table = read_table("id;mieszkańcy;powierzchnia\nA;-5;0\n;1,5;x\n".encode())
    cells = Cells(table)
    for row in table.rows:
        cells.text(row, "unit_id")
        cells.number(row, "residents", integer=True, minimum=0)
        cells.number(row, "area_ha", above=0)
    assert [str(problem) for problem in cells.problems] == [
        "Row 2, column “mieszkańcy”: The number may not be negative (it is -5).",
        "Row 2, column “powierzchnia”: The number must be greater than 0 (it is 0).",
        "Row 3, column “id”: The cell is empty; a value is required.",
        "Row 3, column “mieszkańcy”: “1,5” is not a whole number.",
        "Row 3, column “powierzchnia”: “x” is not a number.",
    ]


def test_decode_prefers_utf8():
    assert decode("zażółć".encode()) == ("zażółć", "UTF-8")
    assert decode("zażółć".encode("cp1250")) == ("zażółć", "Windows-1250")

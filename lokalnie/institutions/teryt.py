"""Reading the official TERC register (TERYT) file: pure parsing, no database.

The file is the one GUS publishes: UTF-8, ``;``-separated, header
``WOJ;POW;GMI;RODZ;NAZWA;NAZWA_DOD;STAN_NA``. Every row is checked before anything is
stored; the first problems are reported with their line numbers.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass

EXPECTED_HEADER = ["WOJ", "POW", "GMI", "RODZ", "NAZWA", "NAZWA_DOD", "STAN_NA"]
GMINA_TYPES = {"1", "2", "3"}  # gmina miejska, wiejska, miejsko-wiejska
PART_TYPES = {"4", "5", "8", "9"}  # town / rural area of an urban-rural gmina, districts
MAX_ERRORS = 20


@dataclass(frozen=True)
class TerytRow:
    line: int
    code: str
    level: str
    name: str
    kind: str
    gmina_type: str
    parent_code: str | None
    valid_on: dt.date


class TerytFormatError(ValueError):
    def __init__(self, problems: list[tuple[int, str]]):
        self.problems = problems
        lines = "; ".join(f"line {line}: {reason}" for line, reason in problems[:MAX_ERRORS])
        more = len(problems) - MAX_ERRORS
        super().__init__(lines + (f"; … and {more} more" if more > 0 else ""))


def _digits(value: str, length: int) -> bool:
    return len(value) == length and value.isdigit()


def parse_terc(data: bytes) -> list[TerytRow]:
    """Parse and validate the whole file; raise TerytFormatError listing what is wrong."""
    problems: list[tuple[int, str]] = []
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise TerytFormatError(
            [(line, "the file is not UTF-8 text (save it as UTF-8 and try again)")]
        ) from None

    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";")
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise TerytFormatError([(1, "the file is empty")]) from None
    if header != EXPECTED_HEADER:
        raise TerytFormatError(
            [(1, f"header must be {';'.join(EXPECTED_HEADER)}, found {';'.join(header)}")]
        )

    rows: list[TerytRow] = []
    seen: dict[str, int] = {}
    for number, fields in enumerate(reader, start=2):
        if not fields or all(not f.strip() for f in fields):
            continue
        if len(fields) != len(EXPECTED_HEADER):
            problems.append(
                (number, f"expected {len(EXPECTED_HEADER)} columns, found {len(fields)}")
            )
            continue
        woj, pow_, gmi, rodz, name, kind, date = (f.strip() for f in fields)
        row_problems = []
        if not _digits(woj, 2):
            row_problems.append(f"WOJ must be 2 digits, found {woj!r}")
        if pow_ and not _digits(pow_, 2):
            row_problems.append(f"POW must be 2 digits, found {pow_!r}")
        if gmi and not _digits(gmi, 2):
            row_problems.append(f"GMI must be 2 digits, found {gmi!r}")
        if gmi and not pow_:
            row_problems.append("GMI is given without POW")
        if gmi and rodz not in GMINA_TYPES | PART_TYPES:
            row_problems.append(f"RODZ must be one of 1–5, 8, 9 for a gmina, found {rodz!r}")
        if not gmi and rodz:
            row_problems.append("RODZ is given without GMI")
        if not name:
            row_problems.append("NAZWA is empty")
        try:
            valid_on = dt.date.fromisoformat(date)
        except ValueError:
            row_problems.append(f"STAN_NA must be a date YYYY-MM-DD, found {date!r}")
            valid_on = None
        if row_problems:
            problems.append((number, "; ".join(row_problems)))
            continue

        if not pow_:
            code, level, parent = woj, "voivodeship", None
        elif not gmi:
            code, level, parent = woj + pow_, "powiat", woj
        else:
            code = woj + pow_ + gmi + rodz
            if rodz in GMINA_TYPES:
                level, parent = "gmina", woj + pow_
            else:
                level, parent = "gmina_part", None  # resolved below
        if code in seen:
            problems.append((number, f"code {code} repeats line {seen[code]}"))
            continue
        seen[code] = number
        rows.append(TerytRow(number, code, level, name, kind, rodz, parent, valid_on))

    by_code = {row.code: row for row in rows}
    resolved: list[TerytRow] = []
    for row in rows:
        parent = row.parent_code
        if row.level == "gmina_part":
            if row.gmina_type in {"4", "5"}:
                parent = row.code[:6] + "3"
            else:  # districts of a city: the city's own gmina in the same powiat
                parent = next(
                    (
                        c
                        for c, r in by_code.items()
                        if r.level == "gmina" and c[:4] == row.code[:4] and r.gmina_type == "1"
                    ),
                    None,
                )
        if parent is not None and parent not in by_code:
            problems.append(
                (row.line, f"unit {row.code} ({row.name}) has no parent unit {parent} in the file")
            )
            continue
        if row.level == "gmina_part" and parent is None:
            problems.append((row.line, f"unit {row.code} ({row.name}) has no city gmina"))
            continue
        resolved.append(
            TerytRow(
                row.line,
                row.code,
                row.level,
                row.name,
                row.kind,
                row.gmina_type,
                parent,
                row.valid_on,
            )
        )
    if problems:
        problems.sort()
        raise TerytFormatError(problems)
    if not resolved:
        raise TerytFormatError([(2, "the file has no units")])
    return resolved

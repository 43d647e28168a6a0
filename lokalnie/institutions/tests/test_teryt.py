from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from lokalnie.core.models import AuditEntry
from lokalnie.institutions.models import TerytUnit
from lokalnie.institutions.selectors import gmina_search
from lokalnie.institutions.teryt import TerytFormatError, parse_terc
from lokalnie.institutions.text import fold

HEADER = "WOJ;POW;GMI;RODZ;NAZWA;NAZWA_DOD;STAN_NA\r\n"


def write(tmp_path, body: str, encoding="utf-8") -> Path:
    path = tmp_path / "terc.csv"
    path.write_bytes((HEADER + body).encode(encoding))
    return path


@pytest.mark.django_db
def test_the_official_register_imports_every_unit(teryt):
    levels = TerytUnit.objects.values_list("level", flat=True)
    assert levels.filter(level="voivodeship").count() == 16
    assert levels.filter(level="powiat").count() == 380
    assert levels.filter(level="gmina").count() == 2477
    lodz = TerytUnit.objects.get(code="1061011")
    assert (lodz.name, lodz.kind, lodz.parent.code, lodz.parent.parent.name) == (
        "Łódź",
        "gmina miejska",
        "1061",
        "ŁÓDZKIE",
    )
    assert TerytUnit.objects.get(code="1061029").parent_id == "1061011"  # Łódź-Bałuty
    assert TerytUnit.objects.get(code="2611054").parent_id == "2611053"  # Wąchock (town)


@pytest.mark.django_db
def test_import_is_idempotent(teryt):
    entries = AuditEntry.objects.filter(action="teryt.imported").count()
    call_command("import_teryt", verbosity=0)
    assert TerytUnit.objects.count() == 4332
    assert AuditEntry.objects.filter(action="teryt.imported").count() == entries


@pytest.mark.django_db
def test_a_changed_name_is_updated_in_place(tmp_path, teryt):
    original = Path(settings.TERYT_FILE).read_text(encoding="utf-8")
    changed = original.replace("10;61;01;1;Łódź;", "10;61;01;1;Łódź Nowa;")
    path = tmp_path / "terc.csv"
    path.write_text(changed, encoding="utf-8")
    call_command("import_teryt", str(path), verbosity=0)
    assert TerytUnit.objects.get(code="1061011").name == "Łódź Nowa"
    assert AuditEntry.objects.filter(action="teryt.imported").first().data["updated"] == 1


@pytest.mark.django_db
def test_a_malformed_file_is_refused_with_line_numbers_and_nothing_changes(tmp_path, teryt):
    before = TerytUnit.objects.count()
    path = write(
        tmp_path,
        "02;;;;DOLNOŚLĄSKIE;województwo;2024-01-01\r\n"
        "02;01;;;bolesławiecki;powiat;2024-01-01\r\n"
        "02;01;01;1;Nowa Gmina;gmina miejska;2024-01-01\r\n"
        "02;01;0X;1;Zła;gmina miejska;2024-01-01\r\n"
        "02;01;03;7;Zły rodzaj;gmina;2024-01-01\r\n"
        "02;01;04;1;Bez daty;gmina miejska;1.1.2024\r\n",
    )
    with pytest.raises(CommandError) as excinfo:
        call_command("import_teryt", str(path), verbosity=0)
    message = str(excinfo.value)
    assert "nothing changed" in message
    assert "line 5: GMI must be 2 digits, found '0X'" in message
    assert "line 6: RODZ must be one of" in message
    assert "line 7: STAN_NA must be a date" in message
    assert TerytUnit.objects.count() == before
    assert not TerytUnit.objects.filter(name="Nowa Gmina").exists()


def test_wrong_header_is_named():
    with pytest.raises(TerytFormatError, match="line 1: header must be WOJ;POW;GMI"):
        parse_terc(b"A;B;C\n1;2;3\n")


def test_wrong_encoding_is_named():
    data = (HEADER + "02;;;;DOLNOŚLĄSKIE;województwo;2024-01-01\r\n").encode("cp1250")
    with pytest.raises(TerytFormatError, match="line 2: the file is not UTF-8"):
        parse_terc(data)


def test_missing_columns_and_orphans_are_named():
    with pytest.raises(TerytFormatError) as excinfo:
        parse_terc(
            (
                HEADER
                + "02;;;;DOLNOŚLĄSKIE;województwo\r\n"
                + "04;01;;;powiat bez województwa;powiat;2024-01-01\r\n"
            ).encode()
        )
    message = str(excinfo.value)
    assert "line 2: expected 7 columns, found 6" in message
    assert "line 3: unit 0401 (powiat bez województwa) has no parent unit 04" in message


def test_empty_file_is_named():
    with pytest.raises(TerytFormatError, match="line 1: the file is empty"):
        parse_terc(b"")


def test_fold_ignores_polish_diacritics():
    assert fold("Łódź") == "lodz"
    assert fold("  Zażółć   GĘŚLĄ ") == "zazolc gesla"


@pytest.mark.django_db
def test_gmina_search_finds_lodz_when_typed_without_diacritics(teryt):
    results = gmina_search(query="lodz")
    assert results[0].code == "1061011"
    assert all(unit.level == "gmina" for unit in results)
    assert [u.name for u in gmina_search(query="wachock")] == ["Wąchock"]
    assert gmina_search(query="l") == []

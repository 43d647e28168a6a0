import pytest
from django.utils import translation
from django.utils.translation import ngettext

from lokalnie.core.i18n_check import catalogue_problems, translation_problems


def test_every_string_is_translated_and_compiled():
    problems = translation_problems()
    assert problems == [], "\n".join(problems)


def test_the_check_catches_untranslated_fuzzy_and_missing_plural_forms(tmp_path):
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
        '"Plural-Forms: nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);\\n"\n\n'
        'msgid "Save"\nmsgstr ""\n\n'
        '#, fuzzy\nmsgid "Cancel"\nmsgstr "Anuluj"\n\n'
        'msgid "%(n)s file"\nmsgid_plural "%(n)s files"\nmsgstr[0] "%(n)s plik"\nmsgstr[1] "%(n)s pliki"\nmsgstr[2] ""\n\n'
        'msgid "Done"\nmsgstr "Gotowe"\n',
        encoding="utf-8",
    )
    problems = catalogue_problems(po, nplurals=3)
    assert len(problems) == 3
    assert "'Save' is not translated" in problems[0]
    assert "'Cancel' is marked fuzzy" in problems[1]
    assert "plural forms" in problems[2]


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (1, "1 wpis"),
        (2, "2 wpisy"),
        (4, "4 wpisy"),
        (5, "5 wpisów"),
        (12, "12 wpisów"),
        (22, "22 wpisy"),
    ],
)
def test_polish_has_three_plural_forms(count, expected):
    with translation.override("pl"):
        text = ngettext("%(counter)s entry", "%(counter)s entries", count) % {"counter": count}
    assert text == expected

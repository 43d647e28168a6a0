"""A revitalization programme in a real browser, in Polish, as a gmina team does it: the
coordinator starts the programme of the demo gmina (Wałbrzych), imports its units, their
boundaries and the indicator values from files, reads the diagnosis, delimits the
revitalization area (the exact solution beside the greedy ranking) and adopts it, adds
partners and an action, sets up a result indicator with its baseline from the diagnosis,
a team member submits a measurement that the coordinator approves, and the monitoring
report is downloaded. Every new kind of page is run through axe."""

import pytest
from playwright.sync_api import expect

from lokalnie.conftest import make_user
from lokalnie.core.tests.browser.test_certificate_journey import as_user, click
from lokalnie.revitalization import demo_files
from lokalnie.revitalization.models import Programme

pytestmark = pytest.mark.browser


def upload(page, form, name: str, data: bytes, mime: str):
    form.locator("input[type=file]").set_input_files(
        {"name": name, "mimeType": mime, "buffer": data}
    )
    click(page, form.locator("button[type=submit]"))


def test_revitalization_journey_in_polish(new_page, live_server, teryt, assert_accessible):
    coordinator = make_user(email="koordynatorka@walbrzych.example.org")
    editor = make_user(email="zespol@walbrzych.example.org")
    page = as_user(new_page, live_server, coordinator)

    # 1. Start the programme of the gmina, found by typing its name without Polish letters.
    page.goto("/rewitalizacja/")
    assert_accessible(page, "rewitalizacja")
    page.locator("main a[href$='/programy/nowy/']").click()
    page.locator("#id_title").fill("Gminny Program Rewitalizacji Wałbrzycha 2026–2032")
    page.locator("#id_gmina_query").fill("walbrzych")
    page.locator(f"#gmina-{demo_files.GMINA_CODE}").wait_for()
    page.locator(f"#gmina-{demo_files.GMINA_CODE}").check()
    assert_accessible(page, "nowy program")
    click(page, page.locator("main .actions button[type=submit]"))
    programme = Programme.objects.get()
    assert page.url.endswith(f"/rewitalizacja/programy/{programme.pk}/")
    expect(page.locator("main")).to_contain_text("0 z 6")
    assert_accessible(page, "program")

    # The coordinator adds a team member.
    page.goto(f"/rewitalizacja/programy/{programme.pk}/zespol/")
    page.locator("#id_email").fill(editor.email)
    page.locator("#id_role").select_option("editor")
    click(page, page.locator("main form:not(.inline-form) button[type=submit]").last)
    expect(page.locator("main table")).to_contain_text(editor.email)
    assert_accessible(page, "zespół")

    # 2. Diagnosis: the gmina's totals and the crisis rule, then the three files.
    base = f"/rewitalizacja/programy/{programme.pk}/diagnoza/"
    page.goto(base + "ustawienia/")
    page.locator("#id_gmina_area_ha").fill(f"{demo_files.GMINA_AREA_HA:.2f}".replace(".", ","))
    page.locator("#id_gmina_residents").fill(str(demo_files.gmina_residents()))
    page.locator("#id_reference_year").fill("2025")
    for sphere, k in demo_files.CRISIS_RULES.items():
        page.locator(f"#id_crisis_{sphere}").fill(str(k))
    assert_accessible(page, "ustawienia diagnozy")
    click(page, page.locator("main form button[type=submit]"))

    page.goto(base + "jednostki/")
    upload(
        page,
        page.locator("form[action$='/jednostki/import/']"),
        "jednostki.csv",
        demo_files.units_csv(),
        "text/csv",
    )
    expect(page.locator("main")).to_contain_text("Śródmieście Rynek")
    upload(
        page,
        page.locator("form[action$='/granice/import/']"),
        "granice.geojson",
        demo_files.boundaries_geojson(),
        "application/geo+json",
    )
    assert_accessible(page, "jednostki")

    page.goto(base + "wskazniki/")
    for code in demo_files.INDICATORS:
        page.locator(f"#catalogue-{code}").check()
    assert_accessible(page, "wskaźniki")
    click(page, page.locator("form[action$='/wskazniki/z-katalogu/'] button[type=submit]"))

    page.goto(base + "wartosci/")
    upload(
        page,
        page.locator("form[action$='/wartosci/import/']"),
        "wartosci.csv",
        demo_files.values_csv(),
        "text/csv",
    )
    page.goto(base)
    expect(page.locator("main svg").first).to_be_visible()  # the choropleth map
    expect(page.locator("main")).to_contain_text("Sobięcin Dolny")
    assert_accessible(page, "wyniki diagnozy")

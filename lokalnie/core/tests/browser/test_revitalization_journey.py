"""A revitalization programme in a real browser, in Polish, as a gmina team does it: the
coordinator starts the programme of the demo gmina (Wałbrzych), imports its units, their
boundaries and the indicator values from files, reads the diagnosis, delimits the
revitalization area (the exact solution beside the greedy ranking) and adopts it, adds
partners and an action, sets up a result indicator with its baseline from the diagnosis,
a team member submits a measurement that the coordinator approves, and the monitoring
report is downloaded. Every new kind of page is run through axe."""

import io

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from lokalnie.conftest import make_user
from lokalnie.core.tests.browser.test_certificate_journey import as_user, click
from lokalnie.revitalization import demo_files
from lokalnie.revitalization.models import Delimitation, Measurement, Programme

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

    # 3. Delimitation: the exact solution within the limits, beside the greedy ranking.
    page.goto(f"/rewitalizacja/programy/{programme.pk}/obszar/")
    assert_accessible(page, "delimitacja")
    click(page, page.locator("form[action$='/obszar/oblicz/'] button[type=submit]"))
    run = Delimitation.objects.get(programme=programme)
    assert run.result["status"] == "optimal"
    expect(page.locator("main")).to_contain_text("20%")
    expect(page.locator("main")).to_contain_text("30%")
    assert_accessible(page, "wynik delimitacji")
    click(page, page.locator("form[action$='/przyjmij/'] button[type=submit]"))
    run.refresh_from_db()
    assert run.status == Delimitation.Status.ADOPTED
    response = page.request.get(
        f"/rewitalizacja/programy/{programme.pk}/obszar/{run.pk}/raport.pdf"
    )
    assert response.status == 200
    report = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages)
    assert "art. 10" in report and "Śródmieście" in report

    # 4. Partners: a stakeholder from the community who becomes a partner.
    page.goto(f"/rewitalizacja/programy/{programme.pk}/partnerzy/dodaj/")
    page.locator("input[name=kind][value=ngo]").check()
    page.locator("#id_name").fill("Stowarzyszenie „Sobięcin Razem”")
    page.locator("input[name=interest][value='5']").check()
    page.locator("input[name=influence][value='2']").check()
    page.locator("#id_is_partner").check()
    assert_accessible(page, "nowy interesariusz")
    click(page, page.locator("main form .actions button[type=submit]").last)
    page.goto(f"/rewitalizacja/programy/{programme.pk}/partnerzy/mapa/")
    expect(page.locator("main svg").first).to_be_visible()
    assert_accessible(page, "mapa interesariuszy")

    # 5. Results framework: an indicator whose baseline comes from the diagnosis over the
    # adopted area, yearly periods and a target.
    results = f"/rewitalizacja/programy/{programme.pk}/rezultaty/"
    page.goto(results + "wskazniki/nowy/")
    page.locator("#id_code").fill("R1")
    page.locator("#id_name").fill("Osoby korzystające z pomocy społecznej na obszarze")
    page.locator("input[name=kind][value=quantitative]").check()
    page.locator("#id_unit_label").fill("osoby")
    page.locator("input[name=direction][value=decrease]").check()
    page.locator("#id_method").fill("Liczba osób w rodzinach objętych świadczeniami OPS, 31 XII.")
    page.locator("input[name=baseline_mode][value=diagnosis]").check()
    poverty = programme.indicators.get(catalogue_code="pomoc_spoleczna")
    page.locator("#id_diagnosis_indicator").select_option(str(poverty.pk))
    page.locator("input[name=baseline_take][value=total]").check()
    assert_accessible(page, "nowy wskaźnik rezultatu")
    click(page, page.locator("main form .actions button[type=submit]").last)
    indicator = programme.result_indicators.get()
    assert indicator.baseline_value and indicator.baseline_provenance["scope"] == "area"

    page.goto(results + "okresy/")
    generate = page.locator("form[action$='/okresy/generuj/']")
    generate.locator("select, input[type=radio]").first.wait_for()
    if generate.locator("input[type=radio][value=year]").count():
        generate.locator("input[type=radio][value=year]").check()
    else:
        generate.locator("select").select_option("year")
    generate.locator("input[name$=starts_on]").fill("2025-01-01")
    generate.locator("input[name$=ends_on]").fill("2026-12-31")
    assert_accessible(page, "okresy")
    click(page, generate.locator("button[type=submit]"))
    periods = list(programme.periods.order_by("starts_on"))
    assert [p.label for p in periods] == ["2025", "2026"]

    page.goto(results + f"wskazniki/{indicator.pk}/cele/")
    target = round(indicator.baseline_value * 0.9)
    for period in periods:
        page.locator(f"#id_target_{period.pk}").fill(str(target))
    click(page, page.locator("main form .actions button[type=submit]").last)

    # 6. The team member submits the 2025 measurement; the coordinator approves it.
    member = as_user(new_page, live_server, editor)
    member.goto(results + f"wskazniki/{indicator.pk}/okresy/{periods[0].pk}/")
    member.locator("#id_value").fill(str(target))
    assert_accessible(member, "pomiar")
    click(member, member.locator("button[name=action][value=submit]"))
    measurement = Measurement.objects.get(indicator=indicator, period=periods[0])
    assert measurement.status == Measurement.Status.SUBMITTED

    page.goto(results + "do-zatwierdzenia/")
    assert_accessible(page, "pomiary do zatwierdzenia")
    page.goto(results + f"wskazniki/{indicator.pk}/okresy/{periods[0].pk}/")
    click(page, page.locator("form[action$='/zatwierdz/'] button[type=submit]"))
    measurement.refresh_from_db()
    assert measurement.status == Measurement.Status.APPROVED

    # 7. An action of the plan linked to the indicator, then the monitoring report.
    page.goto(f"/rewitalizacja/programy/{programme.pk}/plan/dodaj/")
    page.locator("#id_title").fill("Centrum Sąsiedzkie Sobięcin")
    page.locator("#id_goal").fill("Miejsce spotkań i wsparcia dla mieszkańców.")
    page.locator("#id_responsible").select_option(label="Stowarzyszenie „Sobięcin Razem”")
    page.locator("#id_starts_on").fill("2025-03-01")
    page.locator("#id_ends_on").fill("2026-12-31")
    page.locator("#id_budget_pln").fill("840 000,00")
    page.locator("#id_funding_source").fill("EFS+ (program regionalny)")
    page.locator("#id_target_group").fill("mieszkańcy Sobięcina")
    page.locator(f"input[name=indicators][value='{indicator.pk}']").check()
    assert_accessible(page, "nowe działanie")
    click(page, page.locator("main form .actions button[type=submit]").last)
    assert programme.actions.get().indicators.get() == indicator
    page.goto(f"/rewitalizacja/programy/{programme.pk}/plan/harmonogram/")
    assert_accessible(page, "harmonogram")

    page.goto(f"/rewitalizacja/programy/{programme.pk}/monitoring/")
    expect(page.locator("main")).to_contain_text(indicator.name)
    assert_accessible(page, "monitoring")
    response = page.request.get(f"/rewitalizacja/programy/{programme.pk}/monitoring/raport.pdf")
    assert response.status == 200
    report = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages)
    assert "Wałbrzych" in report and indicator.name in report

    # At a phone's width the workspace still reads without sideways scrolling.
    phone = as_user(new_page, live_server, coordinator)
    phone.set_viewport_size({"width": 360, "height": 740})
    phone.goto(f"/rewitalizacja/programy/{programme.pk}/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    assert_accessible(phone, "program na telefonie")

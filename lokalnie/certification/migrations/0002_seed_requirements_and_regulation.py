"""The starting requirements checklist and the regulation, from CAL's published rules.
Staff change both afterwards (they are data)."""

from django.db import migrations

REQUIREMENTS = {
    "pomoc-i-integracja-spoleczna": [
        (
            "Organizowanie społeczności lokalnej (OSL) jest zapisane w statucie instytucji",
            "Community organizing (OSL) is written into the institution's statute",
        ),
        (
            "OSL jest zapisane w regulaminie organizacyjnym",
            "OSL is written into the organizational rules",
        ),
        (
            "OSL jest zapisane w zakresach obowiązków organizatorów społeczności lokalnej",
            "OSL is written into the community organizers' job descriptions",
        ),
    ],
}

REGULATION_PL = """1. Certyfikat Jakości CAL przyznaje Stowarzyszenie Centrum Wspierania Aktywności Lokalnej CAL.

2. Wnioskodawca musi spełniać wymagania określone dla wniosku i przedstawić raport pokazujący, w jaki sposób realizuje standardy.

3. Procedura rozpoczyna się na pisemny wniosek instytucji (wniosek złożony na platformie).

4. Certyfikat wydaje Zarząd Stowarzyszenia CAL, który wyznacza osobę odpowiedzialną za certyfikację.

5. Zarząd powołuje Komisję Certyfikacyjną.

6. Komisja może zweryfikować wniosek poprzez wizytację eksperta CAL.

7. Odmowa przyznania certyfikatu wymaga pisemnego uzasadnienia.

8. Certyfikat jest ważny 5 lat; po tym czasie instytucja składa wniosek ponownie.

9. Komisja może w każdej chwili odebrać certyfikat, po przeprowadzeniu postępowania wyjaśniającego i pisemnym przedstawieniu zarzutów.

10. Od decyzji Komisji przysługuje odwołanie do Zarządu.

11. Posiadacze certyfikatu mogą używać nazwy i logo CAL oraz mają pierwszeństwo w działaniach CAL."""

REGULATION_EN = """1. The CAL Quality Certificate is granted by the association Centrum Wspierania Aktywności Lokalnej CAL.

2. The applicant must meet the application requirements and submit a report showing how it implements the standards.

3. The procedure starts on the institution's written request (the application submitted on the platform).

4. The certificate is issued by the Board of the CAL association, which names a person responsible for certification.

5. The Board appoints a Certification Committee.

6. The Committee may verify an application by a visit of a CAL expert (wizytacja).

7. A refusal must give its reasons in writing.

8. The certificate is valid for 5 years; afterwards the institution applies again.

9. The Committee may withdraw the certificate at any time, after an investigation and with the charges stated in writing.

10. Committee decisions can be appealed to the Board.

11. Holders may use the CAL name and logo and have priority in CAL's activities."""


def seed(apps, schema_editor):
    AreaOfWork = apps.get_model("institutions", "AreaOfWork")
    AreaRequirement = apps.get_model("certification", "AreaRequirement")
    RegulationVersion = apps.get_model("certification", "RegulationVersion")
    for slug, items in REQUIREMENTS.items():
        area = AreaOfWork.objects.filter(slug=slug).first()
        if area is None or AreaRequirement.objects.filter(area=area).exists():
            continue
        for position, (text_pl, text_en) in enumerate(items):
            AreaRequirement.objects.create(
                area=area, position=position, text_pl=text_pl, text_en=text_en
            )
    if not RegulationVersion.objects.exists():
        RegulationVersion.objects.create(
            version=1,
            body_pl=REGULATION_PL,
            body_en=REGULATION_EN,
            change_note="Regulamin według opublikowanych zasad CAL",
        )


class Migration(migrations.Migration):
    dependencies = [
        ("certification", "0001_initial"),
        ("institutions", "0003_areaofwork_description_en_areaofwork_description_pl"),
    ]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

"""The standard catalogue of diagnosis indicators, by the spheres of art. 9 of the
Revitalization Act. A team adds indicators from it (``indicator_add_from_catalogue``) or
defines its own.

Each entry has its name, unit and base in Polish and in English: the indicator stored
in a programme takes the Polish texts, since the diagnosis is a document of a Polish
gmina annexed to the council's resolution. ``code`` is also the column header of the
wide form of the values file (see ``services.diagnosis.values_import``).

Rates are ``value / base × per``: the file gives the count (e.g. registered unemployed)
and the base (e.g. residents of working age; blank = the unit's residents). Means are
used as given (e.g. the mean exam result), and the gmina's value is their mean weighted
by residents."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import get_language

from lokalnie.revitalization.calc.indices import HIGHER_BETTER, HIGHER_WORSE, MEAN, RATE


@dataclass(frozen=True)
class CatalogueIndicator:
    code: str
    sphere: str
    name_pl: str
    name_en: str
    direction: str
    aggregation: str
    per: int
    unit_pl: str
    unit_en: str
    base_pl: str
    base_en: str
    source: str

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "pl").startswith("en") else self.name_pl

    @property
    def unit_label(self) -> str:
        return self.unit_en if (get_language() or "pl").startswith("en") else self.unit_pl

    @property
    def base_label(self) -> str:
        return self.base_en if (get_language() or "pl").startswith("en") else self.base_pl

    @property
    def higher_is_worse(self) -> bool:
        return self.direction == HIGHER_WORSE


_RESIDENTS_PL, _RESIDENTS_EN = "liczba mieszkańców", "residents"
_WORKING_AGE_PL = "mieszkańcy w wieku produkcyjnym"
_WORKING_AGE_EN = "residents of working age"
_BUILDINGS_PL, _BUILDINGS_EN = "budynki mieszkalne", "residential buildings"

CATALOGUE: tuple[CatalogueIndicator, ...] = (
    # --- social ---------------------------------------------------------------------
    CatalogueIndicator(
        "bezrobocie",
        "social",
        "Bezrobotni zarejestrowani na 100 mieszkańców w wieku produkcyjnym",
        "Registered unemployed per 100 residents of working age",
        HIGHER_WORSE,
        RATE,
        100,
        "os. na 100 mieszk. w wieku prod.",
        "persons per 100 of working age",
        _WORKING_AGE_PL,
        _WORKING_AGE_EN,
        "Powiatowy Urząd Pracy (PUP)",
    ),
    CatalogueIndicator(
        "bezrobocie_dlugotrwale",
        "social",
        "Długotrwale bezrobotni na 100 mieszkańców w wieku produkcyjnym",
        "Long-term unemployed per 100 residents of working age",
        HIGHER_WORSE,
        RATE,
        100,
        "os. na 100 mieszk. w wieku prod.",
        "persons per 100 of working age",
        _WORKING_AGE_PL,
        _WORKING_AGE_EN,
        "Powiatowy Urząd Pracy (PUP)",
    ),
    CatalogueIndicator(
        "pomoc_spoleczna",
        "social",
        "Osoby w rodzinach korzystających ze świadczeń pomocy społecznej na 100 mieszkańców",
        "Persons in families receiving social-assistance benefits per 100 residents",
        HIGHER_WORSE,
        RATE,
        100,
        "os. na 100 mieszk.",
        "persons per 100 residents",
        _RESIDENTS_PL,
        _RESIDENTS_EN,
        "Ośrodek Pomocy Społecznej (OPS)",
    ),
    CatalogueIndicator(
        "niebieska_karta",
        "social",
        "Procedury „Niebieskiej Karty” (przemoc domowa) na 1000 mieszkańców",
        "“Blue Card” domestic-violence procedures per 1,000 residents",
        HIGHER_WORSE,
        RATE,
        1000,
        "na 1000 mieszk.",
        "per 1,000 residents",
        _RESIDENTS_PL,
        _RESIDENTS_EN,
        "Ośrodek Pomocy Społecznej (OPS), Policja",
    ),
    CatalogueIndicator(
        "przestepczosc",
        "social",
        "Przestępstwa stwierdzone na 1000 mieszkańców",
        "Recorded crimes per 1,000 residents",
        HIGHER_WORSE,
        RATE,
        1000,
        "na 1000 mieszk.",
        "per 1,000 residents",
        _RESIDENTS_PL,
        _RESIDENTS_EN,
        "Komenda Powiatowa/Miejska Policji",
    ),
    CatalogueIndicator(
        "wyniki_egzaminu",
        "social",
        "Średni wynik egzaminu ósmoklasisty (%)",
        "Mean result of the eighth-grade exam (%)",
        HIGHER_BETTER,
        MEAN,
        1,
        "%",
        "%",
        "",
        "",
        "Okręgowa Komisja Egzaminacyjna (OKE), szkoły",
    ),
    CatalogueIndicator(
        "frekwencja",
        "social",
        "Frekwencja w wyborach (%)",
        "Turnout in elections (%)",
        HIGHER_BETTER,
        RATE,
        100,
        "%",
        "%",
        "uprawnieni do głosowania",
        "persons entitled to vote",
        "Państwowa Komisja Wyborcza (obwody głosowania)",
    ),
    CatalogueIndicator(
        "organizacje_pozarzadowe",
        "social",
        "Organizacje pozarządowe na 1000 mieszkańców",
        "Non-governmental organizations per 1,000 residents",
        HIGHER_BETTER,
        RATE,
        1000,
        "na 1000 mieszk.",
        "per 1,000 residents",
        _RESIDENTS_PL,
        _RESIDENTS_EN,
        "GUS (REGON), KRS",
    ),
    # --- economic -------------------------------------------------------------------
    CatalogueIndicator(
        "podmioty_gospodarcze",
        "economic",
        "Podmioty gospodarki narodowej na 100 mieszkańców",
        "Registered businesses per 100 residents",
        HIGHER_BETTER,
        RATE,
        100,
        "na 100 mieszk.",
        "per 100 residents",
        _RESIDENTS_PL,
        _RESIDENTS_EN,
        "GUS BDL (REGON), CEIDG",
    ),
    CatalogueIndicator(
        "nowe_podmioty",
        "economic",
        "Nowo zarejestrowane podmioty gospodarcze na 1000 mieszkańców",
        "Newly registered businesses per 1,000 residents",
        HIGHER_BETTER,
        RATE,
        1000,
        "na 1000 mieszk.",
        "per 1,000 residents",
        _RESIDENTS_PL,
        _RESIDENTS_EN,
        "GUS BDL (REGON), CEIDG",
    ),
    # --- environmental --------------------------------------------------------------
    CatalogueIndicator(
        "przekroczenia_powietrza",
        "environmental",
        "Dni z przekroczeniem dopuszczalnego stężenia PM10",
        "Days with PM10 above the permitted level",
        HIGHER_WORSE,
        MEAN,
        1,
        "dni w roku",
        "days a year",
        "",
        "",
        "GIOŚ (Państwowy Monitoring Środowiska)",
    ),
    CatalogueIndicator(
        "azbest",
        "environmental",
        "Wyroby zawierające azbest pozostałe do usunięcia (kg na mieszkańca)",
        "Asbestos products left to remove (kg per resident)",
        HIGHER_WORSE,
        RATE,
        1,
        "kg na mieszk.",
        "kg per resident",
        _RESIDENTS_PL,
        _RESIDENTS_EN,
        "Baza Azbestowa (bazaazbestowa.gov.pl)",
    ),
    CatalogueIndicator(
        "ogrzewanie_paliwem_stalym",
        "environmental",
        "Budynki ogrzewane paliwem stałym (% budynków)",
        "Buildings heated with solid fuel (% of buildings)",
        HIGHER_WORSE,
        RATE,
        100,
        "%",
        "%",
        _BUILDINGS_PL,
        _BUILDINGS_EN,
        "Centralna Ewidencja Emisyjności Budynków (CEEB)",
    ),
    # --- spatial-functional ---------------------------------------------------------
    CatalogueIndicator(
        "dostep_do_uslug",
        "spatial",
        "Średnia odległość do najbliższej szkoły podstawowej i przychodni (m)",
        "Mean distance to the nearest primary school and health centre (m)",
        HIGHER_WORSE,
        MEAN,
        1,
        "m",
        "m",
        "",
        "",
        "Analiza gminy (GIS)",
    ),
    CatalogueIndicator(
        "transport_publiczny",
        "spatial",
        "Mieszkańcy w odległości do 500 m od przystanku komunikacji publicznej (%)",
        "Residents within 500 m of a public transport stop (%)",
        HIGHER_BETTER,
        RATE,
        100,
        "%",
        "%",
        _RESIDENTS_PL,
        _RESIDENTS_EN,
        "Gmina, organizator transportu publicznego",
    ),
    CatalogueIndicator(
        "przestrzen_publiczna",
        "spatial",
        "Ogólnodostępna przestrzeń publiczna (place, zieleń) na mieszkańca (m²)",
        "Public space open to all (squares, greenery) per resident (m²)",
        HIGHER_BETTER,
        RATE,
        1,
        "m² na mieszk.",
        "m² per resident",
        _RESIDENTS_PL,
        _RESIDENTS_EN,
        "Gmina (ewidencja gruntów, plan miejscowy)",
    ),
    # --- technical ------------------------------------------------------------------
    CatalogueIndicator(
        "budynki_do_remontu",
        "technical",
        "Budynki mieszkalne wymagające remontu (% budynków)",
        "Residential buildings in need of repair (% of buildings)",
        HIGHER_WORSE,
        RATE,
        100,
        "%",
        "%",
        _BUILDINGS_PL,
        _BUILDINGS_EN,
        "Zarządca zasobu gminy, nadzór budowlany",
    ),
    CatalogueIndicator(
        "budynki_przed_1945_bez_co",
        "technical",
        "Budynki sprzed 1945 r. bez centralnego ogrzewania (% budynków)",
        "Buildings from before 1945 without central heating (% of buildings)",
        HIGHER_WORSE,
        RATE,
        100,
        "%",
        "%",
        _BUILDINGS_PL,
        _BUILDINGS_EN,
        "GUS (Narodowy Spis Powszechny), CEEB",
    ),
    CatalogueIndicator(
        "efektywnosc_energetyczna",
        "technical",
        "Średnie zapotrzebowanie budynków na energię pierwotną EP (kWh/m²·rok)",
        "Mean primary energy demand of buildings EP (kWh/m² a year)",
        HIGHER_WORSE,
        MEAN,
        1,
        "kWh/m²·rok",
        "kWh/m² a year",
        "",
        "",
        "Świadectwa charakterystyki energetycznej, CEEB",
    ),
)

BY_CODE = {indicator.code: indicator for indicator in CATALOGUE}


def catalogue_by_sphere() -> dict[str, list[CatalogueIndicator]]:
    """The catalogue grouped by sphere, in the order of art. 9."""
    from lokalnie.revitalization.calc.indices import SPHERES

    grouped = {sphere: [] for sphere in SPHERES}
    for indicator in CATALOGUE:
        grouped[indicator.sphere].append(indicator)
    return grouped

"""Word lists and rules for realistic Polish institution names, addresses and identifiers.

Names avoid Polish declension of the gmina's name by the grammatical forms "w gminie X",
"w mieście X" and "w miejscowości X" (the name stays in the nominative)."""

from __future__ import annotations

import random

# First two digits of postal codes by voivodeship (TERYT code), roughly as Poczta Polska
# assigns them.
POSTAL_PREFIXES = {
    "02": range(50, 60),
    "04": range(85, 90),
    "06": range(20, 25),
    "08": range(65, 69),
    "10": range(90, 100),
    "12": range(30, 35),
    "14": range(10),
    "16": range(45, 50),
    "18": range(35, 40),
    "20": range(15, 20),
    "22": [76, 77, 80, 81, 82, 83, 84],
    "24": range(40, 45),
    "26": range(25, 30),
    "28": range(10, 15),
    "30": range(60, 65),
    "32": range(70, 79),
}

STREETS = [
    "ul. Kościuszki",
    "ul. Mickiewicza",
    "ul. Szkolna",
    "ul. Kościelna",
    "ul. Polna",
    "ul. Lipowa",
    "ul. Słowackiego",
    "ul. Sienkiewicza",
    "ul. Ogrodowa",
    "ul. Leśna",
    "ul. Długa",
    "ul. Kolejowa",
    "ul. Wojska Polskiego",
    "ul. 3 Maja",
    "ul. Piłsudskiego",
    "ul. Jana Pawła II",
    "ul. Kwiatowa",
    "ul. Parkowa",
    "ul. Krótka",
    "ul. Żeromskiego",
    "ul. Konopnickiej",
    "ul. Reymonta",
    "ul. Słoneczna",
    "ul. Spokojna",
    "ul. Wiejska",
    "ul. Zielona",
    "ul. Ogrodowa",
    "ul. Dworcowa",
    "pl. Wolności",
    "Rynek",
]

VILLAGES = [
    "Nowa Wieś",
    "Wola",
    "Zalesie",
    "Dąbrowa",
    "Wólka",
    "Górki",
    "Kamionka",
    "Stara Wieś",
    "Michałów",
    "Józefów",
    "Zawada",
    "Borek",
    "Lipnik",
    "Olszyny",
    "Brzezie",
    "Łąki",
    "Zagórze",
    "Podgórze",
    "Budy",
    "Kolonia",
    "Grabowiec",
    "Jabłonka",
    "Krzywda",
    "Sośnica",
    "Żabno",
    "Ługi",
    "Wierzbica",
    "Osiny",
    "Przybysławice",
    "Świerże",
]

PATRONS = [
    "Jana Pawła II",
    "Marii Konopnickiej",
    "Adama Mickiewicza",
    "Henryka Sienkiewicza",
    "Tadeusza Kościuszki",
    "Józefa Piłsudskiego",
    "Marii Skłodowskiej-Curie",
    "Janusza Korczaka",
    "Kornela Makuszyńskiego",
    "Orła Białego",
    "Polskich Olimpijczyków",
    "Jana Brzechwy",
    "Juliusza Słowackiego",
    "Stefana Żeromskiego",
    "Bolesława Prusa",
    "Kardynała Stefana Wyszyńskiego",
    "Noblistów Polskich",
    "Armii Krajowej",
    "Fryderyka Chopina",
    "Władysława Broniewskiego",
]

MOTTOS = [
    "Razem",
    "Nadzieja",
    "Tęcza",
    "Pod Lipami",
    "Most",
    "Horyzont",
    "Promyk",
    "Przystań",
    "Krok dalej",
    "Słoneczko",
    "Nasza Wieś",
    "Źródło",
    "Dobry Start",
    "Aktywni",
    "Otwarte Drzwi",
    "Sąsiedzi",
    "Korzenie",
    "Wspólna Sprawa",
    "Iskra",
    "Zielony Zakątek",
]

NGO_FORMS = [
    "Stowarzyszenie na rzecz Rozwoju Wsi",
    "Stowarzyszenie Przyjaciół Dzieci",
    "Stowarzyszenie Aktywnych Seniorów",
    "Stowarzyszenie Kulturalne",
    "Stowarzyszenie Rodzin",
    "Stowarzyszenie Osób Niepełnosprawnych",
    "Fundacja Rozwoju Lokalnego",
    "Fundacja Pomocy Rodzinie",
    "Fundacja Edukacji Obywatelskiej",
    "Fundacja Ekologiczna",
    "Uczniowski Klub Sportowy",
    "Lokalna Grupa Działania",
    "Towarzystwo Przyjaciół Ziemi",
    "Stowarzyszenie Kobiet",
    "Klub Młodzieżowy",
]


def place_phrase(gmina_name: str, gmina_type: str) -> str:
    return f"w mieście {gmina_name}" if gmina_type == "1" else f"w gminie {gmina_name}"


def _adjective(gmina_type: str, urban: str, rural: str, mixed: str) -> str:
    return {"1": urban, "2": rural}.get(gmina_type, mixed)


def powiat_locative(powiat_name: str) -> str:
    """ "bolesławiecki" → "powiecie bolesławieckim" (powiat names are adjectives in -i/-y)."""
    if powiat_name.endswith(("i", "y")):
        return f"powiecie {powiat_name}m"
    return f"powiecie {powiat_name}"


def institution_name(
    rng: random.Random, kind: str, gmina: dict, *, ordinal: int, village: str
) -> str:
    """A plausible name for an institution of ``kind`` in ``gmina`` (a dict: name, type,
    powiat_name); ``ordinal`` numbers schools and library branches in the gmina; names of
    village institutions end with "w miejscowości ``village``"."""
    g, t = gmina["name"], gmina["type"]
    where = place_phrase(g, t)
    village = f"w miejscowości {village}"
    if kind == "ops":
        adjective = _adjective(t, "Miejski", "Gminny", "Miejsko-Gminny")
        return f"{adjective} Ośrodek Pomocy Społecznej {where}"
    if kind == "pcpr":
        return f"Powiatowe Centrum Pomocy Rodzinie w {powiat_locative(gmina['powiat_name'])}"
    if kind == "cus":
        return f"Centrum Usług Społecznych {where}"
    if kind == "cis_kis":
        form = rng.choice(["Centrum Integracji Społecznej", "Klub Integracji Społecznej"])
        return f"{form} „{rng.choice(MOTTOS)}” {where}"
    if kind == "culture":
        adjective = _adjective(t, "Miejski", "Gminny", "Miejsko-Gminny")
        form = rng.choice(
            [
                f"{adjective} Ośrodek Kultury {where}",
                f"{adjective} Dom Kultury „{rng.choice(MOTTOS)}” {where}",
                f"Centrum Kultury i Sportu {where}",
                f"Świetlica wiejska {village}",
            ]
        )
        return form
    if kind == "library":
        adjective = _adjective(t, "Miejska", "Gminna", "Miejsko-Gminna")
        main = f"{adjective} Biblioteka Publiczna {where}"
        return main if ordinal == 1 else f"{main} – Filia nr {ordinal - 1}"
    if kind == "school":
        patron = rng.choice(PATRONS)
        form = rng.choice(
            [
                f"Szkoła Podstawowa nr {ordinal} im. {patron} {where}",
                f"Szkoła Podstawowa im. {patron} {village}",
                f"Zespół Szkół nr {ordinal} {where}",
                f"Liceum Ogólnokształcące im. {patron} {where}",
                f"Przedszkole Samorządowe nr {ordinal} {where}",
            ]
        )
        return form
    if kind == "ngo":
        form = rng.choice(
            [
                f"{rng.choice(NGO_FORMS)} „{rng.choice(MOTTOS)}”",
                f"Stowarzyszenie Przyjaciół Gminy {g}",
                f"Koło Gospodyń Wiejskich {village}",
                f"Ochotnicza Straż Pożarna {village}",
                f"{rng.choice(NGO_FORMS)} {where}",
            ]
        )
        return form
    return rng.choice(
        [
            f"Klub Seniora „{rng.choice(MOTTOS)}” {where}",
            f"Uniwersytet Trzeciego Wieku {where}",
            f"Środowiskowy Dom Samopomocy {where}",
            f"Dzienny Dom „Senior+” {where}",
            f"Warsztaty Terapii Zajęciowej {where}",
        ]
    )


NIP_WEIGHTS = (6, 5, 7, 2, 3, 4, 5, 6, 7)
REGON_WEIGHTS = (8, 9, 2, 3, 4, 5, 6, 7)


def nip(rng: random.Random) -> str:
    """A NIP with a valid check digit (weights 6,5,7,2,3,4,5,6,7; mod 11, never 10)."""
    while True:
        digits = [rng.randint(1, 9), *(rng.randint(0, 9) for _ in range(8))]
        check = sum(d * w for d, w in zip(digits, NIP_WEIGHTS, strict=True)) % 11
        if check != 10:
            return "".join(map(str, digits)) + str(check)


def regon(rng: random.Random) -> str:
    """A 9-digit REGON with a valid check digit (weights 8,9,2,3,4,5,6,7; mod 11, 10 → 0)."""
    digits = [rng.randint(0, 9) for _ in range(8)]
    check = sum(d * w for d, w in zip(digits, REGON_WEIGHTS, strict=True)) % 11 % 10
    return "".join(map(str, digits)) + str(check)


def postal_code(rng: random.Random, voivodeship: str) -> str:
    return f"{rng.choice(POSTAL_PREFIXES[voivodeship]):02d}-{rng.randint(0, 999):03d}"


def phone(rng: random.Random) -> str:
    digits = (rng.randint(12, 95), rng.randint(100, 999), rng.randint(10, 99), rng.randint(10, 99))
    return "+48 {} {} {} {}".format(*digits)

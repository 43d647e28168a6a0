"""The seats of the 16 voivodes, where the registry map puts each voivodeship's marker.

Keys are TERYT voivodeship codes. Coordinates are approximate city-centre points (WGS 84,
four decimals, about 10 m), as given for each city in its Wikipedia article (which takes
them from GeoNames), checked against OpenStreetMap. Where a voivodeship has two capitals
(kujawsko-pomorskie, lubuskie), the voivode's seat is used."""

CAPITALS: dict[str, tuple[str, float, float]] = {
    "02": ("Wrocław", 51.1079, 17.0385),
    "04": ("Bydgoszcz", 53.1235, 18.0084),
    "06": ("Lublin", 51.2465, 22.5684),
    "08": ("Gorzów Wielkopolski", 52.7368, 15.2288),
    "10": ("Łódź", 51.7592, 19.4560),
    "12": ("Kraków", 50.0647, 19.9450),
    "14": ("Warszawa", 52.2297, 21.0122),
    "16": ("Opole", 50.6751, 17.9213),
    "18": ("Rzeszów", 50.0412, 21.9991),
    "20": ("Białystok", 53.1325, 23.1688),
    "22": ("Gdańsk", 54.3520, 18.6466),
    "24": ("Katowice", 50.2649, 19.0238),
    "26": ("Kielce", 50.8661, 20.6286),
    "28": ("Olsztyn", 53.7784, 20.4801),
    "30": ("Poznań", 52.4064, 16.9252),
    "32": ("Szczecin", 53.4285, 14.5528),
}

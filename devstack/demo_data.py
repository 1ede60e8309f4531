"""A seeded, realistic demo set of mentors: several hundred across regions,
disciplines and languages, with the skew real programmes have (more mentors in a
few hubs, fewer in under-represented regions). Deterministic for a given seed."""
from __future__ import annotations

import random

from shared.vocabulary import DISCIPLINES, SKILLS

# country: (weight, time zones, languages most spoken there, given names, family names)
_PLACES = {
    "GB": (14, ["Europe/London"], ["en"], ["Alice", "Tom", "Priya", "Kwame"], ["Hughes", "Patel", "Mensah-Clarke"]),
    "FR": (10, ["Europe/Paris"], ["fr", "en"], ["Camille", "Hugo", "Inès", "Moussa"], ["Lefèvre", "Diallo", "Martin"]),
    "US": (
        12,
        ["America/New_York", "America/Los_Angeles"],
        ["en", "es"],
        ["Maya", "Jordan", "Luis"],
        ["Rivera", "Chen", "Brooks"],
    ),
    "DE": (7, ["Europe/Berlin"], ["de", "en"], ["Lena", "Jonas", "Aylin"], ["Schneider", "Yılmaz", "Wagner"]),
    "ES": (5, ["Europe/Madrid"], ["es", "en"], ["Lucía", "Pablo"], ["García", "Fernández"]),
    "PT": (4, ["Europe/Lisbon"], ["pt", "en"], ["Inês", "João"], ["Silva", "Costa"]),
    "BR": (5, ["America/Sao_Paulo"], ["pt", "es"], ["Ana", "Thiago", "Bruna"], ["Oliveira", "Santos"]),
    "MX": (4, ["America/Mexico_City"], ["es", "en"], ["Ximena", "Diego"], ["Hernández", "López"]),
    "CO": (2, ["America/Bogota"], ["es"], ["Valentina", "Andrés"], ["Restrepo", "Gómez"]),
    "IN": (6, ["Asia/Kolkata"], ["hi", "en", "ta"], ["Ananya", "Rohan", "Lakshmi"], ["Iyer", "Sharma", "Nair"]),
    "KR": (3, ["Asia/Seoul"], ["ko", "en"], ["Ji-woo", "Min-jun"], ["Kim", "Park"]),
    "JP": (3, ["Asia/Tokyo"], ["ja", "en"], ["Yui", "Haruto"], ["Sato", "Tanaka"]),
    "ID": (2, ["Asia/Jakarta"], ["id", "en"], ["Putri", "Budi"], ["Santoso", "Wijaya"]),
    "PH": (2, ["Asia/Manila"], ["tl", "en"], ["Bea", "Paolo"], ["Reyes", "Santos"]),
    "NG": (
        3,
        ["Africa/Lagos"],
        ["en", "yo", "ig", "ha"],
        ["Chiamaka", "Tunde", "Aisha"],
        ["Okafor", "Adeyemi", "Bello"],
    ),
    "GH": (2, ["Africa/Accra"], ["en"], ["Ama", "Kofi"], ["Mensah", "Owusu"]),
    "KE": (2, ["Africa/Nairobi"], ["sw", "en"], ["Wanjiru", "Otieno"], ["Kamau", "Odhiambo"]),
    "ZA": (3, ["Africa/Johannesburg"], ["en", "zu"], ["Thandi", "Sipho", "Lerato"], ["Nkosi", "Dlamini"]),
    "SN": (1, ["Africa/Dakar"], ["fr"], ["Awa", "Cheikh"], ["Ndiaye", "Sow"]),
    "EG": (2, ["Africa/Cairo"], ["ar", "en"], ["Nour", "Karim"], ["Hassan", "Mansour"]),
    "MA": (1, ["Africa/Casablanca"], ["ar", "fr"], ["Salma", "Youssef"], ["El Amrani", "Benali"]),
    "TR": (2, ["Europe/Istanbul"], ["tr", "en"], ["Elif", "Emre"], ["Demir", "Kaya"]),
    "AU": (3, ["Australia/Sydney"], ["en"], ["Chloe", "Liam"], ["Nguyen", "Walker"]),
    "AR": (2, ["America/Argentina/Buenos_Aires"], ["es"], ["Sofía", "Mateo"], ["Fernández", "Romero"]),
    "VN": (1, ["Asia/Ho_Chi_Minh"], ["vi", "en"], ["Linh", "Minh"], ["Nguyen", "Tran"]),
}

_BIO_BITS = [
    "Worked on feature films and long-form series", "Trains crews on low-budget shoots",
    "Documentary background, used to small crews and natural light", "Commercials and music videos",
    "Has mentored through two previous exchange programmes", "Teaches at a national film school",
]


def _availability(rng: random.Random) -> list[dict]:
    """Evenings on a few weekdays, sometimes a weekend morning."""
    windows = []
    for day in rng.sample(range(5), k=rng.randint(2, 4)):
        start = rng.choice([17, 18, 19])
        windows.append({"day": day, "start": f"{start:02d}:00", "end": f"{start + rng.choice([2, 3]):02d}:00"})
    if rng.random() < 0.6:
        day = rng.choice([5, 6])
        windows.append({"day": day, "start": "09:00", "end": "13:00"})
    return windows


def generate_mentors(n: int = 300, seed: int = 7) -> list[dict]:
    """``n`` mentor registrations, valid for ``POST /api/mentors``."""
    rng = random.Random(seed)
    countries = list(_PLACES)
    weights = [_PLACES[c][0] for c in countries]
    disciplines = list(DISCIPLINES)
    out = []
    for i in range(n):
        country = rng.choices(countries, weights)[0]
        _, zones, langs, given, family = _PLACES[country]
        main = rng.choice(disciplines)
        extra = [d for d in rng.sample(disciplines, k=2) if d != main][: rng.randint(0, 1)]
        skills = [{"name": s, "level": rng.choices([3, 4, 5], [2, 3, 2])[0]}
                  for d in [main, *extra] for s in rng.sample(SKILLS[d], k=min(len(SKILLS[d]), rng.randint(2, 4)))]
        languages = list(dict.fromkeys(langs[: rng.randint(1, len(langs))] + (["en"] if rng.random() < 0.7 else [])))
        name = f"{rng.choice(given)} {rng.choice(family)}"
        out.append({
            "name": name,
            "email": f"mentor{i:04d}@mentors.twoshot.test",
            "country": country,
            "timezone": rng.choice(zones),
            "languages": languages,
            "disciplines": [main, *extra],
            "skills": skills,
            "bio": f"{rng.choice(_BIO_BITS)}. {DISCIPLINES[main]} specialist.",
            "availability": _availability(rng),
            "monthly_capacity": rng.choices([1, 2, 3, 4, 6], [2, 4, 4, 2, 1])[0],
        })
    return out

"""A seeded synthetic population for the matching benchmarks, with the skew real
programmes have: a few very popular mentors (many high-level skills), regions with few
mentors, and base scores biased against one group (mentors from African regions list
fewer, lower-rated skills, so text features and level fit score them lower)."""
from __future__ import annotations

import random

from services.matching.domain import MentorProfile, TraineeRequest
from shared.vocabulary import SKILLS

# region: (share of mentors, [(country, timezone, languages)])
REGIONS = {
    "Europe": (
        0.42,
        [
            ("FR", "Europe/Paris", ["fr", "en"]),
            ("GB", "Europe/London", ["en"]),
            ("DE", "Europe/Berlin", ["de", "en"]),
            ("PT", "Europe/Lisbon", ["pt", "en"]),
        ],
    ),
    "North America": (0.20, [("US", "America/New_York", ["en", "es"]), ("CA", "America/Toronto", ["en", "fr"])]),
    "Latin America & Caribbean": (
        0.12,
        [("BR", "America/Sao_Paulo", ["pt", "es"]), ("MX", "America/Mexico_City", ["es", "en"])],
    ),
    "South Asia": (0.10, [("IN", "Asia/Kolkata", ["hi", "en"])]),
    "East Asia": (0.06, [("KR", "Asia/Seoul", ["ko", "en"]), ("JP", "Asia/Tokyo", ["ja", "en"])]),
    "West Africa": (0.05, [("NG", "Africa/Lagos", ["en", "yo"]), ("SN", "Africa/Dakar", ["fr"])]),
    "East Africa": (0.05, [("KE", "Africa/Nairobi", ["sw", "en"])]),
}
BIASED = {"West Africa", "East Africa"}
DISCIPLINES = list(SKILLS)
PATTERNS = [[{"day": d, "start": s, "end": e} for d in days]
            for days in ([0, 1, 2, 3, 4], [0, 2, 4], [1, 3], [5, 6])
            for s, e in (("08:00", "12:00"), ("17:00", "21:00"), ("12:00", "18:00"))]


def _place(rng: random.Random, weights_by_region: dict[str, float] | None = None):
    names = list(REGIONS)
    weights = [REGIONS[n][0] if weights_by_region is None else weights_by_region[n] for n in names]
    region = rng.choices(names, weights)[0]
    country, tz, langs = rng.choice(REGIONS[region][1])
    return region, country, tz, langs


def mentors(n: int, seed: int = 1) -> list[MentorProfile]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        region, country, tz, langs = _place(rng)
        discipline = rng.choice(DISCIPLINES)
        popular = rng.random() < 0.02
        biased = region in BIASED
        k = len(SKILLS[discipline]) if popular else rng.randint(1, 2) if biased else rng.randint(2, 4)
        low, high = (2, 3) if biased else (4, 5) if popular else (3, 5)
        skills = [
            {"name": s, "level": rng.randint(low, high)}
            for s in rng.sample(SKILLS[discipline], k=min(k, len(SKILLS[discipline])))
        ]
        person = {"id": f"m{i}", "name": f"Mentor {i}", "email": f"m{i}@bench.test", "country": country,
                  "region": region, "timezone": tz, "languages": langs if rng.random() < 0.5 else [*langs[:1], "en"],
                  "availability": rng.choice(PATTERNS) + (rng.choice(PATTERNS) if rng.random() < 0.5 else [])}
        out.append(MentorProfile(id=f"m{i}", person=person, skills=skills, disciplines=[discipline],
                                 bio="Trains crews on features and series." if popular else "",
                                 monthly_capacity=rng.choice([2, 3, 5, 8]) if not popular else 10))
    return out


def requests(n: int, seed: int = 2) -> list[TraineeRequest]:
    rng = random.Random(seed)
    flat = {r: 1.0 / len(REGIONS) for r in REGIONS}
    out = []
    for i in range(n):
        region, country, tz, langs = _place(rng, flat)
        discipline = rng.choice(DISCIPLINES)
        focus = rng.sample(SKILLS[discipline], k=min(2, len(SKILLS[discipline])))
        trainee = {"id": f"t{i}", "name": f"Trainee {i}", "email": f"t{i}@bench.test", "country": country,
                   "region": region, "timezone": tz, "languages": ["en"] if rng.random() < 0.7 else langs[:1],
                   "availability": rng.choice(PATTERNS) + rng.choice(PATTERNS)}
        equity = {"underrepresented": "yes"} if rng.random() < 0.3 else None
        out.append(TraineeRequest(request_id=f"r{i}", trainee=trainee, discipline=discipline, focus_skills=focus,
                                  goals=f"Get better at {focus[0]} on small crews", equity=equity))
    return out

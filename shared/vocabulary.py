"""The film-crew vocabulary trainees and mentors use: disciplines and their skills.

Used by the intake form (choices), the demo data generator and matching's text
features. Free text is always allowed beside it: the list helps, it does not fence.
"""
from __future__ import annotations

DISCIPLINES: dict[str, str] = {
    "camera": "Camera",
    "lighting": "Lighting",
    "sound": "Sound",
    "editing": "Editing",
    "colour": "Colour",
    "vfx": "VFX",
    "production": "Production",
    "safety": "Safety",
    "delivery": "Delivery",
}

SKILLS: dict[str, list[str]] = {
    "camera": ["camera operation", "focus pulling", "lenses", "composition", "camera movement",
               "coverage", "sensor cleaning", "calibration checks"],
    "lighting": ["lighting design", "natural-angle setups", "night exteriors on limited power",
                 "gaffer work", "grip work"],
    "sound": ["location recording", "boom operation", "soundproofing", "sound mixing",
              "immersive sound", "foley"],
    "editing": ["editing", "story structure", "codecs", "assistant editing"],
    "colour": ["colour grading", "colour science", "HDR workflows"],
    "vfx": ["compositing", "rotoscoping", "matchmoving", "VFX supervision"],
    "production": ["budgeting", "scheduling", "shot lists", "location scouting", "consent processes",
                   "contingency planning", "milestone reporting", "permits and unions"],
    "safety": ["on-set safety culture", "risk assessment", "stunt safety", "electrical safety"],
    "delivery": ["broadcast specifications", "streaming platform specifications", "festival strategy",
                 "DIT and data integrity", "backups and redundancy"],
}

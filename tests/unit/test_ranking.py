import math
from datetime import datetime, timezone

from services.matching.domain import (FairnessPolicy, MatchingWeights, MentorProfile, TraineeRequest,
                                      DEFAULT_WEIGHTS, rank_mentors)
from services.matching.skill_index import SkillIndex

WEEK = datetime(2026, 1, 5, tzinfo=timezone.utc)
EVENINGS = [{"day": d, "start": "17:00", "end": "21:00"} for d in range(5)]


def person(pid, languages=("en",), country="GB", region="Europe", tz="Europe/London", availability=EVENINGS):
    return {"id": pid, "name": pid, "email": f"{pid}@x.org", "country": country, "region": region,
            "timezone": tz, "languages": list(languages), "availability": list(availability)}


def mentor(pid, skills, capacity=3, **kw):
    return MentorProfile(id=pid, person=person(pid, **kw), skills=[{"name": s, "level": 4} for s in skills],
                         disciplines=["camera"], bio="", monthly_capacity=capacity)


def request(**kw):
    base = dict(request_id="r1", trainee=person("t1", country="GH", region="West Africa", tz="Africa/Accra"),
                discipline="camera", focus_skills=["focus pulling", "lenses"], goals="pull focus at night")
    base.update(kw)
    return TraineeRequest(**base)


def rank(req, mentors, load=None, policy=None):
    index = SkillIndex()
    for m in mentors:
        index.upsert(m.id, m.text)
    return rank_mentors(req, mentors, index.similarities(req.text), load or {},
                        MatchingWeights(dict(DEFAULT_WEIGHTS)), policy or FairnessPolicy(), WEEK)


def test_the_mentor_whose_skills_match_ranks_first():
    ranked = rank(request(), [mentor("sound", ["boom operation", "foley"]),
                              mentor("focus", ["focus pulling", "lenses"])])
    assert [r.mentor_id for r in ranked] == ["focus", "sound"]
    assert ranked[0].features["skill"] > ranked[1].features["skill"]


def test_each_score_is_exactly_the_sum_of_its_breakdown():
    for r in rank(request(), [mentor(f"m{i}", ["focus pulling", "composition"][: i % 2 + 1]) for i in range(6)]):
        assert r.score == math.fsum(r.breakdown.values())
        assert set(r.breakdown) == set(DEFAULT_WEIGHTS)


def test_hard_filters_language_capacity_overlap_and_already_tried():
    mentors = [mentor("no-language", ["lenses"], languages=("ja",)),
               mentor("full", ["lenses"], capacity=2),
               mentor("no-overlap", ["lenses"], availability=[{"day": 6, "start": "03:00", "end": "04:00"}]),
               mentor("tried", ["lenses"]),
               mentor("ok", ["lenses"])]
    ranked = rank(request(tried=["tried"]), mentors, load={"full": 2})
    assert [r.mentor_id for r in ranked] == ["ok"]


def test_region_policy_moves_the_ranking():
    near = mentor("near", ["lenses"], country="NG", region="West Africa", tz="Africa/Lagos")
    far = mentor("far", ["lenses"])
    same = rank(request(), [near, far], policy=FairnessPolicy(region_preference="same_region"))
    cross = rank(request(), [near, far], policy=FairnessPolicy(region_preference="cross_border"))
    assert same[0].mentor_id == "near" and same[0].features["region"] == 1.0
    assert cross[0].features["region"] == 1.0 and cross[0].breakdown["region"] > 0


def test_skill_index_adds_a_mentor_without_refitting_the_others():
    index = SkillIndex()
    index.upsert("a", "focus pulling lenses")
    before = index.similarities("focus pulling")["a"]
    index.upsert("b", "boom operation foley")
    assert index.similarities("focus pulling")["a"] == before and len(index) == 2

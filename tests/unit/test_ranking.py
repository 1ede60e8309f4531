import math
from datetime import UTC, datetime

import numpy as np

from services.matching.domain import DEFAULT_WEIGHTS, FairnessPolicy, MatchingWeights, MentorProfile, TraineeRequest
from services.matching.pool import MentorPool, TraineeVector, rerank_min_share, week_bits
from shared.availability import Window

WEEK = datetime(2026, 1, 5, tzinfo=UTC)
EVENINGS = [{"day": d, "start": "17:00", "end": "21:00"} for d in range(5)]


def person(pid, languages=("en",), country="GB", region="Europe", tz="Europe/London", availability=EVENINGS):
    return {"id": pid, "name": pid, "email": f"{pid}@x.org", "country": country, "region": region,
            "timezone": tz, "languages": list(languages), "availability": list(availability)}


def mentor(pid, skills, capacity=3, level=4, **kw):
    return MentorProfile(id=pid, person=person(pid, **kw), skills=[{"name": s, "level": level} for s in skills],
                         disciplines=["camera"], bio="", monthly_capacity=capacity)


def request(**kw):
    base = {"request_id": "r1", "trainee": person("t1", country="GH", region="West Africa", tz="Africa/Accra"),
                "discipline": "camera", "focus_skills": ["focus pulling", "lenses"], "goals": "pull focus at night"}
    base.update(kw)
    return TraineeRequest(**base)


def rank(req, mentors, load=None, policy=None, weights=None, limit=10, boost=None):
    pool = MentorPool(WEEK)
    pool.upsert_many(mentors)
    loads = np.zeros(pool.rows)
    for mentor_id, n in (load or {}).items():
        loads[pool.row_of[mentor_id]] = n
    return pool.rank(TraineeVector.of(req, WEEK), weights or MatchingWeights(dict(DEFAULT_WEIGHTS)),
                     policy or FairnessPolicy(), loads, exclude=req.tried, limit=limit, group_boost=boost).mentors


def test_the_mentor_whose_skills_match_ranks_first():
    ranked = rank(request(), [mentor("sound", ["boom operation", "foley"]),
                              mentor("focus", ["focus pulling", "lenses"])])
    assert [r.mentor_id for r in ranked] == ["focus", "sound"]
    assert ranked[0].features["skill"] > ranked[1].features["skill"]
    # Asked: focus, pulling, lenses, camera; the mentor has the first three at level 4.
    assert math.isclose(ranked[0].features["level"], 3 / 4 * 4 / 5) and ranked[1].features["level"] == 0


def test_each_score_is_exactly_the_sum_of_its_breakdown():
    ranked = rank(request(), [mentor(f"m{i}", ["focus pulling", "composition"][: i % 2 + 1]) for i in range(6)])
    assert len(ranked) == 6
    for r in ranked:
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
    # Staff's request page names who each filter left out, each under the first it fails.
    pool = MentorPool(WEEK)
    pool.upsert_many([*mentors, mentor("excluded", ["lenses"])])
    loads = np.zeros(pool.rows)
    loads[pool.row_of["full"]] = 2
    skipped = pool.skipped(TraineeVector.of(request(tried=["tried"]), WEEK), loads,
                           FairnessPolicy(excluded_mentors=["excluded", "no-language"]), ["tried"])
    assert skipped == {"language": ["no-language"], "capacity": ["full"], "time": ["no-overlap"],
                       "excluded": ["excluded"], "tried": ["tried"]}


def test_the_trainees_first_language_counts_more_than_another_shared_one():
    ranked = rank(request(trainee=person("t1", languages=("fr", "en"))),
                  [mentor("en", ["lenses"], languages=("en",)), mentor("fr", ["lenses"], languages=("fr",))])
    assert ranked[0].mentor_id == "fr"
    assert {r.mentor_id: r.features["language"] for r in ranked} == {"fr": 1.0, "en": 0.5}


def test_region_policy_moves_the_ranking():
    near = mentor("near", ["lenses"], country="NG", region="West Africa", tz="Africa/Lagos")
    far = mentor("far", ["lenses"])
    assert rank(request(), [near, far], policy=FairnessPolicy(region_preference="same_region"))[0].mentor_id == "near"
    home = mentor("home", ["lenses"], country="GH", region="West Africa", tz="Africa/Accra")
    cross = rank(request(), [home, far], policy=FairnessPolicy(region_preference="cross_border"))
    assert cross[0].mentor_id == "far" and cross[0].features["region"] == 1.0


def test_an_updated_profile_replaces_the_old_one():
    pool = MentorPool(WEEK)
    pool.upsert(mentor("m", ["boom operation"]))
    pool.upsert(mentor("m", ["focus pulling", "lenses"]))
    ranked = pool.rank(TraineeVector.of(request(), WEEK), MatchingWeights(dict(DEFAULT_WEIGHTS)),
                       FairnessPolicy(), np.zeros(pool.rows)).mentors
    assert [r.mentor_id for r in ranked] == ["m"] and ranked[0].features["skill"] > 0.3 and len(pool) == 1


def test_overlap_counts_half_hours_across_time_zones():
    # Lagos 18:00–21:00 (UTC+1) against London 18:00–20:00 (UTC+0): 19:00–21:00 Lagos, 2 h a weekday.
    lagos = week_bits([Window(d, "18:00", "21:00") for d in range(5)], "Africa/Lagos", WEEK)
    london = week_bits([Window(d, "18:00", "20:00") for d in range(5)], "Europe/London", WEEK)
    assert int(np.bitwise_count(lagos & london).sum()) * 0.5 == 10.0


def test_min_share_lifts_a_group_into_every_prefix():
    # Scores order A A A A B B; group B must hold ⌊0.5·k⌋ of every prefix of length k.
    order = np.arange(6)
    groups = np.array([0, 0, 0, 0, 1, 1])
    placed = rerank_min_share(order, groups, {"B": 0.5}, ["A", "B"], limit=6)
    assert [groups[i] for i in placed] == [0, 1, 0, 1, 0, 0]
    for k in range(1, 7):
        assert sum(groups[i] == 1 for i in placed[:k]) >= min(2, int(0.5 * k))


def test_an_exposure_deficit_boost_can_change_the_top_pick():
    a = mentor("a", ["focus pulling", "lenses"], country="FR", region="Europe")
    b = mentor("b", ["focus pulling"], country="KE", region="East Africa", tz="Africa/Nairobi")
    plain = rank(request(), [a, b])
    pool = MentorPool(WEEK)
    pool.upsert_many([a, b])
    _, names = pool.group_codes("region")
    boost = np.array([0.3 if n == "East Africa" else 0.0 for n in names])
    boosted = rank(request(), [a, b], boost=boost)
    assert plain[0].mentor_id == "a" and boosted[0].mentor_id == "b"
    # The explanation stays the base score: the boost re-orders, it does not rewrite the breakdown.
    assert boosted[0].score == math.fsum(boosted[0].breakdown.values())


def test_a_mentor_staff_excluded_is_never_ranked():
    mentors = [mentor("on-leave", ["focus pulling", "lenses"]), mentor("other", ["lenses"])]
    assert [r.mentor_id for r in rank(request(), mentors)] == ["on-leave", "other"]
    excluded = FairnessPolicy(excluded_mentors=["on-leave"])
    assert [r.mentor_id for r in rank(request(), mentors, policy=excluded)] == ["other"]
    pool = MentorPool(WEEK)
    pool.upsert_many(mentors)
    scores = pool.score_matrix([TraineeVector.of(request(), WEEK)], MatchingWeights(dict(DEFAULT_WEIGHTS)),
                               excluded, np.zeros(pool.rows))
    assert scores[0, pool.row_of["on-leave"]] == -np.inf and np.isfinite(scores[0, pool.row_of["other"]])


def test_mentors_registered_one_at_a_time_rank_exactly_as_when_loaded_together(monkeypatch):
    """The delta a registration lands in, its merges and the group codes that grow row by
    row give the same ranking, scores and groups as one bulk load; new groups included."""
    import services.matching.pool as pool_module
    from bench import synthetic
    monkeypatch.setattr(pool_module, "MERGE_EVERY", 64)    # several merges within the test
    mentors = synthetic.mentors(300, seed=3)
    mentors[250].person["region"] = "Oceania"                # a group first seen late
    together = MentorPool(WEEK)
    together.upsert_many(mentors)
    one_by_one = MentorPool(WEEK)
    for m in mentors:
        one_by_one.upsert(m)
    policy = FairnessPolicy(min_share={"West Africa": 0.2}, exposure_boost=0.5)
    weights = MatchingWeights(dict(DEFAULT_WEIGHTS))
    for req in synthetic.requests(25, seed=4):
        a = together.rank(TraineeVector.of(req, WEEK), weights, policy, np.zeros(together.rows))
        b = one_by_one.rank(TraineeVector.of(req, WEEK), weights, policy, np.zeros(one_by_one.rows))
        assert [m.mentor_id for m in a.mentors] == [m.mentor_id for m in b.mentors]
        assert [m.score for m in a.mentors] == [m.score for m in b.mentors]
        assert a.eligible_by_group == b.eligible_by_group and a.groups == b.groups
    assert one_by_one.group_codes("region")[1] == together.group_codes("region")[1]
    assert (one_by_one.group_codes("region")[0] == together.group_codes("region")[0]).all()

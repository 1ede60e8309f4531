"""``python -m bench.ab``'s summary of alternating runs (the runs themselves start whole
stacks; these lines stand in for their output)."""
from bench.ab import summarise


def _run(side: str, commit: str, pair: int, cpu: float, by_process: dict, p95: float, never: int,
         services: float | None = None) -> list[dict]:
    tag = {"side": side, "commit": commit, "pair": pair, "load_before": 0.5}
    cpu_line = {"name": "cpu_ms_per_request_20rps", "value": cpu, "by_process": by_process, "ab": tag}
    if services is not None:
        cpu_line["services_ms"] = services
    return [
        {"name": "e2e_invite_p95_s_20rps", "value": p95, "ab": tag},
        {"name": "e2e_never_20rps", "value": never, "ab": tag},
        cpu_line,
        {"name": "cpu_ms_per_request_50rps", "value": 999.0, "by_process": {}, "ab": tag},  # another rate
    ]


def test_each_side_is_summarised_run_by_run_with_means_and_the_ratio():
    lines = [
        {"name": "stack_cpu_idle_pct", "value": 9.4},      # a line without a tag is not a run's
        *_run("old", "d91543a", 1, 60.0, {"broker": 6.0, "mailbox": 6.0, "matching-worker": 48.0}, 0.18, 0),
        *_run("new", "9f36338", 1, 30.0, {}, 0.15, 0, services=21.0),
        *_run("old", "d91543a", 2, 64.0, {"broker": 5.0, "mailbox": 7.0, "matching-worker": 52.0}, 0.19, 1),
        *_run("new", "9f36338", 2, 34.0, {}, 0.16, 0, services=23.0),
    ]

    summary = summarise(lines, rate=20)

    assert summary["old"]["runs"] == [
        {"commit": "d91543a", "p95_s": 0.18, "never": 0, "cpu_ms": 60.0, "services_ms": 48.0},
        {"commit": "d91543a", "p95_s": 0.19, "never": 1, "cpu_ms": 64.0, "services_ms": 52.0},
    ]
    assert [r["services_ms"] for r in summary["new"]["runs"]] == [21.0, 23.0]   # as the bench printed it
    assert summary["old"]["mean_cpu_ms"] == 62.0 and summary["new"]["mean_cpu_ms"] == 32.0
    assert summary["new_over_old_cpu_ms"] == 0.52
    assert summary["new_over_old_services_ms"] == 0.44


def test_a_side_without_runs_has_no_mean_and_no_ratio():
    summary = summarise(_run("old", "abc1234", 1, 40.0, {}, 0.2, 0, services=30.0), rate=20)

    assert summary["new"] == {"runs": [], "mean_cpu_ms": None, "mean_services_ms": None}
    assert summary["new_over_old_cpu_ms"] is None

"""``python -m bench [names…]``: run the benchmarks, one JSON object per line.

Pinned to one core (BLAS / OpenMP threads = 1) so figures compare across machines.
"""
import os

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(var, "1")

import json  # noqa: E402
import platform  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable, Iterator  # noqa: E402

from bench import client, e2e, intake, matching, profile  # noqa: E402

SUITES: dict[str, Callable[[], Iterator[dict]]] = {
    "rank": matching.rank_latency, "cohort": matching.cohort, "fairness": matching.fairness,
    "e2e": e2e.e2e, "scaled": e2e.e2e_scaled, "intake": intake.intake_http, "profile": profile.profile,
    "client": client.kafka_client}


def main(argv: list[str]) -> int:
    # On demand only: profile (it writes files) and client (the Kafka client apart from the services).
    names = argv or [n for n in SUITES if n not in ("profile", "client")]
    meta = {"python": platform.python_version(), "machine": platform.machine(), "cpus": os.cpu_count()}
    for name in names:
        started = time.perf_counter()
        for result in SUITES[name]():
            print(json.dumps({**result, "suite": name, **meta}, ensure_ascii=False), flush=True)
        print(json.dumps({"name": f"{name}_suite_seconds", "value": round(time.perf_counter() - started, 1),
                          "unit": "s", "suite": name, **meta}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""``python -m bench.ab OLD NEW``: two versions' ``bench e2e`` at one rate, alternating.

Figures from different days cannot be compared on a shared machine: the same commit
measured 31.6–40.8 ms of CPU per request one session and 46–51 ms the session before
(decision 0012). So a change is measured against the code before it in runs that
alternate within the same half hour: OLD, NEW, OLD, NEW, … Each version runs its own
``python -m bench e2e`` from its own tree (a ``git worktree`` of the commit, or ``.``
for this checkout as it is, uncommitted changes included), so the stack and the bench
are that version's.

    python -m bench.ab main .                      # this checkout against main
    python -m bench.ab d91543a 9f36338 --own-venv  # commits whose dependencies differ
    python -m bench.ab HEAD~1 HEAD --pairs 3 --rate 50

Options: ``--pairs`` (2), ``--rate`` (20 req/s), ``--seconds`` per run (30),
``--out`` (every run's JSON lines, each tagged with ``ab``: side, commit, pair and the
load average before it; ``bench/ab-<old>-<new>.jsonl``), ``--own-venv`` (each commit
runs in a venv of its own pinned dependencies, built once under ``/tmp``; without it
every version runs in this checkout's ``.venv``, which must hold what both need). A
pair takes about 2½ minutes at 20 req/s. At the end a summary is printed as one JSON
object: each side's CPU per request (all processes and without the local broker and
mailbox), invite p95 and never, run by run, their means, and new / old.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import tomllib
from collections.abc import Iterable
from pathlib import Path
from statistics import mean

ROOT = Path(__file__).resolve().parent.parent
STAND_INS = ("broker", "mailbox")   # as bench.e2e: the local stand-ins for Kafka and SMTP


def _git(*args: str, cwd: Path = ROOT) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout.strip()


class Version:
    """One side: a tree to run in and the Python to run it with."""

    def __init__(self, ref: str, own_venv: bool, scratch: Path):
        if ref == ".":
            self.tree, self.commit = ROOT, _git("rev-parse", "--short", "HEAD") + "+worktree"
        else:
            self.commit = _git("rev-parse", "--short", f"{ref}^{{commit}}")
            self.tree = scratch / f"tree-{self.commit}"
            if not self.tree.exists():
                _git("worktree", "add", "--detach", "--force", str(self.tree), self.commit)
        self._own_venv, self._scratch = own_venv, scratch
        self.python = ROOT / ".venv" / "bin" / "python"

    def prepare(self) -> None:
        """The Python to run this tree with, and its catalogues compiled."""
        if self._own_venv:
            self.python = self._venv()
        self._catalogues()

    def _venv(self) -> Path:
        """A venv of this tree's pinned dependencies (runtime and dev), built once."""
        venv = self._scratch / f"venv-{self.commit}"
        python = venv / "bin" / "python"
        if not python.exists():
            project = tomllib.loads((self.tree / "pyproject.toml").read_text())["project"]
            wanted = project["dependencies"] + project.get("optional-dependencies", {}).get("dev", [])
            subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
            subprocess.run([str(python), "-m", "pip", "install", "-q", *wanted], check=True)
        return python

    def _catalogues(self) -> None:
        """The compiled message catalogues, which git does not hold (``make catalogues``)."""
        locale = self.tree / "shared" / "locale"
        if locale.is_dir() and self.tree != ROOT:
            subprocess.run([str(self.python), "-m", "babel.messages.frontend", "-q", "compile",
                            "-d", str(locale)], check=True)

    def remove(self) -> None:
        """The worktree this side added (both sides may be one commit: removed once)."""
        if self.tree != ROOT and self.tree.exists():
            _git("worktree", "remove", "--force", str(self.tree))


def run_once(version: Version, rate: int, seconds: int, side: str, pair: int) -> list[dict]:
    """One ``bench e2e`` of ``version`` at ``rate``; its JSON lines, tagged."""
    load = os.getloadavg()[0]
    env = {**os.environ, "E2E_RATES": str(rate), "E2E_SECONDS": str(seconds), "E2E_RANK_REGISTRATIONS": "100"}
    done = subprocess.run([str(version.python), "-m", "bench", "e2e"], cwd=version.tree, env=env,
                          capture_output=True, text=True)
    if done.returncode != 0:
        print(done.stderr[-3000:], file=sys.stderr)
        raise SystemExit(f"bench e2e of {version.commit} exited with {done.returncode}")
    tag = {"side": side, "commit": version.commit, "pair": pair, "load_before": round(load, 2)}
    return [{**json.loads(line), "ab": tag} for line in done.stdout.splitlines() if line.startswith("{")]


def summarise(lines: Iterable[dict], rate: int) -> dict:
    """Each side's runs at ``rate`` (CPU per request, the same without the stand-ins,
    invite p95, never), their means and new / old."""
    runs: dict[str, dict[int, dict]] = {"old": {}, "new": {}}
    for line in lines:
        tag = line.get("ab")
        if not tag:
            continue
        run = runs[tag["side"]].setdefault(tag["pair"], {"commit": tag["commit"]})
        name = line["name"]
        if name == f"cpu_ms_per_request_{rate}rps":
            run["cpu_ms"] = line["value"]
            by_process = line.get("by_process", {})
            run["services_ms"] = line.get("services_ms", round(
                sum(v for k, v in by_process.items() if k not in STAND_INS), 1))
        elif name == f"e2e_invite_p95_s_{rate}rps":
            run["p95_s"] = line["value"]
        elif name == f"e2e_never_{rate}rps":
            run["never"] = line["value"]
    summary: dict = {"rate": rate}
    for side, by_pair in runs.items():
        listed = [by_pair[p] for p in sorted(by_pair)]
        summary[side] = {"runs": listed}
        for figure in ("cpu_ms", "services_ms"):
            values = [r[figure] for r in listed if figure in r]
            summary[side][f"mean_{figure}"] = round(mean(values), 1) if values else None
    for figure in ("cpu_ms", "services_ms"):
        old, new = summary["old"][f"mean_{figure}"], summary["new"][f"mean_{figure}"]
        summary[f"new_over_old_{figure}"] = round(new / old, 2) if old and new else None
    return summary


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.ab", description=__doc__.split("\n\n")[0])
    parser.add_argument("old")
    parser.add_argument("new")
    parser.add_argument("--pairs", type=int, default=2)
    parser.add_argument("--rate", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--own-venv", action="store_true")
    args = parser.parse_args(argv)

    scratch = Path(tempfile.gettempdir()) / "twoshot-ab"
    scratch.mkdir(exist_ok=True)
    versions: dict[str, Version] = {}
    lines: list[dict] = []
    try:
        for side, ref in (("old", args.old), ("new", args.new)):
            versions[side] = Version(ref, args.own_venv, scratch)
            versions[side].prepare()
        out = args.out or ROOT / "bench" / f"ab-{versions['old'].commit}-{versions['new'].commit}.jsonl"
        with open(out, "a", encoding="utf-8") as sink:
            for pair in range(1, args.pairs + 1):
                for side in ("old", "new"):
                    print(f"pair {pair}: {side} ({versions[side].commit})", file=sys.stderr, flush=True)
                    for line in run_once(versions[side], args.rate, args.seconds, side, pair):
                        sink.write(json.dumps(line, ensure_ascii=False) + "\n")
                        lines.append(line)
                    sink.flush()
    finally:
        for version in versions.values():
            version.remove()
    print(json.dumps({"out": str(out), **summarise(lines, args.rate)}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Where a loaded server spends its CPU: py-spy samples it while benchmarks/load.py drives
it, then prints the functions that hold the GIL most (cumulative and own time).

    python benchmarks/profile_server.py --mix session --users 30 --think 2 --duration 60
    python benchmarks/profile_server.py --mix links --users 30 --think 2 --duration 60

It starts `streamlit run app.py` on a free loopback port, runs the load driver against it
with the same options, and samples the server with `py-spy record --gil` (only the thread
that holds the GIL counts, so the shares are of the server's Python CPU). Needs py-spy
(`pip install py-spy`) and root or ptrace rights. A benchmark tool, not a test.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

RATE = 200  # py-spy samples per second
FRAME = re.compile(r"^(?P<func>.*) \((?P<file>[^():]*)(:\d+)?\)$")


def short(frame: str) -> str:
    """``func (path/to/file.py:12)`` as ``file.py:func`` (site-packages and the repository
    cut off)."""
    m = FRAME.match(frame.strip())
    if not m:
        return frame.strip()
    path = m["file"]
    for cut in ("site-packages/", str(HERE.parent) + "/"):
        if cut in path:
            path = path.split(cut, 1)[1]
    return f"{path}:{m['func']}"


def aggregate(raw: Path, top: int) -> dict:
    cumulative: collections.Counter = collections.Counter()
    own: collections.Counter = collections.Counter()
    total = 0
    for line in raw.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        n = int(count)
        frames = [short(f) for f in stack.split(";")]
        frames = [f for f in frames if not f.startswith(("process ", "thread "))]
        total += n
        for f in set(frames):
            cumulative[f] += n
        if frames:
            own[frames[-1]] += n
    return {
        "samples": total,
        "cumulative": [(f, round(100 * n / total, 1)) for f, n in cumulative.most_common(top)],
        "own": [(f, round(100 * n / total, 1)) for f, n in own.most_common(top)],
    }


LINE = re.compile(r"\((?P<file>[^():]*):(?P<line>\d+)\)$")


def by_line(raw: Path, page: str, actions: int, rate: int) -> list[tuple[int, float]]:
    """Milliseconds of GIL time per action spent under each line of ``page`` (a file's
    path ending, such as ``views/build.py``): the innermost frame of that file in each
    stack, one sample being 1/``rate`` s."""
    counts: collections.Counter = collections.Counter()
    for line in raw.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        for frame in reversed(stack.split(";")):
            m = LINE.search(frame.strip())
            f = m and m["file"]  # py-spy names a page of views/ by its bare file name
            bare = page.startswith("views/") and "/" not in (f or "")
            if f and (f == page or f.endswith("/" + page) or (bare and page.endswith("/" + f))):
                counts[int(m["line"])] += int(count)
                break
    per = 1000 / rate / max(actions, 1)
    return [(n, round(c * per, 2)) for n, c in counts.most_common()]


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--mix", choices=("session", "links"), default="session")
    p.add_argument("--users", type=int, default=30)
    p.add_argument("--think", type=float, default=2.0)
    p.add_argument("--duration", type=float, default=60.0)
    p.add_argument("--top", type=int, default=40)
    p.add_argument("--raw", help="keep py-spy's raw stacks in this file")
    p.add_argument("--from-raw", help="print the profile of raw stacks kept before (no run)")
    p.add_argument("--json", action="store_true")
    p.add_argument(
        "--by-line",
        metavar="FILE",
        help="also print the ms per action spent under each line of FILE (views/build.py)",
    )
    args = p.parse_args()

    if args.from_raw:  # the stacks of an earlier run: no server, no load
        print_profile(None, aggregate(Path(args.from_raw), args.top))
        return
    raw = Path(args.raw or tempfile.mktemp(prefix="profile_", suffix=".txt"))
    # The driver starts and stops the server; py-spy attaches once it is up.
    starter = (
        "import sys, subprocess, load\n"
        "proc, url = load.start_server()\n"
        "print(url, proc.pid, flush=True)\n"
        "sys.stdin.readline()\n"
        "proc.terminate(); proc.wait(10)\n"
    )
    server = subprocess.Popen(
        [sys.executable, "-c", starter],
        cwd=HERE.parent,
        env={**os.environ, "PYTHONPATH": str(HERE)},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    url, pid = server.stdout.readline().split()
    try:
        base = [sys.executable, str(HERE / "load.py"), "--url", url, "--pid", pid, "--json"]
        base += ["--mix", args.mix]
        drive = [*base, "--users", str(args.users), "--think", str(args.think)]
        drive += ["--duration", str(args.duration)]
        # warm up first (untimed, unsampled), then sample the timed run
        subprocess.run(
            [*base, "--users", "1", "--think", "0", "--actions", "8", "--warmup", "2"],
            cwd=HERE.parent,
            capture_output=True,
            check=True,
        )
        spy_cmd = ["py-spy", "record", "--pid", pid, "--gil", "--rate", str(RATE)]
        spy_cmd += ["--format", "raw"]
        spy = subprocess.Popen(
            [*spy_cmd, "--output", str(raw), "--duration", str(int(args.duration))],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        load = subprocess.run(drive, cwd=HERE.parent, capture_output=True, text=True, check=True)
        spy.wait(args.duration + 60)
    finally:
        server.stdin.write("\n")
        server.stdin.flush()
        server.wait(30)
    result = json.loads(load.stdout)
    prof = aggregate(raw, args.top)
    if args.json:
        print(json.dumps({"load": result, "profile": prof}))
        return
    print_profile(result, prof)
    if args.by_line:
        text = (HERE.parent / args.by_line).read_text().splitlines()
        print(f"ms per action under each line of {args.by_line} (GIL time):")
        for n, ms in by_line(raw, args.by_line, result["actions"], RATE)[: args.top]:
            print(f"  {ms:6.2f}  {n:4d}  {text[n - 1].strip()[:70]}")


def print_profile(result: dict | None, prof: dict) -> None:
    """The load's figures (when there was a run), then the cumulative and own shares."""
    if result is not None:
        keys = ("users", "actions", "failed", "p50_ms", "p95_ms", "server_cpu_ms_per_action")
        print({k: result.get(k) for k in keys})
    print(f"{prof['samples']} samples holding the GIL")
    print("cumulative (% of samples):")
    for f, pct in prof["cumulative"]:
        print(f"  {pct:5.1f}  {f}")
    print("own:")
    for f, pct in prof["own"]:
        print(f"  {pct:5.1f}  {f}")


if __name__ == "__main__":
    main()

"""Load driver: visitors that speak Streamlit's WebSocket protocol, run by Locust.

    python benchmarks/load.py --users 50 --think 10 --duration 120 --json
    python benchmarks/load.py --url http://127.0.0.1:8080 --pid 101,102 --users 50 --json
    python benchmarks/load.py --mix links --users 100 --think 10 --duration 120 --json

No browser: each visitor is one tab (``benchmarks/visit.py``) that repeats one session: open
a shared Build link, add a member (drawn at random, so visitors ask for different
scenarios, as people who follow one link and then explore do; picked in the search by name,
since every region opens folded), change the framing, open
Compare with two slots, with a think time between actions (uniform between half and one and
a half times ``--think``). With ``--mix links`` every action instead opens a new tab on a
new shared Build link (three to five states and a framing drawn at random): the cost of a
link that spreads, each visit a new session and mostly a grouping nobody opened yet. An
action is timed from the request to the end of the run; it
fails when the run shows an exception element, ends otherwise than successfully, does not
end within ``--timeout``, or when a widget change leaves the page's link unchanged.

Without ``--url`` the driver starts ``streamlit run app.py`` on a free loopback port and
stops it at the end. The server's memory (RSS) and CPU come from /proc for the process it
started or for ``--pid`` (a comma list: the processes behind a proxy); every action carries
the latest sample (``--csv`` writes them). Before the timed run, ``--warmup`` visitors each
do one untimed session, so the timings are of a warm server; memory growth is counted from
after the warm-up to the peak.

Locust runs the visitors (headless, from this script) and counts actions and failures;
the percentiles are exact, from the times the visitors reported to Locust.
``--json`` prints one JSON object with at least ``users``, ``actions``, ``failed``,
``p50_ms``, ``p95_ms``, ``max_ms`` and ``server_rss_growth_mb`` (null without a process),
and ``server_cpu_ms_per_action``: the server's CPU time over the run divided by the actions
(null without a process). ``settled_p50_ms`` and ``settled_p95_ms`` are those of the
actions started once every visitor has arrived (``--ramp``) and thought once (1.5 times
``--think``): the steady state, without the crowd of first visits that a short ramp makes.
"""

from __future__ import annotations

# isort: off
# Locust patches the standard library for gevent on import: it must come first.
import locust
from locust import SequentialTaskSet, User, between, task
from locust.exception import StopUser
from locust.env import Environment

# isort: on

import argparse
import csv
import json
import math
import os
import random
import resource
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from pathlib import Path

import gevent
import websocket

sys.path.insert(0, str(Path(__file__).resolve().parent))
from visit import ACTIONS, ActionFailed, Run, Session, open_link, shared_link

ROOT = Path(__file__).resolve().parent.parent


# --------------------------------------------------------------------------- server


class Monitor:
    """RSS and CPU of the server processes, sampled from /proc in the background, and the
    whole machine's busy CPU (other programs share the cores with the server)."""

    def __init__(self, pids: list[int], every: float = 0.5) -> None:
        self.pids, self.every = pids, every
        self.tick = os.sysconf("SC_CLK_TCK")
        self.cpu_by_pid = self.start_cpu_by_pid = self._cpu()
        self.rss_mb = self.start_mb = self.peak_mb = self._rss()
        self.cpu_pct = 0.0
        self.start_machine, self.start_driver = self._machine(), self._driver()
        self.started = time.monotonic()
        self.greenlet = gevent.spawn(self._loop) if pids else None

    def _rss(self) -> float:
        total = 0
        for pid in self.pids:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        return total / 1024

    def _cpu(self) -> list[float]:
        """Seconds of CPU (user + system) each process has used."""
        out = []
        for pid in self.pids:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            out.append((int(fields[11]) + int(fields[12])) / self.tick)
        return out

    def _machine(self) -> tuple[float, float]:
        """Busy and total CPU seconds of the machine, all cores."""
        values = [int(v) for v in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
        idle = values[3] + values[4]  # idle, iowait
        return (sum(values) - idle) / self.tick, sum(values) / self.tick

    @staticmethod
    def _driver() -> float:
        return sum(resource.getrusage(resource.RUSAGE_SELF)[:2])

    def _loop(self) -> None:
        while True:
            gevent.sleep(self.every)
            cpu = self._cpu()
            self.cpu_pct = 100 * (sum(cpu) - sum(self.cpu_by_pid)) / self.every
            self.cpu_by_pid, self.rss_mb = cpu, self._rss()
            self.peak_mb = max(self.peak_mb, self.rss_mb)

    def stop(self) -> None:
        if self.greenlet is not None:
            self.greenlet.kill()
            self.cpu_by_pid, self.rss_mb = self._cpu(), self._rss()
            self.peak_mb = max(self.peak_mb, self.rss_mb)
        self.machine = [e - s for e, s in zip(self._machine(), self.start_machine, strict=True)]
        self.driver = self._driver() - self.start_driver
        self.wall = time.monotonic() - self.started

    def report(self) -> dict:
        """The server's share, in percent of one core, and what else the machine did."""
        wall, driver, (busy, total) = self.wall, self.driver, self.machine
        used = [e - s for e, s in zip(self.cpu_by_pid, self.start_cpu_by_pid, strict=True)]
        out = {
            "machine_cores": os.cpu_count(),
            "machine_busy_pct": round(100 * busy / total * (os.cpu_count() or 1), 1),
            "driver_cpu_pct": round(100 * driver / wall, 1),
        }
        if not self.pids:
            return out
        growth = self.peak_mb - self.start_mb
        return out | {
            "server_rss_start_mb": round(self.start_mb, 1),
            "server_rss_peak_mb": round(self.peak_mb, 1),
            "server_rss_growth_mb": round(growth, 1),
            "server_cpu_s": round(sum(used), 1),
            "server_cpu_s_exact": sum(used),
            "server_cpu_pct": round(100 * sum(used) / wall, 1),
            "server_cpu_pct_by_process": [round(100 * u / wall, 1) for u in used],
            "other_programs_cpu_pct": round(100 * (busy - sum(used) - driver) / wall, 1),
        }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(timeout: float = 60) -> tuple[subprocess.Popen, str]:
    port = free_port()
    cmd = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless=true"]
    cmd += [f"--server.port={port}", "--server.address=127.0.0.1"]
    log = tempfile.TemporaryFile()  # noqa: SIM115  (the server writes to it after we return)
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            log.seek(0)
            raise SystemExit("the server stopped: " + log.read().decode()[-500:])
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
                if r.read() == b"ok":
                    return proc, url
        except OSError:
            gevent.sleep(0.3)
    proc.kill()
    raise SystemExit(f"the server did not answer /_stcore/health within {timeout:g} s")


# --------------------------------------------------------------------------- Locust


class Tab(SequentialTaskSet):
    """One visitor's tab: each task is one action, timed and checked.

    The first "open build" of a tab includes loading the page and opening the WebSocket,
    as a person who follows a link waits for both; a tab whose connection broke opens a
    new one at its next "open build".
    """

    session: Session | None = None

    def on_stop(self) -> None:
        if self.session is not None:
            self.session.close()

    def _open_build(self, s: Session | None) -> Run:
        if s is None:
            s = self.session = Session(self.user.host, self.user.timeout)
            s.connect("/")
        return ACTIONS["open build"](s)

    def _act(self, name: str) -> None:
        t0 = time.perf_counter()
        error, size = None, 0
        try:
            if name == LINK_ACTION:
                size = _open_shared(self).bytes
            elif name == "open build":
                size = self._open_build(self.session).bytes
            elif self.session is None:
                raise ActionFailed("no connection")
            else:
                size = ACTIONS[name](self.session).bytes
        except (ActionFailed, OSError, websocket.WebSocketException) as exc:
            error = exc
            s = self.session
            if s is not None and (not isinstance(exc, ActionFailed) or s.broken):
                self.session.close()
                self.session = None
        monitor = self.user.monitor
        self.user.environment.events.request.fire(
            request_type="rerun",
            name=name,
            response_time=(time.perf_counter() - t0) * 1000,
            response_length=size,
            exception=error,
            context={"rss_mb": monitor.rss_mb, "server_cpu_pct": monitor.cpu_pct},
        )


class Visit(Tab):
    """One visitor's session, repeated: open a shared link, toggle, framing, compare."""

    @task
    def open_build(self) -> None:
        self._act("open build")

    @task
    def toggle(self) -> None:
        self._act("toggle member")

    @task
    def framing(self) -> None:
        self._act("change framing")

    @task
    def compare(self) -> None:
        self._act("open compare")


class Links(Tab):
    """``--mix links``: every action is a new tab opening a new shared Build link."""

    @task
    def open_link(self) -> None:
        if Visitor.stopping:  # the run is over (Locust's quit does not always end this task)
            raise StopUser()
        if self.session is not None:
            self.session.close()
            self.session = None
        self._act(LINK_ACTION)


LINK_ACTION = "open shared link"


def _open_shared(visit: Tab) -> Run:
    s = visit.session = Session(visit.user.host, visit.user.timeout)
    link = shared_link()
    s.connect(link)
    return open_link(s, link)


class Visitor(User):
    tasks = (Visit,)
    wait_time = between(5, 15)  # replaced from --think
    timeout = 30.0
    monitor: Monitor
    stopping = False


def warm_up(url: str, visitors: int, timeout: float) -> None:
    """Untimed sessions, so that a fresh server's first runs are not counted."""
    for _ in range(visitors):
        s = Session(url, timeout)
        try:
            s.connect("/")
            for name, action in ACTIONS.items():
                try:
                    action(s)
                except ActionFailed as exc:
                    raise SystemExit(f"the warm-up session failed at {name!r}: {exc}") from None
        except (OSError, websocket.WebSocketException) as exc:
            raise SystemExit(f"cannot open a session on {url}: {exc}") from None
        finally:
            s.close()


def run(args: argparse.Namespace) -> dict:
    server = None
    if args.url is None:
        server, args.url = start_server()
        args.pid = str(server.pid)
    pids = [int(p) for p in (args.pid or "").split(",") if p.strip()]
    try:
        warm_up(args.url, args.warmup, args.timeout)
        monitor = Monitor(pids)
        Visitor.host, Visitor.timeout, Visitor.monitor = args.url, args.timeout, monitor
        Visitor.wait_time = between(args.think * 0.5, args.think * 1.5)
        Visitor.tasks = (Links,) if args.mix == "links" else (Visit,)
        env = Environment(user_classes=[Visitor])
        runner = env.create_local_runner()

        def quit_run() -> None:
            Visitor.stopping = True
            runner.quit()

        rows: list[list] = []
        times: dict[str, list[float]] = {}
        errors: Counter = Counter()

        def on_request(name, response_time, exception, context, **_):
            ok = exception is None
            times.setdefault(name, []).append(response_time)
            rows.append([round(time.time(), 3), name, round(response_time, 1), ok])
            rows[-1] += [round(context["rss_mb"], 1), round(context["server_cpu_pct"], 1)]
            if not ok:
                errors[str(exception)] += 1
            if args.actions and len(rows) == args.actions:
                gevent.spawn(quit_run)

        env.events.request.add_listener(on_request)
        started_at = time.time()
        t0 = time.monotonic()
        runner.start(args.users, spawn_rate=args.users / max(args.ramp, 0.1))
        stopper = gevent.spawn_later(args.duration, quit_run)
        runner.greenlet.join()
        stopper.kill()
        wall = time.monotonic() - t0
        monitor.stop()
    finally:
        if server is not None:
            server.terminate()
            server.wait(10)
    if args.csv:
        with open(args.csv, "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["time", "action", "ms", "ok", "server_rss_mb", "server_cpu_pct"])
            w.writerows(rows)
    settled = settled_times(rows, started_at + args.ramp + args.think * 1.5)
    return summary(args, env, times, errors, wall, monitor, settled)


def settled_times(rows: list[list], since: float) -> list[float]:
    """The times (ms) of the actions that started at ``since`` or later (a wall-clock
    time): once every visitor has arrived and waited out a think time, the run's steady
    state without the crowd of first visits.

    >>> settled_times([[100.5, "a", 1000.0, True], [101.0, "b", 500.0, True]], 100.0)
    [500.0]
    """
    return [r[2] for r in rows if r[0] - r[2] / 1000 >= since]


def percentile(times: list[float], q: float) -> float | None:
    """Nearest-rank percentile in whole ms (Locust's own are rounded to 2 figures, so its
    p95 can exceed the maximum)."""
    if not times:
        return None
    ordered = sorted(times)
    return round(ordered[max(0, math.ceil(q * len(ordered)) - 1)])


def summary(
    args, env, times: dict, errors: Counter, wall: float, monitor: Monitor, settled: list[float]
) -> dict:
    """The contract's keys first; CPU figures are in percent of one core. Counts come from
    Locust's statistics, percentiles from the times it reported; ``settled_*`` are those
    of the actions started once every visitor had arrived and thought once
    (:func:`settled_times`), when the arrivals' crowd has passed."""
    total = env.stats.total
    every = [ms for name in times for ms in times[name]]

    server = monitor.report()
    growth = server.get("server_rss_growth_mb")
    return {
        "users": args.users,
        "actions": total.num_requests,
        "failed": total.num_failures,
        "p50_ms": percentile(every, 0.5),
        "p95_ms": percentile(every, 0.95),
        "max_ms": round(max(every)) if every else None,
        "server_rss_growth_mb": growth,
        "server_rss_mb_per_session": None if growth is None else round(growth / args.users, 2),
        "server_cpu_ms_per_action": (
            round(1000 * server["server_cpu_s_exact"] / total.num_requests, 1)
            if "server_cpu_s_exact" in server and total.num_requests
            else None
        ),
        "settled_actions": len(settled),
        "settled_p50_ms": percentile(settled, 0.5),
        "settled_p95_ms": percentile(settled, 0.95),
        "settled_after_s": round(args.ramp + args.think * 1.5, 1),
        "mix": args.mix,
        "think_s": args.think,
        "duration_s": round(wall, 1),
        "actions_per_s": round(total.num_requests / wall, 2),
        "by_action": {
            name: {
                "actions": e.num_requests,
                "failed": e.num_failures,
                "p50_ms": percentile(times[name], 0.5),
                "p95_ms": percentile(times[name], 0.95),
            }
            for (name, _), e in sorted(env.stats.entries.items())
        },
        "errors": dict(errors.most_common(5)),
        "server_processes": len(monitor.pids),
        **server,
        "locust": locust.__version__,
    }


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--url", help="a running server or proxy (default: start one on a free port)")
    p.add_argument("--pid", help="server process ids to watch, comma-separated")
    p.add_argument("--users", type=int, default=10, help="concurrent visitors")
    p.add_argument("--think", type=float, default=10.0, help="mean seconds between actions")
    p.add_argument("--duration", type=float, default=60.0, help="seconds of load")
    p.add_argument("--actions", type=int, help="stop after this many actions (a smoke test)")
    p.add_argument("--ramp", type=float, help="seconds to start every visitor (default --think)")
    p.add_argument("--warmup", type=int, default=1, help="untimed sessions before the run")
    p.add_argument("--timeout", type=float, default=30.0, help="seconds an action may take")
    p.add_argument("--csv", help="write one row per action (time, ms, ok, server RSS and CPU)")
    p.add_argument("--seed", type=int, help="seed for the members added and the think times")
    p.add_argument(
        "--mix",
        choices=("session", "links"),
        default="session",
        help="session: open, toggle, framing, compare; links: every action a new shared link",
    )
    p.add_argument("--json", action="store_true", help="print one JSON object")
    args = p.parse_args(argv)
    if args.users < 1 or args.think < 0 or args.duration <= 0:
        p.error("--users must be at least 1, --think at least 0, --duration above 0")
    if args.url is not None and not args.url.startswith(("http://", "https://")):
        p.error(f"--url must start with http:// or https://, not {args.url!r}")
    for pid in (args.pid or "").split(","):
        if pid.strip() and not (pid.strip().isdigit() and Path(f"/proc/{pid.strip()}").is_dir()):
            p.error(f"--pid: no running process {pid.strip()!r}")
    if args.pid and args.url is None:
        p.error("--pid watches the processes behind --url; without --url the driver starts one")
    if args.ramp is None:
        args.ramp = args.think or 1.0
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    locust.log.setup_logging("ERROR")
    random.seed(args.seed)
    result = run(args)
    if args.json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

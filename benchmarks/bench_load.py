"""Load benchmark: many concurrent browser sessions on one server. A benchmark, not a test.

    python benchmarks/bench_load.py                    # 10, then 25 sessions
    python benchmarks/bench_load.py --sessions 25 --toggles 3

For each session count N it starts its own `python -m streamlit run app.py` on a free port
(with the repository's .streamlit/config.toml), waits for /_stcore/health to answer ok,
opens one warm-up session, records the server's memory (VmRSS of the streamlit process),
then opens N sessions in one headless Chromium (one browser context each), their starts
spread over ``--ramp`` seconds. Each session opens a build-page link, waits for the cohesion
score, then toggles members in the sidebar's region pills: it adds a state and removes it
again, ``--toggles`` times, looking at each new score for ``--think`` seconds. A toggle is
timed from the click until the "Cohesion" metric shows the value the model gives for the
new grouping. The links use different years and the sessions add different states, so
most toggles ask for a grouping that no session has scored yet (a cache miss); removing
the state goes back to a scored grouping (a cache hit).

A session succeeds when its link opened with the right score, every toggle reached its
score within ``--action-timeout`` and the page shows no exception. Everything is bounded:
each wait has a timeout and each N a deadline (``--deadline``); a session still running at
the deadline is cancelled and counted as failed.

Printed per N: sessions succeeded / total, toggles measured, median and p95 toggle->score
time (until the metric shows it) and toggle->frame time (until the WebSocket frame holding
the new value reaches the browser, before it is drawn), the time to open the link, the
server's VmRSS before the sessions, at its peak (sampled every 0.25 s) and after they
closed, with the growth in MB, and the CPU seconds the server and the browsers used.
Goal: 25 sessions, every one succeeds, p95 < 5 s, growth < 100 MB.

Chromium runs on the same machine as the server, so the browsers' rendering competes with
the server for the CPU: the figures are an upper bound for users on their own machines.
``--server-first`` runs Chromium at a lower priority (nice 15), so that the server gets
the CPU whenever it needs it and the figures show what it does, not what the browsers wait
for.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.async_api import Page, async_playwright  # noqa: E402

from model import load_dataset, scenario, score  # noqa: E402
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, _free_port  # noqa: E402

BASE = ("AUS", "JPN", "USA")
FRAMING = "alliance"
GOAL = {"sessions": 25, "p95_s": 5.0, "growth_mb": 100.0}

SCORE_IS = """([expected]) => {
    const m = [...document.querySelectorAll('[data-testid="stMetric"]')]
        .find(e => e.innerText.includes('Cohesion'));
    const v = m && m.querySelector('[data-testid="stMetricValue"]');
    return !!v && v.innerText.trim() === expected;
}"""
MEMBERS_ARE = """([expected]) =>
    new URLSearchParams(location.search).get('members') === expected"""


# --------------------------------------------------------------------------- server


def rss_mb(pid: int) -> float:
    """Resident memory of a process in MB (VmRSS from /proc)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for pid {pid}")


def cpu_s(pid: int) -> float:
    """User + system CPU seconds a process has used (/proc/PID/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def descendants(root: int, skip: int) -> list[int]:
    """Every live process below ``root`` (this one: Playwright's driver and Chromium),
    leaving out ``skip`` (the server) and what runs below it."""
    parent = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parent[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        for child, ppid in parent.items():
            if ppid == pid and child != skip:
                out.append(child)
                todo.append(child)
    return out


# The server is `streamlit run app.py` with one addition: it writes, for every script run a
# session asks for, the seconds from the request's arrival to the end of the run. That is
# the server's share of a toggle, free of the time the browsers take to draw it.
SERVER = """
import sys, threading, time
from streamlit.runtime.app_session import AppSession
from streamlit.runtime.scriptrunner import ScriptRunnerEvent
from streamlit.web.cli import main

log, lock, asked, seen = open(sys.argv[1], "a", buffering=1), threading.Lock(), {}, set()
handle_backmsg, on_event = AppSession.handle_backmsg, AppSession._on_scriptrunner_event

def timed_backmsg(self, msg):
    if msg.WhichOneof("type") == "rerun_script":
        asked.setdefault(self.id, time.perf_counter())
    return handle_backmsg(self, msg)

def timed_event(self, sender, event, *args, **kwargs):
    if event == ScriptRunnerEvent.SCRIPT_STOPPED_WITH_SUCCESS and self.id in asked:
        with lock:
            kind = "rerun" if self.id in seen else "first"
            seen.add(self.id)
            log.write(f"{kind} {time.perf_counter() - asked.pop(self.id):.4f}\\n")
    return on_event(self, sender, event, *args, **kwargs)

AppSession.handle_backmsg, AppSession._on_scriptrunner_event = timed_backmsg, timed_event
sys.argv = ["streamlit", *sys.argv[2:]]
main(prog_name="streamlit")
"""


class Server:
    """`streamlit run app.py` on a free port, as the browser tests start it (timed)."""

    def __init__(self) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        # The log outlives this call: it is closed in stop().
        self.log = tempfile.NamedTemporaryFile(prefix="bench_load_", suffix=".log", delete=False)  # noqa: SIM115
        self.runs = tempfile.NamedTemporaryFile(prefix="bench_load_runs_", delete=False)  # noqa: SIM115
        env = {**os.environ, "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"}
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-c",
                SERVER,
                self.runs.name,
                "run",
                "app.py",
                "--server.port",
                str(self.port),
                "--server.address",
                "127.0.0.1",
                "--server.headless",
                "true",
            ],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def wait_healthy(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as r:
                    if r.read().decode().strip() == "ok":
                        return
            except OSError:
                pass
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"streamlit did not start:\n{self.log_tail()}")
            time.sleep(0.3)

    def rss(self) -> float:
        return rss_mb(self.proc.pid)

    def cpu(self) -> float:
        return cpu_s(self.proc.pid)

    def run_times(self) -> dict[str, list[float]]:
        """Server-side seconds per script run so far: a session's first run, and reruns."""
        out: dict[str, list[float]] = {"first": [], "rerun": []}
        for line in Path(self.runs.name).read_text().splitlines():
            kind, seconds = line.split()
            out[kind].append(float(seconds))
        return out

    def log_tail(self, lines: int = 30) -> str:
        text = Path(self.log.name).read_text(errors="replace")
        return "\n".join(text.splitlines()[-lines:])

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)
        self.log.close()
        self.runs.close()


class Sampler:
    """Samples in the background: the server's VmRSS (keeping the peak), and the CPU time
    of the browser processes, so that a renderer that exits between samples loses at most
    its last 0.25 s."""

    def __init__(self, server: Server, every: float = 0.25, nice: int = 0) -> None:
        self.server, self.every, self.peak, self.nice = server, every, server.rss(), nice
        self.browser_cpu: dict[int, float] = {}
        self._task: asyncio.Task | None = None

    def sample(self) -> None:
        self.peak = max(self.peak, self.server.rss())
        for pid in descendants(os.getpid(), skip=self.server.proc.pid):
            with contextlib.suppress(OSError, IndexError):  # it has just exited
                if pid not in self.browser_cpu and self.nice:
                    os.setpriority(os.PRIO_PROCESS, pid, self.nice)
                self.browser_cpu[pid] = cpu_s(pid)

    async def _run(self) -> None:
        while True:
            self.sample()
            await asyncio.sleep(self.every)

    def __enter__(self) -> Sampler:
        self._task = asyncio.get_running_loop().create_task(self._run())
        return self

    def __exit__(self, *exc) -> None:
        assert self._task is not None
        self._task.cancel()
        self.sample()


# --------------------------------------------------------------------------- sessions


@dataclass
class Plan:
    """What one session does: its link's year and the states it adds and removes."""

    year: int
    adds: list[str]
    expected: dict[tuple[str, ...], str]  # members -> the metric's text


@dataclass
class Outcome:
    ok: bool = False
    open_s: float | None = None
    toggles: list[float] = field(default_factory=list)
    frames: list[float] = field(default_factory=list)
    error: str = ""


def shown(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def plans(n: int, toggles: int, years_back: int = 0) -> tuple[list[Plan], dict[str, str]]:
    """Session i opens the link for year latest - years_back - i % 10 and adds states in
    rotation.

    States whose addition leaves the score unchanged to one decimal are skipped: the
    metric would not change, so the toggle could not be timed.
    """
    ds = load_dataset()
    names = {a.code: a.name for a in ds.actors}
    candidates = [a.code for a in ds.actors if a.kind == "state" and a.code not in BASE]
    out = []
    for i in range(n):
        year = ds.latest_year - years_back - i % 10
        cache: dict[tuple[str, ...], str] = {}

        def expect(members: tuple[str, ...], year=year, cache=cache) -> str:
            if members not in cache:
                s = scenario(ds, ",".join(members), FRAMING, year)
                cache[members] = shown(score(ds, s).cohesion)
            return cache[members]

        adds: list[str] = []
        k = i * toggles
        while len(adds) < toggles:
            code = candidates[k % len(candidates)]
            k += 1
            if expect(tuple(sorted((*BASE, code)))) != expect(BASE):
                adds.append(code)
        out.append(Plan(year, adds, cache))
    return out, names


async def wait_score(page: Page, expected: str, timeout_ms: float) -> None:
    await page.wait_for_function(SCORE_IS, arg=[expected], polling=50, timeout=timeout_ms)


async def run_session(
    browser,
    url: str,
    plan: Plan,
    names: dict[str, str],
    timeout_ms: float,
    think_s: float,
    delay_s: float = 0,
    shared=None,
) -> Outcome:
    """One user: a context of its own, or with ``shared`` a tab in a shared context (one
    browser profile: its tabs share the HTTP and compiled-script caches, as a person's
    tabs do; each tab is still its own Streamlit session)."""
    out = Outcome()
    await asyncio.sleep(delay_s)
    # Reduced motion stops the loading shimmer and transitions: they only cost the
    # browser's CPU, which on this machine is the server's CPU too.
    context = shared or await browser.new_context(
        viewport={"width": 1280, "height": 900}, reduced_motion="reduce"
    )
    page = None
    watch: dict[str, bytes | float | None] = {"needle": None, "at": None}

    def on_frame(payload: bytes | str) -> None:
        data = payload if isinstance(payload, bytes) else payload.encode()
        if watch["needle"] and watch["at"] is None and watch["needle"] in data:
            watch["at"] = time.perf_counter()

    step = "open the link"
    try:
        page = await context.new_page()
        page.on("websocket", lambda ws: ws.on("framereceived", on_frame))
        base = ",".join(BASE)
        t0 = time.perf_counter()
        await page.goto(
            f"{url}/?members={base}&framing={FRAMING}&year={plan.year}",
            wait_until="commit",
            timeout=timeout_ms,
        )
        await wait_score(page, plan.expected[BASE], timeout_ms)
        out.open_s = time.perf_counter() - t0
        step = "finish the first run"
        await page.wait_for_function(MEMBERS_ARE, arg=[base], timeout=timeout_ms)
        sidebar = page.get_by_test_id("stSidebar")
        for code in plan.adds:
            added = tuple(sorted((*BASE, code)))
            for members in (added, BASE):  # add the state, then remove it
                step = f"{'add' if members == added else 'remove'} {code}"
                pill = sidebar.get_by_role("button", name=names[code], exact=True)
                await pill.scroll_into_view_if_needed(timeout=timeout_ms)
                watch["needle"], watch["at"] = plan.expected[members].encode(), None
                t0 = time.perf_counter()
                await pill.click(timeout=timeout_ms)
                await wait_score(page, plan.expected[members], timeout_ms)
                out.toggles.append(time.perf_counter() - t0)
                if watch["at"] is not None:
                    out.frames.append(watch["at"] - t0)
                watch["needle"] = None
                # The URL is rewritten at the end of the run: wait for it, then "read".
                step = f"finish the run after {step}"
                await page.wait_for_function(
                    MEMBERS_ARE, arg=[",".join(members)], timeout=timeout_ms
                )
                await asyncio.sleep(think_s)
        exceptions = await page.get_by_test_id("stException").count()
        if exceptions:
            raise RuntimeError(f"{exceptions} exception(s) on the page")
        out.ok = True
    except Exception as err:  # a failed session is a result, not a crash
        out.error = f"{step}: {type(err).__name__}: {str(err).splitlines()[0][:120]}"
    finally:
        if shared is None:
            await context.close()
        elif page is not None:
            await page.close()
    return out


def p95(values: list[float]) -> float:
    return (
        statistics.quantiles(values, n=20, method="inclusive")[-1] if len(values) > 1 else values[0]
    )


async def launch(p):
    return await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


async def bench(n: int, args: argparse.Namespace) -> dict:
    session_plans, names = plans(n, args.toggles)
    warm_plan = plans(1, 1, years_back=10)[0][0]  # scores no session asks for
    timeout_ms = args.action_timeout * 1000
    server = Server()
    try:
        server.wait_healthy()
        rss_cold = server.rss()
        async with async_playwright() as p:
            browser = await launch(p)
            warm = await run_session(browser, server.url, warm_plan, names, timeout_ms, 0)
            await browser.close()
        if not warm.ok:
            raise RuntimeError(f"warm-up session failed: {warm.error}\n{server.log_tail()}")
        await asyncio.sleep(1)
        rss_before, server_cpu, runs_before = server.rss(), server.cpu(), server.run_times()
        t0 = time.perf_counter()
        async with async_playwright() as p:
            browser = await launch(p)
            shared = None
            if args.tabs:
                shared = await browser.new_context(
                    viewport={"width": 1280, "height": 900}, reduced_motion="reduce"
                )
            with Sampler(server, nice=15 if args.server_first else 0) as sampler:
                tasks = [
                    asyncio.create_task(
                        run_session(
                            browser,
                            server.url,
                            plan,
                            names,
                            timeout_ms,
                            args.think,
                            delay_s=args.ramp * i / n,
                            shared=shared,
                        )
                    )
                    for i, plan in enumerate(session_plans)
                ]
                done, pending = await asyncio.wait(tasks, timeout=args.deadline)
                for task in pending:
                    task.cancel()
                if pending:
                    await asyncio.gather(*pending, return_exceptions=True)
                outcomes = [
                    t.result() if t in done else Outcome(error="cancelled at the deadline")
                    for t in tasks
                ]
            wall = time.perf_counter() - t0
            server_cpu = server.cpu() - server_cpu
            runs = {k: v[len(runs_before[k]) :] for k, v in server.run_times().items()}
            await browser.close()
        await asyncio.sleep(2)
        rss_after = server.rss()
    finally:
        server.stop()
    toggles = [t for o in outcomes for t in o.toggles]
    frames = [t for o in outcomes for t in o.frames]
    opens = [o.open_s for o in outcomes if o.open_s is not None]
    errors = [f"{k} x {e}" for e, k in Counter(o.error for o in outcomes if o.error).items()]
    return {
        "sessions": n,
        "succeeded": sum(o.ok for o in outcomes),
        "toggles": len(toggles),
        "toggles_planned": n * args.toggles * 2,
        "toggle_median_s": statistics.median(toggles) if toggles else None,
        "toggle_p95_s": p95(toggles) if toggles else None,
        "toggle_max_s": max(toggles) if toggles else None,
        "frame_median_s": statistics.median(frames) if frames else None,
        "frame_p95_s": p95(frames) if frames else None,
        "server_reruns": len(runs["rerun"]),
        "server_rerun_median_s": statistics.median(runs["rerun"]) if runs["rerun"] else None,
        "server_rerun_p95_s": p95(runs["rerun"]) if runs["rerun"] else None,
        "server_first_run_median_s": statistics.median(runs["first"]) if runs["first"] else None,
        "open_median_s": statistics.median(opens) if opens else None,
        "open_max_s": max(opens) if opens else None,
        "wall_s": wall,
        "server_cpu_s": server_cpu,
        "browser_cpu_s": sum(sampler.browser_cpu.values()),
        "rss_cold_mb": rss_cold,
        "rss_before_mb": rss_before,
        "rss_peak_mb": sampler.peak,
        "rss_after_mb": rss_after,
        "growth_mb": rss_after - rss_before,
        "peak_growth_mb": sampler.peak - rss_before,
        "errors": errors,
        "settings": {
            k: getattr(args, k) for k in ("toggles", "think", "ramp", "server_first", "tabs")
        },
    }


def fmt(x: float | None, unit: str = "s") -> str:
    return "n/a" if x is None else f"{x:.2f} {unit}" if unit == "s" else f"{x:.0f} {unit}"


def report(r: dict) -> str:
    n = r["sessions"]
    meets = (
        r["succeeded"] == n
        and r["toggle_p95_s"] is not None
        and r["toggle_p95_s"] < GOAL["p95_s"]
        and r["growth_mb"] < GOAL["growth_mb"]
    )
    lines = [
        f"{n} sessions: {r['succeeded']}/{n} succeeded; {r['toggles']}/"
        f"{r['toggles_planned']} toggles measured in {r['wall_s']:.0f} s",
        f"  toggle -> score shown: median {fmt(r['toggle_median_s'])}, p95 "
        f"{fmt(r['toggle_p95_s'])}, max {fmt(r['toggle_max_s'])}",
        f"  toggle -> score frame received: median {fmt(r['frame_median_s'])}, p95 "
        f"{fmt(r['frame_p95_s'])}",
        f"  server, rerun request -> run finished: median {fmt(r['server_rerun_median_s'])}, "
        f"p95 {fmt(r['server_rerun_p95_s'])} ({r['server_reruns']} reruns); a session's "
        f"first run: median {fmt(r['server_first_run_median_s'])}",
        f"  open link -> score: median {fmt(r['open_median_s'])}, max {fmt(r['open_max_s'])}",
        f"  server RSS: {fmt(r['rss_cold_mb'], 'MB')} at start, "
        f"{fmt(r['rss_before_mb'], 'MB')} after warm-up, peak {fmt(r['rss_peak_mb'], 'MB')}, "
        f"{fmt(r['rss_after_mb'], 'MB')} after; growth {r['growth_mb']:+.0f} MB "
        f"(peak {r['peak_growth_mb']:+.0f} MB)",
        f"  CPU while the sessions ran: server {r['server_cpu_s']:.0f} s "
        f"({100 * r['server_cpu_s'] / r['wall_s']:.0f}% of one core), browsers "
        f"{r['browser_cpu_s']:.0f} s, over {r['wall_s']:.0f} s",
        f"  goal (all succeed, p95 < {GOAL['p95_s']:.0f} s, growth < "
        f"{GOAL['growth_mb']:.0f} MB): {'met' if meets else 'NOT met'}",
    ]
    lines += [f"  error: {e}" for e in r["errors"]]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sessions",
        type=int,
        nargs="+",
        default=[10, 25],
        help="session counts to run, each on a fresh server (default 10 25)",
    )
    parser.add_argument(
        "--toggles",
        type=int,
        default=3,
        help="states each session adds and removes again (default 3)",
    )
    parser.add_argument(
        "--think",
        type=float,
        default=2.0,
        help="seconds a session looks at each new score before the next toggle (default 2)",
    )
    parser.add_argument(
        "--ramp",
        type=float,
        default=30,
        help="seconds over which the sessions' starts are spread (default 30)",
    )
    parser.add_argument(
        "--server-first", action="store_true", help="run Chromium at nice 15, below the server"
    )
    parser.add_argument(
        "--tabs",
        action="store_true",
        help="sessions as tabs of one browser profile (shared caches) instead of one each",
    )
    parser.add_argument(
        "--action-timeout",
        type=float,
        default=60,
        help="seconds one page load or toggle may take (default 60)",
    )
    parser.add_argument(
        "--deadline",
        type=float,
        default=300,
        help="seconds all sessions of one N may take (default 300)",
    )
    parser.add_argument("--json", action="store_true", help="also print the figures as JSON")
    args = parser.parse_args()
    load = os.getloadavg()[0]
    print(
        f"bench_load: {os.cpu_count()} CPUs, load average {load:.2f} at start; "
        f"{args.toggles} toggles a session, {args.think:g} s after each, starts spread "
        f"over {args.ramp:g} s{', browsers at nice 15' if args.server_first else ''}"
    )
    for n in args.sessions:
        result = asyncio.run(bench(n, args))
        print(report(result), flush=True)
        if args.json:
            print(json.dumps(result))


if __name__ == "__main__":
    main()

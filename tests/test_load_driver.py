"""The load driver (benchmarks/load.py) speaks Streamlit's protocol to a real server.

The driver runs in a subprocess, as people run it: importing it would let Locust's gevent
patch this test process. Message handling is also checked here on hand-built ForwardMsgs
(benchmarks/visit.py imports gevent but patches nothing). No timing is asserted.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from streamlit.proto.ButtonGroup_pb2 import ButtonGroup
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

ROOT = Path(__file__).resolve().parent.parent
LOAD = ROOT / "benchmarks" / "load.py"
CONTRACT = {"users", "actions", "failed", "p50_ms", "p95_ms", "max_ms", "server_rss_growth_mb"}
ACTIONS = {"open build", "toggle member", "change framing", "open compare"}

sys.path.insert(0, str(ROOT / "benchmarks"))
import visit  # noqa: E402


def drive(*args: str, timeout: float = 180) -> dict:
    done = subprocess.run(
        [sys.executable, str(LOAD), "--json", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def broken_app(tmp_path_factory):
    """A Streamlit server whose script always raises."""
    tmp_path = tmp_path_factory.mktemp("broken")
    (tmp_path / "broken.py").write_text('raise RuntimeError("the page broke")\n')
    port = free_port()
    cmd = [sys.executable, "-m", "streamlit", "run", "broken.py", "--server.headless=true"]
    cmd += [f"--server.port={port}", "--server.address=127.0.0.1"]
    with open(tmp_path / "log", "wb") as log:
        proc = subprocess.Popen(
            cmd,
            cwd=tmp_path,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
                    if r.read() == b"ok":
                        break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("the broken app's server did not start")
                time.sleep(0.3)
        yield url, proc.pid
    finally:
        proc.terminate()
        proc.wait(10)


class TestAgainstTheDashboard:
    def test_one_visitor_one_session_succeeds_and_reports_every_key(self):
        # --think 0 and four actions: one whole session (open, toggle, framing, compare).
        out = drive("--users", "1", "--think", "0", "--actions", "4", "--warmup", "0")
        assert out.keys() >= CONTRACT
        assert out["users"] == 1
        assert out["actions"] == 4
        assert out["failed"] == 0, out["errors"]
        assert set(out["by_action"]) == ACTIONS
        assert 0 < out["p50_ms"] <= out["p95_ms"] <= out["max_ms"]
        assert isinstance(out["server_rss_growth_mb"], float)  # it started the server itself
        assert out["server_processes"] == 1
        assert out["server_cpu_ms_per_action"] > 0
        # the steady state: actions started once every visitor arrived and thought once
        assert 0 <= out["settled_actions"] <= out["actions"]
        assert out["settled_after_s"] == 1.0  # --ramp defaults to --think, or 1 s at 0
        if out["settled_actions"]:
            assert out["settled_p50_ms"] <= out["settled_p95_ms"] <= out["max_ms"]

    def test_the_links_mix_opens_a_new_shared_link_each_action(self):
        out = drive("--mix", "links", "--users", "1", "--think", "0", "--actions", "3")
        assert out.keys() >= CONTRACT
        assert (out["actions"], out["failed"], out["mix"]) == (3, 0, "links")
        assert set(out["by_action"]) == {"open shared link"}
        assert out["server_cpu_ms_per_action"] > 0


class TestFailures:
    def test_an_exception_on_the_page_fails_the_action(self, broken_app):
        url, pid = broken_app
        out = drive(
            *("--url", url, "--pid", str(pid), "--warmup", "0", "--think", "0"),
            *("--users", "1", "--actions", "2"),
        )
        assert out["actions"] >= 1
        assert out["failed"] == out["actions"]
        assert any("the page broke" in e for e in out["errors"]), out["errors"]

    def test_a_server_that_is_not_there_fails_every_action_and_still_reports(self):
        url = f"http://127.0.0.1:{free_port()}"  # nothing listens there
        out = drive("--url", url, "--warmup", "0", "--think", "0", "--actions", "6")
        assert out["actions"] >= 6
        assert out["failed"] == out["actions"]
        assert set(out["by_action"]) == ACTIONS  # a tab with no connection fails each step

    def test_without_a_watched_process_the_memory_growth_is_null(self, broken_app):
        url, _ = broken_app
        out = drive("--url", url, "--warmup", "0", "--think", "0", "--actions", "1")
        assert out["server_rss_growth_mb"] is None

    def test_a_failed_warm_up_stops_the_run_with_one_line(self, broken_app):
        url, _ = broken_app
        done = subprocess.run(
            [sys.executable, str(LOAD), "--url", url, "--json"],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 1
        assert "warm-up session failed at 'open build'" in done.stderr
        assert "Traceback" not in done.stderr
        assert done.stdout == ""

    @pytest.mark.parametrize(
        ("args", "message"),
        [
            (["--users", "0"], "--users must be at least 1"),
            (["--url", "localhost:8501"], "--url must start with http"),
            (["--url", "http://127.0.0.1:8501", "--pid", "x"], "no running process 'x'"),
            (["--pid", "1"], "without --url"),
        ],
    )
    def test_bad_options_exit_2_with_one_line(self, args, message):
        done = subprocess.run(
            [sys.executable, str(LOAD), *args], capture_output=True, text=True, timeout=60
        )
        assert done.returncode == 2
        assert message in done.stderr
        assert "Traceback" not in done.stderr


def button_group(label: str, options: list[str], **fields) -> visit.Widget:
    proto = ButtonGroup(id=f"$$ID-{label}", label=label, **fields)
    for o in options:
        proto.options.add(content=o)
    return visit.Widget(proto.id, "button_group", proto)


class TestWidgetState:
    """The state the driver sends is the one the server drew, as the browser's would be."""

    def test_a_value_set_by_the_server_wins_over_the_default(self):
        w = button_group("Framing", ["Alliance", "Dialogue"], default=[0], set_value=True)
        w.proto.raw_values.append("Dialogue")
        assert list(visit.widget_state(w).string_array_value.data) == ["Dialogue"]

    def test_without_a_set_value_the_default_options_are_the_state(self):
        w = button_group("Oceania", ["Australia", "New Zealand"], default=[1])
        assert list(visit.widget_state(w).string_array_value.data) == ["New Zealand"]

    def test_a_button_has_no_state_to_send(self):
        assert visit.widget_state(visit.Widget("b", "button", object())) is None


class TestMessages:
    def session(self) -> visit.Session:
        return visit.Session("http://127.0.0.1:1", timeout=1)

    def test_an_exception_element_is_recorded_and_fails_the_run(self):
        msg = ForwardMsg()
        msg.delta.new_element.exception.type = "KeyError"
        msg.delta.new_element.exception.message = "'USA'"
        run = visit.Run(status="FINISHED_SUCCESSFULLY")
        self.session()._take(msg, run)
        assert run.exceptions == ["KeyError: 'USA'"]
        with pytest.raises(visit.ActionFailed, match="KeyError"):
            visit.check(run)

    def test_script_finished_ends_the_run_with_its_status(self):
        msg = ForwardMsg(script_finished=ForwardMsg.FINISHED_WITH_COMPILE_ERROR)
        run = visit.Run()
        self.session()._take(msg, run)
        with pytest.raises(visit.ActionFailed, match="FINISHED_WITH_COMPILE_ERROR"):
            visit.check(run)

    def test_a_cached_message_is_found_again_by_its_hash(self):
        s = self.session()
        full = ForwardMsg(hash="abc")
        full.metadata.cacheable = True
        full.delta.new_element.button_group.CopyFrom(button_group("Europe", ["France"]).proto)
        s._take(full, visit.Run())
        s.widgets.clear()
        s._take(ForwardMsg(ref_hash="abc"), visit.Run())
        assert [w.id for w in s.widgets] == ["$$ID-Europe"]

    def test_a_reference_to_an_unknown_message_fails_the_run(self):
        run = visit.Run()
        self.session()._take(ForwardMsg(ref_hash="never-sent"), run)
        assert run.exceptions

    def test_the_page_link_follows_page_info(self):
        s = self.session()
        msg = ForwardMsg()
        msg.page_info_changed.query_string = "members=AUS%2CJPN&framing=alliance"
        s._take(msg, visit.Run())
        assert s.query_string == "members=AUS%2CJPN&framing=alliance"

"""The served dashboard runs with the hardened config: no browser needed, only HTTP."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from pathlib import Path


def get(url: str, **headers: str):
    """Status, headers (names in lower case) and body of a GET."""
    request = urllib.request.Request(url, headers=headers)
    with urllib.request.urlopen(request, timeout=10) as r:
        return r.status, {k.lower(): v for k, v in r.headers.items()}, r.read()


def test_health_answers_ok_and_sets_the_xsrf_cookie(server: str):
    status, headers, body = get(f"{server}/_stcore/health")
    assert (status, body) == (200, b"ok")
    assert "_streamlit_xsrf=" in headers.get("set-cookie", "")


def status_of(url: str) -> int:
    try:
        return get(url)[0]
    except urllib.error.HTTPError as err:
        return err.code


def test_static_files_are_the_charts_scripts_only(server: str):
    """/app/static/ serves the files of static/ (the charts' script and plotly.js, as
    JavaScript, gzipped for a browser that asks), and nothing outside it."""
    root = Path(__file__).resolve().parents[2]
    status, headers, body = get(f"{server}/app/static/charts.js")
    assert status == 200 and body == (root / "static" / "charts.js").read_bytes()
    assert headers["content-type"].split(";")[0] in ("text/javascript", "application/javascript")
    status, headers, _ = get(
        f"{server}/app/static/plotly-finance.min.js", **{"Accept-Encoding": "gzip"}
    )
    assert status == 200 and headers.get("content-encoding") == "gzip"
    for path in ("config.toml", "../app.py", "..%2Fapp.py", "../.streamlit/config.toml"):
        assert status_of(f"{server}/app/static/{path}") in (400, 404), path


def test_other_origins_get_no_cors_header(server: str):
    _, headers, _ = get(f"{server}/_stcore/health", Origin="https://elsewhere.example")
    assert "access-control-allow-origin" not in {k.lower() for k in headers}


def test_the_agent_api_is_off(server: str):
    request = urllib.request.Request(
        f"{server}/_stcore/agent/interact", data=b"{}", headers={"Content-Type": "application/json"}
    )
    try:
        urllib.request.urlopen(request, timeout=10)
        raise AssertionError("the agent API answered")
    except urllib.error.HTTPError as err:
        assert err.code == 403
        assert json.loads(err.read())["error"]["code"] == "not_available"

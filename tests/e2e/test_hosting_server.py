"""The served dashboard runs with the hardened config: no browser needed, only HTTP."""

from __future__ import annotations

import json
import urllib.error
import urllib.request


def get(url: str, **headers: str):
    request = urllib.request.Request(url, headers=headers)
    with urllib.request.urlopen(request, timeout=10) as r:
        return r.status, dict(r.headers), r.read()


def test_health_answers_ok_and_sets_the_xsrf_cookie(server: str):
    status, headers, body = get(f"{server}/_stcore/health")
    assert (status, body) == (200, b"ok")
    assert "_streamlit_xsrf=" in headers.get("set-cookie", "")


def test_no_static_files_are_served(server: str):
    """With static serving on, /app/static/ is a file route (a missing file is a 404);
    with it off, the path is just another page address and gets the app's shell."""
    _, _, shell = get(f"{server}/")
    status, _, body = get(f"{server}/app/static/config.toml")
    assert (status, body) == (200, shell)


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

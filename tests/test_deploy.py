"""deploy/: the local nginx set-up works and cleans up; the cluster manifests are valid.

nginx is Debian's (.ci/run installs it). Without it the nginx tests skip on a developer's
machine and fail in CI, where a skip would hide a missing install step. The manifests are
checked offline against the Kubernetes schemas that kubernetes-validate ships.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
import websocket
import yaml
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

ROOT = Path(__file__).resolve().parent.parent
LOCAL = ROOT / "deploy" / "local"
K8S = ROOT / "deploy" / "k8s"


@pytest.fixture(scope="module")
def nginx() -> str:
    found = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin")
    if found is None:
        message = "Debian's nginx is missing (apt-get install nginx; .ci/run does)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return found


def free_ports(n: int) -> int:
    """The first of ``n`` consecutive free loopback ports."""
    for _ in range(50):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            first = s.getsockname()[1]
        if first + n > 65535:
            continue
        try:
            for p in range(first, first + n):
                socket.create_server(("127.0.0.1", p)).close()
        except OSError:
            continue
        return first
    raise RuntimeError("no run of free ports")


def sh(script: str, *args: str, env: dict, timeout: float = 150) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LOCAL / script), *args],
        env={**os.environ, "PYTHON": sys.executable, **env},
        capture_output=True,
        text=True,
        timeout=timeout,
    )


class TestNginxConfig:
    @pytest.mark.parametrize("processes", [1, 4])
    def test_the_rendered_config_passes_nginx_t(self, nginx, tmp_path, processes):
        done = sh("nginx-conf.sh", str(processes), str(tmp_path), env={})
        assert done.returncode == 0, done.stderr
        conf = Path(done.stdout.strip())
        assert conf.read_text().count("server 127.0.0.1:") == processes
        check = subprocess.run(
            [nginx, "-t", "-p", str(tmp_path), "-c", str(conf), "-e", str(tmp_path / "e.log")],
            capture_output=True,
            text=True,
        )
        assert check.returncode == 0, check.stderr
        assert "syntax is ok" in check.stderr

    @pytest.mark.parametrize(
        ("args", "env", "message"),
        [
            (["0"], {}, "N must be a whole number from 1 to 64"),
            (["two"], {}, "N must be a whole number from 1 to 64"),
            (["2"], {"LISTEN": "0.0.0.0:8080; evil"}, "LISTEN must be ADDRESS:PORT"),
            (["2"], {"FIRST_PORT": "80"}, "FIRST_PORT must be a port from 1024 on"),
        ],
    )
    def test_bad_settings_exit_2_with_one_line(self, tmp_path, args, env, message):
        done = sh("nginx-conf.sh", *args, str(tmp_path), env=env)
        assert done.returncode == 2
        assert message in done.stderr
        assert not (tmp_path / "nginx.conf").exists()


def session_id(base: str, route: str, existing: str | None = None) -> str:
    """Open a tab with this route cookie (reconnecting to ``existing`` if given) and return
    the id of the Streamlit session that the process behind the proxy gives it."""
    req = urllib.request.Request(base + "/_stcore/health")
    req.add_header("Cookie", f"cohesion_route={route}")
    with urllib.request.urlopen(req, timeout=10) as r:
        xsrf = r.headers["Set-Cookie"].split(";")[0].split("=", 1)[1]
    ws = websocket.create_connection(
        base.replace("http", "ws", 1) + "/_stcore/stream",
        subprotocols=["streamlit", xsrf, *([existing] if existing else [])],
        origin=base,
        cookie=f"_streamlit_xsrf={xsrf}; cohesion_route={route}",
        timeout=60,
    )
    try:
        msg = BackMsg()
        msg.rerun_script.query_string = "members=quad"
        ws.send_binary(msg.SerializeToString())
        while True:
            fm = ForwardMsg()
            fm.ParseFromString(ws.recv())
            if fm.WhichOneof("type") == "new_session":
                return fm.new_session.initialize.session_id
    finally:
        ws.close()


@pytest.fixture(scope="module")
def proxy(nginx, tmp_path_factory):
    """up.sh 2 on free ports, in a temporary run directory; down.sh afterwards."""
    run_dir = tmp_path_factory.mktemp("run")
    listen = f"127.0.0.1:{free_ports(1)}"
    env = {"RUN_DIR": str(run_dir), "LISTEN": listen, "FIRST_PORT": str(free_ports(2))}
    up = sh("up.sh", "2", env=env)
    try:
        assert up.returncode == 0, up.stdout + up.stderr
        pids = [int(f.read_text()) for f in sorted(run_dir.glob("streamlit-*.pid"))]
        yield f"http://{listen}", pids, run_dir
    finally:
        sh("down.sh", env=env)


class TestLocalProxy:
    def test_a_new_visitor_gets_a_route_cookie_once(self, proxy):
        url, _, _ = proxy
        with urllib.request.urlopen(url + "/_stcore/health") as r:
            cookies = r.headers.get_all("Set-Cookie")
            assert r.read() == b"ok"
        route = [c for c in cookies if c.startswith("cohesion_route=")]
        assert len(route) == 1 and "HttpOnly" in route[0]
        again = urllib.request.Request(url + "/_stcore/health")
        again.add_header("Cookie", route[0].split(";")[0])
        with urllib.request.urlopen(again) as r:
            assert not any(c.startswith("cohesion_route=") for c in r.headers.get_all("Set-Cookie"))

    def test_a_tab_reconnects_to_its_session_and_routes_spread_over_processes(self, proxy):
        url, _, _ = proxy
        first = session_id(url, "tab-0")
        # Affinity: the same cookie always reaches the process that holds the session.
        for _ in range(3):
            assert session_id(url, "tab-0", existing=first) == first
        # Other cookies land on the other process too (a new session there): with two
        # processes, eight routes all on one would happen once in 128 runs.
        elsewhere = [session_id(url, f"route-{i}", existing=first) != first for i in range(8)]
        assert any(elsewhere)

    def test_the_load_driver_runs_a_session_through_the_proxy(self, proxy):
        url, pids, _ = proxy
        cmd = [sys.executable, str(ROOT / "benchmarks" / "load.py"), "--json", "--url", url]
        cmd += ["--pid", ",".join(map(str, pids)), "--users", "2", "--think", "0"]
        cmd += ["--actions", "8", "--warmup", "0"]
        done = subprocess.run(
            cmd,
            capture_output=True,
            text=True,
            timeout=180,
        )
        assert done.returncode == 0, done.stderr[-2000:]
        out = json.loads(done.stdout)
        assert out["failed"] == 0, out["errors"]
        assert out["actions"] >= 8
        assert out["server_processes"] == 2

    def test_every_process_uses_the_one_store(self, proxy):
        """up.sh gives each process the same COHESION_STORE (here the tests' own)."""
        _, pids, _ = proxy
        stores = set()
        for pid in pids:
            environ = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
            stores |= {e for e in environ if e.startswith(b"COHESION_STORE=")}
        assert stores == {f"COHESION_STORE={os.environ['COHESION_STORE']}".encode()}

    def test_up_refuses_to_start_twice(self, proxy):
        _, _, run_dir = proxy
        done = sh("up.sh", "1", env={"RUN_DIR": str(run_dir)})
        assert done.returncode == 1
        assert "already running" in done.stderr


class TestUpDown:
    def test_down_stops_every_process_and_leaves_no_file(self, nginx, tmp_path):
        run_dir = tmp_path / "run"
        env = {
            "RUN_DIR": str(run_dir),
            "LISTEN": f"127.0.0.1:{free_ports(1)}",
            "FIRST_PORT": str(free_ports(1)),
        }
        up = sh("up.sh", "1", env=env)
        try:
            assert up.returncode == 0, up.stdout + up.stderr
            pids = [int(f.read_text()) for f in run_dir.glob("*.pid")]
            assert len(pids) == 2  # one Streamlit process and nginx's master
            children = [
                int(p.name)
                for p in Path("/proc").iterdir()
                if p.name.isdigit() and _parent(p) in pids
            ]
        finally:
            down = sh("down.sh", env=env)
        assert down.returncode == 0, down.stderr
        assert not [p for p in pids + children if Path(f"/proc/{p}").exists()]
        assert not run_dir.exists()

    def test_up_with_a_busy_port_starts_nothing(self, nginx, tmp_path):
        run_dir = tmp_path / "run"
        with socket.create_server(("127.0.0.1", 0)) as busy:
            port = busy.getsockname()[1]
            env = {"RUN_DIR": str(run_dir), "FIRST_PORT": str(port)}
            done = sh("up.sh", "1", env=env)
        assert done.returncode == 1
        assert f"port {port} is in use" in done.stderr
        assert not run_dir.exists()


def _parent(proc: Path) -> int | None:
    try:
        return int((proc / "stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return None


# --------------------------------------------------------------------------- manifests

MANIFESTS = sorted(p for p in K8S.glob("*.yaml") if p.name != "kustomization.yaml")


def load(name: str) -> dict:
    return yaml.safe_load((K8S / name).read_text())


class TestManifests:
    @pytest.mark.parametrize("path", MANIFESTS, ids=lambda p: p.name)
    def test_each_manifest_is_valid_kubernetes(self, path):
        import kubernetes_validate

        for doc in yaml.safe_load_all(path.read_text()):
            kubernetes_validate.validate(doc, kubernetes_validate.latest_version(), strict=True)

    def test_the_validator_rejects_an_unknown_field(self):
        import kubernetes_validate

        doc = load("deployment.yaml")
        doc["spec"]["replica"] = 2
        with pytest.raises(kubernetes_validate.ValidationError):
            kubernetes_validate.validate(doc, kubernetes_validate.latest_version(), strict=True)

    def test_kustomization_applies_every_manifest_but_the_example_secret(self):
        listed = set(load("kustomization.yaml")["resources"])
        assert listed == {p.name for p in MANIFESTS} - {"secret.example.yaml"}

    def test_pods_run_without_root_and_are_probed_on_health(self):
        pod = load("deployment.yaml")["spec"]["template"]["spec"]
        assert pod["securityContext"]["runAsNonRoot"] is True
        (c,) = pod["containers"]
        assert c["securityContext"]["allowPrivilegeEscalation"] is False
        for probe in ("readinessProbe", "livenessProbe"):
            assert c[probe]["httpGet"]["path"] == "/_stcore/health"
        assert set(c["resources"]) == {"requests", "limits"}

    def test_every_replica_reads_the_cookie_secret_from_the_secret(self):
        (c,) = load("deployment.yaml")["spec"]["template"]["spec"]["containers"]
        env = {e["name"]: e for e in c["env"]}
        ref = env["STREAMLIT_SERVER_COOKIE_SECRET"]["valueFrom"]["secretKeyRef"]
        secret = load("secret.example.yaml")
        assert ref["name"] == secret["metadata"]["name"]
        assert ref["key"] in secret["stringData"]

    def test_every_replica_reads_the_store_url_from_the_secret(self):
        """Published scenarios are kept in PostgreSQL shared by every pod, not on a pod's
        disk: COHESION_STORE comes from the Secret, and the example is a PostgreSQL URL."""
        (c,) = load("deployment.yaml")["spec"]["template"]["spec"]["containers"]
        env = {e["name"]: e for e in c["env"]}
        ref = env["COHESION_STORE"]["valueFrom"]["secretKeyRef"]
        secret = load("secret.example.yaml")
        assert ref["name"] == secret["metadata"]["name"]
        assert secret["stringData"][ref["key"]].startswith("postgresql://")
        assert "volumes" not in load("deployment.yaml")["spec"]["template"]["spec"]

    def test_the_pieces_point_at_each_other(self):
        deployment, service = load("deployment.yaml"), load("service.yaml")
        labels = deployment["spec"]["template"]["metadata"]["labels"]
        assert service["spec"]["selector"].items() <= labels.items()
        (c,) = deployment["spec"]["template"]["spec"]["containers"]
        assert service["spec"]["ports"][0]["targetPort"] in {p["name"] for p in c["ports"]}
        backend = load("ingress.yaml")["spec"]["rules"][0]["http"]["paths"][0]["backend"]
        assert backend["service"]["name"] == service["metadata"]["name"]
        target = load("hpa.yaml")["spec"]["scaleTargetRef"]
        assert (target["kind"], target["name"]) == ("Deployment", deployment["metadata"]["name"])

    def test_the_ingress_keeps_a_browser_on_one_pod_by_cookie(self):
        notes = load("ingress.yaml")["metadata"]["annotations"]
        assert notes["nginx.ingress.kubernetes.io/affinity"] == "cookie"
        assert notes["nginx.ingress.kubernetes.io/affinity-mode"] == "persistent"
        assert int(notes["nginx.ingress.kubernetes.io/proxy-read-timeout"]) >= 3600


class TestReadme:
    """The Deploy section's commands are the ones in the repository."""

    def section(self) -> str:
        readme = (ROOT / "README.md").read_text(encoding="utf-8")
        return readme.split("## Deploy", 1)[1].split("\n## ", 1)[0]

    def test_the_load_command_uses_only_options_the_driver_has(self):
        (command,) = re.findall(r"^python benchmarks/load\.py (.+)$", self.section(), re.M)
        done = subprocess.run(
            [sys.executable, str(ROOT / "benchmarks" / "load.py"), "--help"],
            capture_output=True,
            text=True,
            timeout=60,
        )
        for option in re.findall(r"--[a-z]+", command):
            assert option in done.stdout, option

    def test_it_names_every_deploy_script_and_manifest_folder(self):
        section = self.section()
        needles = ("deploy/local/up.sh N", "deploy/local/down.sh", "kubectl apply -k deploy/k8s")
        for needle in needles:
            assert needle in section, needle
        for script in ("up.sh", "down.sh"):
            assert (LOCAL / script).is_file()

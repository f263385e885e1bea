"""Fixtures for the fleet tests: a frozen clock, a private PostgreSQL cluster, a fleet
server on loopback (over SQLite or PostgreSQL), a small region tree with admins, and
kiosk agents with their own state directories.

The PostgreSQL cluster is made with Debian's initdb/pg_ctl in a temporary directory on a
free port, as the ``postgres`` user when the tests run as root (CI does), so nothing has
to be running beforehand; it is stopped and deleted at the end of the session.
"""

from __future__ import annotations

import glob
import itertools
import json
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from config import CATALOGUE_FILE
from provisioning.agent import Agent
from provisioning.protocol import load_public_key, open_envelope
from provisioning.server import bundles
from provisioning.server.accounts import cli_actor
from provisioning.server.app import FleetApp
from provisioning.server.ratelimit import Admission, ClientLimits, TokenBuckets
from tests.support import FakeClock
from tests.support.closing import closing_all

START = 1_767_229_200.0  # 2026-01-01 09:00 CST
PASSWORD = "correct horse battery"
SITES = ("s-0001", "s-0002", "s-0101")
CATALOGUE = json.loads(CATALOGUE_FILE.read_text(encoding="utf-8"))  # the shipped matters


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


# ---- PostgreSQL --------------------------------------------------------------------------


def _pg_bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=_version_key)
    if found:
        return found[-1]
    path = shutil.which(name)
    if path is None:
        raise RuntimeError(f"{name} not found: install Debian's postgresql (scripts/setup.sh)")
    return path


def _version_key(path: str) -> int:
    part = path.split("/")[4]
    return int(part) if part.isdigit() else 0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class PgCluster:
    """A throwaway cluster; ``new_database()`` gives each test an empty database."""

    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="fleet-pg-"))
        self.user = pwd.getpwnam("postgres") if os.geteuid() == 0 else None
        if self.user is not None:
            os.chown(self.dir, self.user.pw_uid, self.user.pw_gid)
        self.port = _free_port()
        self.data = self.dir / "data"
        self._count = itertools.count(1)
        self._run(_pg_bin("initdb"), "-D", str(self.data), "-A", "trust", "-U", "fleet",
                  "-E", "UTF8", "--locale=C", "--no-sync")  # fmt: skip
        options = (f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1"
                   " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
                   " -c max_connections=200")  # fmt: skip
        self._run(_pg_bin("pg_ctl"), "-D", str(self.data), "-o", options,
                  "-l", str(self.dir / "server.log"), "-w", "-t", "60", "start")  # fmt: skip
        self.base = f"postgresql://fleet@127.0.0.1:{self.port}"

    def _run(self, *cmd: str) -> None:
        if self.user is not None:
            cmd = ("runuser", "-u", "postgres", "--", *cmd)
        result = subprocess.run(cmd, capture_output=True, text=True, timeout=120, cwd=self.dir)
        if result.returncode != 0:
            raise RuntimeError(f"{cmd[0]} failed: {result.stdout}{result.stderr}")

    def new_database(self) -> str:
        import psycopg

        name = f"fleet_{next(self._count)}"
        with psycopg.connect(f"{self.base}/postgres", autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        return f"{self.base}/{name}"

    def restart(self) -> None:
        """Every server connection to this cluster breaks (what a failover does)."""
        self._run(_pg_bin("pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "-t", "60",
                  "-l", str(self.dir / "server.log"), "restart")  # fmt: skip

    def stop(self) -> None:
        try:
            self._run(_pg_bin("pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[PgCluster]:
    cluster = PgCluster()
    yield cluster
    cluster.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest) -> str | None:
    """None = the embedded SQLite file; otherwise a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return None
    cluster: PgCluster = request.getfixturevalue("pg_cluster")
    return cluster.new_database()


# ---- the server --------------------------------------------------------------------------

ROOT = Path(__file__).resolve().parents[2]


class Served:
    """``kiosk-fleet serve`` as its own process: ``url`` once it listens, ``stop()`` sends
    SIGTERM and returns the exit status."""

    def __init__(self, data: Path, *args: str, db: str | None = None, log: Path) -> None:
        argv = [sys.executable, "-c", "import sys; from provisioning.server.cli import main;"
                " sys.exit(main())", "--data-dir", str(data)]  # fmt: skip
        if db:
            argv += ["--db", db]
        self._log = log.open("w")
        self.proc = subprocess.Popen(
            [*argv, "serve", "--port", "0", *args], stdout=subprocess.PIPE, stderr=self._log,
            text=True, env=os.environ | {"PYTHONPATH": str(ROOT)},
        )  # fmt: skip
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()  # the server says where it listens, then serves
        assert "listening on" in line, line + log.read_text()
        self.url = line.split("listening on ")[1].split()[0]
        self.log = log

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.communicate(timeout=60)
        except subprocess.TimeoutExpired:  # stuck (a failing test's doing): leave no process
            self.proc.kill()
            self.proc.communicate()
        self._log.close()
        return self.proc.returncode


@pytest.fixture
def serve_fleet(tmp_path: Path) -> Iterator[Callable[..., Served]]:
    """``serve_fleet(*args, db=..., data=...)``: a ``kiosk-fleet serve`` process."""
    logs = itertools.count()

    def start(*args: str, db: str | None = None, data: Path | None = None) -> Served:
        log = tmp_path / f"serve-{next(logs)}.log"
        return Served(data or tmp_path / "fleet", *args, db=db, log=log)

    with closing_all(start, Served.stop) as made:
        yield made


def generous_limits() -> ClientLimits:
    """Per-address limits that tests sending many requests from loopback never reach
    (the tests of those limits make their own)."""
    return ClientLimits(TokenBuckets(rate=1000, burst=1000), TokenBuckets(rate=1000, burst=1000))


def make_tree(app: FleetApp) -> None:
    fleet, actor = app.fleet, cli_actor("test")
    fleet.add_region(actor, "33", "浙江省", "province", None)
    fleet.add_region(actor, "330110", "余杭区", "county", "33")
    fleet.add_region(actor, "330110001", "仓前街道", "township", "330110")
    fleet.add_region(actor, "s-0001", "仓前村便民服务站", "site", "330110001")
    fleet.add_region(actor, "s-0002", "灵源村便民服务站", "site", "330110001")
    fleet.add_region(actor, "330122", "桐庐县", "county", "33")
    fleet.add_region(actor, "330122001", "城南街道", "township", "330122")
    fleet.add_region(actor, "s-0101", "城南银行网点驿站", "site", "330122001")
    fleet.add_admin(actor, "alice", PASSWORD, "province_admin", None)
    fleet.add_admin(actor, "bob", PASSWORD, "county_admin", "330110")
    fleet.add_admin(actor, "tom", PASSWORD, "technician", "330110")


@pytest.fixture
def server(tmp_path: Path, clock: FakeClock, db_url: str | None) -> Iterator[FleetApp]:
    app = FleetApp(
        tmp_path / "server", db_url, clock=clock,
        buckets=TokenBuckets(rate=1000, burst=1000), admission=Admission(max_inflight=64),
        client_limits=generous_limits(),
    )  # fmt: skip
    make_tree(app)
    app.start()
    yield app
    app.stop()


@pytest.fixture
def sqlite_server(tmp_path: Path, clock: FakeClock) -> Iterator[FleetApp]:
    """The same server on SQLite only, for agent-side tests that need no second run."""
    app = FleetApp(tmp_path / "server", None, clock=clock,
                   buckets=TokenBuckets(rate=1000, burst=1000),
                   client_limits=generous_limits())  # fmt: skip
    make_tree(app)
    app.start()
    yield app
    app.stop()


def otp(app: FleetApp, username: str, now: float | None = None) -> str:
    """A one-time code the server will take for ``username`` at ``now`` (its clock by
    default): the current time step, or a later one inside the ±1 step window when the
    current one was used already (each code is taken once; test clocks stand still)."""
    from provisioning.server.totp import STEP_S, code_at

    now = app.fleet.clock() if now is None else now
    with app.db.read() as tx:
        row = tx.one("SELECT totp_secret, totp_last_step FROM admins WHERE username = ?",
                     (username,))  # fmt: skip
    if row is None or not row["totp_secret"]:
        return ""
    step = max(int(now // STEP_S), (row["totp_last_step"] or -2) + 1)
    return code_at(row["totp_secret"], step * STEP_S)


def form_login(http: requests.Session, app: FleetApp, user: str = "alice") -> requests.Response:
    """Sign in through the console's form as a browser would: its CSRF token and cookie."""
    form = http.get(app.base_url + "/console/login", timeout=10)
    token = re.search(r'name="csrf" value="([^"]+)"', form.text)
    assert token is not None
    return http.post(app.base_url + "/console/login", timeout=10, allow_redirects=False,
                     data={"username": user, "password": PASSWORD, "otp": otp(app, user),
                           "csrf": token.group(1)})  # fmt: skip


class AdminApi:
    """The admin JSON API as a logged-in admin."""

    def __init__(self, base: str, username: str, password: str = PASSWORD, code: str = "") -> None:
        self.base = base
        self.http = requests.Session()
        status, body = self.call("POST", "/v1/admin/login",
                                 {"username": username, "password": password,
                                  "otp": code})  # fmt: skip
        assert status == 200, body
        self.http.headers["Authorization"] = f"Bearer {body['token']}"

    def call(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        resp = self.http.request(method, self.base + path, json=body, timeout=30)
        return resp.status_code, resp.json() if resp.content else None

    def close(self) -> None:
        self.http.close()


@pytest.fixture
def admin_api(server: FleetApp) -> Iterator[Callable[..., AdminApi]]:
    def login(username: str = "alice", password: str = PASSWORD) -> AdminApi:
        return AdminApi(server.base_url, username, password, otp(server, username))

    with closing_all(login, AdminApi.close) as made:
        yield made


def bundle_payload(server: FleetApp, site: str) -> dict[str, Any]:
    """The payload of the site's latest bundle, its signature checked."""
    with server.db.tx() as tx:
        row = bundles.latest(tx, site)
    assert row is not None
    key = server.fleet.key
    return open_envelope(json.loads(row["envelope"]), load_public_key(key.public_text), key.key_id)


# ---- kiosks ------------------------------------------------------------------------------


def no_validation(bundle_dir: Path) -> None:
    """Agents in server-side tests skip the kiosk's validators (tested on their own)."""


@pytest.fixture
def make_agent(tmp_path: Path, clock: FakeClock) -> Iterator[Callable[..., Agent]]:
    def make(name: str = "kiosk", **kwargs: Any) -> Agent:
        kwargs.setdefault("clock", clock)
        kwargs.setdefault("validate", no_validation)
        kwargs.setdefault("software_version", "0.1.0")
        return Agent(tmp_path / name, **kwargs)

    with closing_all(make, Agent.close) as made:
        yield made


@pytest.fixture
def accept() -> Callable[..., Any]:
    """``accept(app, agent, site)``: enroll with a fresh code and approve into ``site``."""

    def run(app: FleetApp, agent: Agent, site: str = "s-0001", serial: str = "SN-1") -> Any:
        actor = cli_actor("test")
        code, _ = app.fleet.pairing_code(actor, site)
        agent.enroll(app.base_url, code, serial)
        return app.fleet.approve(actor, agent.key.device_id, site)

    return run


@pytest.fixture
def accepted(make_agent: Callable[..., Agent], accept: Callable[..., Any]) -> Callable[..., Agent]:
    """``accepted(app)``: a new kiosk, enrolled with a fresh code and approved into s-0001."""

    def make(app: FleetApp) -> Agent:
        agent = make_agent()
        accept(app, agent)
        return agent

    return make


class RealTime:
    """The server on real time, for a kiosk whose agent runs on the wall clock (``kiosk
    agent sync``, the kiosk's runtime): a test overrides ``clock`` with it."""

    def __call__(self) -> float:
        return time.time()

    def advance(self, seconds: float) -> None:
        raise AssertionError("the wall clock cannot be moved")


@pytest.fixture
def on_first_bundle(
    sqlite_server: FleetApp, make_agent: Callable[..., Agent], accept: Callable[..., Any]
) -> Callable[..., Agent]:
    """``on_first_bundle(**agent_args)``: an accepted kiosk running a first good bundle
    (idle timeout 180 s, the shipped catalogue)."""

    def make(**agent_args: Any) -> Agent:
        agent = make_agent(**agent_args)
        first = {"settings": {"session": {"idle_timeout_s": 180}}, "catalogue": CATALOGUE}
        sqlite_server.fleet.push(cli_actor("test"), "33", first)
        accept(sqlite_server, agent)
        report = agent.sync_once(apply=True)
        assert report["applied"] is not None, report
        return agent

    return make


def as_kiosk_default(agent: Agent, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The agent's state directory made the kiosk's default (no KIOSK_CONFIG), the agent
    stopped: what a kiosk starting up reads."""
    monkeypatch.delenv("KIOSK_CONFIG", raising=False)
    monkeypatch.setenv("KIOSK_STATE_DIR", str(agent.root.parent))
    agent.close()
    return agent.root.parent

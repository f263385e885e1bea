"""A private PostgreSQL cluster for the fleet benchmarks (defaults: fsync on), run as the
postgres user when the benchmark runs as root; stopped and deleted at the end. And
:func:`each_engine`, which runs a benchmark on SQLite and on such a cluster in turn."""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path


class PgCluster:
    def __init__(self, root: Path, max_connections: int = 200) -> None:
        self.dir = root / "pg"
        self.dir.mkdir()
        bins = sorted(Path("/usr/lib/postgresql").glob("*/bin"))
        self.bin = bins[-1] if bins else Path(shutil.which("initdb") or "initdb").parent
        self.user = pwd.getpwnam("postgres") if os.geteuid() == 0 else None
        if self.user is not None:
            os.chown(root, self.user.pw_uid, self.user.pw_gid)
            os.chown(self.dir, self.user.pw_uid, self.user.pw_gid)
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self._run("initdb", "-D", str(self.dir / "data"), "-A", "trust", "-U", "fleet",
                  "-E", "UTF8", "--locale=C")  # fmt: skip
        self._run("pg_ctl", "-D", str(self.dir / "data"), "-l", str(self.dir / "log"), "-w",
                  "-o", f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1"
                  f" -c max_connections={max_connections}", "start")  # fmt: skip
        self.url = f"postgresql://fleet@127.0.0.1:{self.port}/postgres"
        found = subprocess.run([str(self.bin / "postgres"), "--version"], check=True,
                               capture_output=True, text=True)  # fmt: skip
        self.version = found.stdout.split()[-1]

    def _run(self, tool: str, *args: str) -> None:
        cmd = [str(self.bin / tool), *args]
        if self.user is not None:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        subprocess.run(cmd, check=True, capture_output=True, cwd=self.dir, timeout=120)

    def analyze(self) -> None:
        """Planner statistics now, as autovacuum would soon after a bulk load."""
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute("VACUUM ANALYZE")

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.dir / "data"), "-m", "fast", "-w", "stop")


Rows = list[list[str]]


def each_engine(
    names: str, prefix: str, run: Callable[[str, Path, PgCluster | None], Rows]
) -> tuple[Rows, list[str]]:
    """``run(engine, data_dir, cluster)`` for each engine of ``names`` ("sqlite,postgresql"),
    in a temporary folder; PostgreSQL on a private cluster, stopped when its run ends.
    The rows of all runs, and the version of each PostgreSQL used (for the report)."""
    rows: Rows = []
    versions: list[str] = []
    with tempfile.TemporaryDirectory(prefix=prefix) as tmp:
        os.chmod(tmp, 0o755)  # the cluster runs as the postgres user
        for engine in names.split(","):
            root = Path(tmp) / engine
            root.mkdir()
            cluster = PgCluster(root) if engine == "postgresql" else None
            if cluster is not None:
                versions.append(cluster.version)
            try:
                rows += run(engine, root / "data", cluster)
            finally:
                if cluster is not None:
                    cluster.stop()
    return rows, versions

"""Run pcscd with the vpcd virtual readers for tests, the benchmark and demos.

Not used by the kiosk at run time (there pcscd is the system's service). A fresh CI
machine has pcscd installed but not running; :meth:`PcscdService.ensure` starts one
(``pcscd --foreground --auto-exit -c DIR``, as root) with its own reader configuration
holding vpcd's entry, waits until the ``Virtual PCD`` readers are listed, and stops it
when done. If a pcscd is already running (the system's), it is used as it is and never
stopped or restarted: tests that need to restart pcscd call :meth:`require_control`,
which says plainly what to do instead of failing obscurely.

``--auto-exit`` makes a pcscd left behind by a killed test run exit by itself after
60 idle seconds; :meth:`ensure` starts a new one whenever it finds none.

Our pcscd's vpcd listens on ports 29963/29964, not Debian's 35963/35964: those lie in
Linux's ephemeral range (32768-60999), and a loopback connection of any other program
that happened to use one of them leaves it in TIME_WAIT for a minute, during which vpcd
cannot bind it ("Address already in use") and pcscd comes up without the readers. The
port is published in ``$KIOSK_VPCD_PORT`` so virtual cards, here and in child
processes, connect to it.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

from smartcard import scard

from devices.smartcard.vpcd import PORT_ENV, VPCD_PORT

log = logging.getLogger(__name__)

PID_FILE = Path("/run/pcscd/pcscd.pid")
SYSTEM_VPCD_CONF = Path("/etc/reader.conf.d/vpcd")
VPCD_DRIVER = Path("/usr/lib/pcsc/drivers/serial/libifdvpcd.so")
TEST_VPCD_PORT = 29963  # below the ephemeral port range: see the module docstring
VPCD_CONF = """FRIENDLYNAME "Virtual PCD"
DEVICENAME   /dev/null:0x{port:04X}
LIBPATH      {driver}
CHANNELID    0x{port:04X}
"""


def _vpcd_driver() -> str:
    """The driver path from Debian's reader.conf.d/vpcd, else the usual one."""
    try:
        for line in SYSTEM_VPCD_CONF.read_text().splitlines():
            if line.startswith("LIBPATH"):
                return line.split(None, 1)[1].strip()
    except OSError:
        pass
    return str(VPCD_DRIVER)


def configured_vpcd_port(pid: int) -> int:
    """The vpcd port of a running pcscd: from its ``-c`` directory, else the system's."""
    conf = SYSTEM_VPCD_CONF
    try:
        argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\x00")
        if b"-c" in argv:
            conf = Path(argv[argv.index(b"-c") + 1].decode()) / "vpcd"
        for line in conf.read_text().splitlines():
            if line.startswith("CHANNELID"):
                return int(line.split()[1], 0)
    except (OSError, ValueError, IndexError):
        pass
    return VPCD_PORT


class PcscdError(RuntimeError):
    pass


def running_pid() -> int | None:
    """The pid of a live pcscd, from its pid file; None if none runs."""
    try:
        pid = int(PID_FILE.read_text().strip("\x00\n "))
        comm = Path(f"/proc/{pid}/comm").read_text().strip()
    except (OSError, ValueError):
        return None
    return pid if comm == "pcscd" else None


def slot_has_card(reader: str) -> bool | None:
    """Whether pcscd sees a card in ``reader`` (None if pcscd or the reader is missing)."""
    hresult, context = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
    if hresult != scard.SCARD_S_SUCCESS:
        return None
    try:
        hresult, states = scard.SCardGetStatusChange(
            context, 0, [(reader, scard.SCARD_STATE_UNAWARE)]
        )
        if hresult != scard.SCARD_S_SUCCESS or states[0][1] & scard.SCARD_STATE_UNKNOWN:
            return None
        return bool(states[0][1] & scard.SCARD_STATE_PRESENT)
    finally:
        scard.SCardReleaseContext(context)


def wait_for_card(reader: str, present: bool, timeout: float = 10.0) -> bool:
    """Wait until pcscd sees ``reader`` with (or without) a card; False on timeout.

    Between two tests: pcscd polls vpcd every 0.4 s, so it learns late that a virtual
    card went away; the next test must not find the previous card still "present".
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        seen = slot_has_card(reader)
        if seen is present or (seen is None and not present):  # no reader: no card either
            return True
        time.sleep(0.05)
    return False


def assert_readers_empty(timeout: float = 10.0) -> None:
    """Both vpcd readers without a card, as pcscd sees them (between tests)."""
    from devices.smartcard.simulator import reader_name

    for slot in (0, 1):
        if not wait_for_card(reader_name(slot), False, timeout):
            raise PcscdError(f"{reader_name(slot)} still holds a card after {timeout:g} s")


_SHARED: dict[str, PcscdService] = {}


def shared_service(workdir: Path) -> PcscdService:
    """One service per process, so that every test directory shares the same pcscd."""
    if "service" not in _SHARED:
        _SHARED["service"] = PcscdService(workdir)
    return _SHARED["service"].ensure()


def list_readers() -> list[str] | None:
    """The readers pcscd lists, or None when it does not answer."""
    hresult, context = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
    if hresult != scard.SCARD_S_SUCCESS:
        return None
    try:
        hresult, names = scard.SCardListReaders(context, [])
        if hresult == scard.SCARD_S_SUCCESS:
            return list(names)
        return [] if hresult == scard.SCARD_E_NO_READERS_AVAILABLE else None
    finally:
        scard.SCardReleaseContext(context)


class PcscdService:
    """See the module docstring. ``workdir`` holds the reader configuration and the log."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.config_dir = workdir / "reader.conf.d"
        self.log_path = workdir / "pcscd.log"
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def owned(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def ensure(self, timeout: float = 15.0) -> PcscdService:
        """Make sure a pcscd runs and lists the vpcd readers; start ours if none runs."""
        if self.owned:
            if not self._wait_readers(True, 0.5):  # a test left it without the readers
                self.restart()
            return self
        if running_pid() is None:
            self.start(timeout=timeout)
            return self
        if not self._wait_readers(True, timeout):
            raise PcscdError(
                "a pcscd not started by us is running without the vpcd readers: "
                "install vsmartcard-vpcd and restart it"
            )
        pid = running_pid()
        if pid is not None:
            os.environ[PORT_ENV] = str(configured_vpcd_port(pid))
        return self

    def start(self, *, virtual_readers: bool = True, timeout: float = 15.0) -> None:
        """Start our pcscd, with or without vpcd's readers configured."""
        if running_pid() is not None:
            raise PcscdError(f"pcscd already runs (pid {running_pid()})")
        self._write_config(virtual_readers)
        binary = shutil.which("pcscd") or "/usr/sbin/pcscd"
        self.workdir.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("ab") as log_file:
            self._process = subprocess.Popen(
                [binary, "--foreground", "--auto-exit", "-c", str(self.config_dir)],
                stdin=subprocess.DEVNULL,
                stdout=log_file,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        if not self._wait_readers(virtual_readers, timeout):
            tail = self.log_path.read_text(errors="replace")[-2000:]
            self.stop()
            raise PcscdError(f"pcscd did not come up within {timeout:g} s; its log:\n{tail}")
        log.info("pcscd started (pid %d)", self._process.pid)

    def stop(self, timeout: float = 10.0) -> None:
        """Stop our pcscd (a system pcscd is never touched)."""
        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout)
        deadline = time.monotonic() + timeout
        while running_pid() == process.pid and time.monotonic() < deadline:
            time.sleep(0.05)

    def restart(self, *, virtual_readers: bool = True) -> None:
        self.require_control()
        self.stop()
        self.start(virtual_readers=virtual_readers)

    def require_control(self) -> None:
        if not self.owned:
            pid = running_pid()
            raise PcscdError(
                f"this test restarts pcscd, but the running pcscd (pid {pid}) was not started "
                "by the tests: stop it (systemctl stop pcscd.socket pcscd) and run again"
            )

    def _write_config(self, virtual_readers: bool) -> None:
        self.config_dir.mkdir(parents=True, exist_ok=True)
        target = self.config_dir / "vpcd"
        if not virtual_readers:
            with contextlib.suppress(FileNotFoundError):
                target.unlink()
            return
        target.write_text(VPCD_CONF.format(port=TEST_VPCD_PORT, driver=_vpcd_driver()))
        os.environ[PORT_ENV] = str(TEST_VPCD_PORT)

    def _wait_readers(self, virtual_readers: bool, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._process is not None and self._process.poll() is not None:
                return False
            names = list_readers()
            if names is not None:
                has_virtual = any(n.startswith("Virtual PCD") for n in names)
                if has_virtual == virtual_readers:
                    return True
            time.sleep(0.1)
        return False

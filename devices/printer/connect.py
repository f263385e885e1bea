"""Open a receipt printer from its device URL.

``tcp://10.0.0.5:9100``, ``serial:///dev/ttyUSB0?baud=115200``, ``file:///dev/usb/lp0``
(write-only: status unknown), ``usb://0416:5011`` (through python-escpos's ``Usb`` and
pyusb) and ``sim://printer?paper=ok|near_end|out&cover=open&online=0&answers=0&
out_after=N&silent_after=N``, which starts :class:`PrinterSimulator` on loopback and
connects the real TCP driver to it. Any URL may add ``profile=58mm`` and profile
overrides (``encoding=gbk&chinese_font=0&native_qr=0&cut=full&status=0&left_margin=0``).
"""

from __future__ import annotations

import logging
import re
from typing import Any, cast
from urllib.parse import parse_qsl, urlsplit

from devices.printer.driver import ReceiptPrinter
from devices.printer.profiles import PrinterProfile, get_profile, with_overrides
from devices.printer.simulator import Paper, PrinterSimulator
from devices.simulation import Simulators
from devices.status import DeviceUnavailable
from devices.transport import TcpTransport, open_transport

log = logging.getLogger(__name__)
_USB = re.compile(r"^([0-9a-fA-F]{4}):([0-9a-fA-F]{4})$")


class UsbTransport:
    """USB bulk endpoints through python-escpos's ``Usb`` connector (needs pyusb)."""

    def __init__(self, vid: int, pid: int, in_ep: int = 0x82, out_ep: int = 0x01) -> None:
        from escpos.printer import Usb  # heavy (~0.5 s): only when a USB printer is used

        if not Usb.is_usable():
            raise DeviceUnavailable(
                "usb:// printers need pyusb, which is not installed; "
                "install pyusb or use file:///dev/usb/lp0"
            )
        self._usb: Any = Usb(idVendor=vid, idProduct=pid, in_ep=in_ep, out_ep=out_ep, timeout=5000)
        try:
            self._usb.open()
        except Exception as exc:  # escpos raises its own tree and pyusb's USBError
            raise DeviceUnavailable(f"cannot open USB printer {vid:04x}:{pid:04x}: {exc}") from exc

    def write(self, data: bytes) -> None:
        try:
            self._usb._raw(data)
        except Exception as exc:
            raise DeviceUnavailable(f"USB write failed: {exc}") from exc

    def read(self, n: int, timeout: float) -> bytes:
        import usb.core

        try:
            got = self._usb.device.read(self._usb.in_ep, n, max(int(timeout * 1000), 1))
        except usb.core.USBTimeoutError:
            return b""
        except usb.core.USBError as exc:
            raise DeviceUnavailable(f"USB read failed: {exc}") from exc
        return bytes(got)

    def close(self) -> None:
        self._usb.close()


def open_printer(
    url: str, profile: str | PrinterProfile = "80mm", *, simulators: Simulators | None = None
) -> ReceiptPrinter:
    """A :class:`ReceiptPrinter` for ``url``; see the module docstring.

    For ``sim://`` the started simulator is recorded in ``simulators``; the printer's
    ``.close()`` closes the transport and stops the simulator.
    """
    parts = urlsplit(url)
    params = dict(parse_qsl(parts.query))
    prof = with_overrides(get_profile(params.get("profile", profile)), params)
    if parts.scheme == "usb":
        return ReceiptPrinter(_usb_transport(url, parts.netloc, params), prof)
    if parts.scheme == "sim":
        return _simulated(prof, params, simulators)
    transport = open_transport(url)
    return ReceiptPrinter(transport, prof, can_read=parts.scheme != "file")


def _usb_transport(url: str, netloc: str, params: dict[str, str]) -> UsbTransport:
    match = _USB.match(netloc)
    if not match:
        raise ValueError(f"usb printer URL must be usb://VID:PID in hex: {url!r}")
    vid, pid = int(match[1], 16), int(match[2], 16)
    in_ep, out_ep = int(params.get("in_ep", "0x82"), 0), int(params.get("out_ep", "0x01"), 0)
    return UsbTransport(vid, pid, in_ep, out_ep)


def _simulated(
    profile: PrinterProfile, params: dict[str, str], simulators: Simulators | None
) -> ReceiptPrinter:
    paper = params.get("paper", "ok")
    if paper not in ("ok", "near_end", "out"):
        raise ValueError(f"sim printer paper must be ok, near_end or out, got {paper!r}")
    sim = PrinterSimulator(
        profile,
        cast(Paper, paper),
        cover_open=params.get("cover", "closed") == "open",
        online=params.get("online", "1") not in ("0", "false", "no"),
        answers=params.get("answers", "1") not in ("0", "false", "no"),
    )
    if "out_after" in params:
        sim.out_of_paper_after(int(params["out_after"]))
    if "silent_after" in params:
        sim.stop_answering_after(int(params["silent_after"]))
    host, port = sim.start()
    try:
        transport = TcpTransport(host, port)
    except Exception:
        sim.stop()
        raise
    printer = ReceiptPrinter(
        transport, profile, settle=False, status_timeout=_sim_wait(params), on_close=sim.stop
    )
    if simulators is not None:
        simulators.printer = sim
    log.info("printer: simulator on %s:%d (profile %s)", host, port, profile.name)
    return printer


def _sim_wait(params: dict[str, str]) -> float:
    """How long the driver waits for the simulator's status answer.

    The simulator answers on loopback, but a loaded machine can hold its thread for
    longer than a real printer takes, so an answering simulator gets a long wait (the
    answer ends it early). Silence is only waited out where the URL asks for it
    (``answers=0`` at once, ``silent_after`` after some lines), and there briefly.
    """
    if params.get("answers", "1") in ("0", "false", "no"):
        return 0.3
    return 2.0 if "silent_after" in params else 5.0

"""Typed settings, validated at start-up.

The shipped ``config/defaults.toml`` is read first, then an optional site file overrides
it key by key. A bad value stops start-up with a :class:`SettingsError` naming the file,
the key and the problem, so a technician can fix it without reading code.
"""

from __future__ import annotations

import dataclasses as dc
import os
import re
import tomllib
import typing
from pathlib import Path
from typing import Any

import msgspec

from config import DEFAULTS_FILE
from devices.printer.profiles import PROFILES
from kiosk.workdays import WorkCalendar, calendar_of


class SettingsError(Exception):
    def __init__(self, file: Path | str, key: str, problem: str) -> None:
        super().__init__(f"{file}: {key}: {problem}")
        self.file = str(file)
        self.key = key
        self.problem = problem


@dc.dataclass(frozen=True)
class NearestAlternative:
    """Where to go when this kiosk cannot serve: shown on the out-of-service screen."""

    name: str
    address: str
    hours: str
    phone: str


@dc.dataclass(frozen=True)
class SiteSettings:
    station_id: str
    station_name: str
    station_name_en: str
    region_code: str
    popular: tuple[str, ...]
    nearest_alternative: NearestAlternative
    type: str  # village | township | bank: picks the popular list when ``popular`` is empty


@dc.dataclass(frozen=True)
class UiSettings:
    language: str
    fullscreen: bool
    width: int
    height: int
    elderly_default: bool
    voice: bool
    font: str


@dc.dataclass(frozen=True)
class SessionSettings:
    idle_timeout_s: int
    idle_warning_s: int
    max_extensions: int


@dc.dataclass(frozen=True)
class DeviceSettings:
    idcard: str
    smartcard: str
    printer: str
    printer_profile: str
    docscan: str
    camera: str
    qr_backend: str
    idcard_photo_decoder: str  # the licensed WLT decoder library's path; "" = none


@dc.dataclass(frozen=True)
class PlatformSettings:
    url: str
    device_id: str
    token: str
    timeout_s: float


@dc.dataclass(frozen=True)
class PathSettings:
    state_dir: str
    catalogue: str


@dc.dataclass(frozen=True)
class ServiceSettings:
    """The services around the handling modes: who calls back for 延时办 and when, the
    mobile channel for 自助办, when a case turns yellow."""

    callback_org: str
    callback_days: int
    mobile_url: str  # with {code}: the matter on the province's mobile channel
    warn_days: int


@dc.dataclass(frozen=True)
class AppointmentSettings:
    min_days_ahead: int
    working_days: int
    per_person_per_day: int
    cancel_before_hours: float


@dc.dataclass(frozen=True)
class CalendarSettings:
    """The fleet's holiday list over the statutory calendar (kiosk.workdays): dates as
    ``YYYY-MM-DD`` or runs ``A..B``."""

    holidays: tuple[str, ...]  # days off (法定节假日)
    workdays: tuple[str, ...]  # make-up working days (调休上班)
    years: tuple[int, ...]  # years these lists give in full

    def calendar(self) -> WorkCalendar:
        return calendar_of(self.holidays, self.workdays, self.years)


@dc.dataclass(frozen=True)
class StaffSettings:
    idle_s: int  # a signed-in agent left alone this long is signed out
    max_pin_failures: int
    lockout_s: int


@dc.dataclass(frozen=True)
class MaintenanceSettings:
    outbox_full: int  # pending applications at which an offline kiosk stops accepting
    health_interval_s: int  # how often devices and network paths are checked


@dc.dataclass(frozen=True)
class UpdateSettings:
    """When and how a new software version may arrive (terminal/updater/)."""

    hours: str  # "01:00-05:00": when a new version may start; "" = whenever idle
    download_kbps: int  # the download's cap, so the outbox keeps its share of the line
    prove_within_s: int  # a new version proves itself healthy within this, or goes back


@dc.dataclass(frozen=True)
class Settings:
    site: SiteSettings
    ui: UiSettings
    session: SessionSettings
    devices: DeviceSettings
    platform: PlatformSettings
    paths: PathSettings
    services: ServiceSettings
    appointments: AppointmentSettings
    staff: StaffSettings
    maintenance: MaintenanceSettings
    calendar: CalendarSettings
    updates: UpdateSettings

    @property
    def state_dir(self) -> Path:
        return Path(self.paths.state_dir) if self.paths.state_dir else default_state_dir()


def default_state_dir() -> Path:
    """``$KIOSK_STATE_DIR``, else ``~/.local/state/bianmin-kiosk``."""
    env = os.environ.get("KIOSK_STATE_DIR")
    return Path(env) if env else Path.home() / ".local" / "state" / "bianmin-kiosk"


LANGUAGES = ("zh_CN", "en")
PRINTER_PROFILES = tuple(PROFILES)
QR_BACKENDS = ("zxing", "zbar")  # devices.qr.BACKENDS; kept here so settings load fast
_DEVICE_URL = re.compile(r"^(sim|serial|tcp|file|usb|v4l2|pcsc)://\S*$")
_SMARTCARD_URL = re.compile(r"^(pcsc://[^\s?]*|sim://smartcard)(\?\S*)?$")
_HTTP_URL = re.compile(r"^https?://[^\s/]+(/\S*)?$")


def _check_rules(s: Settings) -> list[tuple[str, str]]:
    """Cross-field and range rules; returns (key, problem) pairs."""
    bad: list[tuple[str, str]] = []
    if not re.fullmatch(r"\d{12}", s.site.region_code):
        bad.append(("site.region_code", "must be a 12-digit division code"))
    if not re.fullmatch(r"[A-Za-z0-9_-]{1,64}", s.site.station_id):
        bad.append(("site.station_id", "must be 1-64 letters, digits, '-' or '_'"))
    if s.ui.language not in LANGUAGES:
        bad.append(("ui.language", f"must be one of {', '.join(LANGUAGES)}"))
    if not (320 <= s.ui.width <= 7680 and 240 <= s.ui.height <= 4320):
        bad.append(("ui.width", "window size out of range (320x240 .. 7680x4320)"))
    if s.ui.font and not Path(s.ui.font).is_file():
        bad.append(("ui.font", f"no such font file: {s.ui.font}"))
    if not 30 <= s.session.idle_timeout_s <= 3600:
        bad.append(("session.idle_timeout_s", "must be between 30 and 3600 seconds"))
    if s.session.idle_warning_s < 20:
        bad.append(("session.idle_warning_s", "must be at least 20 seconds"))
    elif s.session.idle_warning_s >= s.session.idle_timeout_s:
        bad.append(("session.idle_warning_s", "must be shorter than session.idle_timeout_s"))
    if not 0 <= s.session.max_extensions <= 100:
        bad.append(("session.max_extensions", "must be between 0 and 100"))
    for name in ("idcard", "smartcard", "printer", "docscan", "camera"):
        if not _DEVICE_URL.match(getattr(s.devices, name)):
            bad.append((f"devices.{name}", "must be a device URL such as sim://..., tcp://..."))
    if not _SMARTCARD_URL.match(s.devices.smartcard):
        bad.append(("devices.smartcard", "must be pcsc://READER-NAME-PART or sim://smartcard?..."))
    decoder = s.devices.idcard_photo_decoder
    if decoder and not Path(decoder).is_file():
        bad.append(("devices.idcard_photo_decoder", f"no such library file: {decoder}"))
    if s.devices.qr_backend not in QR_BACKENDS:
        bad.append(("devices.qr_backend", f"must be one of {', '.join(QR_BACKENDS)}"))
    if s.devices.printer_profile not in PRINTER_PROFILES:
        bad.append(("devices.printer_profile", f"must be one of {', '.join(PRINTER_PROFILES)}"))
    if s.platform.url and not _HTTP_URL.match(s.platform.url):
        bad.append(("platform.url", "must be empty (embedded sandbox) or an http(s) URL"))
    if s.paths.catalogue and not Path(s.paths.catalogue).is_file():
        bad.append(("paths.catalogue", f"no such file: {s.paths.catalogue}"))
    if not 0.5 <= s.platform.timeout_s <= 120:
        bad.append(("platform.timeout_s", "must be between 0.5 and 120 seconds"))
    return bad + _check_services(s)


SITE_TYPES = ("village", "township", "bank")


def _check_services(s: Settings) -> list[tuple[str, str]]:
    bad: list[tuple[str, str]] = []
    if s.site.type not in SITE_TYPES:
        bad.append(("site.type", f"must be one of {', '.join(SITE_TYPES)}"))
    if not 0 <= s.services.callback_days <= 10:
        bad.append(("services.callback_days", "must be between 0 and 10 working days"))
    if not _HTTP_URL.match(s.services.mobile_url.replace("{code}", "x")):
        bad.append(("services.mobile_url", "must be an http(s) URL (with {code})"))
    if not 0 <= s.services.warn_days <= 30:
        bad.append(("services.warn_days", "must be between 0 and 30"))
    a = s.appointments
    if not (0 <= a.min_days_ahead <= 30 and 1 <= a.working_days <= 60):
        bad.append(("appointments.working_days", "booking window out of range"))
    if not 1 <= a.per_person_per_day <= 10:
        bad.append(("appointments.per_person_per_day", "must be between 1 and 10"))
    if not 0 <= a.cancel_before_hours <= 72:
        bad.append(("appointments.cancel_before_hours", "must be between 0 and 72"))
    if not 60 <= s.staff.idle_s <= 8 * 3600:
        bad.append(("staff.idle_s", "must be between 60 seconds and 8 hours"))
    if not 3 <= s.staff.max_pin_failures <= 10:
        bad.append(("staff.max_pin_failures", "must be between 3 and 10"))
    if not 60 <= s.staff.lockout_s <= 86_400:
        bad.append(("staff.lockout_s", "must be between 60 seconds and a day"))
    return bad + _check_maintenance(s)


_PHONE_TEXT = re.compile(r"[0-9][0-9 ()+-]{4,23}")


def _check_maintenance(s: Settings) -> list[tuple[str, str]]:
    bad: list[tuple[str, str]] = []
    alt = s.site.nearest_alternative
    for key in ("name", "address"):
        if not 1 <= len(getattr(alt, key).strip()) <= 80:
            bad.append((f"site.nearest_alternative.{key}", "must be 1-80 characters"))
    if len(alt.hours) > 80:
        bad.append(("site.nearest_alternative.hours", "must be at most 80 characters"))
    if alt.phone and not _PHONE_TEXT.fullmatch(alt.phone):
        bad.append(("site.nearest_alternative.phone", "must be a phone number (digits, -, +)"))
    if not 1 <= s.maintenance.outbox_full <= 100_000:
        bad.append(("maintenance.outbox_full", "must be between 1 and 100000"))
    if not 2 <= s.maintenance.health_interval_s <= 3600:
        bad.append(("maintenance.health_interval_s", "must be between 2 and 3600 seconds"))
    return bad + _check_calendar(s.calendar) + _check_updates(s.updates)


_HOURS = re.compile(r"([01][0-9]|2[0-3]):[0-5][0-9]-([01][0-9]|2[0-3]):[0-5][0-9]")


def _check_updates(u: UpdateSettings) -> list[tuple[str, str]]:
    bad: list[tuple[str, str]] = []
    if u.hours and (not _HOURS.fullmatch(u.hours) or u.hours[:5] == u.hours[6:]):
        bad.append(("updates.hours", 'must be "HH:MM-HH:MM" (may pass midnight) or ""'))
    if not 8 <= u.download_kbps <= 1_000_000:
        bad.append(("updates.download_kbps", "must be between 8 and 1000000 KB/s"))
    if not 60 <= u.prove_within_s <= 3600:
        bad.append(("updates.prove_within_s", "must be between 60 and 3600 seconds"))
    return bad


def _check_calendar(c: CalendarSettings) -> list[tuple[str, str]]:
    for key in ("holidays", "workdays"):
        try:
            calendar_of(getattr(c, key), (), ())
        except ValueError as exc:
            return [(f"calendar.{key}", str(exc))]
    if not all(2000 <= year <= 2100 for year in c.years):
        return [("calendar.years", "years must be between 2000 and 2100")]
    try:
        c.calendar()
    except ValueError as exc:  # a date in both lists
        return [("calendar.workdays", str(exc))]
    return []


_EXPECTED = re.compile(r"Expected `([^`]+)`, got `([^`]+)`")
_TOML_NAMES = {"array": "list", "object": "table", "null": "nothing"}
_AT = re.compile(r"^(?P<reason>.*?)(?: - at `\$(?P<path>[^`]*)`)?$", re.S)


def _coerce(value: Any, hint: Any, key: str, file: Path | str) -> Any:
    """``value`` as the settings field's type says (msgspec, strict: no true/false for a
    number, no number for text), or a SettingsError naming the key."""
    if isinstance(hint, type) and dc.is_dataclass(hint):  # a sub-table, [site.nearest_alternative]
        if not isinstance(value, dict):
            raise SettingsError(file, key, "must be a table")
        known = {f.name for f in dc.fields(hint)}
        for name in value:
            if name not in known:
                raise SettingsError(file, f"{key}.{name}", "unknown key")
    try:
        return msgspec.convert(value, type=hint, strict=True)
    except msgspec.ValidationError as exc:
        m = _AT.match(str(exc))
        reason, where = (m["reason"], m["path"] or "") if m else (str(exc), "")
        if missing := re.match(r"Object missing required field `([^`]+)`", reason):
            raise SettingsError(file, f"{key}.{missing.group(1)}", "missing") from exc
        if expected := _EXPECTED.match(reason):
            want, got = (_TOML_NAMES.get(n, n) for n in expected.groups())
            reason = f"must be {want}, not {got}"
            if want == "int" and got == "bool":
                reason = "must be a whole number, not true/false"
        raise SettingsError(file, key + where.replace("$", ""), reason) from exc


def _merge(base: dict[str, Any], over: dict[str, Any], file: Path) -> None:
    """Overlay ``over`` onto ``base``, refusing keys the schema does not know."""
    for section, values in over.items():
        if section not in base:
            raise SettingsError(file, section, "unknown section")
        if not isinstance(values, dict):
            raise SettingsError(file, section, "must be a table ([section])")
        for key, value in values.items():
            if key not in base[section]:
                raise SettingsError(file, f"{section}.{key}", "unknown key")
            old = base[section][key][0]
            if isinstance(old, dict) and isinstance(value, dict):  # a sub-table: key by key
                value = {**old, **value}
            base[section][key] = (value, file)


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError as exc:
        raise SettingsError(path, "-", "file not found") from exc
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(path, "-", f"not valid TOML: {exc}") from exc
    except UnicodeDecodeError as exc:  # tomllib lets this through on non-UTF-8 bytes
        raise SettingsError(path, "-", f"not UTF-8 (bad byte at offset {exc.start})") from exc
    except OSError as exc:
        raise SettingsError(path, "-", f"cannot read: {exc.strerror or exc}") from exc


def load_settings(site_file: Path | None = None, defaults: Path = DEFAULTS_FILE) -> Settings:
    raw = _read_toml(defaults)
    tagged: dict[str, Any] = {
        sec: {k: (v, defaults) for k, v in vals.items()} for sec, vals in raw.items()
    }
    if site_file is not None:
        _merge(tagged, _read_toml(site_file), site_file)
    sections: dict[str, Any] = {}
    hints = typing.get_type_hints(Settings)
    for f in dc.fields(Settings):
        cls = hints[f.name]
        section_hints = typing.get_type_hints(cls)
        values = tagged.get(f.name, {})
        kwargs = {}
        for sf in dc.fields(cls):
            if sf.name not in values:
                raise SettingsError(defaults, f"{f.name}.{sf.name}", "missing")
            value, file = values[sf.name]
            kwargs[sf.name] = _coerce(value, section_hints[sf.name], f"{f.name}.{sf.name}", file)
        sections[f.name] = cls(**kwargs)
    settings = Settings(**sections)
    problems = _check_rules(settings)
    if problems:
        key, problem = problems[0]
        section, name = key.split(".", 2)[:2]
        file = tagged[section][name][1]
        raise SettingsError(file, key, problem)
    return settings


def with_overrides(settings: Settings, **sections: dict[str, Any]) -> Settings:
    """A copy with some keys replaced, e.g. ``with_overrides(s, ui={"fullscreen": False})``."""
    changed = {
        name: dc.replace(getattr(settings, name), **values) for name, values in sections.items()
    }
    return dc.replace(settings, **changed)

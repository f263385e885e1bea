"""Reading a PBOC 3.0 / EMV bank card: find the UnionPay application, GPO, walk the AFL.

1. List applications through the PSE (contact), else the PPSE (contactless), else by
   selecting each known UnionPay AID (EMV Book 1 §12.3).
2. SELECT the highest-priority UnionPay application; its FCI may carry a PDOL.
3. GET PROCESSING OPTIONS with the PDOL filled from :class:`Terminal`; the answer gives
   the AFL, the list of records that make up the application's data.
4. READ RECORD along the AFL, keeping only the wanted tags (PAN, expiry, name…) and
   stopping as soon as they are all in hand; the rest of each record is dropped at once.

Nothing read here is logged. The PAN stays in the returned record's memory only.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from collections.abc import Callable

from devices.smartcard import emv, tlv
from devices.smartcard.apdu import get_processing_options, read_record, select_by_name
from devices.smartcard.channel import CardChannel
from devices.smartcard.errors import FileNotFound, UnsupportedCard
from devices.smartcard.records import BankCardRecord

log = logging.getLogger(__name__)

MAX_DIRECTORY_RECORDS = 16


def list_applications(channel: CardChannel) -> list[emv.Application]:
    """The card's UnionPay applications, best priority first; [] if it lists none."""
    apps = _from_pse(channel) or _from_ppse(channel) or _by_known_aids(channel)
    unionpay = [a for a in apps if a.unionpay]
    return sorted(unionpay, key=lambda a: a.priority)


def _from_pse(channel: CardChannel) -> list[emv.Application]:
    response = channel.send(select_by_name(emv.PSE))
    if not response.ok:
        return []
    sfi = emv.parse_pse_fci(response.data)
    apps: list[emv.Application] = []
    for number in range(1, MAX_DIRECTORY_RECORDS + 1):
        record = channel.send(read_record(number, sfi=sfi))
        if not record.ok:  # 6A83: past the last record
            break
        apps += emv.parse_applications(record.data)
    return apps


def _from_ppse(channel: CardChannel) -> list[emv.Application]:
    response = channel.send(select_by_name(emv.PPSE))
    return emv.parse_applications(response.data) if response.ok else []


def _by_known_aids(channel: CardChannel) -> list[emv.Application]:
    found = []
    for aid, label in emv.UNIONPAY_AIDS.items():
        if channel.send(select_by_name(aid)).ok:
            found.append(emv.Application(aid, label))
    return found


def has_payment_application(channel: CardChannel) -> bool:
    return bool(list_applications(channel))


def read_bank_card(
    channel: CardChannel,
    *,
    terminal: emv.Terminal | None = None,
    today: Callable[[], dt.date] = dt.date.today,
    unpredictable: Callable[[int], bytes] = os.urandom,
    apps: list[emv.Application] | None = None,
) -> BankCardRecord:
    """The whole read; UnsupportedCard when the card has no UnionPay application."""
    candidates = list_applications(channel) if apps is None else apps
    if not candidates:
        raise UnsupportedCard("no UnionPay/PBOC application on the card")
    app, pdol = _select(channel, candidates)
    data = emv.pdol_data(pdol, terminal or emv.Terminal(), today(), unpredictable(4))
    _aip, afl = emv.parse_gpo(channel.check(get_processing_options(data), "GPO"))
    found = _walk(channel, afl)
    record = emv.card_record(app, found)
    log.info("smartcard: bank card read (application %s)", record.aid)
    return record


def _select(
    channel: CardChannel, candidates: list[emv.Application]
) -> tuple[emv.Application, tuple[tuple[int, int], ...]]:
    for candidate in candidates:
        try:
            fci = channel.check(select_by_name(candidate.aid), "SELECT AID")
        except FileNotFound:
            continue
        app, pdol = emv.parse_adf_fci(fci)
        return emv.Application(app.aid, app.label or candidate.label, candidate.priority), pdol
    raise UnsupportedCard("the listed UnionPay applications cannot be selected")


def _walk(channel: CardChannel, afl: list[emv.AflEntry]) -> dict[int, bytes]:
    found: dict[int, bytes] = {}
    for entry in afl:
        for number in range(entry.first, entry.last + 1):
            data = channel.check(read_record(number, sfi=entry.sfi), "READ RECORD")
            for obj in tlv.parse(data):
                for node in obj.walk():
                    if node.tag in emv.WANTED and node.tag not in found:
                        found[node.tag] = node.value
            if _complete(found):
                return found
    return found


def _complete(found: dict[int, bytes]) -> bool:
    """PAN, expiry and a name in hand: the remaining records hold nothing we keep."""
    named = emv.T_NAME in found or emv.T_NAME_EXTENDED in found
    return named and emv.T_PAN in found and emv.T_EXPIRY in found

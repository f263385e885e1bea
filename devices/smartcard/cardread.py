"""Tell a social-security card from a bank card, and read whichever it is.

A 3rd-generation social-security card carries both applications (SSSE and a PBOC debit
application for benefit payments); ``app`` picks which one to read: ``auto`` prefers
the social-security application, since that is the one that can identify a citizen.
"""

from __future__ import annotations

import datetime as dt
import enum
import os
from collections.abc import Callable

from devices.smartcard import emv
from devices.smartcard.bankcard import list_applications, read_bank_card
from devices.smartcard.channel import CardChannel
from devices.smartcard.errors import CardStatusError, UnsupportedCard
from devices.smartcard.records import CardRecord
from devices.smartcard.ssc import Unlock, read_social_security, select_ssse


class App(enum.StrEnum):
    AUTO = "auto"
    SOCIAL_SECURITY = "ssc"
    BANK = "bank"


def read_any(
    channel: CardChannel,
    *,
    app: App = App.AUTO,
    unlock: Unlock | None = None,
    terminal: emv.Terminal | None = None,
    today: Callable[[], dt.date] = dt.date.today,
    unpredictable: Callable[[int], bytes] = os.urandom,
) -> CardRecord:
    """The card's record; UnsupportedCard if it has neither application wanted."""
    if app is not App.BANK:
        try:
            select_ssse(channel)
        except CardStatusError:
            if app is App.SOCIAL_SECURITY:
                raise UnsupportedCard("no social-security (SSSE) application") from None
        else:
            return read_social_security(channel, unlock=unlock, selected=True)
    apps = list_applications(channel)
    if not apps:
        raise UnsupportedCard("neither a social-security nor a UnionPay application")
    return read_bank_card(
        channel, terminal=terminal, today=today, unpredictable=unpredictable, apps=apps
    )

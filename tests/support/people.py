"""Planted, recognisable people for the privacy tests: put on every ID card fixture and
into the scripted answers, so that any trace of them can be searched for afterwards."""

from __future__ import annotations

import dataclasses as dc

import pytest

from devices.idcard.fixtures import FIXTURES
from devices.idcard.records import CardType, IdCardRecord, with_check_digit
from terminal.demo import script

PHONE = "13977731234"
PAN = "6222027773123456787"  # passes the Luhn check the form makes
SEQUENCE = "773"  # the planted ID numbers' sequence code: 1101…773X
TYPED = (PHONE, PHONE[3:7] + PHONE[7:], PAN, PAN[6:15])  # what the script types


def planted(key: str, record: IdCardRecord, sequence: str = SEQUENCE) -> IdCardRecord:
    """The fixture's person with a recognisable name, address and ID number; birth date,
    card type and validity kept, so every journey still takes them."""
    number = record.id_number
    if record.card_type != CardType.FOREIGN_PERMANENT:
        number = with_check_digit(number[:14] + sequence)
    return dc.replace(
        record,
        name=f"蒯琤{len(key)}彧",
        address="测试省示例市蒯家村琤彧组9号" if record.address else "",
        id_number=number,
    )


def texts_of(record: IdCardRecord) -> list[str]:
    """What must never be found of a person: the whole values and the parts masking
    hides."""
    found = [record.name, record.name[1:], record.id_number]
    if record.card_type != CardType.FOREIGN_PERMANENT:
        found.append(record.id_number[6:17])  # birth date and sequence: masked out
    if record.address:
        found.append(record.address[6:])
    return found


def plant_people(monkeypatch: pytest.MonkeyPatch, sequence: str = SEQUENCE) -> list[IdCardRecord]:
    """Plant a person on every ID card fixture and the typed answers in the script.
    Tests sharing one kiosk and platform plant people of their own ``sequence``: the
    platform remembers what a person did (one appointment a day)."""
    people = []
    for key, record in list(FIXTURES.items()):
        person = planted(key, record, sequence)
        monkeypatch.setitem(FIXTURES, key, person)
        people.append(person)
    monkeypatch.setitem(script.ANSWERS, "phone", PHONE)
    monkeypatch.setitem(script.ANSWERS, "payment_card_number", PAN)
    return people

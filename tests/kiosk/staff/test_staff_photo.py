"""The chip photo for the agent: carried from the ID card read into the session's
identity only, never in its repr, and decoded only with a configured decoder."""

from __future__ import annotations

from pathlib import Path

from devices.idcard import FIXTURES
from kiosk.identity import identity_from_idcard
from kiosk.staff.desk import chip_photo


def test_the_identity_carries_the_photo_but_never_shows_it() -> None:
    record = FIXTURES["elder"]
    identity = identity_from_idcard(record)
    assert identity.photo_wlt == record.photo_wlt and len(identity.photo_wlt) == 1024
    assert "photo" not in repr(identity) and record.name not in repr(identity)


def test_no_decoder_or_no_photo_means_no_picture(tmp_path: Path) -> None:
    identity = identity_from_idcard(FIXTURES["elder"])
    assert chip_photo(identity, "") is None  # as shipped: no licensed decoder
    missing = tmp_path / "libnothere.so"
    assert chip_photo(identity, str(missing)) is None  # a library that cannot be loaded
    typed = identity.__class__("typed", "resident", identity.id_number, identity.name)
    assert chip_photo(typed, str(missing)) is None  # no photo read at all

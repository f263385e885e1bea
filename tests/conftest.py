"""Fixtures shared by every test directory: the real pcscd with the vpcd virtual readers.

CI is a fresh machine where pcscd is installed but not running: the session starts one
(``devices.smartcard.pcscd``) and stops it at the end; a pcscd already running is used
as it is. Each test gets it running, with both virtual readers empty, and leaves it so.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from devices.smartcard.pcscd import PcscdService, assert_readers_empty, shared_service


@pytest.fixture(scope="session")
def pcscd_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PcscdService]:
    service = shared_service(tmp_path_factory.mktemp("pcscd"))
    yield service
    service.stop()


@pytest.fixture
def pcscd(pcscd_service: PcscdService) -> Iterator[PcscdService]:
    """pcscd running with both virtual readers empty, before and after the test."""
    pcscd_service.ensure()
    assert_readers_empty()
    yield pcscd_service
    pcscd_service.ensure()  # a test that stopped it or hid the readers leaves it whole
    assert_readers_empty()

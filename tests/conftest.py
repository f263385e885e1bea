"""Fixtures shared by every test directory: the real pcscd with the vpcd virtual readers,
and the hypothesis profiles.

CI is a fresh machine where pcscd is installed but not running: the session starts one
(``devices.smartcard.pcscd``) and stops it at the end; a pcscd already running is used
as it is. Each test gets it running, with both virtual readers empty, and leaves it so.

Hypothesis runs under the profile named by ``HYPOTHESIS_PROFILE``: "ci" (``.ci/run``
sets it) is derandomized, so a CI failure reproduces from the same examples, and bounded;
"dev" tries more random examples, even where CI is set; unset, hypothesis's own default
applies (its built-in "ci" profile where the CI variable is set). A test's own
``@settings(max_examples=…)`` overrides only the count: it inherits the seed policy from
the profile loaded here, which happens before any test module is imported.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, settings

from devices.smartcard.pcscd import PcscdService, assert_readers_empty, shared_service

settings.register_profile(
    "ci",
    derandomize=True,
    max_examples=100,
    deadline=None,
    print_blob=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
# explicit: hypothesis loads its own "ci" profile (derandomized) when the CI variable is
# set, and a profile registered without these would inherit that from the default
settings.register_profile(
    "dev", max_examples=500, deadline=None, derandomize=False, print_blob=False
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


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

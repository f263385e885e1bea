"""Keeping the kiosk's resident memory down on glibc (Debian, UOS, Kylin).

Two calls, both no-ops where the C library is not glibc:

* :func:`limit_arenas` at start-up, before any thread: glibc gives each thread that
  allocates its own heap arena (up to 8 per core), and a page image freed by a worker
  thread leaves its arena's pages resident. Measured with ``bench/bench_app.py`` (3
  scripted journeys): 548 MB resident with the default arenas, 480-498 MB with 2
  (bench/RESULTS.md).
* :func:`release_freed_memory` when a session ends: hands freed heap pages back to
  the OS (``malloc_trim``); a session's page images are megabytes each.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os

M_ARENA_MAX = -8  # glibc malloc.h
ARENAS = 2


def _libc() -> ctypes.CDLL | None:
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
    except OSError:
        return None


def limit_arenas(arenas: int = ARENAS) -> bool:
    """Cap glibc's malloc arenas (``mallopt(M_ARENA_MAX)``) unless ``MALLOC_ARENA_MAX``
    is set in the environment (then glibc already did as told). True if capped here."""
    if os.environ.get("MALLOC_ARENA_MAX"):
        return False
    libc = _libc()
    mallopt = getattr(libc, "mallopt", None)
    if mallopt is None:
        return False
    return bool(mallopt(M_ARENA_MAX, arenas))


def release_freed_memory() -> None:
    """Hand freed heap pages back to the OS (glibc ``malloc_trim``): a session's page
    images are megabytes each, and without this the resident size only ever grows."""
    trim = getattr(_libc(), "malloc_trim", None)
    if trim is not None:
        trim(0)

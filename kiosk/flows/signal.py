"""The shape of an intent or effect that carries nothing but what it is."""

from __future__ import annotations

import dataclasses as dc


@dc.dataclass(frozen=True)
class Signal:
    """Subclasses are frozen dataclasses too (nothing to declare): equal when they are
    of the same class, usable in ``match`` as ``case Back():``."""

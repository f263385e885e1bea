"""Factories whose every product is closed at the end: a fixture that starts runtimes,
agents, servers or clients on demand hands out ``make`` and closes what it made once the
test is over, failed or not."""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")


@contextmanager
def closing_all(
    make: Callable[P, T], close: Callable[[T], object] = operator.methodcaller("close")
) -> Iterator[Callable[P, T]]:
    """``make`` as it is, but each thing it returns is closed (in order) on leaving:
    with ``close`` if given (``Served.stop``), else its own ``.close()``."""
    made: list[T] = []

    def tracked(*args: P.args, **kwargs: P.kwargs) -> T:
        thing = make(*args, **kwargs)
        made.append(thing)
        return thing

    try:
        yield tracked
    finally:
        for thing in made:
            close(thing)

"""Factories whose every product is closed at the end: a fixture that starts runtimes,
agents or clients on demand hands out ``make`` and closes what it made once the test is
over, failed or not."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import ParamSpec, Protocol, TypeVar


class Closable(Protocol):
    def close(self) -> None: ...


P = ParamSpec("P")
C = TypeVar("C", bound=Closable)


@contextmanager
def closing_all(make: Callable[P, C]) -> Iterator[Callable[P, C]]:
    """``make`` as it is, but each thing it returns is closed (in order) on leaving."""
    made: list[C] = []

    def tracked(*args: P.args, **kwargs: P.kwargs) -> C:
        thing = make(*args, **kwargs)
        made.append(thing)
        return thing

    try:
        yield tracked
    finally:
        for thing in made:
            thing.close()

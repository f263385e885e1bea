"""The loaded catalogue: look-up by code, this site's popular matters, and search."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from kiosk.catalogue.errors import UnknownMatter
from kiosk.catalogue.model import Department, Matter, Text
from kiosk.catalogue.search import SearchIndex


class Catalogue:
    """An immutable set of matters, indexed for search when built.

    Build it with :func:`kiosk.catalogue.load_catalogue`, which validates the file; the
    constructor only refuses duplicate codes.
    """

    def __init__(
        self,
        matters: Iterable[Matter],
        *,
        version: str = "",
        source: str = "",
        note: Text | None = None,
    ) -> None:
        self.matters: tuple[Matter, ...] = tuple(matters)
        self.version = version
        self.source = source
        self.note = note
        self._by_code = {m.code: m for m in self.matters}
        if len(self._by_code) != len(self.matters):
            raise ValueError("duplicate matter codes")
        self._default_order = sorted(self.matters, key=lambda m: (m.popularity, m.code))
        self._index = SearchIndex(self.matters)

    def without(self, codes: Iterable[str]) -> Catalogue:
        """This catalogue less the matters ``codes`` name (a fleet's exclude_matters);
        itself when none of them is here."""
        gone = set(codes) & self._by_code.keys()
        if not gone:
            return self
        kept = (m for m in self.matters if m.code not in gone)
        return Catalogue(kept, version=self.version, source=self.source, note=self.note)

    def __len__(self) -> int:
        return len(self.matters)

    def __iter__(self) -> Iterator[Matter]:
        return iter(self.matters)

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def get(self, code: str) -> Matter:
        """The matter with ``code``; :class:`UnknownMatter` if there is none."""
        try:
            return self._by_code[code]
        except KeyError:
            raise UnknownMatter(code) from None

    def departments(self) -> tuple[Department, ...]:
        """Each department once, in catalogue order."""
        seen: dict[str, Department] = {}
        for matter in self.matters:
            seen.setdefault(matter.department.code, matter.department)
        return tuple(seen.values())

    def popular(self, order: Sequence[str] | None = None, limit: int = 8) -> list[Matter]:
        """The site's ordering first (unknown codes skipped), then default popularity.

        Unknown codes in ``order`` are reported by :meth:`check_site_order` at start-up;
        here they are skipped so a stale setting never blanks the home screen.
        """
        chosen: dict[str, Matter] = {}
        for code in order or ():
            matter = self._by_code.get(code)
            if matter is not None:
                chosen.setdefault(code, matter)
        for matter in self._default_order:
            chosen.setdefault(matter.code, matter)
        return list(chosen.values())[: max(limit, 0)]

    def check_site_order(self, order: Sequence[str]) -> list[str]:
        """Problems with a site's popular-matter ordering, one sentence each ([] if fine)."""
        problems: list[str] = []
        seen: set[str] = set()
        for i, code in enumerate(order):
            if code not in self._by_code:
                problems.append(f"popular[{i}]: unknown matter code {code!r}")
            elif code in seen:
                problems.append(f"popular[{i}]: matter code {code!r} listed more than once")
            seen.add(code)
        return problems

    def search(self, query: str, limit: int = 20) -> list[Matter]:
        """Matters matching ``query`` by Chinese, pinyin, initials or English, best first."""
        return self._index.search(query, limit)

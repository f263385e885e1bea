"""The catalogue's errors: a bad file stops start-up; an unknown code is a clear lookup error."""

from __future__ import annotations

from kiosk.errors import KioskError


class CatalogueError(Exception):
    """A catalogue file that cannot be used, naming the file, the key path and the problem.

    ``key`` is a path such as ``matters[3].materials[1].required`` (empty when the problem
    is the file as a whole, e.g. bad JSON), shaped like :class:`kiosk.settings.SettingsError`
    so that a technician or fleet admin can fix the file without reading code.
    """

    def __init__(self, file: str, key: str, problem: str) -> None:
        where = f"{file}: {key}: " if key else f"{file}: "
        super().__init__(where + problem)
        self.file = file
        self.key = key
        self.problem = problem


class UnknownMatter(KioskError, LookupError):
    """A matter code that is not in the catalogue (a stale site setting or a bad link)."""

    key = "catalogue.error.unknown_matter"

    def __init__(self, code: str) -> None:
        super().__init__(f"no matter with code {code!r} in the catalogue")
        self.code = code

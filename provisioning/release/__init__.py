"""Software releases: building one from this repository and signing it with TUF.

:func:`build_release` makes a release folder: this project's wheel, every dependency
wheel it needs (the wheelhouse: a kiosk installs with no package index) and
``release.json``, the manifest. :class:`Repository` keeps a TUF repository (python-tuf,
the reference implementation): root, targets, snapshot and timestamp roles, the
releases as targets, key rotation a kiosk follows, and downgrades signed as such.
:mod:`provisioning.release.httpd` serves a repository as static files with HTTP Range,
which is all a fleet server has to do for releases (docs/updates.md). The command is
``kiosk-release`` (cli.py). Nothing here imports the kiosk: the version is stamped into
a copy of the source.
"""

from provisioning.release.build import build_release
from provisioning.release.repo import Repository

__all__ = ["Repository", "build_release"]

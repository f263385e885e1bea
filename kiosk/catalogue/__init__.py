"""The matter catalogue (事项目录): typed matters, strict loading, look-up and search.

``load_catalogue(path)`` validates the whole file (a :class:`CatalogueError` stops
start-up); ``Catalogue.get``, ``.popular``, ``.check_site_order`` and ``.search`` serve
the screens; :mod:`kiosk.catalogue.forms` checks the answers to a matter's form fields.
"""

from kiosk.catalogue.errors import CatalogueError, UnknownMatter
from kiosk.catalogue.loader import load_catalogue, parse_catalogue
from kiosk.catalogue.model import (
    Choice,
    Department,
    Fee,
    FieldKind,
    FormField,
    HandlingMode,
    Identity,
    IdentityProof,
    Material,
    MaterialSource,
    Matter,
    RequiredWhen,
    Text,
    TrustLevel,
)
from kiosk.catalogue.store import Catalogue

__all__ = [
    "Catalogue",
    "CatalogueError",
    "Choice",
    "Department",
    "Fee",
    "FieldKind",
    "FormField",
    "HandlingMode",
    "Identity",
    "IdentityProof",
    "Material",
    "MaterialSource",
    "Matter",
    "RequiredWhen",
    "Text",
    "TrustLevel",
    "UnknownMatter",
    "load_catalogue",
    "parse_catalogue",
]

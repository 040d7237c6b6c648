"""The models of `exports`, by part: the booklet jobs of printing and the catalog import right.

They stay in one Django app, `exports`, so that existing tables, migrations and the permissions
administrators gave to groups keep their names.
"""

from .catalog.models import CatalogImportPermission
from .printing.models import Booklet, BookletQuerySet, PrintStorage, booklet_storage

__all__ = ["Booklet", "BookletQuerySet", "CatalogImportPermission", "PrintStorage", "booklet_storage"]

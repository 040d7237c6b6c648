"""Signals content sends so other apps can react without content importing them."""

from django.dispatch import Signal

# Sent once after a bulk change of many service pages has been committed (for example a catalog
# import), with `page_ids`: the ids of every page created or changed. Receivers such as the search
# index update those pages in one batch instead of one at a time.
catalog_imported = Signal()

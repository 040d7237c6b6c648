"""Open data: the published catalog as `yimen-catalog/2` JSON, CSV and XLSX (`files`), and the public page
and downloads (`views`). It reads the catalog exporter and the declared guide, never printing."""

from .files import ITEM_COLUMNS, MATERIAL_COLUMNS, catalog, catalog_csv, catalog_json, catalog_xlsx, summary

__all__ = ["ITEM_COLUMNS", "MATERIAL_COLUMNS", "catalog", "catalog_csv", "catalog_json", "catalog_xlsx", "summary"]

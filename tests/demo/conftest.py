"""The demo's tests load the small catalog the catalog tests use."""

from tests.exports.conftest import catalog_dir, small_catalog  # noqa: F401 - fixtures

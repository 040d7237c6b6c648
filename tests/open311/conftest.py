import pytest

from search import synonyms, vocabulary
from tests.search.catalog import build_guides


@pytest.fixture
def guides(db, settings, tmp_path, django_capture_on_commit_callbacks):
    """The search tests' guides and hall (LY-SD), published and indexed, so 涉及事项 resolves as on the forms."""
    settings.YIMEN_SEARCH_INDEX_DIR = tmp_path / "index"
    settings.YIMEN_SEARCH_BACKEND = "whoosh"
    vocabulary.invalidate()
    synonyms.invalidate()
    with django_capture_on_commit_callbacks(execute=True):
        hall, pages = build_guides(None)
    yield hall, pages
    vocabulary.invalidate()
    synonyms.invalidate()

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_chart_cache():
    """Charts are cached by content; tests that count renders start from an empty cache."""
    cache.clear()
    yield
    cache.clear()

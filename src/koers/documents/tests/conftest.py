import pytest


@pytest.fixture(autouse=True)
def _private_storage_in_tmp(settings, tmp_path):
    """Uploaded files go to a per-test directory (the storage follows settings.VAR_DIR)."""
    settings.VAR_DIR = tmp_path
    return tmp_path / "documents"

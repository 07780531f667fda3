"""Private storage for client documents: under VAR_DIR, outside STATIC_ROOT and MEDIA_ROOT, with
no URL. Files are served only by documents.views.download, through the access rule."""

import logging
import os
import weakref

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import transaction

logger = logging.getLogger(__name__)


class PrivateDocumentStorage(FileSystemStorage):
    """The location follows settings.VAR_DIR when it is read, not when the model is imported."""

    @property
    def base_location(self):
        return self._value_or_setting(self._location, settings.VAR_DIR / "documents")

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        return None

    def url(self, name):
        raise NotImplementedError("Client documents have no public URL.")


def private_storage() -> PrivateDocumentStorage:
    return PrivateDocumentStorage()


# --- a stored file follows the transaction of its row ---------------------------------------
#
# A file is written before its row commits. Django has on_commit but no on_rollback, so the file
# is tied to a small marker registered with on_commit: a commit calls the marker; a rollback (of
# the transaction or of the savepoint the file was stored in) makes Django drop it unrun, and the
# finalizer below then deletes the file at once. CPython frees the marker the moment Django drops
# it. Whatever still slips through (a crash between writing the file and the rollback, another
# interpreter) is an orphan for `manage.py sweep_orphan_documents`.


class _CommitMarker:
    __slots__ = ("__weakref__", "state")

    def __init__(self, state: dict):
        self.state = state

    def __call__(self) -> None:
        self.state["committed"] = True


def _discard_unless_committed(storage, name: str, state: dict, connection) -> None:
    if state["committed"]:
        return
    # Django also drops the hooks that follow one that raised after a commit: then the row did
    # commit, and its file stays.
    if getattr(connection, "run_commit_hooks_on_set_autocommit_on", False):
        return
    try:
        storage.delete(name)
    except OSError:
        logger.exception("Could not delete a document file after a rollback")


def delete_file_on_rollback(storage, name: str, *, using: str | None = None) -> None:
    """Delete the stored file `name` if the current transaction (or savepoint) does not commit.
    Call inside the atomic block that saves the row pointing to the file."""
    state = {"committed": False}
    marker = _CommitMarker(state)
    weakref.finalize(
        marker, _discard_unless_committed, storage, name, state, transaction.get_connection(using)
    )
    transaction.on_commit(marker, using=using, robust=True)

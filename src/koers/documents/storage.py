"""Private storage for client documents: under VAR_DIR, outside STATIC_ROOT and MEDIA_ROOT, with
no URL. Files are served only by documents.views.download, through the access rule."""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage


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

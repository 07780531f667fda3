from django.db import models

from .constants import Section


class SectionsField(models.BigIntegerField):
    """A set of dossier sections, stored as a bitmask in one typed, indexable integer column."""

    def from_db_value(self, value, expression, connection):
        return None if value is None else Section(value)

    def to_python(self, value):
        if value is None or isinstance(value, Section):
            return value
        return Section(int(value))

    def get_prep_value(self, value):
        return None if value is None else int(value)

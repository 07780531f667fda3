"""Writing generated rows: validated in Python, inserted in batches, never a query per row."""

BATCH_SIZE = 1000


def checked(obj):
    """full_clean without the per-row queries: foreign keys point to objects made here, and
    uniqueness is the database's job. Single-row rules (clean()) still run."""
    obj.clean_fields(exclude=[f.name for f in obj._meta.concrete_fields if f.is_relation])
    obj.clean()
    return obj


def bulk(model, objs: list) -> list:
    return model.objects.bulk_create(objs, batch_size=BATCH_SIZE)

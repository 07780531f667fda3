"""Writing generated rows: validated in Python, inserted in batches, never a query per row.

`bulk` is Django's bulk_create. `Rows` is for the tables of millions of rows (measurements and
their scores, plan actions, course months): plain tuples instead of model instances, written
with COPY on PostgreSQL and one executemany on SQLite per chunk. Primary keys are handed out
when a row is added (reserved from the table's sequence on PostgreSQL), so child rows can point
at a parent that is not written yet; foreign keys are checked at commit (Django creates them
deferrable, initially deferred, on both databases)."""

from __future__ import annotations

import json
from contextlib import contextmanager
from datetime import UTC

from django.db import connection, models

BATCH_SIZE = 1000
# Rows of one model kept in memory before they are written.
ROWS_CHUNK = 50_000
# Primary keys reserved from a PostgreSQL sequence in one query.
IDS_BLOCK = 10_000
# The first rows of each model are validated as model instances (clean_fields, clean); beyond
# that every row comes from the same code path, and the database checks its constraints.
ROWS_CHECKED = 200


def checked(obj):
    """full_clean without the per-row queries: foreign keys point to objects made here, and
    uniqueness is the database's job. Single-row rules (clean()) still run."""
    obj.clean_fields(exclude=[f.name for f in obj._meta.concrete_fields if f.is_relation])
    obj.clean()
    return obj


def bulk(model, objs: list) -> list:
    return model.objects.bulk_create(objs, batch_size=BATCH_SIZE)


class Rows:
    """Rows of one model, given as tuples of `fields` (names or attnames, foreign keys as ids).
    Every other concrete column gets its default (auto_now and auto_now_add: the time the
    writer was made). `ids=True` hands out a primary key with every added row. `objects` maps a
    foreign key's name to {pk: object}, for a clean() that reads the related object (the
    validated rows then need no query)."""

    def __init__(
        self, model, fields: tuple[str, ...], *, ids: bool = False, now=None, objects=None
    ):
        from django.utils import timezone

        opts = model._meta
        self.model = model
        self.ids = ids
        self.objects = objects or {}
        self.given = [opts.get_field(name) for name in fields]
        pk = opts.pk
        rest = [f for f in opts.concrete_fields if f not in self.given and f is not pk]
        now = now or timezone.now()
        self.tail: tuple = ()
        tail = []
        for f in rest:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                tail.append(now)
            elif f.has_default():
                tail.append(f.get_default())
            elif f.null:
                tail.append(None)
            elif f.empty_strings_allowed and f.blank:
                tail.append("")
            else:
                raise ValueError(f"{model.__name__}.{f.name} needs a value")
        self.fields = ([pk] if ids else []) + self.given + rest
        self.tail = tuple(tail)
        self.table = opts.db_table
        self.columns = [f.column for f in self.fields]
        self.postgresql = connection.vendor == "postgresql"
        self.converters = [self._converter(f) for f in self.fields]
        self.convert = any(self.converters)
        self.pending: list[tuple] = []
        self.count = 0
        self._free: list[int] = []
        self._next_id: int | None = None

    def _converter(self, field):
        if isinstance(field, models.JSONField):
            encoder = field.encoder
            return lambda value: None if value is None else json.dumps(value, cls=encoder)
        if self.postgresql:
            return None  # psycopg's COPY writes dates, datetimes, decimals and UUIDs itself
        if isinstance(field, models.DateTimeField):
            # As Django's SQLite backend writes them: UTC, without the offset.
            return lambda value: None if value is None else str(value.astimezone(UTC))[:-6]
        if isinstance(field, models.DateField):
            return lambda value: None if value is None else value.isoformat()
        if isinstance(field, models.DecimalField | models.UUIDField | models.TimeField):
            return lambda value: field.get_db_prep_save(value, connection)
        return None

    def _new_id(self) -> int:
        if self.postgresql:
            if not self._free:
                with connection.cursor() as cursor:
                    cursor.execute(
                        "SELECT nextval(pg_get_serial_sequence(%s, %s)) "
                        "FROM generate_series(1, %s)",
                        [self.table, self.model._meta.pk.column, IDS_BLOCK],
                    )
                    self._free = [row[0] for row in reversed(cursor.fetchall())]
            return self._free.pop()
        if self._next_id is None:
            # SQLite: this transaction is the only writer; ids above every existing one are
            # free (AUTOINCREMENT continues above them afterwards).
            column = connection.ops.quote_name(self.model._meta.pk.column)
            table = connection.ops.quote_name(self.table)
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT COALESCE(MAX({column}), 0) FROM {table}")  # noqa: S608
                self._next_id = cursor.fetchone()[0] + 1
        self._next_id += 1
        return self._next_id - 1

    def add(self, *values) -> int | None:
        """Add a row (values in the order of `fields`); returns its primary key with ids=True."""
        pk = None
        if self.ids:
            pk = self._new_id()
            row = (pk, *values, *self.tail)
        else:
            row = (*values, *self.tail)
        if self.count < ROWS_CHECKED:
            obj = self.model(**{f.attname: v for f, v in zip(self.fields, row, strict=True)})
            for name, known in self.objects.items():
                setattr(obj, name, known[getattr(obj, obj._meta.get_field(name).attname)])
            checked(obj)
        self.pending.append(row)
        self.count += 1
        if len(self.pending) >= ROWS_CHUNK:
            self.flush()
        return pk

    def flush(self) -> None:
        rows, self.pending = self.pending, []
        if not rows:
            return
        if self.convert:
            converters = [c or (lambda value: value) for c in self.converters]
            rows = [
                tuple(convert(value) for convert, value in zip(converters, row, strict=True))
                for row in rows
            ]
        quote = connection.ops.quote_name
        columns = ", ".join(quote(column) for column in self.columns)
        with connection.cursor() as cursor:
            if self.postgresql:
                sql = f"COPY {quote(self.table)} ({columns}) FROM STDIN"
                with cursor.cursor.copy(sql) as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(self.columns))
                cursor.executemany(
                    f"INSERT INTO {quote(self.table)} ({columns}) VALUES ({marks})",  # noqa: S608
                    rows,
                )


@contextmanager
def foreign_keys_checked_once(models):
    """PostgreSQL: write `models`' tables without a foreign-key check per row, and check every
    foreign key of those tables once at the end, as a bulk load does. The keys are dropped and
    added again with their own definition (pg_get_constraintdef): adding a key checks all rows
    in one query. It all happens in the build's transaction, so a failure leaves the schema as
    it was. (A key's drop needs its tables free of pending checks: those of earlier writes run
    first.) SQLite checks deferred keys cheaply at commit: nothing to do there."""
    if connection.vendor != "postgresql":
        yield
        return
    quote = connection.ops.quote_name
    tables = sorted({model._meta.db_table for model in models})
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
            "FROM pg_constraint WHERE contype = 'f' AND conrelid = ANY(%s::regclass[]) "
            "ORDER BY 1, 2",
            [tables],
        )
        keys = cursor.fetchall()
        for table, name, _definition in keys:
            cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
    yield
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        for table, name, definition in keys:
            cursor.execute(f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}")

"""Hand-written SQL for the few read paths every caseload and dossier page takes many times.

The ORM builds a query anew on every call: for the deadline radar's grouped sums that costs ten
to fifty times more than running them (docs/performance.md, "Where the time goes"). The queries
here are written once, in SQL that PostgreSQL and SQLite both run, with table names taken from the
models so a rename cannot go unnoticed, and every value passed as a parameter. Each function that
uses them keeps its ORM-level contract and is tested on both databases.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.utils import timezone
from django.utils.dateparse import parse_datetime


def table(model) -> str:
    """The quoted table name of a model."""
    return connection.ops.quote_name(model._meta.db_table)


def placeholders(values: Sequence) -> str:
    """ "%s, %s, …" for an IN list of these values (never empty: callers return early)."""
    return ", ".join(["%s"] * len(values))


def ids_in(column: str, ids: Sequence[int]) -> tuple[str, list]:
    """`column` is one of these ids, as SQL and its parameters. On PostgreSQL one array
    parameter (`= ANY(%s)`), so the statement's text is the same for any number of ids: psycopg
    caches its parsing and PostgreSQL its plan. On SQLite an IN list."""
    if connection.vendor == "postgresql":
        return f"{column} = ANY(%s::bigint[])", [list(ids)]
    return f"{column} IN ({placeholders(ids)})", list(ids)


def fetch(sql: str, params: Iterable) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))
        return cursor.fetchall()


def as_date(value) -> date | None:
    """A date from a result column. SQLite returns an aggregate or expression over a date
    column (MIN, MAX, a CASE) as text; a plain date column already comes back as a date."""
    if value is None or type(value) is date:
        return value
    if isinstance(value, datetime):
        return value.date()
    return date.fromisoformat(str(value)[:10])


def datetime_param(value: datetime):
    """An aware datetime as the database stores it (SQLite: UTC text without offset)."""
    return connection.ops.adapt_datetimefield_value(value)


def as_datetime(value) -> datetime | None:
    """An aware datetime from a result column: SQLite returns an aggregate over a datetime
    column as its stored text, in UTC."""
    if value is None or isinstance(value, datetime):
        if value is not None and timezone.is_naive(value):
            return timezone.make_aware(value, UTC)
        return value
    parsed = parse_datetime(str(value))
    if parsed is not None and timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed, UTC)
    return parsed


# What an ORM subquery that can match nothing (an empty IN list) becomes: one typed column, no
# rows, on both databases.
NOTHING = "SELECT CAST(NULL AS BIGINT) WHERE 1 = 0"


def subquery(queryset) -> tuple[str, tuple]:
    """An ORM queryset of one id column as SQL to embed (the access rule's visible set, say):
    the rule stays written once, in the ORM, and hand-written SQL selects from it. A queryset
    that cannot match anything (the ORM refuses to compile it) becomes a subquery of no rows."""
    try:
        return queryset.query.sql_with_params()
    except EmptyResultSet:
        return NOTHING, ()

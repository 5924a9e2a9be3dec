"""Bulk inserts with SQLAlchemy Core at driver speed: the demo's writer, the import and the audit log's bulk path.

On SQLite (positional parameters) each table's INSERT is compiled once per set of columns, every value is converted
by its column's own type — the dialect bind processors, the very conversion ``connection.execute(insert(table),
rows)`` applies: 万元 to 分, dates, UTC datetimes — column by column, and the rows go to the driver's
``executemany`` as tuples. That skips Core's per-row parameter bookkeeping, which costs more than the insert itself
for wide rows. A server database (PostgreSQL: named parameters) takes the ordinary Core executemany, which batches
rows into multi-row INSERTs of its own. tests/test_demo.py checks that both store the same values.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection, Table, func, insert, select
from sqlalchemy.engine import Dialect

from models.types import FixedDecimal

#: A column type's conversion of a Python value into what the driver stores.
Converter = Callable[[Any], Any]


@dataclass(frozen=True)
class CompiledInsert:
    """An INSERT compiled for one dialect and set of columns.

    Attributes:
        sql: The statement with positional parameters.
        columns: In parameter order, each column's key, its type's converter (None: stored as it is), and whether
            the converter turns None into None (then NULLs skip it).
    """

    sql: str
    columns: tuple[tuple[str, Converter | None, bool], ...]


@lru_cache(maxsize=256)
def compiled_insert(dialect: Dialect, table: Table, keys: tuple[str, ...]) -> CompiledInsert:
    """The INSERT of ``keys`` into ``table`` for a dialect with positional parameters, with each column's converter."""
    compiled = insert(table).compile(dialect=dialect, column_keys=list(keys))
    assert compiled.positiontup is not None, "positional parameters (SQLite) only"
    columns = []
    for key in compiled.positiontup:
        column_type = table.c[key].type
        if isinstance(column_type, FixedDecimal) and column_type.impl_instance.bind_processor(dialect) is None:
            convert: Converter | None = column_type.to_stored
        else:
            convert = column_type.dialect_impl(dialect).bind_processor(dialect)
        columns.append((key, convert, convert is not None and convert(None) is None))
    return CompiledInsert(str(compiled), tuple(columns))


def positional(dialect: Dialect) -> bool:
    """Whether the driver takes positional parameters (SQLite), so that :func:`insert_rows` can skip Core."""
    return dialect.paramstyle in ("qmark", "numeric")


def insert_rows(conn: Connection, table: Table, rows: Sequence[Mapping[str, Any]],
                constants: Mapping[str, Any] | None = None) -> None:
    """Insert rows that all have the same keys; ``constants`` are values every row shares (converted once).

    Args:
        conn: The connection of the transaction.
        table: The table.
        rows: The rows, as column key → Python value, every row with the keys of the first.
        constants: Column key → value for columns every row has the same value in (time stamps, user, batch); the
            rows do not have these keys.
    """
    if not rows:
        return
    keys = tuple(rows[0])
    values = [(row[keys[0]],) for row in rows] if len(keys) == 1 else list(map(itemgetter(*keys), rows))
    insert_tuples(conn, table, keys, values, constants)


def insert_tuples(conn: Connection, table: Table, keys: tuple[str, ...], rows: Sequence[tuple[Any, ...]],
                  constants: Mapping[str, Any] | None = None) -> None:
    """:func:`insert_rows` of rows given as tuples of the values of ``keys`` (a bulk writer builds these without a
    dictionary per row)."""
    if not rows:
        return
    constants = constants or {}
    if not positional(conn.dialect):
        conn.execute(insert(table), [dict(zip(keys, row, strict=True), **constants) for row in rows])
        return
    plan = compiled_insert(conn.dialect, table, (*keys, *constants))
    by_key: dict[str, Sequence[Any]] = dict(zip(keys, zip(*rows, strict=True), strict=True))
    columns: list[Sequence[Any]] = []
    for key, convert, keeps_none in plan.columns:
        if key in constants:
            columns.append([convert(constants[key]) if convert else constants[key]] * len(rows))
        elif convert is None:
            columns.append(by_key[key])
        elif keeps_none:
            columns.append([None if value is None else convert(value) for value in by_key[key]])
        else:
            columns.append(list(map(convert, by_key[key])))
    conn.exec_driver_sql(plan.sql, list(zip(*columns, strict=True)))


class Ids:
    """Ids for rows inserted in bulk with their ids given, so that children can name their parents at once.

    On SQLite they follow the stored maximum: the writing transaction (``BEGIN IMMEDIATE``) holds the database's
    write lock, so nobody else takes them. On a server database other sessions insert concurrently, so the ids are
    drawn from the table's own sequence, a block at a time: the same ids an ordinary insert would get, never one
    that another session gets too, and the sequence stays ahead of every id in the table.
    """

    #: Ids drawn from a sequence at a time.
    BLOCK = 1000

    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self._local = positional(conn.dialect)
        self._next: dict[str, int] = {}
        self._drawn: dict[str, list[int]] = {}

    def take(self, table: Table) -> int:
        """The id of the next row of ``table``."""
        if self._local:
            value = self._next.get(table.name)
            if value is None:
                value = (self._conn.scalar(select(func.max(table.c.id))) or 0) + 1
            self._next[table.name] = value + 1
            return int(value)
        drawn = self._drawn.setdefault(table.name, [])
        if not drawn:
            sequence = func.pg_get_serial_sequence(table.name, "id")
            drawn.extend(sorted(self._conn.scalars(
                select(func.nextval(sequence)).select_from(func.generate_series(1, self.BLOCK))), reverse=True))
        return int(drawn.pop())


@contextmanager
def cycle_collection_paused() -> Iterator[None]:
    """Python's cycle collector off while bulk work runs (on again after, if it was on).

    Bulk work keeps millions of objects alive (a sheet's cells, parsed rows, buffered rows) and allocates more all
    the time, which makes the collector walk all of them again and again while finding nothing to free: a second of
    a 50,000-row import, measured. Reference counting still frees everything that is not part of a cycle.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()

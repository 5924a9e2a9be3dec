"""Bulk inserts with SQLAlchemy Core at driver speed: the demo's writer, the import and the audit log's bulk path.

On SQLite (positional parameters) each table's INSERT is compiled once per set of columns, every value is converted
by its column's own type — the dialect bind processors, the very conversion ``connection.execute(insert(table),
rows)`` applies: 万元 to 分, dates, UTC datetimes — column by column, and the rows go to the driver's
``executemany`` as tuples. That skips Core's per-row parameter bookkeeping, which costs more than the insert itself
for wide rows. A server database (PostgreSQL: named parameters) takes the ordinary Core executemany, which batches
rows into multi-row INSERTs of its own. tests/test_demo.py checks that both store the same values.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, Table, func, insert, select
from sqlalchemy.engine import Dialect

#: A column type's conversion of a Python value into what the driver stores.
Converter = Callable[[Any], Any]


@dataclass(frozen=True)
class CompiledInsert:
    """An INSERT compiled for one dialect and set of columns.

    Attributes:
        sql: The statement with positional parameters.
        columns: In parameter order, each column's key and its type's converter (None: stored as it is).
    """

    sql: str
    columns: tuple[tuple[str, Converter | None], ...]


@lru_cache(maxsize=256)
def compiled_insert(dialect: Dialect, table: Table, keys: tuple[str, ...]) -> CompiledInsert:
    """The INSERT of ``keys`` into ``table`` for a dialect with positional parameters, with each column's converter."""
    compiled = insert(table).compile(dialect=dialect, column_keys=list(keys))
    assert compiled.positiontup is not None, "positional parameters (SQLite) only"
    return CompiledInsert(str(compiled), tuple(
        (key, table.c[key].type.dialect_impl(dialect).bind_processor(dialect)) for key in compiled.positiontup))


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
        constants: Column key → value for columns every row has the same value in (audit time, user, batch).
    """
    if not rows:
        return
    constants = constants or {}
    if not positional(conn.dialect):
        conn.execute(insert(table), [{**row, **constants} for row in rows] if constants else list(rows))
        return
    plan = compiled_insert(conn.dialect, table, (*rows[0], *constants))
    columns: list[list[Any]] = []
    for key, convert in plan.columns:
        if key in constants:
            columns.append([convert(constants[key]) if convert else constants[key]] * len(rows))
        else:
            values = [row[key] for row in rows]
            columns.append(list(map(convert, values)) if convert else values)
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
        self._next: dict[str, int] = {}
        self._drawn: dict[str, list[int]] = {}

    def take(self, table: Table) -> int:
        """The id of the next row of ``table``."""
        if positional(self._conn.dialect):
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

"""Which column fills which field: by synonyms, corrected by the clerk, and saved per source for next time.

A saved mapping is ``{header text: field key}`` (``""`` for a column the clerk chose not to import) in the
``import_mapping`` table, one per kind and source (the 属地 or park that sends the file).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select

from models import ImportMapping
from models.db import Database
from services.importing.errors import column_letter
from services.importing.header import Layout, resolve
from services.importing.spec import ImportKind
from services.session import read_session, unit_of_work

#: Marks a column the clerk chose not to import, in a saved mapping and in overrides.
IGNORE = ""


@dataclass(frozen=True)
class ColumnMap:
    """One column and the field it fills.

    Attributes:
        index: 0-based column index.
        letter: Excel's column letter.
        header: The header text.
        field: Field key, or None when the column is not imported.
        year: The year of a yearly figure: the header's, else the import's year.
        factor: Unit factor to 万元 of an amount: the header's, else the sheet's, else None (万元).
        year_from_header: The year was written in the header.
    """

    index: int
    letter: str
    header: str
    field: str | None
    year: int | None = None
    factor: Decimal | None = None
    year_from_header: bool = False


def default_year(today: dt.date | None = None) -> int:
    """The year of yearly figures when neither the header nor ``--year`` says: the previous calendar year."""
    return (today or dt.date.today()).year - 1


def map_columns(kind: ImportKind, layout: Layout, year: int, *, saved: Mapping[str, str] | None = None,
                overrides: Mapping[int, str] | None = None) -> tuple[ColumnMap, ...]:
    """Map every header column; the clerk's overrides win over a saved mapping, which wins over synonyms.

    A field (a yearly field: a field and year) is filled from the first column that names it; later ones are not
    imported, so no value is taken twice.
    """
    result = []
    taken: set[tuple[str, int | None]] = set()
    for column in layout.columns:
        key, label = resolve(kind, column)
        if saved is not None and column.header in saved:
            key = saved[column.header] or None
        if overrides is not None and column.index in overrides:
            key = overrides[column.index] or None
        if key is not None and key not in kind.by_key:
            key = None
        spec = kind.by_key.get(key) if key else None
        col_year = label.year if spec is not None and spec.yearly else None
        slot = (key, (col_year or year) if spec is not None and spec.yearly else None) if key else None
        if slot is not None and slot in taken:
            key, spec, slot = None, None, None
        if slot is not None:
            taken.add(slot)
        result.append(ColumnMap(
            index=column.index, letter=column_letter(column.index), header=column.header, field=key,
            year=(col_year or year) if spec is not None and spec.yearly else None,
            factor=(label.factor or layout.sheet_factor) if spec is not None and spec.money else None,
            year_from_header=col_year is not None,
        ))
    return tuple(result)


def load_mapping(db: Database, kind: str, source: str) -> dict[str, str] | None:
    """The mapping saved for ``source``, or None."""
    with read_session(db) as session:
        text = session.scalar(select(ImportMapping.mapping_json).where(
            ImportMapping.kind == kind, ImportMapping.source == source))
    return None if text is None else dict(json.loads(text))


def save_mapping(db: Database, kind: str, source: str, columns: tuple[ColumnMap, ...], *,
                 user: str | None = None) -> dict[str, str]:
    """Save the mapping of ``columns`` for ``source`` (replacing an earlier one); returns what was saved."""
    mapping = {c.header: c.field or IGNORE for c in columns}
    with unit_of_work(db, source="import", user=user) as session:
        row = session.scalar(select(ImportMapping).where(ImportMapping.kind == kind, ImportMapping.source == source))
        text = json.dumps(mapping, ensure_ascii=False, sort_keys=True)
        if row is None:
            session.add(ImportMapping(kind=kind, source=source, mapping_json=text))
        else:
            row.mapping_json = text
    return mapping

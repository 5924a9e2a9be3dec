"""What the demo generator's stages share: the bulk writer, the firms' profiles and figures, dates and money.

Rows go into the database in chunks through :class:`BulkWriter`, with their ids given here, so a stage can refer to
rows of an earlier stage without reading anything back. Amounts are carried as whole 分
(``int``) and turned into 万元 decimals only when a row is written.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import random
from array import array
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Generic, NamedTuple, TypeVar

from sqlalchemy import Connection, Table, select
from sqlalchemy.orm import Session

from models import Base, District, QualificationType, Subdistrict
from services.bulk import insert_rows

T = TypeVar("T")
#: Rows buffered before they are written (SQLAlchemy executemany chunks).
CHUNK_ROWS = 5000
#: 分 in one 万元.
FEN_PER_WAN = 1_000_000
#: Marks the demo's own rows where a table has a source column.
SOURCE = "演示数据"
DAY = dt.timedelta(days=1)


def pick(rng: random.Random, items: Sequence[T]) -> T:
    """One item, uniformly (a cheaper ``rng.choice`` for the generator's hot loops)."""
    return items[int(rng.random() * len(items))]


class Weighted(Generic[T]):
    """Weighted picks with the cumulative weights worked out once (``rng.choices`` redoes them on every call)."""

    def __init__(self, weights: Mapping[T, float]) -> None:
        self.items = tuple(weights)
        self._cumulative = tuple(itertools.accumulate(weights.values()))

    def pick(self, rng: random.Random) -> T:
        return self.items[bisect.bisect(self._cumulative, rng.random() * self._cumulative[-1])]


def wan(fen: int | None) -> Decimal | None:
    """万元 as an exact decimal from whole 分."""
    return None if fen is None else Decimal(fen).scaleb(-6)


def fen_of_wan(amount: float, places: int = 2) -> int:
    """Whole 分 of an amount in 万元, rounded to ``places`` decimals of 万元 (2 = hundreds of yuan)."""
    step = 10 ** (6 - places)
    return round(amount * FEN_PER_WAN / step) * step


def round_fen(fen: float) -> int:
    """分 rounded to the hundred yuan (0.01 万元), as reported figures are."""
    return int(round(fen / 10_000)) * 10_000


def split_share(total_fen: int, city_pct: int) -> tuple[int, int]:
    """(city, district) shares of an amount; the two add up to the total exactly."""
    city = (total_fen * city_pct + 50) // 100
    return city, total_fen - city


def add_years(day: dt.date, years: int) -> dt.date:
    """The same day ``years`` later (28 February for a 29 February that has none)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def between(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    """A day between start and end inclusive (start when the range is empty)."""
    span = (end - start).days
    return start if span <= 0 else start + dt.timedelta(days=int(rng.random() * (span + 1)))


def maybe_between(rng: random.Random, start: dt.date, end: dt.date) -> dt.date | None:
    """A day between start and end inclusive, or None when end is before start."""
    return None if end < start else between(rng, start, end)


class BulkWriter:
    """Buffers rows per table and writes them in dependency order, so a child never precedes its parent.

    Each chunk goes through :func:`services.bulk.insert_rows` (compiled once, converted by the columns' own types,
    the driver's ``executemany``).

    Attributes:
        counts: rows written (or buffered) per table name.
    """

    def __init__(self, conn: Connection, on_flush: Callable[[], None] | None = None) -> None:
        self._conn = conn
        self._order = {table.name: i for i, table in enumerate(Base.metadata.sorted_tables)}
        self._buffers: dict[str, tuple[Table, list[dict[str, Any]]]] = {}
        self._next_id: Counter[str] = Counter()
        self._pending = 0
        self._on_flush = on_flush
        self.counts: Counter[str] = Counter()

    def new_id(self, model: type[Base]) -> int:
        """Reserve the next id of a table, for a row added later (after rows that must precede it)."""
        name = model.__tablename__
        self._next_id[name] += 1
        return self._next_id[name]

    def add(self, model: type[Base], row: dict[str, Any]) -> int:
        """Queue one row of a model's table; gives it the next id when it has none. Returns the row's id."""
        table = Base.metadata.tables[model.__tablename__]
        if "id" not in row and "id" in table.c:
            row["id"] = self.new_id(model)
        entry = self._buffers.get(table.name)
        if entry is None:
            entry = self._buffers[table.name] = (table, [])
        entry[1].append(row)
        self.counts[table.name] += 1
        self._pending += 1
        if self._pending >= CHUNK_ROWS:
            self.flush()
        return int(row.get("id", 0))

    def flush(self) -> None:
        """Write every buffered row, parents first."""
        for name in sorted(self._buffers, key=self._order.__getitem__):
            table, rows = self._buffers[name]
            insert_rows(self._conn, table, rows)
            rows.clear()
        self._pending = 0
        if self._on_flush is not None:
            self._on_flush()


class Facts:
    """The year figures of every firm, compactly: one typed array per figure (amounts in 分)."""

    NAMES = ("revenue", "rd", "rd_domestic", "hitech", "staff", "st_staff", "ip1", "ip2", "inventions")
    _UNKNOWN = -(2**63)

    def __init__(self, firms: int, years: tuple[int, ...]) -> None:
        self.years = years
        self._width = len(years)
        self._data = {name: array("q", [self._UNKNOWN]) * (firms * self._width) for name in self.NAMES}
        self._columns = tuple(self._data.values())

    def _at(self, firm_index: int, year: int) -> int:
        return firm_index * self._width + self.years.index(year)

    def put(self, firm_index: int, year: int, values: Sequence[int | None]) -> None:
        """All figures of a firm's year, in the order of ``NAMES``."""
        at = self._at(firm_index, year)
        for column, value in zip(self._columns, values, strict=True):
            column[at] = self._UNKNOWN if value is None else value

    def get(self, firm_index: int, year: int, name: str) -> int | None:
        """A figure, None when unknown or the year is not covered."""
        if year not in self.years:
            return None
        value = self._data[name][self._at(firm_index, year)]
        return None if value == self._UNKNOWN else value


class Award(NamedTuple):
    """One application or award of a qualification, as later stages (pools, pay-outs, targets) need it."""

    firm: int
    application_kind: str
    status: str
    applied_on: dt.date | None
    certified_on: dt.date | None
    tier: str | None = None


@dataclass(slots=True)
class Firm:
    """What later stages need to know about an enterprise of the demo register.

    Attributes:
        tier: 3 = 国高企 material, 2 = 市高企 level, 1 = 科技型中小企业, 0 = ordinary.
        index: position in ``DemoContext.firms`` (and in the figures).
    """

    index: int
    id: int
    name: str
    subdistrict_id: int
    field: str
    registered_on: dt.date
    tier: int


@dataclass
class DemoContext:
    """State shared by the stages of one demo build.

    Attributes:
        seed: the random seed of the build; each stage draws from its own generator derived from it.
        as_of: the day the demo looks current at; nothing happens after it except validity ends and due dates.
        district_id: 拱墅区; ``subdistricts`` maps each 属地 name to its id, in the reference order.
        types: the qualification catalogue by code.
    """

    writer: BulkWriter
    seed: int
    as_of: dt.date
    enterprises: int
    district_id: int
    city_share_pct: int
    district_ids: dict[str, int]
    subdistricts: dict[str, int]
    types: dict[str, QualificationType]
    created_at: dt.datetime
    firms: list[Firm] = field(default_factory=list)
    #: Real names whose R&D institutions of the corpus are part of this demo.
    rd_hosts: frozenset[str] = frozenset()
    facts: Facts | None = None
    #: Applications and awards later stages build on: (type code, year) → awards.
    awards: dict[tuple[str, int], list[Award]] = field(default_factory=dict)
    #: R&D institutions approved per year: year → [(firm index, kind)].
    rd_by_year: dict[int, list[tuple[int, str]]] = field(default_factory=dict)
    #: Carriers of the district that incubate: [(carrier id, kind code, area m²)].
    incubating_carriers: list[tuple[int, str, int]] = field(default_factory=list)
    #: Notices of the voucher batches: (year, batch) → (notice id, issued on, paid on or None).
    voucher_notices: dict[tuple[int, int], tuple[int, dt.date, dt.date | None]] = field(default_factory=dict)

    @property
    def year(self) -> int:
        return self.as_of.year

    def rng(self, stage: str) -> random.Random:
        """The random generator of one stage (string seeds hash the same on every run and platform)."""
        return random.Random(f"techledger-demo:{self.seed}:{stage}")

    def add(self, model: type[Base], row: dict[str, Any]) -> int:
        """Queue a row for writing; returns its id."""
        return self.writer.add(model, row)


def load_reference(session: Session) -> dict[str, Any]:
    """District, 属地 and qualification catalogue the demo refers to, from the freshly created database."""
    districts = {d.name: d for d in session.scalars(select(District))}
    gongshu = districts["拱墅区"]
    subs = session.execute(
        select(Subdistrict.name, Subdistrict.id)
        .where(Subdistrict.district_id == gongshu.id)
        .order_by(Subdistrict.sort_order, Subdistrict.id)
    ).all()
    types = session.scalars(select(QualificationType).order_by(QualificationType.sort_order, QualificationType.code))
    return {
        "district_id": gongshu.id,
        "city_share_pct": gongshu.city_share_pct,
        "district_ids": {name: d.id for name, d in districts.items()},
        "subdistricts": {name: sid for name, sid in subs},
        "types": {t.code: t for t in types},
    }

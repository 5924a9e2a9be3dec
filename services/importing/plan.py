"""The import plan: what each data row will do, worked out without writing anything (the dry run).

:func:`build_plan` reads the sheet, finds the header and data block, maps the columns, parses every cell of every
data row, and lets the kind validate and match the rows against the database. Every data row ends in exactly one
of create, update, unchanged, skipped (with its problems) or review, so the counts add up to the rows read.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import AuditLog
from models.db import Database
from services.file_digest import file_sha256
from services.importing.errors import RowIssue
from services.importing.header import Layout, detect_layout, is_blank_row, is_footer, layout_at
from services.importing.kinds import kind_for
from services.importing.mapping import ColumnMap, default_year, load_mapping, map_columns
from services.importing.normalize import CellError
from services.importing.readers import SheetData, read_sheet
from services.importing.safety import ImportLimits
from services.importing.spec import ImportKind, Parser
from services.progress import Progress
from services.session import read_session

ACTIONS = ("create", "update", "unchanged", "skipped", "review")
ACTION_LABELS = {"create": "新增", "update": "更新", "unchanged": "不变", "skipped": "跳过", "review": "待核"}
MODES = ("upsert", "create", "update")


@dataclass(frozen=True)
class ImportOptions:
    """How to import a file.

    Attributes:
        kind: ``enterprises`` (others follow in their issue).
        source: The 属地 or park that sent the file: fills rows without a 属地 and names the saved mapping.
        sheet: The sheet; None for the first one with data.
        mode: ``upsert`` (create and update), ``create`` (only new ones) or ``update`` (only registered ones).
        year: The year of yearly figures whose header names none; None for the previous calendar year.
        header_rows: 0-based header row(s), when the clerk corrected the detected ones.
        data_start: 0-based first data row, when corrected.
        data_end: 0-based last data row (inclusive), when corrected.
        columns: Column index → field key (``""``: do not import), when the clerk corrected the mapping.
        decisions: For rows held for review, Excel row → the enterprise id it is, or None to create it as new.
        limits: File and sheet size limits.
        today: The day of the import (tests fix it).
    """

    kind: str = "enterprises"
    source: str | None = None
    sheet: str | None = None
    mode: str = "upsert"
    year: int | None = None
    header_rows: tuple[int, ...] | None = None
    data_start: int | None = None
    data_end: int | None = None
    columns: Mapping[int, str] | None = None
    decisions: Mapping[int, int | None] = field(default_factory=dict)
    limits: ImportLimits = field(default_factory=ImportLimits)
    today: dt.date | None = None

    @property
    def day(self) -> dt.date:
        return self.today or dt.date.today()

    @property
    def figures_year(self) -> int:
        return self.year if self.year is not None else default_year(self.day)


@dataclass(slots=True)
class ParsedRow:
    """One data row with its cells parsed.

    Attributes:
        row: Excel row number.
        raw: The cells as they came (for the errored-rows workbook).
        values: Non-yearly field → parsed value; blank cells are left out.
        facts: Year → yearly figure field → parsed value; blank cells are left out.
        letters: Field → the column letter it comes from (shared by all rows of a sheet).
        issues: Problems found so far.
    """

    row: int
    raw: list[Any]
    letters: Mapping[str, str]
    values: dict[str, Any] = field(default_factory=dict)
    facts: dict[int, dict[str, Any]] = field(default_factory=dict)
    issues: list[RowIssue] = field(default_factory=list)

    def problem(self, code: str, message: str, fld: str | None = None) -> None:
        self.issues.append(RowIssue(self.row, self.letters.get(fld) if fld else None, code, message))


def show(value: Any) -> str:
    """A value as the preview shows it: dates ISO, amounts without trailing zeros, lists joined with 、."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        text = f"{value:f}"
        return text.rstrip("0").rstrip(".") if "." in text else text
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return "、".join(show(v) for v in value)
    return str(value)


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One difference an update makes.

    Attributes:
        field: Field key.
        label: Chinese label (a yearly figure's with its year: "2025年营业收入").
        old: Stored value (None when empty).
        new: Value from the file.
        year: The year of a yearly figure.
        old_text: ``old`` as shown (names instead of ids).
        new_text: ``new`` as shown.
    """

    field: str
    label: str
    old: Any
    new: Any
    year: int | None = None
    old_text: str = ""
    new_text: str = ""


@dataclass(frozen=True, slots=True)
class Candidate:
    """A registered enterprise that a row resembles (held for review), or that it matched."""

    id: int
    name: str
    uscc: str | None
    subdistrict: str | None
    score: float


@dataclass(frozen=True, slots=True)
class RowPlan:
    """What one data row will do.

    Attributes:
        row: Excel row number.
        action: create, update, unchanged, skipped or review.
        name: The row's name as shown.
        target_id: The matched record, for update and unchanged.
        changes: The values a create sets or the differences an update makes.
        issues: Why a skipped row is skipped.
        candidate: The look-alike of a row held for review.
        note: A remark for the preview (“与第 5 行相同”).
        payload: What the kind's writer needs for a create or an update.
    """

    row: int
    action: str
    name: str
    target_id: int | None = None
    changes: tuple[FieldChange, ...] = ()
    issues: tuple[RowIssue, ...] = ()
    candidate: Candidate | None = None
    note: str = ""
    payload: Any = None


@dataclass(frozen=True)
class Plan:
    """The whole dry run: where the data was found, how columns were mapped, and each row's fate."""

    kind: str
    path: Path
    file_sha256: str
    sheet: str
    options: ImportOptions
    layout: Layout
    columns: tuple[ColumnMap, ...]
    rows: tuple[RowPlan, ...]
    raw_rows: Mapping[int, list[Any]]
    header_cells: tuple[str, ...]
    #: :func:`register_stamp` read before the register was matched: a commit reuses this plan only while it holds.
    register_stamp: tuple[int, int] | None = None

    @property
    def counts(self) -> dict[str, int]:
        counted = Counter(r.action for r in self.rows)
        return {a: counted.get(a, 0) for a in ACTIONS}

    @property
    def issues(self) -> list[RowIssue]:
        return [i for r in self.rows for i in r.issues]

    @property
    def writes(self) -> bool:
        return any(r.action in ("create", "update") for r in self.rows)

    def summary(self, batch_id: int | None) -> dict[str, Any]:
        """The ``import --json`` object of PRODUCT.md."""
        counts = self.counts
        return {"rows": len(self.rows), "created": counts["create"], "updated": counts["update"],
                "unchanged": counts["unchanged"], "skipped": counts["skipped"], "review": counts["review"],
                "errors": [i.as_json() for i in self.issues], "batch_id": batch_id}


def prepare(db: Database, path: Path, options: ImportOptions, sheet: SheetData | None = None
            ) -> tuple[ImportKind, SheetData, Layout, tuple[ColumnMap, ...]]:
    """Read the sheet (unless given) and work out the layout and mapping (what the wizard shows first)."""
    kind = kind_for(options.kind, path.name)
    if sheet is None:
        sheet, _ = read_while(path, options, kind.warm_up)
    return (kind, sheet, *_layout_and_columns(db, kind, sheet, options))


def _layout_and_columns(db: Database, kind: ImportKind, sheet: SheetData, options: ImportOptions
                        ) -> tuple[Layout, tuple[ColumnMap, ...]]:
    if options.header_rows is not None:
        layout = layout_at(sheet, options.header_rows, options.data_start, options.data_end)
    else:
        detected = detect_layout(sheet, kind)
        layout = layout_at(sheet, detected.header_rows, options.data_start, options.data_end)
    saved = load_mapping(db, kind.key, options.source) if options.source else None
    return layout, map_columns(kind, layout, options.figures_year, saved=saved, overrides=options.columns)


_T = TypeVar("_T")


def read_while(path: Path, options: ImportOptions, work: Callable[[], _T]) -> tuple[SheetData, _T]:
    """The sheet, read on a helper thread while ``work`` runs on this one.

    python-calamine lets go of the interpreter lock while it unpacks and parses a workbook (most of a read), so on
    a machine with two cores the work done meanwhile — loading the register, importing dictionaries — costs no time.
    """
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="import-read") as pool:
        reading = pool.submit(read_sheet, path, options.sheet, options.limits)
        try:
            done = work()
        except BaseException:
            reading.cancel()
            raise
        return reading.result(), done


def parse_column(parse: Parser, factor: Decimal | None, cells: Sequence[Any]
                 ) -> tuple[list[Any], list[tuple[int, CellError]]]:
    """Each cell of one column parsed: the values (None for empty and bad cells) and the bad cells' errors by index.

    A column repeats its values (属地, 行业领域, dates, counts …), so each distinct value is parsed once — unless the
    first cells hold no value twice (names, codes, amounts), then keeping them would only cost. (A column of dates
    repeats within 512 cells long before it repeats a lot.)
    """
    known: dict[Any, Any] = {}
    results: list[Any] = []
    errors: list[tuple[int, CellError]] = []
    append = results.append
    filled = 0
    for at, value in enumerate(cells):
        if at == _SAMPLE and filled >= _SAMPLE // 2 and len(known) == filled:  # names, codes, amounts: no repeats
            return _parse_each(parse, factor, cells, at, results, errors)
        if value == "" or value is None:
            append(None)
            continue
        filled += 1
        key = value if value.__class__ is str else (value.__class__, value)  # 1, 1.0 and True are equal keys
        if key in known:
            result = known[key]
        else:
            try:
                result = parse(value, factor)
            except CellError as exc:
                result = exc
            known[key] = result
        if result.__class__ is CellError:
            errors.append((len(results), result))
            result = None
        append(result)
    return results, errors


#: Cells of a column looked at before deciding whether its values repeat.
_SAMPLE = 512


def _parse_each(parse: Parser, factor: Decimal | None, cells: Sequence[Any], start: int, results: list[Any],
                errors: list[tuple[int, CellError]]) -> tuple[list[Any], list[tuple[int, CellError]]]:
    """:func:`parse_column` from ``start`` on, every cell parsed (a column whose values do not repeat)."""
    append = results.append
    for at in range(start, len(cells)):
        value = cells[at]
        if value == "" or value is None:
            append(None)
            continue
        try:
            append(parse(value, factor))
        except CellError as exc:
            errors.append((at, exc))
            append(None)
    return results, errors


def parse_rows(kind: ImportKind, sheet: SheetData, layout: Layout, columns: tuple[ColumnMap, ...],
               progress: Progress | None = None) -> list[ParsedRow]:
    """Every data row of the block with its cells parsed (blank and footer rows left out), a column at a time."""
    mapped = [c for c in columns if c.field is not None]
    indices = [c.index for c in mapped]
    letters: dict[str, str] = {}
    for c in mapped:
        letters.setdefault(c.field, c.letter)  # type: ignore[arg-type]
    parsed = [ParsedRow(r + 1, raw, letters) for r in range(layout.data_start, layout.data_end + 1)
              if not is_blank_row(raw := sheet.rows[r], indices) and not is_footer(raw)]
    if not parsed:
        return parsed
    cells = list(zip(*(row.raw for row in parsed), strict=True))  # the block by column
    values = [row.values for row in parsed]
    facts = [row.facts for row in parsed]
    for done, c in enumerate(mapped):
        if progress is not None:
            progress.update("正在读取数据行…", done, len(mapped))
        spec = kind.by_key[c.field]  # type: ignore[index]
        results, errors = parse_column(spec.parse, c.factor, cells[c.index])
        if spec.yearly:
            for year_facts, result in zip(facts, results, strict=True):
                if result is not None:
                    year_facts.setdefault(c.year, {})[c.field] = result  # type: ignore[arg-type, index]
        else:
            for row_values, result in zip(values, results, strict=True):
                if result is not None:
                    row_values[c.field] = result  # type: ignore[index]
        for at, error in errors:
            parsed[at].issues.append(RowIssue(parsed[at].row, c.letter, error.code, error.message))
    return parsed


def build_plan(db: Database, path: Path, options: ImportOptions, progress: Progress | None = None, *,
               session: Session | None = None, sheet: SheetData | None = None) -> Plan:
    """The dry run: read, map, parse, validate and match; nothing is written.

    Args:
        session: The commit's session, so that the plan is made under its write lock; a read session otherwise.
        sheet: The sheet when it was read already.

    Raises:
        ImportFileError: the file cannot be used at all.
    """
    if progress is not None:
        progress.update("正在读取文件…")
    kind = kind_for(options.kind, path.name)
    with nullcontext(session) if session is not None else read_session(db) as reading:
        def load() -> tuple[tuple[int, int], Any]:
            return register_stamp(reading), kind.load(reading, options)

        if sheet is None:
            sheet, (stamp, loaded) = read_while(path, options, load)
        else:
            stamp, loaded = load()
        layout, columns = _layout_and_columns(db, kind, sheet, options)
        rows = parse_rows(kind, sheet, layout, columns, progress)
        planned = kind.plan_rows(reading, rows, options, progress, loaded)
    header_cells = tuple(
        " / ".join(dict.fromkeys(t for r in layout.header_rows if (t := str(sheet.rows[r][i]).strip())))
        for i in range(sheet.width))
    return Plan(kind=kind.key, path=path, file_sha256=file_sha256(path), sheet=sheet.name, options=options,
                layout=layout, columns=columns, rows=tuple(planned),
                raw_rows={r.row: r.raw for r in rows}, header_cells=header_cells, register_stamp=stamp)


def register_stamp(session: Session) -> tuple[int, int]:
    """What changes whenever the data changes: the audit log's row count and highest id.

    Every change to the register is audited (ORM changes by the mapper events, bulk writes by
    :func:`services.audit.record`), and audit rows are only ever added, so an equal stamp means nothing was written
    in between. The count also moves when a transaction that took a lower id commits late (PostgreSQL), and after
    a restore the two together would have to match by accident.
    """
    count, highest = session.execute(select(func.count(AuditLog.id), func.max(AuditLog.id))).one()
    return int(count), int(highest or 0)

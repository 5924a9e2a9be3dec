"""The ``carrier_stats`` kind: a carrier statistics sheet (like the city's 2018 孵化器基本情况统计表) into the
periodic statistics of registered carriers.

Which carrier: the row label is the carrier's name or its operator's (孵化器运营机构), compared after normalisation
(NFKC, no whitespace, unified brackets). A carrier is never created by an import: an unknown label is an error
(``carrier_unknown``), a label that only resembles a carrier is held for review (the clerk confirms it), and an
operator that runs several carriers needs the carrier's own name (``carrier_ambiguous``).

Which period: ``--year`` (in the GUI the year field; default the previous calendar year) gives the year. A column
季度 (also 统计期, 报告期, 统计季度, 所属季度, 统计年度, 年份) gives the quarter row by row — "2025年第3季度", "2025Q3",
"第3季度", "三季度", "Q3" or 3 — and a year written there wins over ``--year``; "全年", "2025年度", 2025 or no
such column mean the annual figures. The same carrier and period twice in a file: identical → ``unchanged``,
different → ``duplicate_conflict``.

Figures: as the import rules say, a blank cell never erases a stored figure and stays blank (未填, not 0); amounts
honour the header's unit (元, 千元, 万元, 亿元 → 万元); negative values are errors (``value_negative``). The
plausibility findings of :mod:`services.carrier_plausibility` (新增 > 在孵, an amount a thousand times out of line
with the carrier's other periods, an investment implausible for the floor area …) do not stop a row: they are
warnings in the row's note ("合理性提示：…"). The rows are written through the ORM (a statistics sheet has tens to
hundreds of rows), so every change is audited with the batch and can be reverted.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from rapidfuzz import fuzz, process
from sqlalchemy import select

from models import Carrier, CarrierPeriodStat, Subdistrict
from services.carrier_plausibility import STAT_FIELDS, negatives
from services.carrier_stats import figures_of, parse_period, period_label, review
from services.importing.normalize import CellError, parse_count, parse_date, parse_money, parse_number, parse_text
from services.importing.plan import Candidate, FieldChange, RowPlan, show
from services.importing.register_index import LOOKALIKE_SCORE, load_rows, name_core
from services.importing.spec import FieldSpec, ImportKind
from services.text import clean_name, normalize_name

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from services.audit import AuditContext
    from services.importing.plan import ImportOptions, ParsedRow, Plan
    from services.progress import Progress

_AREA_PLACES = Decimal("0.0001")
#: Areas (㎡) must be smaller than this (a thousand square kilometres).
AREA_LIMIT = Decimal(10**9)


def _label(value: Any, _factor: Decimal | None) -> str | None:
    text = parse_text(value)
    return clean_name(text) if text is not None else None


def _period(value: Any, _factor: Decimal | None) -> Any:
    try:
        return parse_period(value)
    except ValueError as exc:
        raise CellError("period_invalid", str(exc)) from exc


def _money(value: Any, factor: Decimal | None) -> Decimal | None:
    return parse_money(value, factor)


def _area(value: Any, _factor: Decimal | None) -> Decimal | None:
    number = parse_number(value)
    if number is None:
        return None
    if not -AREA_LIMIT < number < AREA_LIMIT:
        raise CellError("number_invalid", f"面积“{value}”过大，超出可登记的范围")
    return number.quantize(_AREA_PLACES)


def _count(value: Any, _factor: Decimal | None) -> int | None:
    return parse_count(value)


def _date(value: Any, _factor: Decimal | None) -> Any:
    return parse_date(value)


FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("carrier", "载体名称", ("孵化器运营机构", "运营机构", "运营主体", "运营单位", "孵化器名称",
                                  "众创空间名称", "载体", "孵化器", "众创空间", "单位名称", "名称",
                                  "孵化器(众创空间)名称"), _label),
    FieldSpec("period", "季度", ("统计期", "报告期", "统计季度", "所属季度", "统计期间", "统计年度", "年份"), _period),
    FieldSpec("investment_total_wan", "累计总投资", ("总投资", "累计投资", "累计投资额", "累计总投资额"), _money,
              money=True),
    FieldSpec("floor_area_m2", "总建筑面积", ("建筑面积", "总面积", "场地面积", "孵化面积", "孵化场地面积"), _area),
    FieldSpec("incubating_count", "当前在孵企业总数", ("在孵企业总数", "在孵企业数", "在孵企业", "当前在孵企业数"),
              _count),
    FieldSpec("new_count", "其中:当年新增孵化企业数", ("当年新增孵化企业数", "新增孵化企业数", "新增在孵企业数",
                                                "新入孵企业数", "新增企业数", "当年新增"), _count),
    FieldSpec("graduated_count", "其中:当年毕业企业数", ("当年毕业企业数", "毕业企业数", "毕业企业", "当年毕业"),
              _count),
    FieldSpec("exited_count", "退出企业数", ("当年退出企业数", "退出企业"), _count),
    FieldSpec("employees", "当前孵化企业就业人数", ("就业人数", "从业人员", "从业人数", "在孵企业从业人员",
                                             "在孵企业从业人数", "孵化企业就业人数"), _count),
    FieldSpec("ip_count", "当年孵化企业拥有知识产权数", ("知识产权数", "拥有知识产权数", "知识产权", "有效知识产权数"),
              _count),
    FieldSpec("revenue_wan", "当年孵化企业总收入", ("总收入", "在孵企业总收入", "孵化企业总收入", "收入"), _money,
              money=True),
    FieldSpec("financing_wan", "获得融资", ("融资额", "融资金额", "获得投融资", "当年获得融资", "获得融资额"), _money,
              money=True),
    FieldSpec("events_count", "创新创业活动场次", ("活动场次", "活动数", "双创活动场次"), _count),
    FieldSpec("mentors", "创业导师数", ("创业导师", "导师人数", "导师数"), _count),
    FieldSpec("vacancy_m2", "空置面积", ("待招商面积", "空置"), _area),
    FieldSpec("submitted_on", "报送日期", ("填报日期", "报送时间"), _date),
)
#: Fields stored on the statistics record, in its column order.
STORED = (*STAT_FIELDS, "submitted_on")


class CarrierStatsKind(ImportKind):
    """Carriers' periodic statistics."""

    key = "carrier_stats"
    label = "载体统计"
    fields = FIELDS
    required = ("carrier",)

    def plan_rows(self, session: Session, rows: list[ParsedRow], options: ImportOptions,
                  progress: Progress | None, loaded: Any = None) -> list[RowPlan]:
        return _Planner(self, session, options).plan(rows, progress)

    def write(self, session: Session, ctx: AuditContext, plan: Plan, progress: Progress | None) -> None:
        write_stats(session, plan, progress)


@dataclass(frozen=True)
class _Known:
    id: int
    name: str
    subdistrict: str | None
    area_m2: Decimal | None


class CarrierIndex:
    """The carriers as the matcher sees them: by normalised name, by operator, and look-alikes."""

    def __init__(self, session: Session) -> None:
        stmt = (select(Carrier.id, Carrier.name, Carrier.name_norm, Carrier.operator_name, Subdistrict.name,
                       Carrier.area_m2, Carrier.deleted_at)
                .outerjoin(Subdistrict, Subdistrict.id == Carrier.subdistrict_id).order_by(Carrier.id))
        self.by_id: dict[int, _Known] = {}
        self.by_name: dict[str, int] = {}
        self.removed: dict[str, str] = {}
        self.by_operator: dict[str, list[int]] = {}
        for cid, name, norm, operator, sub, area, deleted in session.execute(stmt):
            if deleted is not None:
                self.removed.setdefault(norm, name)
                continue
            self.by_id[cid] = _Known(cid, name, sub, area)
            self.by_name[norm] = cid
            if operator:
                self.by_operator.setdefault(normalize_name(operator), []).append(cid)
        self._keys = [*self.by_name, *self.by_operator]
        self._cores = [name_core(k) for k in self._keys]

    def lookalike(self, norm: str) -> tuple[int, float] | None:
        """A carrier whose name or operator resembles ``norm`` (the first of an operator's), with the score."""
        if not self._cores or len(name_core(norm)) < 2:
            return None
        best = process.extractOne(name_core(norm), self._cores, scorer=fuzz.ratio, score_cutoff=LOOKALIKE_SCORE)
        if best is None:
            return None
        key = self._keys[best[2]]
        return self.by_name.get(key) or self.by_operator[key][0], float(best[1])


@dataclass(slots=True)
class StatWrite:
    """What one row writes: the record (``stat_id`` None for a new one) and the figures to set."""

    carrier_id: int
    year: int
    quarter: int | None
    values: dict[str, Any]
    stat_id: int | None = None
    findings: tuple[str, ...] = field(default=())


@dataclass(slots=True)
class _Row:
    parsed: ParsedRow
    carrier_id: int
    year: int
    quarter: int | None
    values: dict[str, Any]


class _Planner:
    def __init__(self, kind: CarrierStatsKind, session: Session, options: ImportOptions) -> None:
        self.kind, self.session, self.options = kind, session, options
        self.index = CarrierIndex(session)

    def plan(self, rows: list[ParsedRow], progress: Progress | None) -> list[RowPlan]:
        if progress is not None:
            progress.update("正在核对载体…", 0, len(rows))
        plans: dict[int, RowPlan] = {}
        accepted: list[_Row] = []
        first: dict[tuple[int, int, int | None], _Row] = {}
        for parsed in rows:
            row_or_plan = self._resolve(parsed)
            if isinstance(row_or_plan, RowPlan):
                plans[parsed.row] = row_or_plan
                continue
            row = row_or_plan
            key = (row.carrier_id, row.year, row.quarter)
            earlier = first.get(key)
            if earlier is None:
                first[key] = row
                accepted.append(row)
            elif earlier.values == row.values:
                plans[parsed.row] = RowPlan(parsed.row, "unchanged", self._name(row),
                                            note=f"与第 {earlier.parsed.row} 行相同")
            else:
                differ = [self.kind.by_key[k].label for k in {**earlier.values, **row.values}
                          if earlier.values.get(k) != row.values.get(k)]
                parsed.problem("duplicate_conflict", f"与第 {earlier.parsed.row} 行是同一载体的同一统计期"
                               f"（{period_label(row.year, row.quarter)}），但{'、'.join(differ[:3])}不同", "carrier")
                plans[parsed.row] = RowPlan(parsed.row, "skipped", self._name(row), issues=tuple(parsed.issues))
        stored = self._stored({r.carrier_id for r in accepted})
        merged = {cid: {period: dict(figures) for period, (_sid, figures) in periods.items()}
                  for cid, periods in stored.items()}
        for row in accepted:
            period = (row.year, row.quarter)
            merged.setdefault(row.carrier_id, {}).setdefault(period, {}).update(row.values)
        findings = {cid: review(periods.items(), self.index.by_id[cid].area_m2) for cid, periods in merged.items()}
        for row in accepted:
            plans[row.parsed.row] = self._diff(row, stored.get(row.carrier_id, {}),
                                               findings[row.carrier_id][(row.year, row.quarter)])
        return [plans[r.row] for r in rows]

    def _name(self, row: _Row) -> str:
        return self.index.by_id[row.carrier_id].name

    def _match(self, parsed: ParsedRow, label: str) -> int | RowPlan | None:
        """The carrier a row label names; a review plan for a look-alike; None after recording the problem."""
        norm = normalize_name(label)
        decided = self.options.decisions.get(parsed.row, -1)
        if decided is None or (decided != -1 and decided not in self.index.by_id):
            parsed.problem("carrier_unknown", f"“{label}”未对应到在册载体；导入不会新增载体，请先在“载体”页新增",
                           "carrier")
            return None
        if decided != -1:
            return decided
        found = self.index.by_name.get(norm)
        operated = self.index.by_operator.get(norm, [])
        if found is None and len(operated) == 1:
            found = operated[0]
        if found is not None:
            return found
        if len(operated) > 1:
            names = "、".join(f"“{self.index.by_id[c].name}”" for c in operated)
            parsed.problem("carrier_ambiguous", f"运营机构“{label}”运营多个载体（{names}），请在表中填写载体名称",
                           "carrier")
        elif norm in self.index.removed:
            parsed.problem("carrier_removed", f"载体“{self.index.removed[norm]}”已删除，请先在“载体”页恢复",
                           "carrier")
        elif (alike := self.index.lookalike(norm)) is not None:
            known = self.index.by_id[alike[0]]
            return RowPlan(parsed.row, "review", label, candidate=Candidate(known.id, known.name, None,
                                                                            known.subdistrict, alike[1]),
                           note=f"与在册载体“{known.name}”相似，请确认是否为同一载体")
        else:
            parsed.problem("carrier_unknown", f"“{label}”不是在册载体的名称或运营机构；导入不会新增载体，"
                           "请先在“载体”页新增", "carrier")
        return None

    def _resolve(self, parsed: ParsedRow) -> _Row | RowPlan:
        raw = parsed.values
        label = raw.get("carrier") or ""
        carrier_id: int | None = None
        if not label:
            parsed.problem("name_missing", "载体名称（运营机构）为空", "carrier")
        else:
            matched = self._match(parsed, label)
            if isinstance(matched, RowPlan):
                return matched
            carrier_id = matched
        period = raw.get("period")
        year = period.year if period is not None and period.year is not None else self.options.figures_year
        quarter = period.quarter if period is not None else None
        if year < 1990 or dt.date(year, 3 * (quarter or 1) - 2, 1) > self.options.day:
            parsed.problem("period_invalid", f"统计期{period_label(year, quarter)}不在可填报的范围内（1990年至今）",
                           "period" if "period" in raw else None)
        values = {k: raw[k] for k in STORED if k in raw}
        for key, message in negatives(values).items():
            parsed.problem("value_negative", message, key)
        if not any(k in values for k in STAT_FIELDS) and not parsed.issues:
            parsed.problem("figures_missing", "该行没有任何统计数据", "carrier")
        if parsed.issues or carrier_id is None:
            name = self.index.by_id[carrier_id].name if carrier_id is not None else label
            return RowPlan(parsed.row, "skipped", name, issues=tuple(parsed.issues))
        return _Row(parsed, carrier_id, year, quarter, values)

    def _stored(self, ids: set[int]) -> dict[int, dict[tuple[int, int | None], tuple[int, dict[str, Any]]]]:
        found: dict[int, dict[tuple[int, int | None], tuple[int, dict[str, Any]]]] = {}
        for stat in load_rows(self.session, CarrierPeriodStat, ids, CarrierPeriodStat.carrier_id):
            found.setdefault(stat.carrier_id, {})[(stat.year, stat.quarter)] = (
                stat.id, {**figures_of(stat), "submitted_on": stat.submitted_on})
        return found

    def _diff(self, row: _Row, stored: dict[tuple[int, int | None], tuple[int, dict[str, Any]]],
              findings: list[Any]) -> RowPlan:
        period = period_label(row.year, row.quarter)
        warn = [f.message for f in findings]
        note = "合理性提示：" + "；".join(warn) if warn else ""
        name, parsed = self._name(row), row.parsed
        stat_id, old = stored.get((row.year, row.quarter), (None, {}))
        changes = tuple(
            FieldChange(k, f"{period}{self.kind.by_key[k].label.removeprefix('其中:')}", old.get(k), v,
                        old_text=show(old.get(k)), new_text=show(v))
            for k, v in row.values.items() if old.get(k) != v)
        write = StatWrite(row.carrier_id, row.year, row.quarter, {c.field: c.new for c in changes}, stat_id,
                          tuple(warn))
        if stat_id is None:
            if self.options.mode == "update":
                parsed.problem("stat_missing", f"{period}统计尚未登记，按“仅更新”方式不新增", "carrier")
                return RowPlan(parsed.row, "skipped", name, row.carrier_id, issues=tuple(parsed.issues))
            return RowPlan(parsed.row, "create", name, row.carrier_id, changes,
                           note="；".join(p for p in (f"新增{period}统计", note) if p), payload=write)
        if not changes:
            return RowPlan(parsed.row, "unchanged", name, row.carrier_id, note=note, payload=write)
        if self.options.mode == "create":
            parsed.problem("stat_exists", f"{period}统计已登记，按“仅新增”方式不更新", "carrier")
            return RowPlan(parsed.row, "skipped", name, row.carrier_id, issues=tuple(parsed.issues))
        return RowPlan(parsed.row, "update", name, row.carrier_id, changes, note=note, payload=write)


def write_stats(session: Session, plan: Plan, progress: Progress | None) -> None:
    """Create and update the statistics of ``plan`` through the ORM (audited with the session's batch)."""
    todo = [r for r in plan.rows if r.action in ("create", "update")]
    stored = {s.id: s for s in load_rows(session, CarrierPeriodStat,
                                         [r.payload.stat_id for r in todo if r.payload.stat_id], CarrierPeriodStat.id)}
    for done, row in enumerate(todo):
        if progress is not None and done % 100 == 0:
            progress.update("正在写入载体统计…", done, len(todo))
        write: StatWrite = row.payload
        if write.stat_id is None:
            stat = CarrierPeriodStat(carrier_id=write.carrier_id, year=write.year, quarter=write.quarter)
            session.add(stat)
        else:
            stat = stored[write.stat_id]
        for key, value in write.values.items():
            setattr(stat, key, value)
    session.flush()

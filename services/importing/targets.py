"""The ``targets`` kind: a target-breakdown table such as Gongshu's 国高企 table (DOMAIN §8.1(c)), as printed.

    属地 | 2017年国高企数 | 2018年新增数 | 2018年力争数 | … | 2020年力争数 | 合计倍增数 | 合计力争数

Each header's year gives the year of its column: 新增数 is the target (required), 力争数 the stretch target, and the
国高企数 column the base (the count the targets start from), stored with every later year's targets. 全区 (also
合计行 names such as 全区合计, or the district's own name) is the district's row; every other 属地 goes through the
alias table (园区 → the park unit). The 合计 columns are checked — 合计倍增数 = base + Σ 新增数, 合计力争数 = base +
Σ 力争数 — and not stored; a row whose totals do not add up is an error (``total_mismatch``) and is skipped. Where
the 属地 rows do not add up to the 全区 row, the 全区 row says so (a note, not an error: the city's and the
district's sets are made differently).

The issuer (区 or 市) is the same for the whole table: an optional 下达单位 column wins, else ``--source`` when it
names one (``--source 市`` for the city's table), else 区. The indicator is new 国高企 (``qual.national_hte.new``).
A blank cell never erases a stored target, and importing the same table again changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from models import Target
from services.importing.normalize import CellError, parse_count, parse_text
from services.importing.plan import FieldChange, ImportOptions, ParsedRow, RowPlan
from services.importing.references import References
from services.importing.spec import FieldSpec, ImportKind
from services.payouts import home_district
from services.targets import HTE_INDICATOR, ISSUERS, MAX_TARGET, WHOLE_DISTRICT

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from services.audit import AuditContext
    from services.importing.plan import Plan
    from services.progress import Progress

#: 属地 texts that mean the whole district.
WHOLE_NAMES = ("全区", "全区合计", "区合计", "全区总计", "区本级合计")
#: Texts (``--source`` or a 下达单位 cell) that name an issuer.
ISSUER_NAMES = {"区": "区", "区级": "区", "区下达": "区", "区科技局": "区", "市": "市", "市级": "市", "市下达": "市",
                "杭州市": "市", "市科技局": "市", "市科委": "市"}
SOURCE = "表格导入"
MEASURE_LABELS = {"required": "新增数", "stretch": "力争数", "base_value": "基数"}


def _count(value: Any, _factor: Decimal | None) -> int | None:
    if isinstance(value, str):
        value = value.strip().removesuffix("家").removesuffix("个")
    number = parse_count(value)
    if number is not None and not 0 <= number <= MAX_TARGET:
        raise CellError("number_invalid", f"“{number}”应为0至{MAX_TARGET}之间的整数")
    return number


def _text(value: Any, _factor: Decimal | None) -> str | None:
    return parse_text(value)


FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("unit", "属地", ("街道", "街道(园区)", "街道园区", "街道/园区", "镇街", "单位", "地区", "区域",
                             "属地单位", "所属街道"), _text),
    FieldSpec("base_value", "国高企数", ("国家高新技术企业数", "国高企", "高企数", "基数", "现有数", "国高企存量"),
              _count, yearly=True),
    FieldSpec("required", "新增数", ("新增", "目标新增数", "新增目标", "新增任务数", "任务数", "目标数"), _count,
              yearly=True),
    FieldSpec("stretch", "力争数", ("力争", "力争目标", "力争新增数"), _count, yearly=True),
    FieldSpec("total_required", "合计倍增数", ("合计新增数", "倍增数合计", "合计倍增"), _count),
    FieldSpec("total_stretch", "合计力争数", ("力争数合计", "合计力争"), _count),
    FieldSpec("issuer", "下达单位", ("下达部门", "下达方", "目标来源"), _text),
)


@dataclass(slots=True)
class _Row:
    """A row checked: its unit (None: 全区), yearly targets and base by year."""

    parsed: ParsedRow
    unit_id: int | None
    name: str
    issuer: str
    years: dict[int, dict[str, int]]
    note: str = ""


def issuer_of(text: str | None) -> str | None:
    return ISSUER_NAMES.get("".join((text or "").split()))


def _base_for(bases: dict[int, int], year: int) -> int | None:
    earlier = [y for y in bases if y < year]
    return bases[max(earlier)] if earlier else None


def _check_totals(row: ParsedRow, bases: dict[int, int], years: dict[int, dict[str, int]]) -> None:
    """合计倍增数 = base + Σ 新增数 and 合计力争数 = base + Σ 力争数, when the row has them."""
    base = bases[min(bases)] if bases else 0
    base_text = f"{min(bases)}年国高企数 {base} + " if bases else ""
    for total_key, measure in (("total_required", "required"), ("total_stretch", "stretch")):
        given = row.values.get(total_key)
        if given is None:
            continue
        parts = [years[y][measure] for y in sorted(years) if measure in years[y]]
        expected = base + sum(parts)
        if given != expected:
            label = "合计倍增数" if total_key == "total_required" else "合计力争数"
            row.problem("total_mismatch", f"{label}应为 {base_text}各年{MEASURE_LABELS[measure]} {sum(parts)} = "
                                          f"{expected}，表中为 {given}", total_key)


class TargetKind(ImportKind):
    """Target tables per 属地 and year."""

    key = "targets"
    label = "目标任务"
    fields = FIELDS
    required = ("unit",)

    def plan_rows(self, session: Session, rows: list[ParsedRow], options: ImportOptions,
                  progress: Progress | None, loaded: Any = None) -> list[RowPlan]:
        refs = References(session)
        district = home_district(session)
        whole = {*WHOLE_NAMES, district.name, *(district.name.removesuffix(s) for s in ("区", "县", "市"))}
        default_issuer = issuer_of(options.source) or "区"
        checked = [self._check(row, refs, district.id, whole, default_issuer) for row in rows]
        stored = {(t.subdistrict_id, t.year, t.issuer): t for t in session.scalars(
            select(Target).where(Target.district_id == district.id, Target.indicator == HTE_INDICATOR))}
        _note_sums([c for c in checked if not c.parsed.issues])
        plans = []
        first: dict[tuple[int | None, str], _Row] = {}
        for done, row in enumerate(checked):
            if progress is not None and done % 100 == 0:
                progress.update("正在核对目标…", done, len(checked))
            plans.append(self._plan(row, first, stored, options.mode))
        return plans

    @staticmethod
    def _check(row: ParsedRow, refs: References, district_id: int, whole: set[str], issuer: str) -> _Row:
        text = row.values.get("unit")
        unit_id: int | None = None
        if text is None:
            row.problem("subdistrict_missing", "属地为空", "unit")
        elif "".join(text.split()) not in whole:
            unit_id = refs.subdistrict(text)
            if unit_id is None or refs.subdistrict_district.get(unit_id) != district_id:
                row.problem("subdistrict_unknown", f"属地“{text}”不是本区的街道或园区（可在基础数据中添加别名）",
                            "unit")
        if "issuer" in row.values:
            issuer = issuer_of(row.values["issuer"]) or ""
            if not issuer:
                row.problem("issuer_unknown", f"下达单位“{row.values['issuer']}”应为“区”或“市”", "issuer")
        bases = {y: f["base_value"] for y, f in row.facts.items() if "base_value" in f}
        years = {y: {k: v for k, v in f.items() if k != "base_value"} for y, f in row.facts.items()
                 if "required" in f or "stretch" in f}
        if not years and not row.issues:
            row.problem("targets_missing", "该行没有任何年度的新增数或力争数", "unit")
        for year, values in sorted(years.items()):
            if not 1990 <= year <= 2200:
                row.problem("year_invalid", f"年度 {year} 不在1990至2200年之间", "required")
            if values.get("stretch", MAX_TARGET) < values.get("required", 0):
                row.problem("stretch_below_required", f"{year}年力争数（{values['stretch']}）不能小于新增数"
                                                      f"（{values['required']}）", "stretch")
            base = _base_for(bases, year)
            if base is not None:
                values["base_value"] = base
        _check_totals(row, bases, years)
        if unit_id is not None:
            name = refs.subdistrict_names[unit_id]
        else:
            name = WHOLE_DISTRICT if text is not None and "".join(text.split()) in whole else text or ""
        return _Row(row, unit_id, name, issuer, years)

    @staticmethod
    def _plan(row: _Row, first: dict[tuple[int | None, str], _Row], stored: dict[tuple[int | None, int, str], Target],
              mode: str) -> RowPlan:
        parsed = row.parsed
        if parsed.issues:
            return RowPlan(parsed.row, "skipped", row.name, issues=tuple(parsed.issues))
        earlier = first.setdefault((row.unit_id, row.issuer), row)
        if earlier is not row:
            if earlier.years == row.years:
                return RowPlan(parsed.row, "unchanged", row.name, note=f"与第 {earlier.parsed.row} 行相同")
            parsed.problem("duplicate_conflict", f"与第 {earlier.parsed.row} 行是同一属地，但目标数不同", "unit")
            return RowPlan(parsed.row, "skipped", row.name, issues=tuple(parsed.issues))
        changes: list[FieldChange] = []
        writes: list[tuple[int | None, int, dict[str, int]]] = []
        existing = 0
        for year, values in sorted(row.years.items()):
            target = stored.get((row.unit_id, year, row.issuer))
            existing += target is not None
            differ = {k: v for k, v in values.items() if target is None or getattr(target, k) != v}
            for key, new in differ.items():
                old = getattr(target, key) if target is not None else None
                changes.append(FieldChange(key, f"{year}年{MEASURE_LABELS[key]}", old, new, year,
                                           "" if old is None else str(old), str(new)))
            if differ:
                writes.append((target.id if target is not None else None, year, differ))
        if mode == "create" and existing:
            parsed.problem("exists", "该属地已有这些年度的目标（导入方式为“只新增”）", "unit")
            return RowPlan(parsed.row, "skipped", row.name, issues=tuple(parsed.issues))
        if mode == "update" and not existing:
            parsed.problem("not_found", "该属地还没有这些年度的目标（导入方式为“只更新”）", "unit")
            return RowPlan(parsed.row, "skipped", row.name, issues=tuple(parsed.issues))
        if not writes:
            return RowPlan(parsed.row, "unchanged", row.name, target_id=row.unit_id, note=row.note)
        action = "update" if existing else "create"
        return RowPlan(parsed.row, action, row.name, target_id=row.unit_id, changes=tuple(changes), note=row.note,
                       payload=(row.unit_id, row.issuer, writes))

    def write(self, session: Session, ctx: AuditContext, plan: Plan, progress: Progress | None) -> None:
        district_id = home_district(session).id
        for done, row in enumerate(plan.rows):
            if row.action not in ("create", "update"):
                continue
            if progress is not None and done % 100 == 0:
                progress.update("正在写入目标…", done, len(plan.rows))
            unit_id, issuer, writes = row.payload
            for target_id, year, values in writes:
                target = session.get(Target, target_id) if target_id is not None else None
                if target is None:
                    target = Target(district_id=district_id, subdistrict_id=unit_id, year=year,
                                    indicator=HTE_INDICATOR, issuer=issuer, source=SOURCE)
                    session.add(target)
                for key, value in values.items():
                    setattr(target, key, value)
        session.flush()


def _note_sums(rows: list[_Row]) -> None:
    """Tell on the 全区 row (of each issuer) where the 属地 rows of the file do not add up to it."""
    for issuer in ISSUERS:
        whole = next((r for r in rows if r.unit_id is None and r.issuer == issuer), None)
        if whole is None:
            continue
        units = [r for r in rows if r.unit_id is not None and r.issuer == issuer]
        gaps = []
        for year, values in sorted(whole.years.items()):
            for key in ("required", "stretch"):
                parts = [r.years[year][key] for r in units if key in r.years.get(year, {})]
                if key in values and parts and sum(parts) != values[key]:
                    gaps.append(f"{year}年{MEASURE_LABELS[key]}各属地合计 {sum(parts)}，全区 {values[key]}")
        if gaps:
            whole.note = "属地合计与全区不符：" + "；".join(gaps)

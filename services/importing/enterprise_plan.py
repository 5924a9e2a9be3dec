"""Planning enterprise rows: validate, resolve references, find duplicates in the file, match, and diff.

The rules of PRODUCT.md: a blank cell never erases and a column the file lacks is not touched (only values the row
has are compared and written); the same enterprise twice in a file is ``unchanged`` when the later row says nothing
new and ``duplicate_conflict`` otherwise; matching is by credit code, else by normalised name (former names too);
a look-alike is held for review; an unknown 属地 is ``subdistrict_unknown``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from models import Enterprise, EnterpriseFormerName, EnterpriseYearFact, PoolEntry
from services.errors import UserFacingError
from services.importing.enterprises import ENTERPRISE_COLUMNS, FACT_FIELDS, EnterpriseKind
from services.importing.plan import Candidate, FieldChange, ImportOptions, ParsedRow, RowPlan, show
from services.importing.references import References
from services.importing.register_index import RegisterIndex, load_rows
from services.progress import Progress
from services.qualifications import check_fact_values
from services.text import normalize_name, pinyin_initials

#: Pool entries made from the 资质/拟申报类型 column.
POOL_KIND = "申报库"
POOL_SOURCE = "街道推荐"
_LABELS = {"name": "企业名称", "uscc": "统一社会信用代码", "subdistrict_id": "属地", "industry_field_code": "行业领域",
           "former_names": "曾用名", "pools": "拟申报类型"}


@dataclass(slots=True)
class EnterpriseWrite:
    """What to write for one row.

    Attributes:
        values: Enterprise columns to set (a create: every value the row has; an update: the changed ones).
        facts: Year → yearly figures to set.
        fact_ids: Year → id of the stored figures of that year (updates of existing rows).
        pools: Qualification type codes to open a 申报库 entry for.
        former_names: Names to add as former names (a rename adds the old name).
    """

    values: dict[str, Any]
    facts: dict[int, dict[str, Any]] = field(default_factory=dict)
    fact_ids: dict[int, int] = field(default_factory=dict)
    pools: tuple[str, ...] = ()
    former_names: tuple[str, ...] = ()


def initials(name: str, formers: Iterable[str], *, name_norm: str | None = None) -> str:
    """``name_initials`` of an enterprise: the name's pinyin initials, then each former name's, space-separated
    (``name_norm``: the name normalised already, saving the work again)."""
    own = pinyin_initials(name_norm, normalized=True) if name_norm is not None else pinyin_initials(name)
    return " ".join([own, *(pinyin_initials(n) for n in formers)])


@dataclass(slots=True)
class _Row:
    parsed: ParsedRow
    values: dict[str, Any]
    pools: tuple[str, ...]
    facts: dict[int, dict[str, Any]]


def _label(kind: EnterpriseKind, key: str, year: int | None = None) -> str:
    label = _LABELS.get(key) or kind.by_key[key].label
    return f"{year}年{label}" if year is not None else label


def _resolve(kind: EnterpriseKind, row: ParsedRow, refs: References, source_id: int | None,
             today: dt.date) -> _Row:
    """Check one parsed row and turn names of reference data into ids; problems go to ``row.issues``."""
    raw = row.values
    values: dict[str, Any] = {}
    name = raw.get("name")
    if not name:
        row.problem("name_missing", "企业名称为空", "name")
    else:
        values["name"] = name
        values["name_norm"] = normalize_name(name)
    for key in ("uscc", "address", "registered_on", "registered_capital_wan", "legal_person", "contact_person",
                "contact_phone", "contact_email", "notes", "former_names"):
        if key in raw:
            values[key] = raw[key]
    sub_text = raw.get("subdistrict")
    if sub_text is not None:
        sub_id = refs.subdistrict(sub_text)
        if sub_id is None:
            row.problem("subdistrict_unknown", f"属地“{sub_text}”不在属地表中（可在基础数据中添加别名）", "subdistrict")
        else:
            values["subdistrict_id"] = sub_id
    elif source_id is not None:
        values["subdistrict_id"] = source_id
    field_text = raw.get("industry_field")
    if field_text is not None:
        code = refs.industry_field(field_text)
        if code is None:
            row.problem("industry_field_unknown",
                        f"行业领域“{field_text}”不是八大高新技术领域之一（{'、'.join(refs.field_names.values())}）",
                        "industry_field")
        else:
            values["industry_field_code"] = code
    pools = []
    for text in raw.get("qualification", ()):
        code = refs.qualification_type(text)
        if code is None:
            row.problem("qualification_unknown", f"“{text}”不是已知的资质类型", "qualification")
        else:
            pools.append(code)
    day = values.get("registered_on")
    if day is not None and (day > today or day.year < 1949):
        row.problem("date_invalid", "注册日期不能晚于今天" if day > today else "注册日期不能早于1949年",
                    "registered_on")
    capital = values.get("registered_capital_wan")
    if capital is not None and capital < 0:
        row.problem("value_invalid", "注册资本不能为负数", "registered_capital_wan")
    facts = row.facts
    for year, figures in facts.items():
        for key, message in check_fact_values(year, figures, today).items():
            row.problem("fact_invalid", f"{year}年：{message}", key if key in figures else None)
    raw.clear()  # the parsed cells live on in the resolved row; 50,000 rows' dicts are memory the plan needs
    return _Row(row, values, tuple(dict.fromkeys(pools)), facts)


def _comparable(row: _Row) -> dict[Any, Any]:
    data: dict[Any, Any] = {k: v for k, v in row.values.items() if k != "name"}
    data.update({(key, year): v for year, figures in row.facts.items() for key, v in figures.items()})
    data.update({("pool", code): True for code in row.pools})
    return data


def _duplicate(row: _Row, first: _Row, kind: EnterpriseKind) -> RowPlan:
    earlier, later = _comparable(first), _comparable(row)
    differ = [k for k, v in later.items() if earlier.get(k) != v]
    name = row.values.get("name", "")
    if not differ:
        return RowPlan(row.parsed.row, "unchanged", name, note=f"与第 {first.parsed.row} 行相同")
    labels = []
    for key in differ[:3]:
        if isinstance(key, tuple) and key[0] == "pool":
            labels.append("拟申报类型")
        elif isinstance(key, tuple):
            labels.append(_label(kind, key[0], key[1]))
        else:
            labels.append(_label(kind, "name" if key == "name_norm" else key))
    issue_field = differ[0] if isinstance(differ[0], str) else differ[0][0]
    row.parsed.problem("duplicate_conflict",
                       f"与第 {first.parsed.row} 行是同一企业，但{'、'.join(dict.fromkeys(labels))}不同",
                       "name" if issue_field == "name_norm" else issue_field)
    return RowPlan(row.parsed.row, "skipped", name, issues=tuple(row.parsed.issues))


class _Stored:
    """The stored state of the matched enterprises, loaded in bulk."""

    def __init__(self, session: Session, ids: set[int], years: set[int], pool_year: int) -> None:
        self.enterprises = {e.id: e for e in load_rows(session, Enterprise, ids, Enterprise.id)}
        self.facts: dict[tuple[int, int], EnterpriseYearFact] = {
            (f.enterprise_id, f.year): f
            for f in load_rows(session, EnterpriseYearFact, ids, EnterpriseYearFact.enterprise_id) if f.year in years}
        self.former: dict[int, set[str]] = {}
        for f in load_rows(session, EnterpriseFormerName, ids, EnterpriseFormerName.enterprise_id):
            self.former.setdefault(f.enterprise_id, set()).add(f.name_norm)
        self.pools: set[tuple[int, str | None]] = {
            (p.enterprise_id, p.target_type_code) for p in load_rows(session, PoolEntry, ids, PoolEntry.enterprise_id)
            if p.left_on is None and p.year == pool_year}


def _diff(kind: EnterpriseKind, row: _Row, ent_id: int, stored: _Stored, refs: References,
          keep_name: bool) -> tuple[list[FieldChange], EnterpriseWrite]:
    ent = stored.enterprises[ent_id]
    changes: list[FieldChange] = []
    write = EnterpriseWrite(values={})
    former = stored.former.get(ent_id, set())
    new_name = row.values["name"]
    if not keep_name and row.values["name_norm"] != ent.name_norm and row.values["name_norm"] not in former:
        changes.append(FieldChange("name", _label(kind, "name"), ent.name, new_name,
                                   old_text=ent.name, new_text=new_name))
        write.values["name"] = new_name
        write.former_names = (ent.name,)
    for key in ("uscc", *ENTERPRISE_COLUMNS):
        if key not in row.values:
            continue
        new, old = row.values[key], getattr(ent, key)
        if new != old:
            if key == "uscc" and old is not None:
                continue  # a different stored code was refused while matching
            old_text, new_text = show(old), show(new)
            if key == "subdistrict_id":
                old_text, new_text = refs.subdistrict_names.get(old, ""), refs.subdistrict_names[new]
            elif key == "industry_field_code":
                old_text, new_text = refs.field_names.get(old, ""), refs.field_names[new]
            changes.append(FieldChange(key, _label(kind, key), old, new, old_text=old_text, new_text=new_text))
            write.values[key] = new
    added = tuple(n for n in row.values.get("former_names", ())
                  if normalize_name(n) not in former and normalize_name(n) != ent.name_norm)
    if added:
        changes.append(FieldChange("former_names", _label(kind, "former_names"), None, added, new_text=show(added)))
        write.former_names += added
    for year, figures in row.facts.items():
        fact = stored.facts.get((ent_id, year))
        if fact is not None:
            write.fact_ids[year] = fact.id
        for key in FACT_FIELDS:
            if key in figures:
                old = getattr(fact, key) if fact is not None else None
                if figures[key] != old:
                    changes.append(FieldChange(key, _label(kind, key, year), old, figures[key], year,
                                               show(old), show(figures[key])))
                    write.facts.setdefault(year, {})[key] = figures[key]
    write.pools = tuple(c for c in row.pools if (ent_id, c) not in stored.pools)
    if write.pools:
        changes.append(FieldChange("pools", _label(kind, "pools"), None, write.pools,
                                   new_text="、".join(refs.type_names[c] for c in write.pools)))
    return changes, write


def _source_id(refs: References, options: ImportOptions) -> int | None:
    if not options.source:
        return None
    found = refs.subdistrict(options.source)
    if found is None:
        raise UserFacingError(f"来源属地“{options.source}”不在属地表中，请从属地列表中选择。")
    return found


class Loaded:
    """What planning enterprise rows reads from the database: the reference tables and the register's index."""

    def __init__(self, session: Session) -> None:
        self.refs = References(session)
        self.index = RegisterIndex(session)


def plan_enterprise_rows(kind: EnterpriseKind, session: Session, rows: list[ParsedRow], options: ImportOptions,
                         progress: Progress | None, loaded: Loaded | None = None) -> list[RowPlan]:
    """One :class:`RowPlan` per parsed row, in row order (``loaded``: :class:`Loaded` of ``session``)."""
    loaded = loaded or Loaded(session)
    refs, index = loaded.refs, loaded.index
    source_id = _source_id(refs, options)
    if progress is not None:
        progress.update("正在核对企业…", 0, len(rows))
    pool_year = options.figures_year + 1
    today = options.day
    plans: dict[int, RowPlan] = {}
    matched: list[tuple[_Row, int, bool]] = []
    first_by_key: dict[str, _Row] = {}
    for number, parsed in enumerate(rows):
        if progress is not None and number % 2000 == 0:
            progress.update(value=number)
        row = _resolve(kind, parsed, refs, source_id, today)
        name = row.values.get("name", "")
        if parsed.issues:
            plans[parsed.row] = RowPlan(parsed.row, "skipped", name, issues=tuple(parsed.issues))
            continue
        code, name_key = row.values.get("uscc"), "n:" + row.values["name_norm"]
        first = (code and first_by_key.get(code)) or first_by_key.get(name_key)
        if first is not None:
            plans[parsed.row] = _duplicate(row, first, kind)
            continue
        if code:
            first_by_key[code] = row
        first_by_key[name_key] = row
        plan = _match(kind, row, index, options, matched)
        if plan is not None:
            plans[parsed.row] = plan
    ids = {ent_id for _, ent_id, _ in matched}
    years = {year for row, _, _ in matched for year in row.facts}
    stored = _Stored(session, ids, years, pool_year)
    for row, ent_id, keep_name in matched:
        changes, write = _diff(kind, row, ent_id, stored, refs, keep_name)
        name = stored.enterprises[ent_id].name
        if not changes:
            plans[row.parsed.row] = RowPlan(row.parsed.row, "unchanged", name, ent_id)
        elif options.mode == "create":
            row.parsed.problem("already_registered", f"企业已在册（“{name}”），按“仅新增”方式不更新", "name")
            plans[row.parsed.row] = RowPlan(row.parsed.row, "skipped", name, ent_id, issues=tuple(row.parsed.issues))
        else:
            plans[row.parsed.row] = RowPlan(row.parsed.row, "update", name, ent_id, tuple(changes), payload=write)
    return [plans[r.row] for r in rows]


def _match(kind: EnterpriseKind, row: _Row, index: RegisterIndex, options: ImportOptions,
           matched: list[tuple[_Row, int, bool]]) -> RowPlan | None:
    """A plan for a row that creates, is refused or waits for review; None when it matched (diffed later)."""
    values, parsed = row.values, row.parsed
    code, norm, name = values.get("uscc"), values["name_norm"], values["name"]
    ent_id: int | None = None
    keep_name = False
    if code:
        ent_id = index.by_uscc.get(code)
        other, _ = index.by_name_or_former(norm)
        if ent_id is not None:
            reg = index.by_id[ent_id]
            if reg.deleted:
                parsed.problem("enterprise_removed", f"信用代码属于已删除的企业“{reg.name}”，请先在企业库中恢复",
                               "uscc")
            elif other is not None and other != ent_id:
                parsed.problem("uscc_conflict", f"信用代码属于“{reg.name}”，但名称与另一家已登记企业"
                               f"“{index.by_id[other].name}”相同", "uscc")
        elif other is not None:
            reg = index.by_id[other]
            if reg.uscc:
                parsed.problem("uscc_conflict", f"名称与已登记的“{reg.name}”相同，但其信用代码为 {reg.uscc}", "uscc")
            else:
                ent_id = other
    else:
        ent_id, keep_name = index.by_name_or_former(norm)
    if parsed.issues:
        return RowPlan(parsed.row, "skipped", name, issues=tuple(parsed.issues))
    if ent_id is None and parsed.row in options.decisions:
        decided = options.decisions[parsed.row]
        if decided is not None:
            if decided not in index.by_id or index.by_id[decided].deleted:
                parsed.problem("enterprise_removed", f"选定的企业（编号 {decided}）已不在企业库中", "name")
                return RowPlan(parsed.row, "skipped", name, issues=tuple(parsed.issues))
            matched.append((row, decided, True))
            return None
    elif ent_id is None:
        alike = index.lookalike(norm)
        if alike is not None:
            reg = index.by_id[alike[0]]
            return RowPlan(parsed.row, "review", name,
                           candidate=Candidate(reg.id, reg.name, reg.uscc, reg.subdistrict, alike[1]),
                           note=f"与已登记的“{reg.name}”相似，请确认是否为同一企业")
    if ent_id is None:
        if options.mode == "update":
            parsed.problem("not_registered", "企业不在企业库中，按“仅更新”方式不新增", "name")
            return RowPlan(parsed.row, "skipped", name, issues=tuple(parsed.issues))
        # The pinyin initials (search) are part of what the preview settles, so that the commit only writes.
        formers = [n for n in values["former_names"] if normalize_name(n) != norm] if "former_names" in values else ()
        values["name_initials"] = initials(name, formers, name_norm=norm)
        return RowPlan(parsed.row, "create", name, payload=EnterpriseWrite(values, row.facts, pools=row.pools))
    matched.append((row, ent_id, keep_name))
    return None

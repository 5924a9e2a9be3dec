"""The ``vouchers`` kind: a district's list of innovation-voucher grants, with optional use and redemption columns.

    企业名称 | 统一社会信用代码 | 券号 | 年度 | 申领日期 | 申领金额 | 发放日期 | 发放金额 | 服务机构 |
    服务类型 | 合同登记号 | 合同金额 | 实际支付金额 | 使用日期 | 使用金额 | 兑现金额 | 兑现日期 | 批次 | 备注

One row is one grant of an enterprise of the register, matched by credit code, else by name (a look-alike waits for
review; an enterprise is never created from a voucher list). Amounts may be in 元 or 万元 (the header's unit).
The year is the 年度 column, else the year of the application. A stored grant is the same voucher when the
券号 matches, else when enterprise, year, application day and amount do. The columns carry a grant along its life:
issued amount → 发放, a use (provider from the register, eligible service type, registered contract, ratio × paid),
a paid redemption (兑现金额 = 使用金额, with its date and batch). Every check of the voucher services applies, the cap
too — across the enterprise's stored grants of the year and the rows above in the file: an over-cap row is an error
naming the cap (``cap_exceeded``). A stored value the file contradicts is an error (``voucher_conflict``), never
overwritten; what the file adds to a stored grant (the issue, a use, a redemption) is an update; the same file
imported again changes nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from models import ServiceProvider, VoucherGrant, VoucherRedemption, VoucherUse
from services.errors import UserFacingError
from services.importing.enterprises import FIELDS as ENTERPRISE_FIELDS
from services.importing.normalize import CellError, parse_count, parse_date, parse_money, parse_text
from services.importing.plan import Candidate, FieldChange, ImportOptions, ParsedRow, RowPlan, show
from services.importing.register_index import RegisterIndex
from services.importing.spec import FieldSpec, ImportKind
from services.payouts import chinese_ordinal, home_district
from services.text import normalize_name
from services.voucher_records import CapStatus, refusal
from services.voucher_rules import split_cofund, year_rule
from services.voucher_uses import UseInput, check_use
from services.vouchers import (
    GrantInput,
    application_problems,
    committed_wan,
    holder_cap,
    issue_problems,
    next_voucher_no,
    refresh_status,
)

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from services.audit import AuditContext
    from services.importing.plan import Plan
    from services.progress import Progress

_BATCHES = {f"第{chinese_ordinal(n)}批": n for n in range(1, 100)} | {chinese_ordinal(n): n for n in range(1, 100)}
USE_KEYS = ("provider", "service_type", "contract_no", "contract_amount", "paid_amount", "used_on", "used_amount")


def _money(value: Any, factor: Decimal | None) -> Decimal | None:
    return parse_money(value, factor)


def _date(value: Any, _factor: Decimal | None) -> dt.date | None:
    return parse_date(value)


def _text(value: Any, _factor: Decimal | None) -> str | None:
    return parse_text(value)


def _year(value: Any, _factor: Decimal | None) -> int | None:
    if isinstance(value, str):
        value = value.strip().removesuffix("年度").removesuffix("年")
    year = parse_count(value)
    if year is not None and not 2000 <= year <= 2200:
        raise CellError("year_invalid", f"年度“{year}”应在2000至2200年之间")
    return year


def _batch(value: Any, _factor: Decimal | None) -> int | None:
    text = parse_text(value)
    if text is None:
        return None
    folded = "".join(text.split())
    digits = folded.removeprefix("第").removesuffix("批")
    if digits.isdigit() and 0 < int(digits) < 100:
        return int(digits)
    if folded in _BATCHES:
        return _BATCHES[folded]
    raise CellError("batch_invalid", f"批次“{text}”应写作 1、2 或 第一批、第2批")


_NAME, _USCC = (next(f for f in ENTERPRISE_FIELDS if f.key == key) for key in ("name", "uscc"))
FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("name", "企业名称", (*_NAME.synonyms, "申领单位", "申领单位名称", "申请单位", "申领企业"), _NAME.parse),
    FieldSpec("uscc", "统一社会信用代码", _USCC.synonyms, _USCC.parse),
    FieldSpec("voucher_no", "券号", ("创新券编号", "科技创新券编号", "创新券号", "券编号"), _text),
    FieldSpec("year", "年度", ("申领年度", "所属年度"), _year),
    FieldSpec("applied_on", "申领日期", ("申请日期", "申领时间"), _date),
    FieldSpec("amount_applied", "申领金额", ("申请金额", "申领额度"), _money, money=True),
    FieldSpec("issued_on", "发放日期", ("发放时间",), _date),
    FieldSpec("amount_issued", "发放金额", ("发放额", "核定金额", "发放额度"), _money, money=True),
    FieldSpec("provider", "服务机构", ("服务机构名称", "创新载体", "合作创新服务机构", "服务单位"), _text),
    FieldSpec("service_type", "服务类型", ("创新服务类型", "服务内容"), _text),
    FieldSpec("contract_no", "合同登记号", ("技术合同登记号", "合同登记编号", "技术合同登记编号", "合同编号"), _text),
    FieldSpec("contract_amount", "合同金额", ("技术合同金额",), _money, money=True),
    FieldSpec("paid_amount", "实际支付金额", ("支付金额", "实付金额", "实际支付"), _money, money=True),
    FieldSpec("used_on", "使用日期", ("使用时间",), _date),
    FieldSpec("used_amount", "使用金额", ("使用创新券金额", "确认使用额", "抵用金额", "使用额"), _money, money=True),
    FieldSpec("redeemed", "兑现金额", ("兑付金额", "兑现额", "补助金额", "兑现补助"), _money, money=True),
    FieldSpec("redeemed_on", "兑现日期", ("兑付日期", "拨付日期", "兑现时间"), _date),
    FieldSpec("batch", "批次", ("兑现批次",), _batch),
    FieldSpec("notes", "备注", ("说明",), _text),
)
LABELS = {f.key: f.label for f in FIELDS}


@dataclass(slots=True)
class VoucherWrite:
    """What one row writes: a new grant, or additions to a stored one."""

    grant_id: int | None = None
    grant: dict[str, Any] | None = None
    issue: tuple[Decimal, dt.date] | None = None
    use: dict[str, Any] | None = None
    use_id: int | None = None
    redemption: dict[str, Any] | None = None


@dataclass(slots=True)
class _Context:
    """What planning the rows shares: the register, the stored grants and uses, and the rows accepted so far."""

    session: Session
    options: ImportOptions
    index: RegisterIndex
    providers: dict[str, int]
    by_no: dict[str, VoucherGrant]
    by_key: dict[tuple[int, int, dt.date, Decimal], VoucherGrant]
    uses: dict[int, list[VoucherUse]]
    redemptions: dict[int, list[VoucherRedemption]]
    #: (enterprise, year) → amounts the accepted rows above add to the cap.
    in_file: dict[tuple[int, int], Decimal] = field(default_factory=dict)
    contracts: dict[str, int] = field(default_factory=dict)
    first: dict[object, tuple[int, dict[str, Any]]] = field(default_factory=dict)


class VoucherKind(ImportKind):
    """Voucher lists of a district."""

    key = "vouchers"
    label = "创新券"
    fields = FIELDS
    required = ("name",)

    def plan_rows(self, session: Session, rows: list[ParsedRow], options: ImportOptions,
                  progress: Progress | None, loaded: Any = None) -> list[RowPlan]:
        district = home_district(session)
        grants = list(session.scalars(select(VoucherGrant).where(VoucherGrant.district_id == district.id,
                                                                 VoucherGrant.enterprise_id.is_not(None))))
        uses: dict[int, list[VoucherUse]] = {}
        for use in session.scalars(select(VoucherUse).order_by(VoucherUse.id)):
            uses.setdefault(use.grant_id, []).append(use)
        redemptions: dict[int, list[VoucherRedemption]] = {}
        for redemption in session.scalars(select(VoucherRedemption).order_by(VoucherRedemption.id)):
            redemptions.setdefault(redemption.use_id, []).append(redemption)
        ctx = _Context(
            session, options, RegisterIndex(session),
            {normalize_name(n): i for i, n in session.execute(select(ServiceProvider.id, ServiceProvider.name))},
            {g.voucher_no: g for g in grants},
            {(g.enterprise_id, g.year, g.applied_on, g.amount_applied_wan): g for g in grants  # type: ignore[misc]
             if g.enterprise_id is not None},
            uses, redemptions)
        plans = []
        for done, row in enumerate(rows):
            if progress is not None and done % 200 == 0:
                progress.update("正在核对创新券…", done, len(rows))
            plans.append(_plan(ctx, row))
        return plans

    def write(self, session: Session, ctx: AuditContext, plan: Plan, progress: Progress | None) -> None:
        district = home_district(session)
        serials: dict[int, list[str]] = {}
        for done, row in enumerate(plan.rows):
            if row.action not in ("create", "update"):
                continue
            if progress is not None and done % 200 == 0:
                progress.update("正在写入创新券…", done, len(plan.rows))
            write: VoucherWrite = row.payload
            if write.grant is not None:
                values = dict(write.grant)
                if not values.get("voucher_no"):
                    values["voucher_no"] = _next_no(session, district.name, values["year"], serials)
                grant = VoucherGrant(district_id=district.id, status="申领", **values)
                session.add(grant)
                session.flush()
            else:
                stored = session.get(VoucherGrant, write.grant_id)
                assert stored is not None
                grant = stored
            if write.issue is not None:
                grant.amount_issued_wan, grant.issued_on = write.issue
                grant.status = "发放"
            use_id = write.use_id
            if write.use is not None:
                use = VoucherUse(grant_id=grant.id, related_party=False, **write.use)
                session.add(use)
                session.flush()
                use_id = use.id
            if write.redemption is not None:
                session.add(VoucherRedemption(use_id=use_id, **write.redemption))
            session.flush()
            refresh_status(session, grant)
        session.flush()


def _next_no(session: Session, district: str, year: int, serials: dict[int, list[str]]) -> str:
    """The next free voucher number of the year, counting the numbers this write gave out already."""
    if year not in serials:
        serials[year] = [next_voucher_no(session, district, year)]
    else:
        last = serials[year][-1]
        serials[year].append(f"{last[:-5]}{int(last[-5:]) + 1:05d}")
    return serials[year][-1]


def _enterprise(ctx: _Context, row: ParsedRow) -> tuple[int | None, RowPlan | None]:
    """The enterprise of the row, or the plan of a row that stops here (error or review)."""
    values, index = row.values, ctx.index
    name, code = values.get("name"), values.get("uscc")
    if not name:
        row.problem("name_missing", "企业名称为空", "name")
        return None, RowPlan(row.row, "skipped", "", issues=tuple(row.issues))
    norm = normalize_name(name)
    found = index.by_uscc.get(code) if code else None
    if found is None:
        other, _former = index.by_name_or_former(norm)
        if other is not None and code and index.by_id[other].uscc and index.by_id[other].uscc != code:
            row.problem("uscc_conflict", f"名称与已登记的“{index.by_id[other].name}”相同，但其信用代码为 "
                                         f"{index.by_id[other].uscc}", "uscc")
            return None, RowPlan(row.row, "skipped", name, issues=tuple(row.issues))
        found = other
    if found is None and row.row in ctx.options.decisions:
        found = ctx.options.decisions[row.row]
    if found is None:
        alike = index.lookalike(norm)
        if alike is not None and row.row not in ctx.options.decisions:
            reg = index.by_id[alike[0]]
            return None, RowPlan(row.row, "review", name,
                                 candidate=Candidate(reg.id, reg.name, reg.uscc, reg.subdistrict, alike[1]),
                                 note=f"与已登记的“{reg.name}”相似，请确认是否为同一企业")
        row.problem("enterprise_unknown", "企业不在企业库中：请先在企业库登记该企业（导入创新券不会新建企业）", "name")
        return None, RowPlan(row.row, "skipped", name, issues=tuple(row.issues))
    if found not in index.by_id or index.by_id[found].deleted:
        row.problem("enterprise_removed", "该企业已从企业库删除，请先恢复", "name")
        return None, RowPlan(row.row, "skipped", name, issues=tuple(row.issues))
    return found, None


def _plan(ctx: _Context, row: ParsedRow) -> RowPlan:
    if row.issues:
        return RowPlan(row.row, "skipped", row.values.get("name", ""), issues=tuple(row.issues))
    enterprise_id, stop = _enterprise(ctx, row)
    if stop is not None:
        return stop
    assert enterprise_id is not None
    v = row.values
    name = ctx.index.by_id[enterprise_id].name
    applied_on = v.get("applied_on") or v.get("issued_on")
    year = v.get("year") or (applied_on.year if applied_on else None)
    applied = v.get("amount_applied") or v.get("amount_issued")
    if year is None or applied_on is None:
        row.problem("date_missing", "请填写申领日期（或年度与发放日期）", "applied_on")
    if applied is None:
        row.problem("amount_missing", "请填写申领金额或发放金额", "amount_applied")
    if row.issues or year is None or applied_on is None:
        return RowPlan(row.row, "skipped", name, issues=tuple(row.issues))
    try:
        year_rule(ctx.session, year)
    except UserFacingError as exc:
        row.problem("rule_missing", str(exc), "year")
        return RowPlan(row.row, "skipped", name, issues=tuple(row.issues))
    key = (enterprise_id, year, applied_on, applied)
    same = v.get("voucher_no") or key
    if same in ctx.first:
        earlier, values = ctx.first[same]
        if values == v:
            return RowPlan(row.row, "unchanged", name, note=f"与第 {earlier} 行相同")
        row.problem("duplicate_conflict", f"与第 {earlier} 行是同一张创新券，但内容不同", "name")
        return RowPlan(row.row, "skipped", name, issues=tuple(row.issues))
    ctx.first[same] = (row.row, dict(v))
    stored = ctx.by_no.get(v["voucher_no"]) if v.get("voucher_no") else ctx.by_key.get(key)  # type: ignore[arg-type]
    if stored is not None and stored.enterprise_id != enterprise_id:
        row.problem("voucher_conflict", f"券号 {stored.voucher_no} 已属于另一家企业", "voucher_no")
        return RowPlan(row.row, "skipped", name, issues=tuple(row.issues))
    grant = _draft(stored) if stored is not None else VoucherGrant(
        enterprise_id=enterprise_id, year=year, amount_applied_wan=applied, applied_on=applied_on, status="申领",
        expires_on=dt.date(year, 12, 31), voucher_no=v.get("voucher_no") or "")
    write = VoucherWrite(grant_id=stored.id if stored is not None else None)
    changes: list[FieldChange] = []
    if stored is None:
        _new_grant(ctx, row, grant, name, write, changes)
    else:
        _compare(row, stored, v, "amount_applied", "amount_applied_wan")
        _compare(row, stored, v, "applied_on", "applied_on")
    if not row.issues:
        _issue(ctx, row, grant, stored, name, write, changes)
    if not row.issues:
        _use_and_redemption(ctx, row, grant, write, changes)
    if row.issues:
        return RowPlan(row.row, "skipped", name, issues=tuple(row.issues))
    if stored is None:
        return _by_mode(ctx, row, "create", name, None, changes, write)
    if not changes:
        return RowPlan(row.row, "unchanged", name, stored.id, note=f"创新券 {stored.voucher_no}")
    return _by_mode(ctx, row, "update", name, stored.id, changes, write)


def _by_mode(ctx: _Context, row: ParsedRow, action: str, name: str, target: int | None,
             changes: list[FieldChange], write: VoucherWrite) -> RowPlan:
    mode = ctx.options.mode
    if (mode, action) in (("create", "update"), ("update", "create")):
        code, text = ("already_registered", "该创新券已登记，按“仅新增”方式不更新") if action == "update" else \
            ("not_registered", "该创新券尚未登记，按“仅更新”方式不新增")
        row.problem(code, text, "voucher_no" if "voucher_no" in row.values else "name")
        return RowPlan(row.row, "skipped", name, target, issues=tuple(row.issues))
    return RowPlan(row.row, action, name, target, tuple(changes), payload=write)


def _change(changes: list[FieldChange], key: str, value: Any) -> None:
    changes.append(FieldChange(key, LABELS[key], None, value, new_text=show(value)))


def _compare(row: ParsedRow, stored: Any, values: dict[str, Any], key: str, column: str) -> None:
    """A stored value the file states differently is an error; the file never overwrites it."""
    new, old = values.get(key), getattr(stored, column)
    if new is not None and old is not None and new != old:
        what = f"创新券 {stored.voucher_no} 的" if isinstance(stored, VoucherGrant) else ""
        row.problem("voucher_conflict", f"与库中{what}{LABELS[key]}不同（库中 {show(old)}，文件 {show(new)}）；"
                                        "导入不修改已登记的数据，请在创新券页面核对", key)


def _new_grant(ctx: _Context, row: ParsedRow, grant: VoucherGrant, name: str, write: VoucherWrite,
               changes: list[FieldChange]) -> None:
    v = row.values
    data = GrantInput(grant.year, grant.amount_applied_wan, grant.applied_on, grant.enterprise_id,
                      voucher_no=v.get("voucher_no"), notes=v.get("notes"))
    _name, problems = application_problems(ctx.session, data, ctx.options.day)
    for key, problem in problems.items():
        row.problem("value_invalid", problem, {"amount_applied_wan": "amount_applied"}.get(key, key))
    if row.issues:
        return
    _cap(ctx, row, grant, name, grant.amount_applied_wan if v.get("amount_issued") is None else v["amount_issued"],
         None)
    write.grant = {"voucher_no": v.get("voucher_no"), "enterprise_id": grant.enterprise_id, "year": grant.year,
                   "amount_applied_wan": grant.amount_applied_wan, "applied_on": grant.applied_on,
                   "expires_on": grant.expires_on, "notes": v.get("notes")}
    for key in ("voucher_no", "year", "applied_on", "amount_applied"):
        value = {"year": grant.year, "applied_on": grant.applied_on, "amount_applied": grant.amount_applied_wan}.get(
            key, v.get(key))
        if value is not None:
            _change(changes, key, value)


def _cap(ctx: _Context, row: ParsedRow, grant: VoucherGrant, name: str, amount: Decimal,
         stored: VoucherGrant | None) -> None:
    """The enterprise's cap of the year: its stored grants (``stored`` replaced by ``amount``), the accepted rows
    above, and ``amount``."""
    found = holder_cap(ctx.session, grant, name, stored.id if stored is not None else None)
    key = (grant.enterprise_id or 0, grant.year)
    before = ctx.in_file.get(key, Decimal(0))
    status = CapStatus(found.holder_kind, found.holder_name, found.year, found.cap_wan, found.committed_wan + before)
    over = status.refusal(amount)
    if over:
        row.problem("cap_exceeded", over, "amount_issued" if row.values.get("amount_issued") else "amount_applied")
    else:
        ctx.in_file[key] = before + amount - (committed_wan(stored) if stored is not None else Decimal(0))


def _issue(ctx: _Context, row: ParsedRow, grant: VoucherGrant, stored: VoucherGrant | None, name: str,
           write: VoucherWrite, changes: list[FieldChange]) -> None:
    """发放 from the row: checked against a new grant, or added to a stored one still pending."""
    v = row.values
    amount, day = v.get("amount_issued"), v.get("issued_on")
    if amount is None:
        return
    if grant.amount_issued_wan is not None:
        _compare(row, grant, v, "amount_issued", "amount_issued_wan")
        _compare(row, grant, v, "issued_on", "issued_on")
        return
    if grant.status != "申领":
        row.problem("voucher_conflict", f"创新券 {grant.voucher_no} 已{grant.status}，不能发放", "amount_issued")
        return
    for key, problem in issue_problems(grant, amount, day, ctx.options.day).items():
        row.problem("value_invalid", problem, {"amount_issued_wan": "amount_issued"}.get(key, key))
    if row.issues:
        return
    if stored is not None:
        _cap(ctx, row, grant, name, amount, stored)
        if row.issues:
            return
    assert day is not None  # issue_problems asks for it
    write.issue = (amount, day)
    grant.amount_issued_wan, grant.issued_on, grant.status = amount, day, "发放"  # the draft the use is checked on
    _change(changes, "amount_issued", amount)
    _change(changes, "issued_on", day)


def _draft(stored: VoucherGrant) -> VoucherGrant:
    """A detached copy of a stored grant to check the row on (planning never changes a stored record)."""
    return VoucherGrant(id=stored.id, voucher_no=stored.voucher_no, enterprise_id=stored.enterprise_id,
                        year=stored.year, amount_applied_wan=stored.amount_applied_wan,
                        amount_issued_wan=stored.amount_issued_wan, applied_on=stored.applied_on,
                        issued_on=stored.issued_on, expires_on=stored.expires_on, status=stored.status)


_USE_FIELDS = {"provider_id": "provider", "related_party": "provider", "contract_amount_wan": "contract_amount",
               "paid_amount_wan": "paid_amount", "voucher_amount_wan": "used_amount"}


def _use_and_redemption(ctx: _Context, row: ParsedRow, grant: VoucherGrant, write: VoucherWrite,
                        changes: list[FieldChange]) -> None:
    v = row.values
    if not any(v.get(k) is not None for k in USE_KEYS):
        if v.get("redeemed") is not None or v.get("redeemed_on") is not None:
            row.problem("use_missing", "有兑现金额或日期，但没有使用记录（服务机构、使用金额等）", "redeemed")
        return
    stored_uses = ctx.uses.get(grant.id, []) if grant.id is not None else []
    contract = (v.get("contract_no") or "").strip().upper() or None
    existing = next((u for u in stored_uses if contract and u.contract_no == contract), None) or next(
        (u for u in stored_uses if u.used_on == v.get("used_on") and u.voucher_amount_wan == v.get("used_amount")),
        None)
    if existing is not None:
        for key, column in (("used_amount", "voucher_amount_wan"), ("paid_amount", "paid_amount_wan"),
                            ("contract_amount", "contract_amount_wan"), ("used_on", "used_on")):
            _compare(row, existing, v, key, column)
        used, used_on = existing.voucher_amount_wan, existing.used_on
    else:
        found = _new_use(ctx, row, grant, stored_uses, contract, write, changes)
        if found is None:
            return
        used, used_on = found
    _redemption(ctx, row, grant, existing, used, used_on, write, changes)


def _new_use(ctx: _Context, row: ParsedRow, grant: VoucherGrant, stored_uses: list[VoucherUse],
             contract: str | None, write: VoucherWrite, changes: list[FieldChange]) -> tuple[Decimal, dt.date] | None:
    v = row.values
    provider_id = ctx.providers.get(normalize_name(v["provider"])) if v.get("provider") else None
    if v.get("provider") and provider_id is None:
        row.problem("provider_unknown", f"服务机构“{v['provider']}”不在服务机构名录中，请先在“创新券 ▸ 服务机构”中登记",
                    "provider")
        return None
    balance = (grant.amount_issued_wan or Decimal(0)) - sum((u.voucher_amount_wan for u in stored_uses), Decimal(0))
    reason = refusal(grant.voucher_no or "（本行）", grant.status, "use", balance_wan=balance,
                     has_uses=bool(stored_uses), expires_on=grant.expires_on, on=v.get("used_on"))
    if reason:
        row.problem("voucher_state", reason, "used_amount")
        return None
    paid = v.get("paid_amount") or v.get("contract_amount")
    data = UseInput(provider_id, v.get("service_type") or "", v.get("contract_amount") or paid, paid,
                    v.get("used_amount"), v.get("used_on"), contract)
    for key, problem in check_use(ctx.session, grant, data, ctx.options.day, None).items():
        row.problem("value_invalid", problem, _USE_FIELDS.get(key, key))
    if contract and contract in ctx.contracts:
        row.problem("duplicate_conflict", f"合同登记号 {contract} 已在第 {ctx.contracts[contract]} 行使用",
                    "contract_no")
    if row.issues:
        return None
    if contract:
        ctx.contracts[contract] = row.row
    write.use = {"provider_id": provider_id, "service_type": data.service_type, "contract_no": contract,
                 "contract_amount_wan": data.contract_amount_wan, "paid_amount_wan": data.paid_amount_wan,
                 "voucher_amount_wan": data.voucher_amount_wan, "used_on": data.used_on}
    for key in ("provider", "service_type", "contract_no", "used_on", "used_amount"):
        if v.get(key) is not None:
            _change(changes, key, v[key])
    return data.voucher_amount_wan, data.used_on  # type: ignore[return-value]


def _redemption(ctx: _Context, row: ParsedRow, grant: VoucherGrant, existing: VoucherUse | None, used: Decimal,
                used_on: dt.date, write: VoucherWrite, changes: list[FieldChange]) -> None:
    v = row.values
    amount, paid_on = v.get("redeemed"), v.get("redeemed_on")
    if amount is None:
        if paid_on is not None:
            row.problem("amount_missing", "填写了兑现日期，但兑现金额为空", "redeemed")
        return
    if amount != used:
        row.problem("value_invalid", f"兑现金额 {show(amount)} 应等于使用金额 {show(used)}（创新券按使用额兑现）",
                    "redeemed")
    if paid_on is None:
        row.problem("date_missing", "请填写兑现日期", "redeemed_on")
    elif paid_on < used_on or paid_on > ctx.options.day:
        row.problem("date_invalid", f"兑现日期应在使用日期（{used_on.isoformat()}）至今天之间", "redeemed_on")
    if row.issues:
        return
    earlier = ctx.redemptions.get(existing.id, []) if existing is not None else []
    latest = earlier[-1] if earlier else None
    if latest is not None and latest.status == "已兑付":
        _compare(row, latest, v, "redeemed", "subsidy_wan")
        _compare(row, latest, v, "redeemed_on", "paid_on")
        return
    if latest is not None and latest.status != "不通过":
        row.problem("voucher_conflict", f"该使用记录的兑现正在办理（{latest.status}），请在创新券页面办理拨付",
                    "redeemed")
        return
    rule = year_rule(ctx.session, grant.year)[1]
    city, district = split_cofund(amount, rule.city_cofund_max_ratio)
    write.use_id = existing.id if existing is not None else None
    write.redemption = {"applied_on": used_on, "batch_no": v.get("batch"), "subsidy_wan": amount,
                        "ratio": rule.subsidy_ratio, "city_share_wan": city, "district_share_wan": district,
                        "paid_on": paid_on, "status": "已兑付"}
    for key in ("redeemed", "redeemed_on", "batch"):
        if v.get(key) is not None:
            _change(changes, key, v[key])

"""Writing pay-out notices and their payments: create, change and delete drafts, with every field checked.

Only a draft (草稿) can be changed; a notice that has been audited, publicised or approved refuses every change with
the reason (:func:`check_editable`). Each public function is one unit of work; :func:`create_notice_in` and
:func:`add_payments_in` work inside a caller's session, so that another service (the voucher redemption batches)
can create a notice and its payments in its own transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Carrier, District, Enterprise, Payment, PaymentNotice, VoucherRedemption
from models.db import Database
from services.errors import ConflictError, NotFoundError, UserFacingError, ValidationError
from services.payouts import (
    DRAFT,
    FEN,
    NoticeDetail,
    NoticeInput,
    PaymentInput,
    home_district,
    notice_status,
    read_notice,
    split_shares,
)
from services.session import unit_of_work
from services.text import blank
from services.users import Actor, current_actor

TEXT_LIMITS = {"title": (200, "通知标题"), "programme": (80, "政策项目"), "doc_no": (60, "文号")}
#: The largest amount a single payment may have, 万元 (a typo guard far above any real reward).
MAX_PAYMENT_WAN = Decimal(100_000)


def _clean(text: str | None) -> str | None:
    return None if blank(text) else str(text).strip()


def check_notice(data: NoticeInput, today: dt.date | None = None) -> dict[str, str]:
    """Problems of a notice's fields, as {field: 中文规则}."""
    today = today or dt.date.today()
    problems: dict[str, str] = {}
    for key, (limit, label) in TEXT_LIMITS.items():
        value = _clean(getattr(data, key))
        if value is None and key != "doc_no":
            problems[key] = f"{label}不能为空"
        elif value is not None and len(value) > limit:
            problems[key] = f"{label}不能超过{limit}个字"
    if not 1990 <= data.cohort_year <= today.year + 1:
        problems["cohort_year"] = f"认定年度应在1990年至{today.year + 1}年之间"
    if data.issued_on is None:
        problems["issued_on"] = "发文日期不能为空"
    elif data.issued_on.year < data.cohort_year:
        problems["issued_on"] = f"发文日期不能早于认定年度（{data.cohort_year}年）"
    if data.batch_no is not None and not 1 <= data.batch_no <= 99:
        problems["batch_no"] = "批次应为1至99"
    return problems


def _not_a_voucher_batch(session: Session, notice: PaymentNotice) -> None:
    """A voucher batch's payments come from its redemptions: it is changed on the 创新券 page only."""
    if session.scalar(select(VoucherRedemption.id).where(VoucherRedemption.notice_id == notice.id).limit(1)):
        raise UserFacingError(f"《{notice.title}》是创新券兑现批次，其兑现明细来自兑现记录，"
                              "请在“创新券 ▸ 兑现批次”中修改或撤回。")


def check_editable(notice: PaymentNotice) -> None:
    """Refuse changes to a notice that is no longer a draft, saying why."""
    approved = notice.approved_at is not None or notice.approved_by is not None
    if approved:
        when = f"于{notice.approved_at.astimezone():%Y年%m月%d日}" if notice.approved_at else ""
        by = f"由{notice.approved_by}" if notice.approved_by else ""
        raise UserFacingError(f"《{notice.title}》已{when}{by}批准，不能再修改。如需更正，请另行发文更正。")
    status = notice_status(notice.audited, notice.publicized_on, False, 0, 0)
    if status != DRAFT:
        raise UserFacingError(f"《{notice.title}》{status}，不能直接修改；请先“退回草稿”再修改。")


def _apply_notice(session: Session, notice: PaymentNotice, data: NoticeInput) -> None:
    district_id = data.district_id if data.district_id is not None else home_district(session).id
    if session.get(District, district_id) is None:
        raise ValidationError({"district_id": "所属区县不存在，请从列表中选择"})
    notice.title = (_clean(data.title) or "").removeprefix("《").removesuffix("》")
    notice.programme = _clean(data.programme) or ""
    notice.doc_no = _clean(data.doc_no)
    notice.cohort_year = data.cohort_year
    notice.batch_no = data.batch_no
    notice.issued_on = data.issued_on
    notice.notes = _clean(data.notes)
    notice.district_id = district_id


def create_notice_in(session: Session, data: NoticeInput, *, today: dt.date | None = None) -> PaymentNotice:
    """A new draft notice in ``session`` (flushed, so it has its id).

    Raises:
        ValidationError: a field is missing or wrong.
    """
    problems = check_notice(data, today)
    if problems:
        raise ValidationError(problems)
    notice = PaymentNotice(audited=False)
    _apply_notice(session, notice, data)
    session.add(notice)
    session.flush()
    return notice


def _payee_names(session: Session, payments: Sequence[PaymentInput]) -> dict[tuple[str, int], str]:
    """(kind, id) → name of the payees that exist and are not removed."""
    names: dict[tuple[str, int], str] = {}
    enterprise_ids = {p.enterprise_id for p in payments if p.enterprise_id is not None}
    carrier_ids = {p.carrier_id for p in payments if p.carrier_id is not None}
    if enterprise_ids:
        for i, name in session.execute(select(Enterprise.id, Enterprise.name).where(
                Enterprise.id.in_(enterprise_ids), Enterprise.deleted_at.is_(None))):
            names[("e", i)] = name
    if carrier_ids:
        for i, name in session.execute(select(Carrier.id, Carrier.name).where(
                Carrier.id.in_(carrier_ids), Carrier.deleted_at.is_(None))):
            names[("c", i)] = name
    return names


def _money_problem(value: Decimal | None, label: str, *, allow_zero: bool) -> str | None:
    if value is None:
        return f"{label}不能为空"
    if value != value.quantize(FEN):
        return f"{label}最多精确到分（万元小数点后6位）"
    if value < 0 or (value == 0 and not allow_zero):
        return f"{label}应大于0" if not allow_zero else f"{label}不能为负数"
    if value > MAX_PAYMENT_WAN:
        return f"{label}超过{MAX_PAYMENT_WAN:,}万元，请核对单位（应以万元填写）"
    return None


def check_payments(session: Session, payments: Sequence[PaymentInput]) -> dict[str, str]:
    """Problems of the payments, keyed ``payments.<n>`` (n counts from 1, as the grid's rows)."""
    names = _payee_names(session, payments)
    problems: dict[str, str] = {}
    seen: dict[tuple[str, int, str], int] = {}
    for n, p in enumerate(payments, start=1):
        rules = []
        key: tuple[str, int] | None = None
        if p.enterprise_id is not None and p.carrier_id is None:
            key = ("e", p.enterprise_id)
        elif p.carrier_id is not None and p.enterprise_id is None:
            key = ("c", p.carrier_id)
        else:
            rules.append("兑现对象应为一家企业或一个载体")
        if key is not None and key not in names:
            rules.append("兑现对象不存在或已删除")
        total_problem = _money_problem(p.amount_total_wan, "兑现金额", allow_zero=False)
        rules += [total_problem] if total_problem else []
        if p.amount_city_wan is not None:
            city_problem = _money_problem(p.amount_city_wan, "市级资金", allow_zero=True)
            if city_problem is None and total_problem is None and p.amount_city_wan > p.amount_total_wan:
                city_problem = "市级资金不能大于兑现金额"
            rules += [city_problem] if city_problem else []
        item = _clean(p.item)
        if item is not None and len(item) > 80:
            rules.append("兑现项目不能超过80个字")
        who = names.get(key) if key is not None else None
        if key is not None and who is not None:
            same = (*key, item or "")
            if same in seen:
                rules.append(f"与第{seen[same]}行是同一对象的同一项目")
            seen.setdefault(same, n)
        if rules:
            problems[f"payments.{n}"] = f"第{n}行{f'（{who}）' if who else ''}：" + "，".join(rules)
    return problems


def _fill(payment: Payment, data: PaymentInput, programme: str, city_pct: int) -> None:
    total = data.amount_total_wan
    city, district = (split_shares(total, city_pct) if data.amount_city_wan is None
                      else (data.amount_city_wan, total - data.amount_city_wan))
    payment.enterprise_id = data.enterprise_id
    payment.carrier_id = data.carrier_id
    payment.item = (_clean(data.item) or programme)[:80]
    payment.amount_total_wan = total
    payment.amount_city_wan = city
    payment.amount_district_wan = district


def add_payments_in(session: Session, notice: PaymentNotice, payments: Sequence[PaymentInput]) -> list[Payment]:
    """Add ``payments`` to a draft ``notice`` in ``session``; shares not given follow the district's kind.

    Raises:
        UserFacingError: the notice is no longer a draft.
        ValidationError: a payment is wrong (``payments.<n>`` counts within ``payments``).
    """
    check_editable(notice)
    problems = check_payments(session, payments)
    if problems:
        raise ValidationError(problems)
    pct = _city_pct(session, notice)
    added = []
    for data in payments:
        payment = Payment(notice_id=notice.id)
        _fill(payment, data, notice.programme, pct)
        session.add(payment)
        added.append(payment)
    session.flush()
    return added


def _city_pct(session: Session, notice: PaymentNotice) -> int:
    district = session.get(District, notice.district_id)
    assert district is not None
    return district.city_share_pct


def _locked_notice(session: Session, notice_id: int) -> PaymentNotice:
    notice = session.get(PaymentNotice, notice_id, with_for_update=True)
    if notice is None:
        raise NotFoundError(f"找不到编号为 {notice_id} 的兑现通知，可能已被删除。")
    return notice


def create_notice(db: Database, data: NoticeInput, payments: Sequence[PaymentInput] = (), *,
                  actor: Actor | None = None, today: dt.date | None = None) -> NoticeDetail:
    """A new draft notice, with its payments if given."""
    actor = actor or current_actor()
    with unit_of_work(db, user=actor.username) as session:
        notice = create_notice_in(session, data, today=today)
        if payments:
            add_payments_in(session, notice, payments)
        return read_notice(session, notice.id)


def update_notice(db: Database, notice_id: int, data: NoticeInput, payments: Sequence[PaymentInput] | None = None,
                  *, expected: NoticeDetail | None = None, actor: Actor | None = None,
                  today: dt.date | None = None) -> NoticeDetail:
    """Change a draft's fields and, when ``payments`` is given, make its payments exactly those.

    A payment with an ``id`` replaces that stored payment, one without is added, and a stored payment not listed is
    removed. A city share of None is computed again from the district's kind.

    Args:
        expected: The notice as the clerk opened it; the save is refused when someone changed it since.

    Raises:
        ConflictError: another clerk saved the notice after ``expected`` was read (what changed is named).
        UserFacingError: the notice is no longer a draft (the reason is given).
        ValidationError: a field or a payment is wrong; nothing is saved.
    """
    actor = actor or current_actor()
    with unit_of_work(db, user=actor.username) as session:
        notice = _locked_notice(session, notice_id)
        if expected is not None:
            _check_unchanged(read_notice(session, notice_id), expected)
        check_editable(notice)
        _not_a_voucher_batch(session, notice)
        problems = check_notice(data, today)
        if payments is not None:
            problems |= check_payments(session, payments)
        if problems:
            raise ValidationError(problems)
        _apply_notice(session, notice, data)
        if payments is not None:
            _replace_payments(session, notice, payments)
        session.flush()
        return read_notice(session, notice.id)


#: The notice's fields a clerk edits, as a conflict message names them.
NOTICE_FIELDS = {"title": "通知标题", "programme": "政策项目", "cohort_year": "认定年度", "issued_on": "发文日期",
                 "doc_no": "文号", "batch_no": "批次", "notes": "备注"}


def _check_unchanged(stored: NoticeDetail, expected: NoticeDetail) -> None:
    """Refuse a save over a colleague's: the notice is compared by value (it has no version column)."""
    changed = [f"{label}：{getattr(expected, key) or '（空）'} → {getattr(stored, key) or '（空）'}"
               for key, label in NOTICE_FIELDS.items() if getattr(stored, key) != getattr(expected, key)]
    if [p.as_input() for p in stored.payments] != [p.as_input() for p in expected.payments]:
        changed.append(f"兑现明细（现有 {len(stored.payments)} 笔）")
    if stored.status != expected.status:
        changed.append(f"状态：{expected.status} → {stored.status}")
    if changed:
        raise ConflictError(f"《{stored.title}》在您打开之后已被他人修改：{'；'.join(changed)}。"
                            "您的修改未保存，请重新打开后再编辑。")


def _replace_payments(session: Session, notice: PaymentNotice, payments: Sequence[PaymentInput]) -> None:
    stored = {p.id: p for p in session.scalars(select(Payment).where(Payment.notice_id == notice.id))}
    unknown = [p.id for p in payments if p.id is not None and p.id not in stored]
    if unknown:
        raise UserFacingError("部分兑现记录已被他人删除或修改，请刷新后重新编辑。")
    keep = {p.id for p in payments if p.id is not None}
    for payment_id, payment in stored.items():
        if payment_id not in keep:
            session.delete(payment)
    session.flush()
    pct = _city_pct(session, notice)
    for data in payments:
        payment = stored[data.id] if data.id is not None else Payment(notice_id=notice.id)
        _fill(payment, data, notice.programme, pct)
        if data.id is None:
            session.add(payment)


def delete_notice(db: Database, notice_id: int, *, actor: Actor | None = None) -> None:
    """Delete a draft notice with its payments (an audited or approved one is refused)."""
    actor = actor or current_actor()
    with unit_of_work(db, user=actor.username) as session:
        notice = _locked_notice(session, notice_id)
        check_editable(notice)
        _not_a_voucher_batch(session, notice)
        for payment in session.scalars(select(Payment).where(Payment.notice_id == notice.id)):
            session.delete(payment)
        session.delete(notice)

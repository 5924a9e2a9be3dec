"""Innovation-voucher rules (创新券规则) as data per year and district, and the arithmetic they drive.

The city scheme (《杭州市科技创新券实施管理办法》, DOMAIN §5.1) fixes the defaults: an enterprise may apply for at most
20万 a year, a maker team resident in a 众创空间 for at most 10万; a voucher pays a share of the service actually paid
for (the district sets it: 拱墅 30%); the city reimburses at most 40% of the district's redemptions. A district
stores one rule per year, editable by a manager; a year without a rule is explained, never guessed.

Money is exact to the 分 (0.000001 万元): a voucher may cover at most ``ratio × paid`` rounded *down* to the 分, and
the city's share of a subsidy is rounded half up with the district's share the rest, so the two always add up.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import District, VoucherGrant, VoucherRule
from models.db import Database
from services.errors import NotFoundError, UserFacingError, ValidationError
from services.payouts import FEN, home_district
from services.prescreen.numbers import trim
from services.session import read_session, unit_of_work
from services.users import Actor, current_actor, require

HUNDRED = Decimal(100)
#: The city reimburses at most this share of a district's redemptions (第七条).
CITY_COFUND_LIMIT = Decimal("0.4")
CITY_SOURCE = "《杭州市科技创新券实施管理办法》（杭科合〔2018〕8号）"
#: The city scheme's caps; the subsidy ratio is the district's (拱墅: 30% of the amount actually paid).
DEFAULT_ENTERPRISE_CAP = Decimal(20)
DEFAULT_MAKER_TEAM_CAP = Decimal(10)
DEFAULT_SUBSIDY_RATIO = Decimal("0.3")
#: Services a voucher may buy (DOMAIN §5.1, scope per 财税[2016]36号).
SERVICE_TYPES = ("技术开发", "技术服务", "技术咨询", "技术查新", "测试分析", "产品设计", "技术培训", "专利代理",
                 "专利分析评估")
RULE_LABELS = {"year": "年度", "enterprise_cap_wan": "企业年度上限", "maker_team_cap_wan": "创客团队年度上限",
               "subsidy_ratio": "补助比例", "city_cofund_max_ratio": "市级配套比例上限", "source_doc": "依据文件"}


def fen(amount: Decimal) -> Decimal:
    """An amount in 万元 rounded half up to the 分."""
    return amount.quantize(FEN, rounding=ROUND_HALF_UP)


def wan_text(amount: Decimal) -> str:
    """万元 as a clerk reads it, exact: 15 → '15 万元', 4.99 → '4.99 万元'."""
    return f"{trim(amount)} 万元"


def percent_text(ratio: Decimal) -> str:
    """0.3 → '30%'."""
    return f"{trim(ratio * HUNDRED)}%"


def ratio_limit(paid_wan: Decimal, ratio: Decimal) -> Decimal:
    """The most a voucher may cover of ``paid_wan``: ``ratio × paid`` rounded down to the 分."""
    return (paid_wan * ratio).quantize(FEN, rounding=ROUND_DOWN)


def split_cofund(subsidy_wan: Decimal, city_ratio: Decimal) -> tuple[Decimal, Decimal]:
    """(city share, district share) of a subsidy: the city's rounded half up to the 分, the district's the rest."""
    city = fen(subsidy_wan * city_ratio)
    return city, subsidy_wan - city


def amount_problem(amount: Decimal | None, label: str, *, most: Decimal | None = None) -> str:
    """Why ``amount`` (万元) cannot be used for ``label`` ("" when it can): given, above 0, exact to the 分."""
    if amount is None:
        return f"请填写{label}"
    if amount <= 0 or (most is not None and amount > most):
        return f"{label}应大于0万元" + (f"且不超过{trim(most)}万元" if most is not None else "")
    if amount != fen(amount):
        return f"{label}最多精确到分（0.000001万元）"
    return ""


@dataclass(frozen=True)
class VoucherRuleInput:
    """A year's rule as a manager enters it (amounts in 万元, ratios as fractions: 0.3 = 30%)."""

    year: int
    enterprise_cap_wan: Decimal = DEFAULT_ENTERPRISE_CAP
    maker_team_cap_wan: Decimal = DEFAULT_MAKER_TEAM_CAP
    subsidy_ratio: Decimal = DEFAULT_SUBSIDY_RATIO
    city_cofund_max_ratio: Decimal = CITY_COFUND_LIMIT
    source_doc: str | None = CITY_SOURCE


@dataclass(frozen=True)
class VoucherRuleInfo:
    """A stored rule, with how it reads."""

    id: int
    district: str
    year: int
    enterprise_cap_wan: Decimal
    maker_team_cap_wan: Decimal
    subsidy_ratio: Decimal
    city_cofund_max_ratio: Decimal
    source_doc: str | None

    def describe(self) -> str:
        return (f"{self.year}年：企业每年最多 {wan_text(self.enterprise_cap_wan)}，创客团队每年最多 "
                f"{wan_text(self.maker_team_cap_wan)}；创新券最多抵实际支付额的 {percent_text(self.subsidy_ratio)}；"
                f"市级配套不超过兑现额的 {percent_text(self.city_cofund_max_ratio)}")


def missing_rule_message(session: Session, district: District, year: int) -> str:
    """Why there is no rule for ``year``, and what to do about it."""
    years = list(session.scalars(select(VoucherRule.year).where(VoucherRule.district_id == district.id)
                                 .order_by(VoucherRule.year)))
    known = f"（已有：{'、'.join(f'{y}年' for y in years)}）" if years else "（尚未设置任何年度）"
    return (f"{district.name}{year}年尚无创新券规则{known}，无法核定额度和补助比例。请科长在“创新券 ▸ 规则”中添加"
            f"{year}年的规则；市级办法的默认值为：企业每年 {wan_text(DEFAULT_ENTERPRISE_CAP)}、创客团队每年 "
            f"{wan_text(DEFAULT_MAKER_TEAM_CAP)}，市级配套不超过 {percent_text(CITY_COFUND_LIMIT)}，补助比例由区里确定"
            f"（拱墅区为 {percent_text(DEFAULT_SUBSIDY_RATIO)}）。")


def rule_for(session: Session, district: District, year: int) -> VoucherRule:
    """The rule of ``year``; a year without one is refused with the explanation."""
    rule = session.scalar(select(VoucherRule).where(VoucherRule.district_id == district.id, VoucherRule.year == year))
    if rule is None:
        raise UserFacingError(missing_rule_message(session, district, year))
    return rule


def year_rule(session: Session, year: int) -> tuple[District, VoucherRule]:
    """The home district and its rule of ``year`` (see :func:`rule_for`), read once per unit of work.

    An import checks thousands of rows against the same few rules; they are kept in ``session.info`` for the life
    of the session (a rule changed in the same session is the same object, so the memo never goes stale).
    """
    memo: dict[object, object] = session.info.setdefault("voucher_rules", {})
    if "district" not in memo:
        memo["district"] = home_district(session)
    district = memo["district"]
    assert isinstance(district, District)
    if year not in memo:
        memo[year] = rule_for(session, district, year)
    rule = memo[year]
    assert isinstance(rule, VoucherRule)
    return district, rule


def _info(rule: VoucherRule, district: str) -> VoucherRuleInfo:
    return VoucherRuleInfo(rule.id, district, rule.year, rule.enterprise_cap_wan, rule.maker_team_cap_wan,
                           rule.subsidy_ratio, rule.city_cofund_max_ratio, rule.source_doc)


def rule_info(session: Session, district_id: int, year: int) -> VoucherRuleInfo | None:
    """The rule of ``year`` in a district as read, or None when there is none."""
    rule = session.scalar(select(VoucherRule).where(VoucherRule.district_id == district_id, VoucherRule.year == year))
    district = session.get(District, district_id)
    return _info(rule, district.name if district else "") if rule is not None else None


def list_rules(db: Database) -> list[VoucherRuleInfo]:
    """The home district's rules, newest year first."""
    with read_session(db) as session:
        district = home_district(session)
        rules = session.scalars(select(VoucherRule).where(VoucherRule.district_id == district.id)
                                .order_by(VoucherRule.year.desc()))
        return [_info(r, district.name) for r in rules]


def check_rule(data: VoucherRuleInput) -> dict[str, str]:
    """Problems of a rule, by field."""
    problems: dict[str, str] = {}
    if not 2000 <= data.year <= 2200:
        problems["year"] = "年度应在2000年至2200年之间"
    for key in ("enterprise_cap_wan", "maker_team_cap_wan"):
        problem = amount_problem(getattr(data, key), RULE_LABELS[key], most=Decimal(10_000))
        if problem:
            problems[key] = problem
    if not 0 < data.subsidy_ratio <= 1:
        problems["subsidy_ratio"] = "补助比例应大于0%且不超过100%"
    if not 0 <= data.city_cofund_max_ratio <= CITY_COFUND_LIMIT:
        problems["city_cofund_max_ratio"] = (f"市级配套比例应在0%至{percent_text(CITY_COFUND_LIMIT)}之间"
                                             "（市财政补助不超过区县年度兑现总额的40%）")
    if data.source_doc and len(data.source_doc) > 120:
        problems["source_doc"] = "依据文件不能超过120个字"
    return problems


def save_rule(db: Database, data: VoucherRuleInput, *, actor: Actor | None = None) -> VoucherRuleInfo:
    """Create or change the rule of ``data.year`` (managers). Amounts already issued keep the checks they passed."""
    actor = actor or current_actor()
    require(actor, "manager", "修改创新券规则")
    problems = check_rule(data)
    if problems:
        raise ValidationError(problems)
    with unit_of_work(db, user=actor.username) as session:
        district = home_district(session)
        rule = session.scalar(select(VoucherRule).where(VoucherRule.district_id == district.id,
                                                        VoucherRule.year == data.year))
        if rule is None:
            rule = VoucherRule(district_id=district.id, year=data.year)
            session.add(rule)
        rule.enterprise_cap_wan = data.enterprise_cap_wan
        rule.maker_team_cap_wan = data.maker_team_cap_wan
        rule.subsidy_ratio = data.subsidy_ratio
        rule.city_cofund_max_ratio = data.city_cofund_max_ratio
        rule.source_doc = (data.source_doc or "").strip() or None
        session.flush()
        return _info(rule, district.name)


def delete_rule(db: Database, year: int, *, actor: Actor | None = None) -> None:
    """Remove a year's rule (managers); refused while vouchers of that year exist."""
    actor = actor or current_actor()
    require(actor, "manager", "删除创新券规则")
    with unit_of_work(db, user=actor.username) as session:
        district = home_district(session)
        rule = session.scalar(select(VoucherRule).where(VoucherRule.district_id == district.id,
                                                        VoucherRule.year == year))
        if rule is None:
            raise NotFoundError(f"{district.name}{year}年没有创新券规则")
        grants = session.scalar(select(func.count()).select_from(VoucherGrant).where(
            VoucherGrant.district_id == district.id, VoucherGrant.year == year)) or 0
        if grants:
            raise UserFacingError(f"{year}年已有 {grants} 张创新券按该规则核定，不能删除规则；如需调整请直接修改。")
        session.delete(rule)

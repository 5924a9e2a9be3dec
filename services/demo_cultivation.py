"""Demo stage 3: R&D institutions, cultivation pools (申报库/储备库), 门诊式预审 and visits with their issues."""

from __future__ import annotations

import datetime as dt
import json
import random
from decimal import Decimal

from models import PoolEntry, PreReview, RDInstitution, Visit, VisitIssue
from services import demo_corpus_rd
from services.demo_base import DAY, FEN_PER_WAN, DemoContext, Firm, between, maybe_between
from services.demo_names import person_name
from services.demo_register import RD_SHARE
from services.text import clean_name

#: Kinds of synthesized R&D institutions: (kind, level, status, weight).
RD_KINDS = (("市级企业研发中心", "市", "认定", 50), ("省级企业研发中心", "省", "认定", 25),
            ("省级企业研究院", "省", "认定", 10), ("区级企业研发中心", "区", "培育", 12),
            ("省级重点企业研究院", "省", "认定", 3))
RD_TOPICS = {
    "electronics": ("工业互联网", "智能感知", "数字孪生", "信息安全", "视觉识别"),
    "hitech_services": ("数字内容", "检验检测", "智慧服务", "工业设计"),
    "biomed": ("生物医药", "体外诊断", "医疗器械", "创新药物"),
    "materials": ("高性能材料", "新型功能材料", "高分子复合材料"),
    "energy": ("新能源", "储能系统", "节能技术"),
    "environment": ("环境治理", "水处理", "固废资源化"),
    "manufacturing": ("智能装备", "精密制造", "工业机器人", "智能控制"),
    "aerospace": ("航空部件", "无人机系统"),
}
POOL_SOURCES = ("街道推荐", "摸排", "税务/统计筛选")
VISIT_KINDS = {"走访": 60, "入企辅导": 20, "座谈": 10, "电话": 10}
VISIT_SUMMARIES = {
    "走访": "上门了解企业研发投入和经营情况，宣传国高企认定、研发投入补助和创新券政策。",
    "入企辅导": "组织专家入企辅导国高企申报材料，梳理知识产权和研发费用归集。",
    "座谈": "参加街道组织的企业座谈会，听取企业发展诉求。",
    "电话": "电话回访企业，跟进前期问题办理情况。",
}
#: (category, description, resolution) of issues raised on visits.
ISSUES = (
    ("申报辅导", "研发费用归集不规范，需建立研发辅助账", "已安排专家入企辅导，协助建立研发辅助账"),
    ("政策咨询", "咨询创新券申领和兑现流程", "已现场讲解并发送操作指南"),
    ("融资", "企业有流动资金贷款需求", "已对接科技支行，纳入风险池贷款支持"),
    ("人才", "研发人员招聘难，希望对接高校资源", "已推荐参加高校专场招聘会"),
    ("场地", "现有办公场地不足，希望扩租", "已对接园区载体，推荐空置楼层"),
    ("知识产权", "Ⅰ类知识产权不足，国高企申报有困难", "已对接专利代理机构开展专利布局"),
    ("政策兑现", "上年度研发投入补助尚未到账", "经查已列入本年第二批兑现名单"),
    ("申报辅导", "高新技术产品收入占比统计口径不清", "已组织财务人员参加政策培训"),
    ("统计", "研发统计报表填报有疑问", "已联系统计部门上门指导"),
    ("其他", "希望参加行业对接活动", "已邀请参加区双创周活动"),
)


def build_cultivation(ctx: DemoContext) -> None:
    """R&D institutions, the 国高企 pools with their pre-reviews, and the bureau's visits."""
    staff_rng = ctx.rng("staff")
    staff = [person_name(staff_rng) for _ in range(8)]
    _rd_institutions(ctx)
    _pools_and_reviews(ctx, staff)
    _visits(ctx, staff)


def _short_name(name: str) -> str:
    """The brand of a company name: 杭州瑞宇智能科技有限公司 → 瑞宇智能科技."""
    for prefix in ("杭州市", "杭州", "浙江省", "浙江"):
        if name.startswith(prefix):
            name = name[len(prefix):]
            break
    for suffix in ("股份有限公司", "有限责任公司", "有限公司"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def _rd_institutions(ctx: DemoContext) -> None:
    """About 3.5% of firms host one: the real ones of the corpus where the host is in the register, then made up."""
    rng = ctx.rng("rd")
    target = max(5, round(len(ctx.firms) * RD_SHARE))
    by_name = {f.name: f for f in ctx.firms}
    real = []
    for line in demo_corpus_rd.RD_INSTITUTIONS.split():
        host, name, kind, level = line.split("|")
        if clean_name(host) in ctx.rd_hosts:
            real.append((by_name[clean_name(host)], name, kind, level, "认定"))
    hosted = {firm.index for firm, *_ in real}
    strong = [f for f in ctx.firms if f.tier >= 2 and f.index not in hosted]
    made_up = []
    for firm in sorted(rng.sample(strong, min(len(strong), max(0, target - len(real)))), key=lambda f: f.index):
        kind, level, status, _ = rng.choices(RD_KINDS, weights=[k[3] for k in RD_KINDS])[0]
        topic = rng.choice(RD_TOPICS[firm.field])
        made_up.append((firm, f"{_short_name(firm.name)}{topic}高新技术研究开发中心", kind, level, status))
    for firm, name, kind, level, status in real + made_up:
        first = max(firm.registered_on.year + 1, ctx.year - 8)
        if first > ctx.year - 1:
            continue
        year = rng.randint(first, ctx.year - 1)
        revoked = status == "认定" and rng.random() < 0.03
        provincial = level == "省" and year < ctx.year - 1
        ctx.add(RDInstitution, {
            "enterprise_id": firm.id, "name": name, "kind": kind, "level": level, "approved_year": year,
            "approved_on": dt.date(year, 12, 1) + rng.randint(0, 27) * DAY, "status": "撤销" if revoked else status,
            "last_evaluated_year": ctx.year - 1 if provincial else None,
            "evaluation_result": rng.choices(("优秀", "良好", "合格", "不合格"), weights=(20, 40, 35, 5))[0]
            if provincial else None,
            "notes": "绩效评价不合格，撤销资格" if revoked else None,
        })
        if status == "认定" and not revoked:
            ctx.rd_by_year.setdefault(year, []).append((firm.index, kind))


def _pools_and_reviews(ctx: DemoContext, staff: list[str]) -> None:
    """申报库 for firms applying for 国高企 in the last two years, 储备库 for likely candidates; pre-reviews of both."""
    rng = ctx.rng("pools")
    applying: dict[int, dt.date | None] = {}
    for year in (ctx.year - 1, ctx.year):
        for award in ctx.awards.get(("national_hte", year), []):
            if award.application_kind != "新申报":
                continue
            firm = ctx.firms[award.firm]
            start = dt.date(year, 1, 15)
            latest = min(award.applied_on or ctx.as_of, ctx.as_of)
            entered = between(rng, start, min(dt.date(year, 3, 31), latest)) if latest >= start else latest
            left, reason = None, None
            if award.certified_on is not None:
                left, reason = award.certified_on, "认定"
            elif award.status == "未通过":
                left, reason = min(dt.date(year, 12, 31), ctx.as_of), "不符合"
            _pool(ctx, rng, firm, "申报库", year, entered, left, reason)
            applying[firm.index] = award.applied_on
            if rng.random() < 0.7:
                _pre_review(ctx, rng, firm, entered, award.applied_on, staff)
    for firm in ctx.firms:
        if firm.index in applying or rng.random() >= (0.0, 0.05, 0.4, 0.1)[firm.tier]:
            continue
        year = rng.choice((ctx.year - 1, ctx.year))
        entered = between(rng, dt.date(year, 2, 1), min(dt.date(year, 4, 30), ctx.as_of))
        if entered > ctx.as_of:
            continue
        roll = rng.random()
        left = between(rng, entered + 30 * DAY, ctx.as_of) if roll < 0.25 and entered + 30 * DAY <= ctx.as_of else None
        _pool(ctx, rng, firm, "储备库", year, entered, left, ("不符合" if roll < 0.2 else "迁出") if left else None)
        if rng.random() < 0.2:
            _pre_review(ctx, rng, firm, entered, None, staff)


def _pool(ctx: DemoContext, rng: random.Random, firm: Firm, kind: str, year: int, entered: dt.date,
          left: dt.date | None, reason: str | None) -> None:
    ctx.add(PoolEntry, {
        "enterprise_id": firm.id, "pool_kind": kind, "target_type_code": "national_hte", "year": year,
        "source": rng.choice(POOL_SOURCES), "subdistrict_id": firm.subdistrict_id, "entered_on": entered,
        "left_on": left if left is None or left >= entered else entered, "exit_reason": reason,
    })


def _pre_review(ctx: DemoContext, rng: random.Random, firm: Firm, entered: dt.date, applied: dt.date | None,
                staff: list[str]) -> None:
    """A 门诊式预审 against the 国高企 conditions, on the figures of the years before the review."""
    latest = min(applied - 5 * DAY if applied else ctx.as_of, ctx.as_of)
    reviewed = between(rng, entered, latest) if latest >= entered else entered
    criteria, advice = _criteria(ctx, firm, reviewed)
    results = {c["result"] for c in criteria}
    verdict = "不符合" if "fail" in results else "待定" if "unknown" in results else "符合"
    score = Decimal(rng.randint(550, 920)).scaleb(-1)
    ctx.add(PreReview, {
        "enterprise_id": firm.id, "rule_set": "national_hte", "rule_version": "国科发火〔2016〕32号",
        "reviewed_on": reviewed, "reviewer": f"{rng.choice(staff)}（区科技局）", "verdict": verdict,
        "score": score, "details_json": json.dumps(criteria, ensure_ascii=False),
        "advice": advice or ("材料基本齐备，建议按期申报。" if verdict == "符合" else "补齐缺失数据后再行预审。"),
    })


def _criteria(ctx: DemoContext, firm: Firm, day: dt.date) -> tuple[list[dict[str, str]], str | None]:
    """The checkable 国高企 conditions with the margin of the first failing one, as the pre-screening shows it."""
    facts = ctx.facts
    assert facts is not None
    years = [y for y in facts.years if y < day.year and facts.get(firm.index, y, "revenue") is not None]
    criteria: list[dict[str, str]] = []
    advice: str | None = None

    def add(name: str, ok: bool | None, value: str, requirement: str) -> None:
        result = "unknown" if ok is None else "pass" if ok else "fail"
        criteria.append({"criterion": name, "result": result, "value": value, "requirement": requirement})

    age = (day - firm.registered_on).days
    add("注册成立满一年", age >= 365, f"{age} 天", "≥ 365 天")
    if not years:
        add("研发费用占比", None, "缺少年度数据", "按收入规模 3%–5%")
        return criteria, None
    last = years[-1]

    def total(name: str) -> int:
        return sum(facts.get(firm.index, y, name) or 0 for y in years)

    revenue, rd = total("revenue"), total("rd")
    last_revenue = facts.get(firm.index, last, "revenue") or 0
    need = 0.05 if last_revenue <= 5000 * FEN_PER_WAN else 0.04 if last_revenue <= 20000 * FEN_PER_WAN else 0.03
    ratio = rd / revenue if revenue else 0.0
    add("研发费用占比", ratio >= need, f"{ratio:.1%}", f"≥ {need:.0%}")
    if ratio < need:
        gap = (need * revenue - rd) / FEN_PER_WAN
        advice = f"研发占比 {ratio:.1%}，需 ≥{need:.0%}，差 {(need - ratio) * 100:.1f} 个百分点 ≈ {gap:.0f}万元"
    domestic = total("rd_domestic")
    add("境内研发费用占比", domestic >= 0.6 * rd if rd else None, f"{domestic / rd:.0%}" if rd else "—", "≥ 60%")
    hitech = facts.get(firm.index, last, "hitech")
    share = hitech / last_revenue if hitech is not None and last_revenue else None
    add("高新技术产品收入占比", None if share is None else share >= 0.6, "未填报" if share is None else f"{share:.0%}",
        "≥ 60%")
    staff, st_staff = facts.get(firm.index, last, "staff"), facts.get(firm.index, last, "st_staff")
    st_share = st_staff / staff if staff and st_staff is not None else None
    add("科技人员占比", None if st_share is None else st_share >= 0.1,
        "未填报" if st_share is None else f"{st_share:.0%}", "≥ 10%")
    ip1, ip2 = facts.get(firm.index, last, "ip1") or 0, facts.get(firm.index, last, "ip2") or 0
    add("知识产权", ip1 > 0 or ip2 > 0, f"Ⅰ类 {ip1} 件，Ⅱ类 {ip2} 件", "拥有核心知识产权")
    return criteria, advice


def _visits(ctx: DemoContext, staff: list[str]) -> None:
    """Visits since the start of last year (about 5% of firms a year), with issues closed one by one."""
    rng = ctx.rng("visits")
    start = dt.date(ctx.year - 1, 1, 1)
    span = (ctx.as_of - start).days
    count = round(len(ctx.firms) * 0.05 * span / 365)
    weights = [(1, 2, 4, 4)[f.tier] for f in ctx.firms]
    kinds = tuple(VISIT_KINDS)
    visits = sorted((between(rng, start, ctx.as_of), firm.index)
                    for firm in rng.choices(ctx.firms, weights=weights, k=count))
    for day, index in visits:
        if day.weekday() >= 5:
            day -= (day.weekday() - 4) * DAY
        kind = rng.choices(kinds, weights=tuple(VISIT_KINDS.values()))[0]
        visitors = "、".join(rng.sample(staff, 2))
        visit_id = ctx.add(Visit, {
            "enterprise_id": ctx.firms[index].id, "visited_on": day, "visitors": visitors, "kind": kind,
            "summary": VISIT_SUMMARIES[kind],
        })
        for category, description, resolution in rng.sample(ISSUES, rng.choices((0, 1, 2, 3), (45, 35, 15, 5))[0]):
            _issue(ctx, rng, visit_id, day, category, description, resolution)


def _issue(ctx: DemoContext, rng: random.Random, visit_id: int, day: dt.date, category: str, description: str,
           resolution: str) -> None:
    age = (ctx.as_of - day).days
    statuses, weights = ((("已解决", "无法解决", "办理中"), (80, 8, 12)) if age > 60
                         else (("已解决", "办理中", "待办"), (40, 40, 20)) if age > 14
                         else (("待办", "办理中", "已解决"), (60, 30, 10)))
    status = rng.choices(statuses, weights)[0]
    closed = maybe_between(rng, day + DAY, min(day + 60 * DAY, ctx.as_of)) if status in ("已解决", "无法解决") else None
    if closed is None and status in ("已解决", "无法解决"):
        status = "办理中"
    ctx.add(VisitIssue, {
        "visit_id": visit_id, "description": description, "category": category, "status": status,
        "due_on": day + 30 * DAY, "closed_on": closed,
        "resolution": resolution if status == "已解决" else "超出区级政策范围，已向企业说明" if closed else None,
    })

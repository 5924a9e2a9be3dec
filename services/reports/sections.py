"""The forms of the quarterly package (DOMAIN.md §8.4) and of the separate summaries, laid out from one
:class:`QuarterlyReport`.

Sections: headline indicators; certifications by type; 国高企 progress by 属地 against targets with completion and
rank; pools and pre-review; carriers; vouchers; pay-outs; and the list of newly certified 国高企. The league table
of 属地 and the voucher and carrier summaries are forms of their own for separate export.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from services.reports.figures import QuarterlyReport, change_pct, percent
from services.reports.forms import Cell, Chart, Column, Form, Num, Table, count, pct, wan

#: (label, indicator code, unit of measure, decimal places).
Row = tuple[str, str, str, int]
HTE = "national_hte"
LEVEL_NAMES = {"national": "国家级", "prov": "省级", "city": "市级", "district": "区级"}
TOTAL = "全区合计"


def indicator_table(report: QuarterlyReport, rows: Sequence[Row], caption: str | None = None) -> Table:
    """Indicator rows: 指标名称, 代码, 计量单位, 本期, 上年同期, 增减(%). Rows whose code is not counted are left out;
    percentages (rates) get no change column."""
    cur, prev = report.current.district, report.previous.district
    cells: list[tuple[Cell, ...]] = []
    for label, code, measure, places in rows:
        if code not in cur and code not in prev:
            continue
        change = None if measure == "%" else report.change(code)
        cells.append((label, f"{len(cells) + 1:02d}", measure, Num(cur.get(code), places),
                      Num(prev.get(code), places), pct(change)))
    columns = (Column("指标名称", width=34, text=True), Column("代码", width=6, text=True),
               Column("计量单位", width=9, text=True), Column("本期", width=12), Column("上年同期", width=12),
               Column("增减(%)", width=10))
    return Table(columns, tuple(cells), caption)


def unit_table(report: QuarterlyReport, columns: Sequence[tuple[str, str, int]], caption: str) -> Table:
    """One row per 属地 (this period) with the given (title, code, places) columns, and the district's total."""
    rows: list[tuple[Cell, ...]] = []
    for unit in (*report.units, None):
        values = [Num(report.current.get(code, unit), places) for _, code, places in columns]
        rows.append((unit or TOTAL, *values))
    head = (Column("属地", width=14, text=True), *(Column(title, width=12) for title, _, _ in columns))
    return Table(head, tuple(rows), caption, frozenset({len(rows) - 1}))


def headline(report: QuarterlyReport) -> Form:
    name = report.type_name
    rows: list[Row] = [
        ("期末在册企业数", "ent.count_end", "家", 0),
        (f"期末有效{name(HTE)}", f"qual.{HTE}.valid_end", "家", 0),
        (f"本年新认定{name(HTE)}", f"qual.{HTE}.new_ytd", "家", 0),
        ("　其中：本季度新认定", f"qual.{HTE}.new_q", "家", 0),
        ("　本年申报", f"qual.{HTE}.applied_ytd", "家", 0),
        ("　本年通过专家评审", f"qual.{HTE}.reviewed_ytd", "家", 0),
        ("　本年公示", f"qual.{HTE}.publicized_ytd", "家", 0),
        ("　年度目标新增数", f"target.{HTE}.required", "家", 0),
        ("　年度目标力争数", f"target.{HTE}.stretch", "家", 0),
        ("　目标完成率", f"completion.{HTE}.pct", "%", 1),
        ("　90天内到期", f"qual.{HTE}.expiring_90d", "家", 0),
        (f"期末有效{name('city_hte')}", "qual.city_hte.valid_end", "家", 0),
        (f"期末有效{name('prov_tsme')}", "qual.prov_tsme.valid_end", "家", 0),
        (f"本年新入库{name('national_tsme').removesuffix('(入库)')}", "qual.national_tsme.new_ytd", "家", 0),
        ("期末认定孵化载体", "carrier.count_end", "个", 0),
        ("期末在孵企业", "carrier.incubating_end", "家", 0),
        ("本年毕业企业", "carrier.graduated_ytd", "家", 0),
        ("创新券发放金额", "voucher.issued_ytd_wan", "万元", 2),
        ("创新券使用金额", "voucher.used_ytd_wan", "万元", 2),
        ("创新券兑现金额", "voucher.redeemed_ytd_wan", "万元", 2),
        ("兑现创新券企业数", "voucher.enterprises_redeemed_ytd", "家", 0),
        ("政策兑现金额", "payout.total_ytd_wan", "万元", 2),
        ("　其中：市级资金", "payout.city_ytd_wan", "万元", 2),
        ("　　　　区级资金", "payout.district_ytd_wan", "万元", 2),
    ]
    return Form("headline", "1 主要指标", f"{report.meta.district}科技创新主要指标", "计量单位：见各行",
                (indicator_table(report, rows),),
                ("本期为当年1月1日至报告季度末的累计数；上年同期为上年同一期间；期末数为报告期最后一日的时点数。",))


def _this_and_last(report: QuarterlyReport, code: str, change: bool = True) -> tuple[Cell, ...]:
    """This period's count, last year's, and (when asked) the change in percent."""
    cells: tuple[Cell, ...] = (count(report.current.get(code)), count(report.previous.get(code)))
    return (*cells, pct(report.change(code))) if change else cells


def qualifications(report: QuarterlyReport) -> Form:
    rows: list[tuple[Cell, ...]] = []
    for t in report.qualification_types:
        code = f"qual.{t.code}"
        rows.append((f"{len(rows) + 1}", t.name, *_this_and_last(report, f"{code}.valid_end"),
                     *_this_and_last(report, f"{code}.new_ytd"), *_this_and_last(report, f"{code}.new_q", False),
                     count(report.current.get(f"{code}.expiring_90d"))))
    columns = (
        Column("序号", width=5, text=True), Column("资质类型", width=30, text=True),
        Column("本期", "期末有效", 9), Column("上年同期", "期末有效", 9), Column("增减(%)", "期末有效", 9),
        Column("本期", "本年累计新认定", 9), Column("上年同期", "本年累计新认定", 9),
        Column("增减(%)", "本年累计新认定", 9),
        Column("本期", "其中本季度", 9), Column("上年同期", "其中本季度", 9),
        Column("本期", "90天内到期", 10),
    )
    return Form("qualifications", "2 资质认定", f"{report.meta.district}科技型企业资质认定情况", "计量单位：家",
                (Table(columns, tuple(rows)),),
                ("期末有效：报告期末已认定、在有效期内且未被撤销的企业数；新认定按认定日期计（含重新认定）。",
                 "90天内到期：期末有效且有效期在期末后90天内届满（已重新认定的不计）。"))


def _progress_row(report: QuarterlyReport, type_code: str, unit: str | None) -> tuple[Cell, ...]:
    """Target, new certifications (with last year and change), this quarter, completion and valid at end."""
    cur, prev = report.current, report.previous
    new = f"qual.{type_code}.new_ytd"
    return (count(cur.get(f"target.{type_code}.required", unit)), count(cur.get(f"target.{type_code}.stretch", unit)),
            count(cur.get(new, unit)), count(prev.get(new, unit)), pct(report.change(new, unit)),
            count(cur.get(f"qual.{type_code}.new_q", unit)), pct(cur.get(f"completion.{type_code}.pct", unit)))


def hte_progress(report: QuarterlyReport) -> Form:
    ranks = report.ranks(HTE)
    cur, prev = report.current, report.previous
    valid = f"qual.{HTE}.valid_end"
    rows: list[tuple[Cell, ...]] = []
    for index, unit in enumerate((*report.units, None), start=1):
        rank = ranks.get(unit) if unit else None
        rows.append((f"{index}" if unit else "", unit or TOTAL, *_progress_row(report, HTE, unit), count(rank),
                     count(cur.get(valid, unit)), count(prev.get(valid, unit))))
    columns = (
        Column("序号", width=5, text=True), Column("属地", width=14, text=True),
        Column("新增数", "年度目标", 8), Column("力争数", "年度目标", 8),
        Column("本期", "本年新认定", 8), Column("上年同期", "本年新认定", 9), Column("增减(%)", "本年新认定", 9),
        Column("其中本季度", width=10), Column("完成率(%)", width=10), Column("排名", width=6),
        Column("本期", "期末有效数", 8), Column("上年同期", "期末有效数", 9),
    )
    chart = Chart(f"各属地{report.type_name(HTE)}新认定数与年度目标", 0, 1, ((2, "年度目标新增数"), (4, "本年新认定")),
                  len(report.units))
    return Form("hte_progress", "3 国高企进度", f"{report.meta.district}国家高新技术企业培育认定进度（分属地）",
                "计量单位：家、%", (Table(columns, tuple(rows), emphasised=frozenset({len(rows) - 1})),),
                ("完成率 = 本年新认定数 ÷ 年度目标新增数 × 100%；排名按完成率从高到低，完成率相同者名次并列。",
                 "属地目标为区下达数（无区下达数时取市下达数）；全区目标为市下达数（无则取区下达数或各属地目标之和）。"),
                chart)


def league(report: QuarterlyReport, type_code: str = HTE) -> Form:
    """The league table of 属地: new certifications against target, completion and rank, best first."""
    ranks = report.ranks(type_code)
    ordered = sorted(report.units, key=lambda u: (ranks.get(u, len(report.units) + 1), report.units.index(u)))
    cur = report.current
    rows: list[tuple[Cell, ...]] = []
    for unit in (*ordered, None):
        required = cur.get(f"target.{type_code}.required", unit)
        stretch = cur.get(f"target.{type_code}.stretch", unit)
        new = cur.get(f"qual.{type_code}.new_ytd", unit)
        short = max(0, required - new) if isinstance(required, int) and isinstance(new, int) else None
        rows.append((count(ranks.get(unit)) if unit else "", unit or TOTAL, count(required), count(stretch),
                     count(new), count(cur.get(f"qual.{type_code}.new_q", unit)),
                     pct(cur.get(f"completion.{type_code}.pct", unit)), pct(percent(new, stretch)), count(short)))
    columns = (Column("排名", width=6, text=True), Column("属地", width=14, text=True),
               Column("新增数", "年度目标", 8), Column("力争数", "年度目标", 8), Column("本年新认定", width=10),
               Column("其中本季度", width=10), Column("完成率(%)", width=10), Column("力争完成率(%)", width=12),
               Column("距新增数尚差", width=12))
    chart = Chart(f"各属地{report.type_name(type_code)}新认定数与年度目标", 0, 1, ((2, "年度目标新增数"),
                                                                          (4, "本年新认定")), len(ordered))
    return Form("league", "属地排名", f"{report.meta.district}各属地{report.type_name(type_code)}新增目标完成情况排名",
                "计量单位：家、%", (Table(columns, tuple(rows), emphasised=frozenset({len(rows) - 1})),),
                ("完成率 = 本年新认定数 ÷ 年度目标新增数 × 100%；完成率相同者名次并列；无目标的属地不参与排名。",),
                chart)


def pools(report: QuarterlyReport) -> Form:
    rows: list[Row] = [
        ("申报库在库企业（期末）", "pool.apply.count_end", "家", 0),
        ("储备库在库企业（期末）", "pool.reserve.count_end", "家", 0),
        ("培育库在库企业（期末）", "pool.cultivate.count_end", "家", 0),
        ("后备群企业（期末）", "pool.backup.count_end", "家", 0),
        ("本年新入库", "pool.entered_ytd", "家次", 0),
        ("门诊式预审", "prereview.count_ytd", "家次", 0),
        ("　其中：符合", "prereview.pass_ytd", "家次", 0),
        ("　　　　不符合", "prereview.fail_ytd", "家次", 0),
        ("　　　　待定", "prereview.pending_ytd", "家次", 0),
        ("走访企业", "visit.enterprises_ytd", "家", 0),
        ("走访", "visit.count_ytd", "次", 0),
        ("走访发现问题", "visit.issues_ytd", "个", 0),
        ("本年办结问题", "visit.issues_closed_ytd", "个", 0),
    ]
    by_unit = unit_table(report, (("申报库", "pool.apply.count_end", 0), ("储备库", "pool.reserve.count_end", 0),
                                  ("预审(家次)", "prereview.count_ytd", 0), ("走访(次)", "visit.count_ytd", 0)),
                         "分属地情况（本期）")
    return Form("pools", "4 培育与预审", f"{report.meta.district}培育库、门诊式预审与走访服务情况", "计量单位：见各行",
                (indicator_table(report, rows), by_unit))


def carriers(report: QuarterlyReport) -> Form:
    kinds = {k.code: k.name for k in report.carrier_kinds}
    rows: list[Row] = []
    for code in report.carrier_codes:
        _, kind, level, _ = code.split(".")
        rows.append((f"{kinds.get(kind, kind)}（{LEVEL_NAMES[level]}）", code, "个", 0))
    rows += [("期末认定载体合计", "carrier.count_end", "个", 0), ("期末在孵企业", "carrier.incubating_end", "家", 0),
             ("本年毕业企业", "carrier.graduated_ytd", "家", 0)]
    by_unit = unit_table(report, (("认定载体(个)", "carrier.count_end", 0),
                                  ("在孵企业(家)", "carrier.incubating_end", 0),
                                  ("本年毕业(家)", "carrier.graduated_ytd", 0)), "分属地情况（本期）")
    return Form("carriers", "5 载体", f"{report.meta.district}孵化载体情况", "计量单位：个、家",
                (indicator_table(report, rows), by_unit),
                ("载体按期末有效的认定级别计（已摘牌的不计）；同一载体有多个级别的，分别计入各级别，合计中只计一次。",))


def vouchers(report: QuarterlyReport) -> Form:
    rows: list[Row] = [
        ("创新券发放金额", "voucher.issued_ytd_wan", "万元", 2),
        ("创新券发放张数", "voucher.issued_count_ytd", "张", 0),
        ("创新券使用金额", "voucher.used_ytd_wan", "万元", 2), ("创新券使用笔数", "voucher.used_count_ytd", "笔", 0),
        ("创新券兑现金额", "voucher.redeemed_ytd_wan", "万元", 2),
        ("兑现创新券企业数", "voucher.enterprises_redeemed_ytd", "家", 0),
    ]
    by_unit = unit_table(report, (("发放(万元)", "voucher.issued_ytd_wan", 2),
                                  ("使用(万元)", "voucher.used_ytd_wan", 2),
                                  ("兑现(万元)", "voucher.redeemed_ytd_wan", 2),
                                  ("兑现企业(家)", "voucher.enterprises_redeemed_ytd", 0)), "分属地情况（本期）")
    return Form("vouchers", "6 创新券", f"{report.meta.district}科技创新券发放、使用与兑现情况",
                "计量单位：万元、张、笔、家",
                (indicator_table(report, rows), by_unit),
                ("发放按发放日期计（已作废的不计），使用按技术合同使用日期计，兑现按补助拨付日期计；创客团队计入“未落属地”。",))


def payouts(report: QuarterlyReport) -> Form:
    rows: list[Row] = [
        ("政策兑现金额", "payout.total_ytd_wan", "万元", 2), ("　其中：市级资金", "payout.city_ytd_wan", "万元", 2),
        ("　　　　区级资金", "payout.district_ytd_wan", "万元", 2), ("兑现笔数", "payout.count_ytd", "笔", 0),
    ]
    previous = {p.programme: p for p in report.programmes_previous}
    names = [p.programme for p in report.programmes] + sorted(set(previous) - {p.programme for p in report.programmes})
    current = {p.programme: p for p in report.programmes}
    cells: list[tuple[Cell, ...]] = []
    for index, name in enumerate(names, start=1):
        now, before = current.get(name), previous.get(name)
        total = now.total_wan if now else 0
        last = before.total_wan if before else 0
        cells.append((f"{index}", name, count(now.payments if now else 0), wan(total),
                      wan(now.city_wan if now else 0), wan(now.district_wan if now else 0), wan(last),
                      pct(change_pct(total, last))))
    columns = (Column("序号", width=5, text=True), Column("政策项目", width=24, text=True), Column("笔数", width=7),
               Column("金额", "本期兑现", 11), Column("其中：市级", "本期兑现", 11), Column("区级", "本期兑现", 11),
               Column("上年同期金额", width=12), Column("增减(%)", width=9))
    return Form("payouts", "7 政策兑现", f"{report.meta.district}科技政策兑现情况", "计量单位：万元、笔",
                (indicator_table(report, rows), Table(columns, tuple(cells), "分政策项目情况")),
                ("按拨付日期计；市级、区级资金按兑现通知的分担比例。",))


def new_hte_list(report: QuarterlyReport) -> Form:
    cells: list[tuple[Cell, ...]] = [
        (f"{i}", r.name, r.uscc or "", r.unit, r.certified_on.isoformat(), r.application_kind, r.batch or "",
         r.certificate_no or "")
        for i, r in enumerate(report.new_hte, start=1)
    ] or [("", "本期无新认定企业", "", "", "", "", "", "")]
    columns = (Column("序号", width=6, text=True), Column("企业名称", width=36, text=True),
               Column("统一社会信用代码", width=21, text=True), Column("属地", width=12, text=True),
               Column("认定日期", width=11, text=True), Column("申报类别", width=9, text=True),
               Column("批次", width=8, text=True), Column("证书编号", width=17, text=True))
    return Form("new_hte_list", "附表 新认定国高企", f"{report.meta.district}本年新认定{report.type_name(HTE)}名单",
                "计量单位：家", (Table(columns, tuple(cells)),), (f"共 {len(report.new_hte)} 家。",))


#: Sections of the quarterly package in order: key → (name shown to the user, builder).
SECTIONS: dict[str, tuple[str, Callable[[QuarterlyReport], Form]]] = {
    "headline": ("主要指标", headline),
    "qualifications": ("资质认定", qualifications),
    "hte_progress": ("国高企培育认定进度（分属地）", hte_progress),
    "pools": ("培育库与预审", pools),
    "carriers": ("孵化载体", carriers),
    "vouchers": ("创新券", vouchers),
    "payouts": ("政策兑现", payouts),
    "new_hte_list": ("附表：新认定国高企名单", new_hte_list),
}
#: Reports exported on their own: key → (name, forms).
SUMMARIES: dict[str, tuple[str, Callable[[QuarterlyReport], tuple[Form, ...]]]] = {
    "league": ("属地排名表", lambda r: (league(r),)),
    "vouchers": ("创新券汇总", lambda r: (vouchers(r),)),
    "carriers": ("载体汇总", lambda r: (carriers(r),)),
}

"""The pages of the main window, one per capability area, in navigation order.

Each entry names its page's factory (imported when the page is first shown) and what the area offers, which the
navigation shows as the entry's tooltip.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtWidgets import QWidget

import ui.pages.prescreen  # noqa: F401 - puts the pre-screening panel into the enterprise window's 预审 tab
from ui.context import AppContext
from ui.i18n import N_, tr


@dataclass(frozen=True)
class PageSpec:
    """One navigation entry.

    Attributes:
        key: Stable identifier, stored in the settings as the last page.
        title: Navigation label (marked with ``N_``, translated when shown).
        bullets: What the area offers (the navigation entry's tooltip).
        factory: Builds the page widget.
    """

    key: str
    title: str
    bullets: tuple[str, ...] = ()
    factory: Callable[[AppContext, PageSpec], QWidget] | None = None

    def tooltip(self) -> str:
        """The bullets, one per line, translated."""
        return "\n".join(f"• {tr(b)}" for b in self.bullets)


def _audit(ctx: AppContext, spec: PageSpec) -> QWidget:
    from ui.pages.audit import AuditPageWidget

    return AuditPageWidget(ctx)


def _settings(ctx: AppContext, spec: PageSpec) -> QWidget:
    from ui.pages.settings import SettingsPage

    return SettingsPage(ctx)


def _reports(ctx: AppContext, spec: PageSpec) -> QWidget:
    from ui.pages.reports import ReportsPage

    return ReportsPage(ctx)


def _prescreen(ctx: AppContext, spec: PageSpec) -> QWidget:
    from ui.pages.prescreen.page import PrescreenPage

    return PrescreenPage(ctx)


def _dashboard(ctx: AppContext, spec: PageSpec) -> QWidget:
    from ui.pages.dashboard import DashboardPage

    return DashboardPage(ctx)


def _imports(ctx: AppContext, spec: PageSpec) -> QWidget:
    from ui.pages.imports import ImportsPage

    return ImportsPage(ctx)


def _enterprises(ctx: AppContext, spec: PageSpec) -> QWidget:
    from ui.pages.enterprises.list_page import EnterprisesPage

    return EnterprisesPage(ctx)


def _payouts(ctx: AppContext, spec: PageSpec) -> QWidget:
    from ui.pages.payouts.page import PayoutsPage

    return PayoutsPage(ctx)


def _targets(ctx: AppContext, spec: PageSpec) -> QWidget:
    from ui.pages.targets.page import TargetsPage

    return TargetsPage(ctx)


def _carriers(ctx: AppContext, spec: PageSpec) -> QWidget:
    from ui.pages.carriers.list_page import CarriersPage

    return CarriersPage(ctx)


def _vouchers(ctx: AppContext, spec: PageSpec) -> QWidget:
    from ui.pages.vouchers.page import VouchersPage

    return VouchersPage(ctx)


def _reminders(ctx: AppContext, spec: PageSpec) -> QWidget:
    from ui.pages.reminders import RemindersPage

    return RemindersPage(ctx)


PAGES: tuple[PageSpec, ...] = (
    PageSpec("dashboard", N_("工作台"), factory=_dashboard),
    PageSpec("enterprises", N_("企业库"), (
        N_("企业登记：名称与曾用名、统一社会信用代码（自动校验）、属地、行业领域、联系人"),
        N_("年度数据：营业收入、研发费用、职工与科技人员、知识产权"),
        N_("资质认定历程：国高企、市高企、省科小、雏鹰、青蓝、旭日计划等"),
        N_("培育库、门诊式预审、走访记录与问题逐项销号、附件"),
        N_("按名称、信用代码或拼音首字母即时搜索，表格可直接复制到 Excel"),
    ), factory=_enterprises),
    PageSpec("reminders", N_("提醒"), (
        N_("证书到期提醒：到期前 180、90、30 天"),
        N_("年报时间窗口与年末失效"),
        N_("在孵企业超过孵化期、报表报送截止日期"),
        N_("已逾期事项单独列出，不再重复提醒"),
    ), factory=_reminders),
    PageSpec("carriers", N_("载体"), (
        N_("孵化器、众创空间、星创天地、大学科技园、综合体、特色小镇等载体"),
        N_("级别与类型沿革、运营主体、面积"),
        N_("季度与年度统计（火炬统计指标）"),
        N_("在孵企业入驻、毕业、退出，以及载体补助"),
    ), factory=_carriers),
    PageSpec("vouchers", N_("创新券"), (
        N_("申领与发放，企业和创客团队额度控制"),
        N_("使用登记：技术合同登记号、服务机构、合同与支付金额、凭证"),
        N_("兑现：申请 → 批次通知 → 拨付，市级配套比例"),
        N_("年末失效提醒与汇总报表"),
    ), factory=_vouchers),
    PageSpec("payouts", N_("政策兑现"), (
        N_("按政策项目、认定年度和批次管理兑现通知"),
        N_("每笔兑现的总额、市级与区级分担（50:50 或 25:75）"),
        N_("兑现汇总与导出"),
    ), factory=_payouts),
    PageSpec("targets", N_("目标考核"), (
        N_("各街道、园区的年度目标：新增数与力争数"),
        N_("完成进度、完成率与街道排名"),
    ), factory=_targets),
    PageSpec("imports", N_("数据导入"), (
        N_("导入街道、园区报送的 Excel、CSV 表格（含标题行、合并表头、GBK 编码、旧版 .xls）"),
        N_("预览与列映射，按来源保存映射"),
        N_("先试导入，再一次性提交；错误行可导出"),
        N_("按批次撤销导入"),
    ), factory=_imports),
    PageSpec("reports", N_("报表"), (
        N_("市科技局季度报送包：Excel 工作簿与可打印的 PDF"),
        N_("街道排名表、创新券与载体汇总、预审名单"),
        N_("打印预览与打印"),
    ), factory=_reports),
    PageSpec("prescreen", N_("预审"), (
        N_("对照国高企、科小等认定条件逐条判断：符合、不符合、缺少数据"),
        N_("指出缺少的数据和差距，例如“研发占比 4.3%，需 ≥5%，差 0.7 个百分点”"),
        N_("单个企业或整个培育库批量预审"),
    ), factory=_prescreen),
    PageSpec("audit", N_("审计日志"), factory=_audit),
    PageSpec("settings", N_("备份与设置"), factory=_settings),
)


def build_page(spec: PageSpec, ctx: AppContext) -> QWidget:
    """Create the widget of ``spec``."""
    assert spec.factory is not None, f"page {spec.key} has no factory"
    page = spec.factory(ctx, spec)
    page.setObjectName(f"page_{spec.key}")
    return page

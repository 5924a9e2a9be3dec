"""The register tabs of the voucher page: service providers (服务机构) and the rules of each year (规则)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from services.errors import ValidationError
from services.progress import Progress
from services.providers import (
    KINDS,
    LEVELS,
    ProviderInfo,
    ProviderInput,
    create_provider,
    delete_provider,
    list_providers,
    update_provider,
)
from services.settings import district_names
from services.voucher_rules import (
    HUNDRED,
    VoucherRuleInfo,
    VoucherRuleInput,
    delete_rule,
    list_rules,
    percent_text,
    save_rule,
)
from ui.context import AppContext
from ui.errors import show_error
from ui.operations import Op
from ui.pages.vouchers.fields import VOUCHERS, MoneyEdit, button_row, entry_problems, money, open_dialog, year_spin
from ui.widgets.auto_reload import AutoReload
from ui.widgets.form_dialog import FormDialog
from ui.widgets.questions import confirm
from ui.widgets.records import Column, Record, RecordView


class ProviderDialog(FormDialog):
    """新增 / 修改服务机构."""

    def __init__(self, ctx: AppContext, districts: list[str], provider: ProviderInfo | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, "修改服务机构" if provider else "新增服务机构", parent, changes=VOUCHERS)
        self.provider = provider
        self.name = QLineEdit()
        self.name.setObjectName("provider_name")
        self.kind = QComboBox()
        self.kind.setEditable(True)
        self.kind.addItems(KINDS)
        self.level = QComboBox()
        self.level.addItem("（未定）", None)
        for level in LEVELS:
            self.level.addItem(level, level)
        self.uscc = QLineEdit()
        self.district = QComboBox()
        self.district.addItem("（未填）", None)
        for name in districts:
            self.district.addItem(name, name)
        self.contact = QLineEdit()
        self.active = QCheckBox("可受理创新券")
        self.active.setChecked(True)
        self.notes = QLineEdit()
        form = self.form
        form.add("name", "机构名称", self.name, required=True)
        form.add("kind", "机构类别", self.kind, required=True)
        form.add("level", "级别", self.level)
        form.add("uscc", "统一社会信用代码", self.uscc)
        form.add("district", "所在区县", self.district)
        form.add("contact", "联系人及电话", self.contact)
        form.add("active", "状态", self.active)
        form.add("notes", "备注", self.notes)
        if provider is not None:
            self.name.setText(provider.name)
            self.kind.setCurrentText(provider.kind)
            self.level.setCurrentIndex(max(self.level.findData(provider.level), 0))
            self.uscc.setText(provider.uscc or "")
            self.district.setCurrentIndex(max(self.district.findData(provider.district), 0))
            self.contact.setText(provider.contact or "")
            self.active.setChecked(provider.active)
            self.notes.setText(provider.notes or "")
        self.resize(self.sizeHint().width() + 200, self.sizeHint().height())

    def work(self) -> Callable[[Progress], Any]:
        data = ProviderInput(self.name.text(), self.kind.currentText(), self.level.currentData(), self.uscc.text(),
                             self.district.currentData(), self.active.isChecked(), self.contact.text(),
                             self.notes.text())
        db, provider = self.ctx.opened.db, self.provider
        if provider is None:
            return lambda _p: create_provider(db, data)
        return lambda _p: update_provider(db, provider.id, data)


class ProvidersTab(QWidget):
    """The provider register: search (name, pinyin initials, credit code), add, edit, deactivate, delete."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.providers: list[ProviderInfo] = []
        self.confirm: Callable[..., bool] = confirm
        self.districts: list[str] = []
        self.search = QLineEdit()
        self.search.setObjectName("provider_search")
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText("搜索机构名称、拼音首字母、信用代码")
        self.table = RecordView([Column("机构名称"), Column("类别"), Column("级别"), Column("所在区县"), Column("状态"),
                                 Column("使用笔数", numeric=True), money("使用金额(万元)"),
                                 Column("联系人及电话")])
        self.table.setObjectName("provider_table")
        self.add_button, self.edit_button = QPushButton("新增机构…"), QPushButton("修改…")
        self.delete_button = QPushButton("删除")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 8)
        top = button_row(self.add_button, self.edit_button, self.delete_button)
        top.insertWidget(0, self.search, 2)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(200)
        self._timer.timeout.connect(self.reload)
        self.search.textChanged.connect(lambda _t: self._timer.start())
        self.add_button.clicked.connect(lambda: self._open(None))
        self.edit_button.clicked.connect(lambda: self._open(self.selected()))
        self.table.opened.connect(lambda _key: self._open(self.selected()))
        self.delete_button.clicked.connect(self.delete)
        self.refresh = AutoReload(self, ctx.runner, VOUCHERS, self._start)

    def reload(self) -> None:
        self.refresh.reload()

    def _start(self) -> Op[tuple[list[ProviderInfo], list[str]]]:
        db, query = self.ctx.opened.db, self.search.text()
        return Op(self, lambda _p: (list_providers(db, query), district_names(db))).success(self._loaded) \
            .failure(lambda exc: show_error(self, exc, sink=self.ctx.sink)).run(self.ctx.runner)

    def _loaded(self, loaded: tuple[list[ProviderInfo], list[str]]) -> None:
        self.providers, self.districts = loaded
        self.table.set_records([Record(p.id, (p.name, p.kind, p.level, p.district, "受理" if p.active else "停用",
                                              p.uses, p.voucher_wan, p.contact), tone=None if p.active else "muted")
                                for p in self.providers])

    def selected(self) -> ProviderInfo | None:
        return next((p for p in self.providers if p.id == self.table.current_key()), None)

    def _open(self, provider: ProviderInfo | None) -> ProviderDialog:
        dialog = ProviderDialog(self.ctx, self.districts, provider, self)
        return open_dialog(dialog)

    def delete(self) -> None:
        provider = self.selected()
        if provider is None or not self.confirm(self, f"删除服务机构“{provider.name}”？", action="删除"):
            return
        db = self.ctx.opened.db
        Op(self, lambda _p: delete_provider(db, provider.id)).changes(VOUCHERS) \
            .failure(lambda exc: show_error(self, exc, sink=self.ctx.sink)).run(self.ctx.runner)


class PercentEdit(QLineEdit):
    """A ratio entered as a percentage (30 → 0.3)."""

    def ratio(self) -> Decimal | None:
        text = self.text().strip().removesuffix("%").strip()
        try:
            return Decimal(text) / HUNDRED if text else None
        except ArithmeticError:
            return None


class RuleDialog(FormDialog):
    """A year's rule: caps, subsidy ratio and the city's co-funding (managers; the service checks)."""

    def __init__(self, ctx: AppContext, rule: VoucherRuleInfo | None, parent: QWidget | None = None, *,
                 year: int | None = None) -> None:
        super().__init__(ctx, "修改创新券规则" if rule else "新增年度规则", parent, changes=VOUCHERS)
        self.year = year_spin(rule.year if rule else year)
        base = VoucherRuleInput(self.year.value()) if rule is None else VoucherRuleInput(
            rule.year, rule.enterprise_cap_wan, rule.maker_team_cap_wan, rule.subsidy_ratio, rule.city_cofund_max_ratio,
            rule.source_doc)
        self.year.setEnabled(rule is None)
        self.enterprise_cap, self.team_cap = MoneyEdit(), MoneyEdit()
        self.enterprise_cap.set_amount(base.enterprise_cap_wan)
        self.team_cap.set_amount(base.maker_team_cap_wan)
        self.ratio, self.cofund = PercentEdit(percent_text(base.subsidy_ratio)), \
            PercentEdit(percent_text(base.city_cofund_max_ratio))
        self.ratio.setObjectName("subsidy_ratio")
        self.source = QLineEdit(base.source_doc or "")
        form = self.form
        form.add("year", "年度", self.year, required=True)
        form.add("enterprise_cap_wan", "企业年度上限（万元）", self.enterprise_cap, required=True)
        form.add("maker_team_cap_wan", "创客团队年度上限（万元）", self.team_cap, required=True)
        form.add("subsidy_ratio", "补助比例", self.ratio, required=True, hint="创新券最多抵实际支付额的比例，如 30%")
        form.add("city_cofund_max_ratio", "市级配套比例", self.cofund, required=True,
                 hint="市财政补助不超过兑现额的 40%")
        form.add("source_doc", "依据文件", self.source)
        self.resize(self.sizeHint().width() + 160, self.sizeHint().height())

    def work(self) -> Callable[[Progress], Any]:
        problems = entry_problems(enterprise_cap_wan=self.enterprise_cap, maker_team_cap_wan=self.team_cap)
        for key, edit in (("subsidy_ratio", self.ratio), ("city_cofund_max_ratio", self.cofund)):
            if edit.ratio() is None:
                problems[key] = "请填写百分比，如 30%"
        if problems:
            raise ValidationError(problems)
        data = VoucherRuleInput(self.year.value(), self.enterprise_cap.amount() or Decimal(0),
                                self.team_cap.amount() or Decimal(0), self.ratio.ratio() or Decimal(0),
                                self.cofund.ratio() or Decimal(0), self.source.text())
        db = self.ctx.opened.db
        return lambda _p: save_rule(db, data)


class RulesTab(QWidget):
    """The rules per year; adding or changing one needs a manager (the service refuses clerks)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.rules: list[VoucherRuleInfo] = []
        self.confirm: Callable[..., bool] = confirm
        self.table = RecordView([Column("年度"), money("企业上限(万元)"),
                                 money("创客团队上限(万元)"), Column("补助比例"), Column("市级配套"),
                                 Column("依据文件")])
        self.table.setObjectName("rule_table")
        self.add_button, self.edit_button = QPushButton("新增年度…"), QPushButton("修改…")
        self.delete_button = QPushButton("删除")
        note = QLabel("每年的申领上限、补助比例和市级配套比例按区里的实施办法设置；没有规则的年度不能申领。")
        note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 8)
        layout.addLayout(button_row(self.add_button, self.edit_button, self.delete_button))
        layout.addWidget(self.table, 1)
        layout.addWidget(note)
        self.add_button.clicked.connect(self.add)
        self.edit_button.clicked.connect(self.edit)
        self.table.opened.connect(lambda _key: self.edit())
        self.delete_button.clicked.connect(self.delete)
        self.refresh = AutoReload(self, ctx.runner, VOUCHERS, self._start)

    def _start(self) -> Op[list[VoucherRuleInfo]]:
        db = self.ctx.opened.db
        return Op(self, lambda _p: list_rules(db)).success(self._loaded) \
            .failure(lambda exc: show_error(self, exc, sink=self.ctx.sink)).run(self.ctx.runner)

    def _loaded(self, rules: list[VoucherRuleInfo]) -> None:
        self.rules = rules
        self.table.set_records([Record(r.year, (r.year, r.enterprise_cap_wan, r.maker_team_cap_wan,
                                                percent_text(r.subsidy_ratio), percent_text(r.city_cofund_max_ratio),
                                                r.source_doc)) for r in rules])

    def selected(self) -> VoucherRuleInfo | None:
        return next((r for r in self.rules if r.year == self.table.current_key()), None)

    def add(self) -> RuleDialog:
        year = (self.rules[0].year + 1) if self.rules else None
        dialog = RuleDialog(self.ctx, None, self, year=year)
        return open_dialog(dialog)

    def edit(self) -> RuleDialog | None:
        rule = self.selected()
        if rule is None:
            return None
        dialog = RuleDialog(self.ctx, rule, self)
        return open_dialog(dialog)

    def delete(self) -> None:
        rule = self.selected()
        if rule is None or not self.confirm(self, f"删除{rule.year}年的创新券规则？", action="删除"):
            return
        db = self.ctx.opened.db
        Op(self, lambda _p: delete_rule(db, rule.year)).changes(VOUCHERS) \
            .failure(lambda exc: show_error(self, exc, sink=self.ctx.sink)).run(self.ctx.runner)

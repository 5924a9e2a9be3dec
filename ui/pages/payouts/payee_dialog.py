"""添加兑现对象: search enterprises and carriers (name, credit code or pinyin initials) and pick the ones to pay."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from services.importing.normalize import CellError, parse_number
from services.payouts import PayeeRow, search_payees
from ui.context import AppContext
from ui.errors import show_error
from ui.operations import Op
from ui.widgets.form_field import ERROR_COLOR
from ui.widgets.records import Column, Record, RecordView

SEARCH_DELAY_MS = 200


class PayeeDialog(QDialog):
    """Choose payees.

    Attributes:
        search: The search text (searched as it is typed).
        results: Matching enterprises and carriers (several can be selected).
        amount: An amount in 万元 for every chosen payee (optional).
        found: The rows of the latest search.
    """

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.found: list[PayeeRow] = []
        self.searched = ""
        self.setWindowTitle("添加兑现对象")
        self.search = QLineEdit()
        self.search.setObjectName("payee_search")
        self.search.setPlaceholderText("企业或载体名称、信用代码、拼音首字母（如 hzjk）")
        self.results = RecordView([Column("名称"), Column("类型"), Column("统一社会信用代码"), Column("属地")])
        self.results.setObjectName("payee_results")
        self.results.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.amount = QLineEdit()
        self.amount.setObjectName("payee_amount")
        self.amount.setPlaceholderText("可不填，添加后在表格中逐笔填写")
        self.message = QLabel()
        self.message.setStyleSheet(f"color: {ERROR_COLOR};")
        self.message.hide()
        self.status = QLabel("输入后自动搜索")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("添加所选")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("搜索", self.search)
        form.addRow("每笔兑现金额（万元）", self.amount)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.results, 1)
        layout.addWidget(self.status)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.resize(self.fontMetrics().horizontalAdvance("M") * 70, self.fontMetrics().height() * 30)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.run_search)
        self.search.textChanged.connect(lambda _text: self._timer.start())
        self.results.opened.connect(lambda _key: self.accept())

    def run_search(self) -> None:
        """Search now for the text typed."""
        db, text = self.ctx.opened.db, self.search.text()
        Op(self, lambda _p: search_payees(db, text)).success(lambda rows: self._show(text, rows)) \
            .failure(lambda exc: show_error(self, exc, sink=self.ctx.sink)).run(self.ctx.runner)

    def _show(self, text: str, rows: list[PayeeRow]) -> None:
        if text != self.search.text():
            return  # a newer search is on its way
        self.found, self.searched = rows, text
        self.results.set_records([Record(n, (r.name, r.kind, r.uscc, r.subdistrict)) for n, r in enumerate(rows)])
        self.status.setText(f"找到 {len(rows)} 个（最多显示 50 个）" if text.strip() else "输入后自动搜索")

    def chosen(self) -> list[PayeeRow]:
        """The selected rows, in list order."""
        numbers = sorted({index.row() for index in self.results.selectionModel().selectedRows()})
        return [self.found[self.results.records.records[n].key] for n in numbers]

    def amount_wan(self) -> Decimal | None:
        """The amount for every chosen payee; raises ValueError with the reason when unreadable."""
        try:
            return parse_number(self.amount.text(), Decimal(1))
        except CellError as exc:
            raise ValueError(exc.message) from exc

    def accept(self) -> None:
        if not self.chosen():
            self.message.setText("请先在列表中选择要添加的企业或载体（可按住 Ctrl 多选）")
            self.message.show()
            return
        try:
            self.amount_wan()
        except ValueError as exc:
            self.message.setText(f"每笔兑现金额：{exc}")
            self.message.show()
            return
        super().accept()

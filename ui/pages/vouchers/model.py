"""The grant list's table model: ordered ids, rows fetched a page at a time when first painted (STYLE 8).

The model holds the ids :func:`services.voucher_list.grant_ids` gave, in their order
(:class:`ui.widgets.lazy_model.LazyTableModel`); a row is asked of its owner's ``fetch`` the first time the view
paints it (a page of 200 at a time) and shows 正在读取… meanwhile. Sorting is asked
of the owner (:attr:`GrantTableModel.sort_requested`), which reloads the ids in the new order.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QWidget

from services.voucher_records import HOLDER_KINDS, GrantRow
from ui.pages.vouchers.fields import show_wan
from ui.widgets.lazy_model import LOADING, Fetch, Index, LazyTableModel
from ui.widgets.records import TONES, show_value

#: Row tones by status: done with (muted), lapsed (overdue red).
STATUS_TONES = {"作废": "muted", "过期": "overdue", "兑现": "ok"}


@dataclass(frozen=True)
class GrantColumn:
    """A column: the row attribute it shows, its header, and the service's sort key (None: not sortable)."""

    attr: str
    label: str
    sort: str | None
    numeric: bool = False


COLUMNS = (
    GrantColumn("voucher_no", "券号", "voucher_no"),
    GrantColumn("holder_name", "申领单位", "holder"),
    GrantColumn("holder_kind", "类别", None),
    GrantColumn("subdistrict", "属地", "subdistrict"),
    GrantColumn("year", "年度", "year"),
    GrantColumn("status", "状态", "status"),
    GrantColumn("amount_applied_wan", "申领(万元)", "applied", True),
    GrantColumn("amount_issued_wan", "发放(万元)", "issued", True),
    GrantColumn("used_wan", "已使用(万元)", "used", True),
    GrantColumn("balance_wan", "余额(万元)", "balance", True),
    GrantColumn("redeemed_wan", "已兑现(万元)", "redeemed", True),
    GrantColumn("applied_on", "申领日期", "applied_on"),
    GrantColumn("issued_on", "发放日期", "issued_on"),
)


def cell_text(row: GrantRow, attr: str) -> str:
    """A row's value in a column as the list shows it (and copies it)."""
    value: Any = getattr(row, attr)
    if attr == "holder_kind":
        return HOLDER_KINDS[value]
    if attr == "balance_wan" and row.amount_issued_wan is None:
        return ""
    return show_wan(value) if isinstance(value, Decimal) else show_value(value)


class GrantTableModel(LazyTableModel[GrantRow]):
    """Grants by id, with rows loaded on demand; sorting asks for a service sort key."""

    def __init__(self, fetch: Fetch[GrantRow], parent: QWidget | None = None) -> None:
        super().__init__(fetch, len(COLUMNS), parent, sort_key="applied_on", descending=True)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt override
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole \
                and 0 <= section < len(COLUMNS):
            return COLUMNS[section].label
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not self.valid_row(index):
            return None
        column = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            side = Qt.AlignmentFlag.AlignRight if column.numeric else Qt.AlignmentFlag.AlignLeft
            return int(side | Qt.AlignmentFlag.AlignVCenter)
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ForegroundRole):
            return None
        row = self.row_data(index.row())
        if row is None:
            if role == Qt.ItemDataRole.DisplayRole:
                return LOADING if index.column() == 0 else ""
            return QBrush(QColor(TONES["muted"]))
        if role == Qt.ItemDataRole.DisplayRole:
            return cell_text(row, column.attr)
        tone = STATUS_TONES.get(row.status)
        return QBrush(QColor(TONES[tone])) if tone else None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = COLUMNS[column].sort if 0 <= column < len(COLUMNS) else None
        if key is not None:
            self.request_sort(key, order == Qt.SortOrder.DescendingOrder)

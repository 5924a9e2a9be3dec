"""The shared lazy table model (ui.widgets.lazy_model): pages asked once, gone ids not asked again, a delivery from
before an invalidation not kept, sorting asked of the owner."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from ui.widgets.lazy_model import PAGE, Index, LazyTableModel


@dataclass(frozen=True)
class Row:
    id: int
    text: str


class TextModel(LazyTableModel[Row]):
    """One column: the row's text, or 读取 while it is fetched, or 没有 when gone."""

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not self.valid_row(index) or role != Qt.ItemDataRole.DisplayRole:
            return None
        row = self.row_data(index.row())
        return row.text if row else "没有" if self.is_gone(index.row()) else "读取"

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.request_sort("text", order == Qt.SortOrder.DescendingOrder)


class Store:
    """Rows by id; fetches are kept until :meth:`answer` delivers them (as the database worker would, later)."""

    def __init__(self, texts: dict[int, str]) -> None:
        self.texts = texts
        self.asked: list[list[int]] = []
        self.waiting: list[tuple[list[int], Callable[[list[Row]], None]]] = []

    def fetch(self, ids: list[int], deliver: Callable[[list[Row]], None]) -> None:
        self.asked.append(ids)
        self.waiting.append((ids, deliver))

    def answer(self) -> None:
        waiting, self.waiting = self.waiting, []
        for ids, deliver in waiting:
            deliver([Row(i, self.texts[i]) for i in ids if i in self.texts])


def test_a_page_is_asked_once_and_gone_ids_are_not_asked_again(qtmodeltester, qtbot: QtBot) -> None:  # type: ignore[no-untyped-def]
    store = Store({i: f"第{i}行" for i in range(PAGE + 5) if i != 3})
    model = TextModel(store.fetch, 1, sort_key="text")
    model.set_ids(range(PAGE + 5))
    qtmodeltester.check(model)
    assert model.index(0, 0).data() == "读取"
    assert model.index(1, 0).data() == "读取"
    qtbot.waitUntil(lambda: bool(store.asked))
    assert store.asked == [list(range(PAGE))]
    store.answer()
    assert model.index(0, 0).data() == "第0行"
    assert model.index(3, 0).data() == "没有"
    assert model.loaded(3) is None and model.rows_for([0, 1]) == [Row(0, "第0行"), Row(1, "第1行")]
    assert model.index(PAGE + 1, 0).data() == "读取"
    qtbot.waitUntil(lambda: len(store.asked) == 2)
    assert store.asked[1] == list(range(PAGE, PAGE + 5))
    assert model.row_of(PAGE + 2) == PAGE + 2


def test_a_delivery_from_before_an_invalidation_is_not_kept(qtbot: QtBot) -> None:
    store = Store({1: "旧"})
    model = TextModel(store.fetch, 1, sort_key="text")
    model.set_ids([1])
    model.index(0, 0).data()
    qtbot.waitUntil(lambda: bool(store.waiting))
    model.invalidate()  # the row changed while its old values were on their way
    store.answer()
    assert model.loaded(0) is None
    store.texts[1] = "新"
    assert model.index(0, 0).data() == "读取"
    qtbot.waitUntil(lambda: bool(store.waiting))
    store.answer()
    assert model.index(0, 0).data() == "新"


def test_sorting_is_asked_of_the_owner_once(qtbot: QtBot) -> None:
    model = TextModel(Store({}).fetch, 1, sort_key="text")
    asked: list[tuple[str, bool]] = []
    model.sort_requested.connect(lambda key, descending: asked.append((key, descending)))
    model.sort(0, Qt.SortOrder.AscendingOrder)
    model.sort(0, Qt.SortOrder.DescendingOrder)
    model.sort(0, Qt.SortOrder.DescendingOrder)
    assert asked == [("text", True)]

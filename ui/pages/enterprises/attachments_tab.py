"""附件: certificates, contracts and other files attached to the enterprise (stored once by content hash)."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QComboBox, QFileDialog, QHBoxLayout, QLineEdit, QPushButton, QVBoxLayout, QWidget

from services.attachments import (
    CATEGORIES,
    AttachmentInfo,
    add_attachment,
    attachment_file,
    list_attachments,
    remove_attachment,
)
from services.errors import ValidationError
from services.progress import Progress
from ui.context import AppContext
from ui.operations import Op
from ui.pages.enterprises.tab_base import RecordTab
from ui.widgets.form_dialog import FormDialog
from ui.widgets.questions import confirm
from ui.widgets.records import Column, Record, RecordView

OWNER = "enterprise"


def open_file(path: Path) -> None:
    """Open a file with the program the system associates with it."""
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def _size(n: int) -> str:
    return f"{n / 1_048_576:.1f} MB" if n >= 1_048_576 else f"{max(n, 1) / 1024:.0f} KB"


class AttachmentDialog(FormDialog):
    """添加附件: the file, its category and a description."""

    def __init__(self, ctx: AppContext, enterprise_id: int, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "添加附件", parent)
        self.enterprise_id = enterprise_id
        self.path = QLineEdit()
        self.path.setPlaceholderText("选择要附加的文件")
        choose = QPushButton("选择文件…")
        choose.clicked.connect(self.choose)
        row = QWidget()
        row_layout = QHBoxLayout(row)
        row_layout.setContentsMargins(0, 0, 0, 0)
        row_layout.addWidget(self.path, 1)
        row_layout.addWidget(choose)
        self.category = QComboBox()
        self.category.addItems(CATEGORIES)
        self.description = QLineEdit()
        self.form.add("file", "文件", row, required=True)
        self.form.add("category", "类别", self.category)
        self.form.add("description", "说明", self.description)
        self.resize(self.sizeHint().width() + 240, self.sizeHint().height())

    def choose(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, "选择附件", str(Path.home()))
        if path:
            self.path.setText(path)

    def work(self) -> Callable[[Progress], Any]:
        if not self.path.text().strip():
            raise ValidationError({"file": "请选择要附加的文件"})
        db, eid, source = self.ctx.opened.db, self.enterprise_id, Path(self.path.text().strip())
        category, description = self.category.currentText(), self.description.text().strip() or None
        return lambda _p: add_attachment(db, OWNER, eid, source, category=category, description=description)


class AttachmentsTab(RecordTab):
    """The attachment list with add, open, save as and remove."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.table = RecordView([Column("文件名"), Column("类别"), Column("大小", numeric=True), Column("说明")])
        self.add_button = QPushButton("添加附件…")
        self.open_button = QPushButton("打开")
        self.save_button = QPushButton("另存为…")
        self.remove_button = QPushButton("删除")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.addLayout(self.button_row(self.add_button, self.open_button, self.save_button, self.remove_button))
        layout.addWidget(self.table)
        self.add_button.clicked.connect(self.add)
        self.open_button.clicked.connect(self.open_selected)
        self.table.opened.connect(lambda _key: self.open_selected())
        self.save_button.clicked.connect(self.save_as)
        self.remove_button.clicked.connect(self.remove)

    def fetch(self, db: Any, enterprise_id: int) -> list[AttachmentInfo]:
        return list_attachments(db, OWNER, enterprise_id)

    def show_data(self, data: list[AttachmentInfo]) -> None:
        self.table.set_records([Record(a.id, (a.file_name, a.category, _size(a.size_bytes), a.description))
                                for a in data])

    def selected(self) -> AttachmentInfo | None:
        return next((a for a in self.data or () if a.id == self.table.current_key()), None)

    def add(self) -> None:
        if self.enterprise_id is not None:
            self.open_form(AttachmentDialog(self.ctx, self.enterprise_id, self))

    def copy_to(self, info: AttachmentInfo, target: Path, then: Callable[[Path], None] | None = None) -> None:
        """Copy the stored file (checked against its hash) to ``target`` in the background."""
        db = self.ctx.opened.db

        def work(_p: Progress) -> Path:
            shutil.copyfile(attachment_file(db, info.id), target)
            return target

        op = Op(self, work).with_progress("正在读取附件…").failure(self.show_error)
        if then is not None:
            op.success(then)
        op.run(self.ctx.runner)

    def open_selected(self) -> None:
        info = self.selected()
        if info is not None:
            folder = Path(tempfile.mkdtemp(prefix="techledger-"))
            self.copy_to(info, folder / info.file_name, open_file)

    def save_as(self) -> None:
        info = self.selected()
        if info is None:
            return
        path, _filter = QFileDialog.getSaveFileName(self, "附件另存为", str(Path.home() / info.file_name))
        if path:
            self.copy_to(info, Path(path))

    def remove(self) -> None:
        info = self.selected()
        if info is None or not confirm(self, f"删除附件“{info.file_name}”？", action="删除"):
            return
        db = self.ctx.opened.db
        Op(self, lambda _p: remove_attachment(db, info.id)).success(lambda _r: self.reload()) \
            .failure(self.show_error).run(self.ctx.runner)

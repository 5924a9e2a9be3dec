"""Questions to the user: keep or discard unsaved changes, confirm a removal."""

from __future__ import annotations

import enum

from PySide6.QtWidgets import QMessageBox, QWidget

from services.version import APP_NAME_CN


class Unsaved(enum.Enum):
    """What to do with unsaved changes."""

    SAVE = "save"
    DISCARD = "discard"
    CANCEL = "cancel"


def ask_unsaved(parent: QWidget | None, text: str) -> Unsaved:
    """保存 / 不保存 / 取消 for unsaved changes (取消 when the box is closed)."""
    box = QMessageBox(QMessageBox.Icon.Question, APP_NAME_CN, text, QMessageBox.StandardButton.NoButton, parent)
    save = box.addButton("保存", QMessageBox.ButtonRole.AcceptRole)
    discard = box.addButton("不保存", QMessageBox.ButtonRole.DestructiveRole)
    cancel = box.addButton("取消", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(save)
    box.setEscapeButton(cancel)
    box.exec()
    clicked = box.clickedButton()
    if clicked is save:
        return Unsaved.SAVE
    if clicked is discard:
        return Unsaved.DISCARD
    return Unsaved.CANCEL


def confirm(parent: QWidget | None, text: str, *, action: str = "确定") -> bool:
    """Ask before doing something that cannot simply be undone."""
    box = QMessageBox(QMessageBox.Icon.Question, APP_NAME_CN, text, QMessageBox.StandardButton.NoButton, parent)
    yes = box.addButton(action, QMessageBox.ButtonRole.AcceptRole)
    no = box.addButton("取消", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(no)
    box.setEscapeButton(no)
    box.exec()
    return box.clickedButton() is yes

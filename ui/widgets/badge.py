"""The count of reminders after the 提醒 entry of the main window's navigation, wherever they were counted."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from services.reminders import ReminderList


def show_badge(widget: QWidget, reminders: ReminderList) -> None:
    """Put the number of upcoming and overdue reminders on the navigation entry of the window ``widget`` is in."""
    set_badge = getattr(widget.window(), "set_badge", None)
    if callable(set_badge):
        set_badge("reminders", len(reminders.upcoming) + len(reminders.overdue))

"""Fixtures for the GUI tests: the application's serial worker, a session context, and a main window."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from services.database import OpenDatabase
from ui.context import AppContext
from ui.main_window import MainWindow
from ui.operations import OperationRunner
from ui.settings import UiSettings


class Recorder:
    """A message sink that records instead of showing a modal box."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, str, str]] = []

    def __call__(self, parent: object, title: str, text: str, kind: object) -> None:
        self.messages.append((title, text, getattr(kind, "name", str(kind))))


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
def runner(qtbot: QtBot) -> Iterator[OperationRunner]:
    """The application's runner; every operation a test starts has delivered before the database closes."""
    runner = OperationRunner.instance()
    runner.synchronous = False
    yield runner
    qtbot.waitUntil(runner.is_idle, timeout=10_000)


@pytest.fixture
def ctx(opened: OpenDatabase, runner: OperationRunner, recorder: Recorder) -> AppContext:
    return AppContext(opened=opened, runner=runner, settings=UiSettings(), backup_on_exit=False, sink=recorder)


@pytest.fixture
def window(qtbot: QtBot, ctx: AppContext) -> Iterator[MainWindow]:
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.close()
    qtbot.waitUntil(ctx.runner.is_idle, timeout=10_000)

"""Fixtures for the GUI tests: the application's serial worker, a session context, and a main window."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from services.database import OpenDatabase
from ui.context import AppContext
from ui.main_window import MainWindow
from ui.operations import OperationRunner
from ui.settings import UiSettings

HERE = Path(__file__).resolve().parent
#: The offscreen platform (tests only) warns whenever a top-level window's size limits change; real platforms don't.
OFFSCREEN_NOISE = r"This plugin does not support propagateSizeHints\(\)"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.qt_log_ignore(OFFSCREEN_NOISE))


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

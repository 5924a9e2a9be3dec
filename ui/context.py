"""What the windows of one GUI session share, built once by :func:`ui.app.run_gui` and passed in constructors."""

from __future__ import annotations

from dataclasses import dataclass

from services.database import OpenDatabase
from ui.errors import MessageSink
from ui.operations import OperationRunner
from ui.settings import UiSettings


@dataclass(eq=False)
class AppContext:
    """The open database and the shell's services.

    Attributes:
        opened: The database in use (replaced when the user opens another one).
        runner: The serial database worker and change broadcast.
        settings: Window settings.
        backup_on_exit: Take a backup of the database when the main window closes.
        demo: The database is the generated demo database.
        sink: Where notices and error messages go; modal message boxes when None (tests record them instead).
    """

    opened: OpenDatabase
    runner: OperationRunner
    settings: UiSettings
    backup_on_exit: bool = True
    demo: bool = False
    sink: MessageSink | None = None

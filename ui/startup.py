"""Opening the database for the GUI: the demo database built on first use, one clear message when it cannot be used.

Kept apart from :mod:`ui.app` so tests can drive it without an event loop: the message goes to a
:data:`ui.errors.MessageSink` that a test replaces with a recorder.
"""

from __future__ import annotations

import argparse
import logging
from typing import TYPE_CHECKING

from services.database import OpenDatabase, open_database
from services.errors import UserFacingError
from services.first_run import needs_first_run
from services.paths import demo_db_path
from services.progress import Cancelled, Progress
from ui.errors import MessageSink, show_error
from ui.i18n import tr
from ui.operations import Op, OperationRunner, run_and_wait

if TYPE_CHECKING:
    from services.demo import DemoSummary

log = logging.getLogger("app.init")

#: Size of the demo database the GUI builds (the ``demo`` command's default).
DEMO_ENTERPRISES = 2000


def _build_demo(progress: Progress) -> DemoSummary:
    # Imported here: the demo generator and its name corpus are not needed on a normal start.
    from services.demo import build_demo

    return build_demo(demo_db_path(), enterprises=DEMO_ENTERPRISES, progress=progress)


def open_for_gui(args: argparse.Namespace, *, sink: MessageSink | None = None,
                 runner: OperationRunner | None = None) -> OpenDatabase | None:
    """Open the database named on the command line (building the demo one if asked and missing).

    On the first start (the default database, none yet) the first-run dialog comes first: it creates the bureau's
    database and signs its administrator in, or chooses the demo, which then sets ``args.demo`` as ``--demo`` would.

    Args:
        args: The parsed command line (``.db``, ``.demo``).
        sink: Where a failure message goes; a modal message box when omitted.
        runner: The database worker; the application's when omitted.

    Returns:
        The open database, or None when it cannot be used (the user has been told why) or the user cancelled.
    """
    try:
        if needs_first_run(args.db, args.demo):
            from ui.dialogs.first_run import FirstRunDialog

            dialog = FirstRunDialog(runner, sink)
            if dialog.exec() != FirstRunDialog.DialogCode.Accepted:
                log.info("first run cancelled by the user")
                return None
            if dialog.result_value is not None:
                return dialog.result_value.opened
            args.demo = True
        if args.demo:
            path = demo_db_path()
            if not path.exists():
                log.info("building the demo database at %s", path)
                run_and_wait(Op(None, _build_demo).with_progress(tr("正在生成演示数据库（约两千家企业），请稍候…")),
                             runner)
            db_arg: str | None = str(path)
        else:
            db_arg = args.db
        log.info("opening database %s", db_arg or "(default)")
        return run_and_wait(Op(None, lambda _progress: open_database(db_arg))
                            .with_progress(tr("正在打开数据库…")), runner)
    except Cancelled:
        log.info("startup cancelled by the user")
        return None
    except UserFacingError as exc:
        log.warning("database cannot be used: %s", exc)
        show_error(None, exc, sink=sink)
        return None

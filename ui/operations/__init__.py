"""Operations: every GUI action that touches the database or files (STYLE practices 6, 7, 10, 11, 12).

    Op(self, lambda progress: services.x.do(db, ..., progress=progress)) \\
        .success(self.on_done).failure(self.on_failed).with_progress(self.tr("正在导入…")) \\
        .changes(Changes(enterprise=True)).run()

``fn`` runs on the one serial database worker and must not touch widgets; it receives the operation's
:class:`services.progress.Progress`, whose ``cancel()`` the progress dialog calls. Results and exceptions come back
to the GUI thread through a queued signal; then the changes are broadcast on
:attr:`OperationRunner.operation_did_execute` and the callbacks run. An operation whose parent widget was deleted
meanwhile delivers nothing. Without a failure callback, errors go to :func:`ui.errors.show_error`.

Tests either wait for :meth:`OperationRunner.is_idle` (``qtbot.waitUntil``) or :attr:`OperationRunner.op_finished`,
or set :attr:`OperationRunner.synchronous` to run ``fn`` inline.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from PySide6.QtCore import QCoreApplication, QEventLoop, QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QWidget
from shiboken6 import isValid

from services.errors import UserFacingError
from services.progress import Cancelled, Progress
from ui.errors import show_error
from ui.operations.progress import ProgressWatcher

log = logging.getLogger("app.ops")

T = TypeVar("T")


@dataclass(frozen=True)
class Changes:
    """What an operation changed, so that open screens refresh only that.

    Attributes:
        enterprise: Enterprises (identity, facts, pools, visits).
        qualification: Certifications and programme memberships.
        carrier: Carriers, their statistics and tenants.
        voucher: Innovation vouchers, uses and redemptions.
        payout: Pay-out notices and payments.
        target: Targets and assessment.
        settings: Catalogues and settings stored in the database.
    """

    enterprise: bool = False
    qualification: bool = False
    carrier: bool = False
    voucher: bool = False
    payout: bool = False
    target: bool = False
    settings: bool = False

    @classmethod
    def everything(cls) -> Changes:
        """All flags set: another database was opened, or a backup was restored."""
        return cls(**{f.name: True for f in dataclasses.fields(cls)})

    def __bool__(self) -> bool:
        return any(dataclasses.astuple(self))

    def __or__(self, other: Changes) -> Changes:
        return Changes(*(a or b for a, b in zip(dataclasses.astuple(self), dataclasses.astuple(other), strict=True)))

    def __and__(self, other: Changes) -> Changes:
        return Changes(*(a and b for a, b in zip(dataclasses.astuple(self), dataclasses.astuple(other), strict=True)))


class OperationRunner(QObject):
    """The one serial database worker and the app-level change broadcast.

    Attributes:
        synchronous: Run ``fn`` inline on the calling thread (deterministic tests); callbacks still arrive queued.

    Signals:
        operation_did_execute(Changes, object): an operation changed data; the second argument is the initiator
            (the operation's parent widget, or None), so the screen that started it may skip its own refresh.
        op_finished(): an operation's callbacks have run.
    """

    operation_did_execute = Signal(object, object)
    op_finished = Signal()
    _deliver = Signal(object)

    _instance: OperationRunner | None = None

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.synchronous = False
        self._pending = 0
        # One thread, kept alive: SQLite and a Session are not to be shared across threads (practice 10).
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._pool.setExpiryTimeout(-1)
        self._deliver.connect(self._on_deliver, Qt.ConnectionType.QueuedConnection)

    @classmethod
    def instance(cls) -> OperationRunner:
        """The application's runner, created on first use and owned by the QApplication."""
        if cls._instance is None or not isValid(cls._instance):
            cls._instance = cls(QCoreApplication.instance())
        return cls._instance

    def submit(self, op: Op[T]) -> None:
        """Queue ``op`` behind the operations already submitted."""
        self._pending += 1
        if self.synchronous:
            self._work(op)
        else:
            self._pool.start(_Task(self, op))

    def _work(self, op: Op[T]) -> None:
        """Run on the worker thread: never touches widgets, hands the outcome over through a queued signal."""
        result: T | None = None
        error: BaseException | None = None
        try:
            result = op.fn(op.progress)
        except Cancelled as exc:
            error = exc
        except UserFacingError as exc:
            log.info("operation failed: %s", exc)
            error = exc
        except BaseException as exc:  # noqa: BLE001 - a bug: logged here, re-raised on the GUI thread's crash path
            log.exception("operation failed")
            error = exc
        self._deliver.emit(lambda: op._complete(result, error))

    def _on_deliver(self, complete: Callable[[], None]) -> None:
        try:
            complete()
        finally:
            self._pending -= 1
            self.op_finished.emit()

    def is_idle(self) -> bool:
        """True when every submitted operation has delivered its outcome."""
        return self._pending == 0

    def shutdown(self, msecs: int = -1) -> bool:
        """Wait for the worker to finish what was submitted (outcomes are not delivered any more)."""
        return self._pool.waitForDone(msecs)


class _Task(QRunnable):
    def __init__(self, runner: OperationRunner, op: Op[T]) -> None:
        super().__init__()
        self._runner = runner
        self._op = op

    def run(self) -> None:
        self._runner._work(self._op)


class Op(Generic[T]):
    """One background operation with a fluent set-up; see the module docstring.

    Attributes:
        parent: The widget that started it; its window parents the progress dialog.
        fn: The work, called with :attr:`progress` on the database worker.
        progress: The shared progress and cancel flag.
        watcher: Busy cursor and progress dialog, when :meth:`with_progress` was asked for.
    """

    def __init__(self, parent: QWidget | None, fn: Callable[[Progress], T]) -> None:
        self.parent = parent
        self.fn = fn
        self.progress = Progress()
        self.watcher: ProgressWatcher | None = None
        self._label: str | None = None
        self._on_success: Callable[[T], None] | None = None
        self._on_failure: Callable[[BaseException], None] | None = None
        self._changes: Changes | Callable[[T], Changes] = Changes()
        self._on_done: list[Callable[[], None]] = []
        self._runner: OperationRunner | None = None
        self.done = False

    def success(self, callback: Callable[[T], None]) -> Op[T]:
        """Call ``callback(result)`` on the GUI thread when ``fn`` returns."""
        self._on_success = callback
        return self

    def failure(self, callback: Callable[[BaseException], None]) -> Op[T]:
        """Call ``callback(exc)`` on the GUI thread when ``fn`` raises (a cancel arrives as ``Cancelled``)."""
        self._on_failure = callback
        return self

    def with_progress(self, label: str) -> Op[T]:
        """Show a busy cursor after 300 ms and a modal progress dialog with ``label`` after 600 ms."""
        self._label = label
        return self

    def changes(self, changes: Changes | Callable[[T], Changes]) -> Op[T]:
        """What a successful run changed (or a function of the result that says so), broadcast afterwards."""
        self._changes = changes
        return self

    def on_done(self, callback: Callable[[], None]) -> Op[T]:
        """Also call ``callback()`` after the outcome was delivered, whatever it was (unless the parent is gone)."""
        self._on_done.append(callback)
        return self

    def run(self, runner: OperationRunner | None = None) -> Op[T]:
        """Submit the operation to ``runner`` (the application's one by default)."""
        if self._label is not None:
            self.watcher = ProgressWatcher(self.parent, self.progress, self._label)
            self.watcher.start()
        self._runner = runner or OperationRunner.instance()
        self._runner.submit(self)
        return self

    def _complete(self, result: T | None, error: BaseException | None) -> None:
        """On the GUI thread: stop the progress display, broadcast the changes, run the callbacks."""
        self.done = True
        if self.watcher is not None:
            self.watcher.stop()
        if self.parent is not None and not isValid(self.parent):
            log.debug("operation outcome dropped: its window is gone")
            return
        try:
            if error is not None:
                if self._on_failure is not None:
                    self._on_failure(error)
                else:
                    show_error(self.parent, error)
                return
            changes = self._changes(result) if callable(self._changes) else self._changes  # type: ignore[arg-type]
            if changes and self._runner is not None:
                self._runner.operation_did_execute.emit(changes, self.parent)
            if self._on_success is not None:
                self._on_success(result)  # type: ignore[arg-type]
        finally:
            for callback in self._on_done:
                callback()


def run_and_wait(op: Op[T], runner: OperationRunner | None = None) -> T:
    """Run ``op`` while a local event loop keeps the GUI alive, and return its result or raise its error.

    For the few places that have nothing to show until the work is done (opening the database at startup).
    """
    results: list[T] = []
    errors: list[BaseException] = []
    loop = QEventLoop()
    op.success(results.append).failure(errors.append).on_done(loop.quit).run(runner)
    if not op.done:
        loop.exec()
    if errors:
        raise errors[0]
    return results[0]

"""Progress and cancel for long work, shared between a worker thread and whoever watches it.

The worker calls :meth:`Progress.update`; the GUI polls :meth:`Progress.snapshot` from a timer (never the other
way round), and sets cancel with :meth:`Progress.cancel`, which the worker notices at its next update.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass


class Cancelled(Exception):
    """The user cancelled; the work undid what it had started."""


@dataclass(frozen=True)
class ProgressState:
    label: str
    value: int
    maximum: int
    cancelled: bool


class Progress:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._label = ""
        self._value = 0
        self._maximum = 0
        self._cancelled = False

    def update(self, label: str | None = None, value: int | None = None, maximum: int | None = None) -> None:
        """Record progress; raises :class:`Cancelled` once cancel was asked for."""
        with self._lock:
            if label is not None:
                self._label = label
            if value is not None:
                self._value = value
            if maximum is not None:
                self._maximum = maximum
            if self._cancelled:
                raise Cancelled()

    def cancel(self) -> None:
        with self._lock:
            self._cancelled = True

    @property
    def cancelled(self) -> bool:
        with self._lock:
            return self._cancelled

    def snapshot(self) -> ProgressState:
        with self._lock:
            return ProgressState(self._label, self._value, self._maximum, self._cancelled)

"""Remembered widget state (column layout, sizes, last tab …) in the window settings file, under one group per
screen, read and written through typed accessors.

    state = WidgetState(ctx.settings, "enterprise_list")
    header.restoreState(state.bytes("header"))  # None the first time
    state.set_bytes("header", header.saveState())
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray

from ui.settings import UiSettings


class WidgetState:
    """The settings of one screen: keys under ``<group>/``.

    Attributes:
        group: Prefix of every key.
    """

    def __init__(self, settings: UiSettings, group: str) -> None:
        self._store = settings.store
        self.group = group

    def _key(self, key: str) -> str:
        return f"{self.group}/{key}"

    def bytes(self, key: str) -> QByteArray | None:
        value = self._store.value(self._key(key))
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def set_bytes(self, key: str, value: QByteArray) -> None:
        self._store.setValue(self._key(key), value)

    def text(self, key: str, default: str = "") -> str:
        return str(self._store.value(self._key(key), default, str))

    def set_text(self, key: str, value: str) -> None:
        self._store.setValue(self._key(key), value)

    def integer(self, key: str, default: int = 0) -> int:
        value = self._store.value(self._key(key), default)
        try:
            return int(str(value))
        except ValueError:
            return default

    def set_integer(self, key: str, value: int) -> None:
        self._store.setValue(self._key(key), value)

"""Per-user window settings (geometry, toolbar state, last page), declared once and read through typed accessors.

They live in an INI file in the data folder, so a portable install keeps them beside its data and each test has
its own (tests point the data folder at a temporary directory). Settings shared by every user of a database live
in the database, not here.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings

from services.paths import data_dir

SETTINGS_FILE = "ui-settings.ini"
#: Bumped when a key changes meaning; :meth:`UiSettings.upgrade` then moves old values over.
SETTINGS_VERSION = 1

GEOMETRY = "main_window/geometry"
STATE = "main_window/state"
SERVER_URL = "database/server_url"
PAGE = "main_window/page"
VERSION = "meta/version"


class UiSettings:
    """Typed access to the window settings file.

    Attributes:
        store: The underlying QSettings (INI format).
    """

    def __init__(self, store: QSettings | None = None) -> None:
        self.store = store or QSettings(str(data_dir() / SETTINGS_FILE), QSettings.Format.IniFormat)
        self.upgrade()

    def upgrade(self) -> None:
        """Bring an older settings file up to :data:`SETTINGS_VERSION` (version 1 is the first)."""
        if self.store.value(VERSION, 0, int) != SETTINGS_VERSION:
            self.store.setValue(VERSION, SETTINGS_VERSION)

    def _bytes(self, key: str) -> QByteArray | None:
        value = self.store.value(key)
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    @property
    def geometry(self) -> QByteArray | None:
        return self._bytes(GEOMETRY)

    @geometry.setter
    def geometry(self, value: QByteArray) -> None:
        self.store.setValue(GEOMETRY, value)

    @property
    def window_state(self) -> QByteArray | None:
        return self._bytes(STATE)

    @window_state.setter
    def window_state(self, value: QByteArray) -> None:
        self.store.setValue(STATE, value)

    @property
    def last_page(self) -> str:
        return str(self.store.value(PAGE, "", str))

    @last_page.setter
    def last_page(self, key: str) -> None:
        self.store.setValue(PAGE, key)

    @property
    def server_url(self) -> str:
        """The last server database connected to (File ▸ 连接服务器数据库…)."""
        return str(self.store.value(SERVER_URL, "", str))

    @server_url.setter
    def server_url(self, url: str) -> None:
        self.store.setValue(SERVER_URL, url)

    def sync(self) -> None:
        self.store.sync()

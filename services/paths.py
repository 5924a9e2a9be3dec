"""Where the application keeps its data: the user's local app-data folder, or beside the executable in portable mode.

Order: the ``TECHLEDGER_DATA_DIR`` environment variable (tests, shared-drive installs), then portable mode (a file
named ``portable.txt`` next to the executable), then the platform's local data folder (platformdirs).
"""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

import platformdirs

from services.version import APP_NAME, ORG_NAME

ENV_DATA_DIR = "TECHLEDGER_DATA_DIR"
PORTABLE_MARKER = "portable.txt"


def app_dir() -> Path:
    """Folder of the executable when frozen, of the source tree otherwise."""
    if getattr(sys, "frozen", False):
        return Path(sys.executable).resolve().parent
    return Path(__file__).resolve().parent.parent


def resources_dir() -> Path:
    base = Path(getattr(sys, "_MEIPASS", app_dir()))
    return base / "resources"


def is_portable() -> bool:
    return getattr(sys, "frozen", False) and (app_dir() / PORTABLE_MARKER).exists()


def data_dir() -> Path:
    override = os.environ.get(ENV_DATA_DIR)
    if override:
        path = Path(override)
    elif is_portable():
        path = app_dir() / "data"
    else:
        path = Path(platformdirs.user_data_dir(APP_NAME, ORG_NAME, roaming=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_db_path() -> Path:
    return data_dir() / "techledger.sqlite"


def demo_db_path() -> Path:
    return data_dir() / "demo.sqlite"


def log_dir() -> Path:
    path = data_dir() / "logs"
    path.mkdir(parents=True, exist_ok=True)
    return path


def backup_dir_for(db_path: Path) -> Path:
    """Backups of a SQLite file live in ``backups/<file stem>-<hash of its full path>/`` under the data folder.

    The hash keeps apart two databases of the same file name in different folders (their rotation and restore
    lists must not mix).
    """
    digest = hashlib.sha1(str(db_path.resolve()).encode("utf-8")).hexdigest()[:8]
    path = data_dir() / "backups" / f"{db_path.stem}-{digest}"
    path.mkdir(parents=True, exist_ok=True)
    return path


def attachments_dir() -> Path:
    path = data_dir() / "attachments"
    path.mkdir(parents=True, exist_ok=True)
    return path

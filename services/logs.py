"""Logging: a rotating file in the data folder, a RAM tail for crash reports, stderr for commands."""

from __future__ import annotations

import collections
import logging
import logging.handlers
from pathlib import Path

from services.paths import log_dir

LOG_FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"


class RAMHandler(logging.Handler):
    """Keeps the last ``capacity`` formatted records, attached to crash reports and shown in Help ▸ Log."""

    def __init__(self, capacity: int = 500) -> None:
        super().__init__()
        self.records: collections.deque[str] = collections.deque(maxlen=capacity)
        self.setFormatter(logging.Formatter(LOG_FORMAT))

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(self.format(record))

    def tail(self) -> str:
        return "\n".join(self.records)


ram_handler = RAMHandler()
_configured_file: Path | None = None


def log_file() -> Path | None:
    return _configured_file


def configure_logging(*, debug: bool = False, to_file: bool = True) -> None:
    global _configured_file
    root = logging.getLogger()
    root.setLevel(logging.DEBUG if debug else logging.INFO)
    if ram_handler not in root.handlers:
        root.addHandler(ram_handler)
    if to_file and _configured_file is None:
        path = log_dir() / "techledger.log"
        handler = logging.handlers.TimedRotatingFileHandler(path, when="midnight", backupCount=10,
                                                            encoding="utf-8")
        handler.setFormatter(logging.Formatter(LOG_FORMAT))
        root.addHandler(handler)
        _configured_file = path

"""What the installed application must carry: the resource files and the licence notices, listed once.

Read by the PyInstaller spec (``installer/techledger.spec`` refuses to build without them), by the self-test
(:mod:`services.selftest`, which names any that is missing in a built folder) and by the About box (which shows the
notices). Paths are relative to the bundle root: the source tree when run from source, ``sys._MEIPASS`` (the
``_internal`` folder beside the executable) when frozen.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from services.paths import resources_dir


@dataclass(frozen=True)
class Notice:
    """A licence notice shown in the About box.

    Attributes:
        title: Chinese title of the notice (the tab or list entry).
        path: File, relative to the bundle root.
    """

    title: str
    path: str


#: The notices, in the order the About box lists them.
NOTICES = (
    Notice("许可说明（总览）", "resources/licenses/NOTICE.txt"),
    Notice("本软件（MIT 许可）", "LICENSE"),
    Notice("Qt / PySide6（LGPL-3.0）与源代码获取", "resources/licenses/PySide6-NOTICE.txt"),
    Notice("第三方组件清单", "resources/licenses/THIRD-PARTY-NOTICES.txt"),
    Notice("字体 Droid Sans Fallback（Apache-2.0）", "resources/fonts/LICENSE-DroidSansFallback.txt"),
    Notice("GNU LGPL 第 3 版全文", "resources/licenses/LGPL-3.0.txt"),
    Notice("GNU GPL 第 3 版全文", "resources/licenses/GPL-3.0.txt"),
)

#: Data files the application reads at run time (besides the notices), relative to the bundle root.
DATA_FILES = (
    "resources/fonts/DroidSansFallbackFull.ttf",
    "resources/icons/techledger.svg",
    "resources/reference/carrier_kinds.tsv",
    "resources/reference/districts.tsv",
    "resources/reference/industry_fields.tsv",
    "resources/reference/qualification_types.tsv",
    "resources/reference/subdistricts.tsv",
    "resources/rules/city_hte-hz.toml",
    "resources/rules/national_hte-2016.toml",
    "resources/rules/prov_tsme-2017.toml",
    "models/migrations/env.py",
    "models/migrations/script.py.mako",
)

#: Every file the installed application cannot do without.
REQUIRED_FILES = (*DATA_FILES, *(notice.path for notice in NOTICES))


def bundle_root() -> Path:
    """The folder the paths above are relative to (the parent of the resources folder)."""
    return resources_dir().parent


def missing_files(root: Path | None = None) -> list[str]:
    """The required files that are absent or empty under ``root`` (the bundle root by default)."""
    root = root or bundle_root()
    return [name for name in REQUIRED_FILES if not (root / name).is_file() or (root / name).stat().st_size == 0]


def read_notice(notice: Notice) -> str:
    """The text of ``notice``; a missing file gives a line saying so (the About box must still open)."""
    path = bundle_root() / notice.path
    try:
        return path.read_text(encoding="utf-8-sig")  # NOTICE.txt starts with a BOM for the installer's licence page
    except OSError:
        return f"（缺少文件：{notice.path}）"

"""The installer build, end to end: PyInstaller folder, frozen self-test, makensis — and that a missing file fails it.

One build per run (module fixture, ``installer/build.py`` exactly as CI and the README run it, NSIS uncompressed to
keep it quick); the failure cases run the frozen self-test on hard-linked copies of that folder with one file
deleted, so nothing is built twice. Needs PyInstaller (the ``build`` extra) and makensis (Debian: nsis): skipped
where they are missing, except in CI, which installs them.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from services.version import __version__

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent


def _build_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("installer_build", ROOT / "installer" / "build.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


build = _build_module()


def _require_tools() -> None:
    missing = [name for name, found in (("pyinstaller", importlib.util.find_spec("PyInstaller")),
                                        ("makensis", shutil.which("makensis"))) if not found]
    if missing:
        message = f"installer tools missing: {', '.join(missing)} (pip install -e '.[build]'; apt-get install nsis)"
        if os.environ.get("CI"):
            pytest.fail(message)  # .ci/run installs them: their absence is a broken set-up
        pytest.skip(message)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """The build summary (``installer/build.py``'s JSON line) of one build into a temporary folder."""
    _require_tools()
    out = tmp_path_factory.mktemp("installer")
    result = subprocess.run([sys.executable, str(ROOT / "installer" / "build.py"), "--out", str(out),
                             "--compressor", "none"], capture_output=True, text=True, encoding="utf-8", timeout=1800)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    summary["log"] = result.stdout
    return summary


def _copy(app: Path, dest: Path) -> Path:
    """A copy of the built folder made of hard links (instant; deleting a file in it leaves the original)."""
    shutil.copytree(app, dest, symlinks=True, copy_function=os.link)
    return dest


def test_build_makes_the_folder_runs_its_selftest_and_compiles_the_installer(built: dict[str, object]) -> None:
    app, installer = Path(str(built["dist"])), Path(str(built["installer"]))
    assert built["version"] == __version__
    assert (app / f"TechLedger{build.EXE_SUFFIX}").is_file() and (app / f"techledger-cli{build.EXE_SUFFIX}").is_file()
    assert installer.name == f"TechLedger-{__version__}-setup.exe" and installer.stat().st_size > 50_000_000
    log = str(built["log"])
    assert "自检通过" in log and "[失败]" not in log
    checks = ("资源文件", "Qt 平台与中文翻译", "主窗口与各页面", "新建数据库与迁移", "旧版数据库升级", "季度报表",
              "安装目录未被写入")
    for check in checks:
        assert f"[通过] {check}" in log
    # Only the Chinese Qt catalogues are carried; the tests, benchmarks and unused big libraries are not.
    internal = app / "_internal"
    assert sorted(p.name for p in (internal / "PySide6" / "Qt" / "translations").iterdir()) == \
        ["qt_help_zh_CN.qm", "qt_zh_CN.qm", "qtbase_zh_CN.qm"]
    for absent in ("tests", "bench", "numpy", "pytest"):
        assert not (internal / absent).exists()


def _last_migration(app: Path) -> str:
    versions = sorted((app / "_internal" / "models" / "migrations" / "versions").glob("*.py"))
    return str(versions[-1].relative_to(app))


@pytest.mark.parametrize(("remove", "named"), [
    ("_internal/resources/fonts/DroidSansFallbackFull.ttf", "DroidSansFallbackFull.ttf"),
    ("_internal/resources/licenses/PySide6-NOTICE.txt", "PySide6-NOTICE.txt"),
    ("_internal/PySide6/Qt/translations/qtbase_zh_CN.qm", "qtbase_zh_CN"),
    (None, "新建数据库与迁移"),  # the newest migration script
], ids=["font", "licence-notice", "qt-translation", "migration"])
def test_a_missing_file_fails_the_frozen_selftest_and_is_named(built: dict[str, object], tmp_path: Path,
                                                               remove: str | None, named: str) -> None:
    app = _copy(Path(str(built["dist"])), tmp_path / "TechLedger")
    (app / (remove or _last_migration(app))).unlink()
    result = build.run_selftest(app)
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    failed = [line for line in output.splitlines() if line.startswith("[失败]")]
    assert failed and any(named in line for line in failed), output
    assert "自检失败" in output


def test_makensis_refuses_a_folder_without_the_licence_notice(built: dict[str, object], tmp_path: Path) -> None:
    app = _copy(Path(str(built["dist"])), tmp_path / "TechLedger")
    (app / "_internal" / "resources" / "licenses" / "NOTICE.txt").unlink()
    installer = tmp_path / "setup.exe"
    result = subprocess.run(build.makensis_command(app, installer, "none"), capture_output=True, text=True,
                            encoding="utf-8", errors="replace")
    assert result.returncode != 0 and not installer.exists()
    assert "NOTICE.txt" in result.stdout + result.stderr


def _run_cli(app: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(app / f"techledger-cli{build.EXE_SUFFIX}"), *args], env=env, capture_output=True,
                          text=True, encoding="utf-8", errors="replace", timeout=300)


def test_data_goes_to_the_user_folder_or_beside_the_executable_in_portable_mode(built: dict[str, object],
                                                                                tmp_path: Path) -> None:
    app = _copy(Path(str(built["dist"])), tmp_path / "TechLedger")
    before = {p.name for p in app.iterdir()}
    env = {k: v for k, v in os.environ.items() if k != "TECHLEDGER_DATA_DIR"}
    env.update(XDG_DATA_HOME=str(tmp_path / "user-data"), LOCALAPPDATA=str(tmp_path / "user-data"))
    db = tmp_path / "work.sqlite"

    assert _run_cli(app, env, "demo", "--db", str(db), "--enterprises", "20").returncode == 0
    assert _run_cli(app, env, "backup", "--db", str(db)).returncode == 0
    assert {p.name for p in app.iterdir()} == before  # installed: nothing written beside the executable
    user_folder = tmp_path / "user-data" / "TechLedger"
    assert list(user_folder.rglob("techledger.log")) and list(user_folder.rglob("work-*.sqlite*"))

    (app / "portable.txt").write_text("", encoding="utf-8")
    assert _run_cli(app, env, "backup", "--db", str(db)).returncode == 0
    assert (app / "data" / "logs" / "techledger.log").is_file()
    assert list((app / "data" / "backups").rglob("work-*"))

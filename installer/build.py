"""Build the installer: PyInstaller folder → frozen self-test → makensis. The one build, on Windows and on CI.

Usage (from anywhere; paths default to ``build/`` in the repository)::

    python installer/build.py [--out DIR] [--compressor lzma|zlib] [--skip-nsis]

Steps, each timed and stopping the build on failure:

1. ``pyinstaller installer/techledger.spec`` into ``DIR/dist/TechLedger`` (work files in ``DIR/work``, cleaned first:
   nothing from an earlier build is reused);
2. ``techledger-cli selftest`` of the frozen folder, in a temporary data folder (exit status ≠ 0 stops the build);
3. ``makensis installer/techledger.nsi`` with the version from ``services/version.py`` and the folder, writing
   ``DIR/TechLedger-<version>-setup.exe`` (on Linux the executables inside are ELF files: the point there is that
   the spec and the script are checked).

Prints a JSON summary as its last line: ``{"version", "dist", "installer", "dist_mb", "installer_mb", "seconds":
{"pyinstaller", "selftest", "makensis"}}``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from services.version import APP_NAME, __version__  # noqa: E402

EXE_SUFFIX = ".exe" if os.name == "nt" else ""


def folder_size_mb(path: Path) -> float:
    """Size of the files under ``path`` (symbolic links, which Linux builds have for shared libraries, not counted)."""
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink()) / 1_048_576


def run_pyinstaller(out: Path) -> Path:
    """Build the one-folder application into ``out/dist`` and return its folder."""
    dist, work = out / "dist", out / "work"
    for folder in (dist, work):
        shutil.rmtree(folder, ignore_errors=True)
    subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
                    "--distpath", str(dist), "--workpath", str(work), str(ROOT / "installer" / "techledger.spec")],
                   check=True, cwd=ROOT)
    return dist / APP_NAME


def run_selftest(app: Path, out_dir: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run the frozen self-test of the folder ``app`` in a temporary data folder (not the user's)."""
    with tempfile.TemporaryDirectory(prefix="techledger-build-") as data:
        env = {**os.environ, "TECHLEDGER_DATA_DIR": data, "PYTHONUTF8": "1"}
        command = [str(app / f"techledger-cli{EXE_SUFFIX}"), "selftest", *(["--out", str(out_dir)] if out_dir else [])]
        return subprocess.run(command, env=env, capture_output=True, text=True, encoding="utf-8", errors="replace",
                              timeout=600)


def makensis_command(app: Path, installer: Path, compressor: str | None = None) -> list[str]:
    """The makensis command line compiling the installer of ``app`` into ``installer``."""
    makensis = shutil.which("makensis")
    if makensis is None:
        raise SystemExit("makensis not found: install NSIS (Windows: https://nsis.sourceforge.io, "
                         "Debian: apt-get install nsis)")
    flag = "/" if os.name == "nt" else "-"
    return [makensis, f"{flag}V2", f"{flag}DVERSION={__version__}", f"{flag}DDIST_DIR={app}",
            f"{flag}DOUT_FILE={installer}", f"{flag}DEXE_SUFFIX={EXE_SUFFIX}",
            *([f"{flag}DCOMPRESSOR={compressor}"] if compressor else []),
            str(ROOT / "installer" / "techledger.nsi")]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build the TechLedger installer (PyInstaller, self-test, NSIS).")
    parser.add_argument("--out", type=Path, default=ROOT / "build", help="build folder (default: build/)")
    parser.add_argument("--compressor", choices=["lzma", "zlib", "none"],
                        help="NSIS compressor (default lzma, the smallest installer; none: quickest, for CI)")
    parser.add_argument("--skip-nsis", action="store_true", help="stop after the frozen self-test")
    args = parser.parse_args(argv)
    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    seconds: dict[str, float] = {}

    started = time.perf_counter()
    app = run_pyinstaller(out)
    seconds["pyinstaller"] = round(time.perf_counter() - started, 1)
    print(f"== built {app} ({folder_size_mb(app):.0f} MB) in {seconds['pyinstaller']} s", flush=True)

    started = time.perf_counter()
    result = run_selftest(app)
    seconds["selftest"] = round(time.perf_counter() - started, 1)
    print(result.stdout + result.stderr, flush=True)
    if result.returncode != 0:
        print(f"== the frozen self-test failed (exit status {result.returncode})", file=sys.stderr)
        return 1

    installer: Path | None = None
    if not args.skip_nsis:
        installer = out / f"{APP_NAME}-{__version__}-setup.exe"
        installer.unlink(missing_ok=True)
        started = time.perf_counter()
        subprocess.run(makensis_command(app, installer, args.compressor), check=True)
        seconds["makensis"] = round(time.perf_counter() - started, 1)
        print(f"== installer: {installer} ({installer.stat().st_size / 1_048_576:.0f} MB) "
              f"in {seconds['makensis']} s", flush=True)
    print(json.dumps({"version": __version__, "dist": str(app), "installer": str(installer) if installer else None,
                      "dist_mb": round(folder_size_mb(app), 1),
                      "installer_mb": round(installer.stat().st_size / 1_048_576, 1) if installer else None,
                      "seconds": seconds}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())

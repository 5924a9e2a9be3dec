#!/usr/bin/env bash
# The installer build on Linux (CI): the same spec, the frozen self-test and a makensis compile of the same script
# against the built folder, so a broken spec or .nsi fails here. The executables are ELF files, not a usable
# Windows installer. Installs NSIS (as root, with apt-get) and the build extra when they are missing.
#
#     bash installer/build_linux.sh [--out DIR] [--compressor lzma|zlib|none]
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v makensis >/dev/null 2>&1 && [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nsis) >/dev/null
fi
python3 -m pip install -q -e ".[build]"
exec python3 installer/build.py "$@"

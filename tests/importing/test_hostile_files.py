"""Files that cannot be used get a clear Chinese error, exit status 2 on the command line, and change nothing."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from services.importing.errors import ImportFileError
from services.importing.readers import read_sheet, sheet_names
from services.importing.safety import ImportLimits
from tests.importing.files import entity_bomb, write_xlsx

ROOT = Path(__file__).resolve().parents[2]
HEADER = ["企业名称", "统一社会信用代码"]


def _encrypted(path: Path) -> Path:
    import msoffcrypto.format.ooxml

    plain = write_xlsx(path.with_name("plain.xlsx"), [HEADER, ["杭州甲科技有限公司", ""]])
    with plain.open("rb") as fh, path.open("wb") as out:
        msoffcrypto.format.ooxml.OOXMLFile(fh).encrypt("secret", out)
    return path


def _hostile(kind: str, tmp_path: Path) -> Path:
    if kind == "not_a_spreadsheet":
        path = tmp_path / "照片.xlsx"
        path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 10)
    elif kind == "truncated_zip":
        good = write_xlsx(tmp_path / "full.xlsx", [HEADER, ["杭州甲科技有限公司", ""]] * 50)
        path = tmp_path / "truncated.xlsx"
        path.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    elif kind == "entity_bomb":
        path = entity_bomb(tmp_path / "bomb.xlsx")
    elif kind == "empty_sheet":
        import xlsxwriter

        path = tmp_path / "empty.xlsx"
        workbook = xlsxwriter.Workbook(str(path))
        workbook.add_worksheet("空表")
        workbook.close()
    elif kind == "password":
        path = _encrypted(tmp_path / "locked.xlsx")
    elif kind == "binary_csv":
        path = tmp_path / "data.csv"
        path.write_bytes(b"\x00\x01\x02" * 100)
    else:
        path = tmp_path / "notes.pdf"
        path.write_bytes(b"%PDF-1.4")
    return path


KINDS = {"not_a_spreadsheet": "不是表格文件", "truncated_zip": "损坏", "entity_bomb": "DTD",
         "empty_sheet": "空的", "password": "密码", "binary_csv": "二进制", "pdf": "不支持"}


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_hostile_file_is_refused_clearly(tmp_path: Path, kind: str) -> None:
    path = _hostile(kind, tmp_path)
    with pytest.raises(ImportFileError) as caught:
        read_sheet(path)
    assert KINDS[kind] in str(caught.value)
    assert path.name in str(caught.value)


def test_huge_sheet_beyond_the_configured_limit(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "big.xlsx", [HEADER] + [[f"杭州{i}科技有限公司", ""] for i in range(150)])
    with pytest.raises(ImportFileError, match="超过一次导入的上限 100 行") as caught:
        read_sheet(path, limits=ImportLimits(max_rows=100))
    assert caught.value.sheet == "企业"
    assert len(read_sheet(path, limits=ImportLimits(max_rows=200)).rows) == 151


def test_unknown_sheet_lists_the_sheets(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "a.xlsx", [HEADER])
    assert sheet_names(path) == ["企业"]
    with pytest.raises(ImportFileError, match="工作表有：“企业”"):
        read_sheet(path, "其他")


def test_zip_bomb_ratio_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "ratio.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"<a>" + b" " * 5_000_000 + b"</a>")
    with pytest.raises(ImportFileError, match="压缩"):
        read_sheet(path, limits=ImportLimits(max_ratio=100))


@pytest.mark.parametrize("kind", ["truncated_zip", "entity_bomb", "password"])
def test_cli_exit_2_and_nothing_written(tmp_path: Path, kind: str) -> None:
    path = _hostile(kind, tmp_path)
    db = tmp_path / "new.sqlite"
    done = subprocess.run([sys.executable, str(ROOT / "main.py"), "import", str(path), "--db", str(db), "--json"],
                          capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert done.returncode == 2, done.stderr
    assert done.stdout == "" and path.name in done.stderr
    assert not db.exists()


def test_csv_in_neither_encoding(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(io.BytesIO("企业名称\n".encode("gb18030") + b"\xff\xfe\xfd\x81\x30").getvalue())
    with pytest.raises(ImportFileError, match="编码"):
        read_sheet(path)

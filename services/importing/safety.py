"""Checks that run before a file is parsed, so that a hostile or broken file is refused with a clear message.

python-calamine parses with quick-xml, which does not expand DTD entities, but a file that declares any is not a
spreadsheet a subdistrict made with Excel, WPS or LibreOffice (none of them writes a DTD), so it is refused outright;
a zip whose parts unpack far beyond the configured size (a zip bomb) or whose data is damaged is refused too. An
encrypted workbook (Excel's "password to open") is a compound file with an ``EncryptedPackage`` stream.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from services.importing.errors import ImportFileError

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: Extensions read by python-calamine, and the container each must be.
SPREADSHEET_CONTAINERS = {".xlsx": "zip", ".xlsm": "zip", ".ods": "zip", ".xls": "ole"}
CSV_EXTENSIONS = (".csv", ".txt")
#: How much of an XML part is searched for a DTD before its root element must have begun.
_PROLOG_BYTES = 64 * 1024
_ROOT_START = re.compile(rb"<[A-Za-z_]")


@dataclass(frozen=True)
class ImportLimits:
    """Limits that keep a huge or hostile file from exhausting the PC. Configurable per call (tests, big districts).

    Attributes:
        max_rows: Rows of a sheet (title and header rows included).
        max_columns: Columns of a sheet.
        max_file_bytes: Size of the file itself.
        max_unpacked_bytes: Total size of the parts of a zipped workbook once unpacked.
        max_ratio: Largest unpacked-to-packed ratio of one part (spreadsheet XML compresses 5–30 fold).
    """

    max_rows: int = 300_000
    max_columns: int = 500
    max_file_bytes: int = 256 * 1024 * 1024
    max_unpacked_bytes: int = 2 * 1024 * 1024 * 1024
    max_ratio: int = 1_000


def _encrypted_ole(data: bytes) -> bool:
    return "EncryptedPackage".encode("utf-16-le") in data or "EncryptionInfo".encode("utf-16-le") in data


def _check_xml_part(archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str) -> None:
    with archive.open(info) as part:
        head = part.read(_PROLOG_BYTES)
    upper = head.upper()
    if b"<!DOCTYPE" in upper or b"<!ENTITY" in upper:
        raise ImportFileError(
            f"文件内部的“{info.filename}”含有 DTD/实体声明，这不是 Excel、WPS 或 LibreOffice 生成的表格，"
            "出于安全考虑拒绝读取。", file=name)
    if len(head) == _PROLOG_BYTES and _ROOT_START.search(head) is None:
        raise ImportFileError(f"文件内部的“{info.filename}”格式异常（开头没有数据），拒绝读取。", file=name)


def _check_zip(path: Path, name: str, limits: ImportLimits) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            total = sum(i.file_size for i in infos)
            if total > limits.max_unpacked_bytes:
                raise ImportFileError(
                    f"文件解压后达 {total / 1_048_576:,.0f} MB，超过上限 "
                    f"{limits.max_unpacked_bytes / 1_048_576:,.0f} MB，拒绝读取。", file=name)
            for info in infos:
                if info.compress_size and info.file_size / info.compress_size > limits.max_ratio:
                    raise ImportFileError(
                        f"文件内部的“{info.filename}”压缩比异常（{info.file_size / info.compress_size:,.0f} 倍），"
                        "疑似“压缩炸弹”，拒绝读取。", file=name)
                if info.filename.endswith((".xml", ".rels")):
                    _check_xml_part(archive, info, name)
            damaged = archive.testzip()
    except zipfile.BadZipFile as exc:
        raise ImportFileError("文件已损坏或不完整（无法作为压缩包打开），请让报送单位重新发送。", file=name) from exc
    except (zipfile.LargeZipFile, NotImplementedError, EOFError, OSError) as exc:
        raise ImportFileError(f"文件已损坏或无法读取（{exc}）。", file=name) from exc
    if damaged is not None:
        raise ImportFileError(f"文件已损坏：内部的“{damaged}”校验失败，请让报送单位重新发送。", file=name)


def check_file(path: Path, limits: ImportLimits) -> str:
    """Refuse a file that is missing, too big, of an unknown type, damaged, encrypted or hostile.

    Returns:
        The file's format: ``csv`` or the lower-case extension of a spreadsheet (``.xlsx`` …).

    Raises:
        ImportFileError: with the reason in Chinese.
    """
    name = path.name
    if not path.is_file():
        raise ImportFileError("文件不存在。", file=str(path))
    size = path.stat().st_size
    if size == 0:
        raise ImportFileError("文件是空的（0 字节）。", file=name)
    if size > limits.max_file_bytes:
        raise ImportFileError(
            f"文件大小 {size / 1_048_576:,.0f} MB，超过上限 {limits.max_file_bytes / 1_048_576:,.0f} MB。", file=name)
    suffix = path.suffix.lower()
    if suffix in CSV_EXTENSIONS:
        return "csv"
    if suffix not in SPREADSHEET_CONTAINERS:
        raise ImportFileError(
            f"不支持“{suffix or '无扩展名'}”文件；请使用 .xlsx、.xlsm、.xls、.ods 或 .csv 表格。", file=name)
    with path.open("rb") as fh:
        head = fh.read(8)
    if head.startswith(OLE_MAGIC):
        data = path.read_bytes()
        if _encrypted_ole(data):
            raise ImportFileError("工作簿设有打开密码（已加密），请在 Excel 中取消密码后另存再导入。", file=name)
        if SPREADSHEET_CONTAINERS[suffix] != "ole":
            raise ImportFileError(f"文件内容是旧版 .xls 格式，与扩展名“{suffix}”不符，请改为 .xls 后再导入。",
                                  file=name)
        return suffix
    if head.startswith(ZIP_MAGIC):
        if SPREADSHEET_CONTAINERS[suffix] != "zip":
            raise ImportFileError(f"文件内容与扩展名“{suffix}”不符（不是旧版 .xls 文件）。", file=name)
        _check_zip(path, name, limits)
        return suffix
    raise ImportFileError(f"文件不是表格文件（内容不是 {suffix} 格式），可能是其他类型的文件改了扩展名。", file=name)

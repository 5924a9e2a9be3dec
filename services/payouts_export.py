"""A notice's payee list as the workbook attached to the 通知: title, 文号 and date, one row per payment, 合计.

Names, items and titles are written as text cells (:mod:`services.exporting.xlsx`), never as formulas; amounts are
numbers in 万元 shown to the 分, and the 合计 row holds the computed sums (no formula to recalculate).
"""

from __future__ import annotations

import os
from pathlib import Path

from models.db import Database
from services.errors import UserFacingError
from services.exporting.xlsx import merge_text, new_workbook, write_text
from services.payouts import NoticeDetail, notice_detail

HEADERS = ("序号", "单位名称", "统一社会信用代码", "属地", "兑现项目", "兑现金额（万元）", "其中：市级资金（万元）",
           "区级资金（万元）", "兑付日期")
WIDTHS = (6, 40, 22, 12, 28, 16, 20, 16, 12)
#: Amounts to the 分 (six places of 万元) without trailing zeros beyond the second.
MONEY_FORMAT = "#,##0.00####"


def default_file_name(detail: NoticeDetail) -> str:
    """A file name for the export: the notice's 文号 (or id) and 兑现名单."""
    stem = detail.doc_no or f"兑现通知{detail.id}"
    safe = "".join("_" if c in '\\/:*?"<>|' else c for c in stem)
    return f"{safe}兑现名单.xlsx"


def export_notice(db: Database, notice_id: int, path: Path) -> Path:
    """Write the payee list of a notice to ``path`` (replaced only when complete).

    Raises:
        UserFacingError: the file cannot be written (open in Excel, no permission, disk full).
    """
    detail = notice_detail(db, notice_id)
    partial = path.with_name(f".{path.name}.part")
    try:
        _write(detail, partial)
        os.replace(partial, path)
    except OSError as exc:
        raise UserFacingError(f"无法写入文件“{path}”：{exc.strerror or exc}。"
                              "如文件已在 Excel 中打开，请先关闭。") from exc
    finally:
        partial.unlink(missing_ok=True)
    return path


def _write(detail: NoticeDetail, path: Path) -> None:
    book = new_workbook(path)
    try:
        sheet = book.add_worksheet("兑现名单")
        title = book.add_format({"bold": True, "font_size": 14, "align": "center", "valign": "vcenter",
                                 "text_wrap": True})
        plain = book.add_format({"valign": "vcenter"})
        head = book.add_format({"bold": True, "border": 1, "align": "center", "valign": "vcenter",
                                "text_wrap": True, "bg_color": "#E8EEF5"})
        cell = book.add_format({"border": 1, "valign": "vcenter"})
        money = book.add_format({"border": 1, "num_format": MONEY_FORMAT})
        date = book.add_format({"border": 1, "num_format": "yyyy-mm-dd"})
        bold = book.add_format({"border": 1, "bold": True})
        bold_money = book.add_format({"border": 1, "bold": True, "num_format": MONEY_FORMAT})
        last = len(HEADERS) - 1
        merge_text(sheet, 0, 0, 0, last, f"{detail.title}兑现名单", title)
        sheet.set_row(0, 36)
        merge_text(sheet, 1, 0, 1, last, "　".join(part for part in (
            f"文号：{detail.doc_no}" if detail.doc_no else "", f"发文日期：{detail.issued_on:%Y年%m月%d日}",
            f"政策项目：{detail.programme}", f"认定年度：{detail.cohort_year}年",
            f"批次：第{detail.batch_no}批" if detail.batch_no else "") if part), plain)
        for col, (text, width) in enumerate(zip(HEADERS, WIDTHS, strict=True)):
            write_text(sheet, 3, col, text, head)
            sheet.set_column(col, col, width)
        row = 3
        for number, payment in enumerate(detail.payments, start=1):
            row += 1
            sheet.write_number(row, 0, number, cell)
            for col, value in ((1, payment.name), (2, payment.uscc), (3, payment.subdistrict), (4, payment.item)):
                write_text(sheet, row, col, value, cell)
            for col, amount in ((5, payment.amount_total_wan), (6, payment.amount_city_wan),
                                (7, payment.amount_district_wan)):
                sheet.write_number(row, col, float(amount), money)
            if payment.paid_on is not None:
                sheet.write_datetime(row, 8, payment.paid_on, date)
            else:
                write_text(sheet, row, 8, None, cell)
        row += 1
        merge_text(sheet, row, 0, row, 4, f"合计（{len(detail.payments)} 笔）", bold)
        for col, amount in ((5, detail.total_wan), (6, detail.city_wan), (7, detail.district_wan)):
            sheet.write_number(row, col, float(amount), bold_money)
        write_text(sheet, row, 8, None, bold)
        sheet.repeat_rows(3)
        sheet.freeze_panes(4, 0)
        sheet.set_landscape()
        sheet.fit_to_pages(1, 0)
    finally:
        book.close()

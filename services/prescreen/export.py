"""Pre-screening results for the pre-review meeting: an xlsx workbook and a printable PDF.

The workbook has the list (one row per enterprise), every criterion of every enterprise, and the near misses; text
cells are always strings (services.exporting.xlsx), never formulas. The PDF (A4 landscape, embedded TrueType CJK
font, "第 X 页 共 Y 页") has the rule set, the counts, the list, and the near misses with their margins.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import LongTable, Paragraph, SimpleDocTemplate, Spacer, TableStyle
from xlsxwriter.worksheet import Worksheet

from services.exporting.fonts import pdf_fonts
from services.exporting.pdf import numbered_canvas, paragraph
from services.exporting.xlsx import new_workbook, write_text
from services.prescreen.numbers import number
from services.prescreen.results import STATUS_TEXT, Evaluation, Verdict
from services.prescreen.service import BatchResult
from services.prescreen.text import reason, verdict_label

MARGIN = 12 * mm
LIST_HEADERS = ("序号", "企业名称", "统一社会信用代码", "属地", "结论", "得分", "临界", "未达标或待补事项")
DETAIL_HEADERS = ("企业名称", "条件", "结果", "数值", "要求", "差距", "差额（万元）", "缺少或待确认", "说明")


def _score(ev: Evaluation) -> str:
    return ev.score.text if ev.score else ""


def heading_lines(batch: BatchResult, shown: int) -> list[str]:
    """The lines above the list: rule set, dates, counts."""
    rs = batch.rule_set
    total = len(batch.evaluations)
    lines = [
        f"依据：{rs.source}",
        f"规则版本：{rs.version} 版（{rs.level}级，{rs.period_text}）；申报年度 {batch.year}，申报日期 "
        f"{batch.as_of.isoformat()}",
        f"共 {total:,} 家：符合 {batch.count(Verdict.QUALIFIES):,}，不符合 {batch.count(Verdict.DOES_NOT_QUALIFY):,}"
        f"（其中临界 {len(batch.near_misses):,}），待定 {batch.count(Verdict.CANNOT_TELL):,}",
    ]
    if shown != total:
        lines.append(f"本表列出其中 {shown:,} 家。")
    if rs.notes:
        lines.append(f"说明：{rs.notes}")
    return lines


def title(batch: BatchResult) -> str:
    return f"{batch.rule_set.name}预审名单（{batch.year}年度）"


def write_xlsx(path: Path, batch: BatchResult, evaluations: Sequence[Evaluation] | None = None) -> Path:
    """Write the workbook; ``evaluations`` narrows the lists (default: the whole batch)."""
    rows = list(batch.evaluations if evaluations is None else evaluations)
    workbook = new_workbook(path)
    try:
        bold = workbook.add_format({"bold": True})
        big = workbook.add_format({"bold": True, "font_size": 14})
        head = workbook.add_format({"bold": True, "bg_color": "#F2F2F2", "border": 1, "text_wrap": True,
                                    "valign": "vcenter"})
        cell = workbook.add_format({"border": 1, "valign": "top", "text_wrap": True})
        money = workbook.add_format({"border": 1, "valign": "top", "num_format": "#,##0.00"})

        def sheet_with_header(name: str, headers: Sequence[str], widths: Sequence[int]) -> tuple[Worksheet, int]:
            sheet = workbook.add_worksheet(name)
            write_text(sheet, 0, 0, title(batch), big)
            lines = heading_lines(batch, len(rows))
            for index, line in enumerate(lines, start=1):
                write_text(sheet, index, 0, line)
            top = len(lines) + 2
            for col, (text, width) in enumerate(zip(headers, widths, strict=True)):
                write_text(sheet, top, col, text, head)
                sheet.set_column(col, col, width)
            sheet.freeze_panes(top + 1, 0)
            sheet.autofilter(top, 0, top + max(1, len(rows)), len(headers) - 1)
            return sheet, top + 1

        sheet, first = sheet_with_header("预审结果", LIST_HEADERS, (6, 36, 22, 12, 12, 12, 6, 70))
        for offset, ev in enumerate(rows):
            r = first + offset
            sheet.write_number(r, 0, offset + 1, cell)
            for col, text in enumerate((ev.name, ev.uscc, ev.subdistrict, verdict_label(ev), _score(ev),
                                        "是" if ev.near_miss else "", reason(ev)), start=1):
                write_text(sheet, r, col, text, cell)

        sheet, r = sheet_with_header("逐项明细", DETAIL_HEADERS, (32, 24, 8, 12, 28, 28, 12, 36, 60))
        for ev in rows:
            for c in ev.criteria:
                margin = c.margin
                for col, text in enumerate((ev.name, c.label, STATUS_TEXT[c.status], c.value_text, c.threshold,
                                            margin.text if margin else "")):
                    write_text(sheet, r, col, text, cell)
                if margin is not None and margin.money_wan is not None:
                    sheet.write_number(r, 6, float(margin.money_wan), money)
                else:
                    write_text(sheet, r, 6, None, cell)
                write_text(sheet, r, 7, "；".join(c.missing), cell)
                write_text(sheet, r, 8, c.explanation, cell)
                r += 1

        near = [ev for ev in rows if ev.near_miss]
        sheet = workbook.add_worksheet("临界名单")
        write_text(sheet, 0, 0, f"临界企业（差距在 {number(batch.rule_set.near_miss.percentage_points)} 个百分点或 "
                                f"{number(batch.rule_set.near_miss.points)} 分以内）", bold)
        for col, (text, width) in enumerate(zip(("企业名称", "属地", "差距"), (36, 12, 80), strict=True)):
            write_text(sheet, 1, col, text, head)
            sheet.set_column(col, col, width)
        for offset, ev in enumerate(near, start=2):
            for col, text in enumerate((ev.name, ev.subdistrict, reason(ev))):
                write_text(sheet, offset, col, text, cell)
    finally:
        workbook.close()
    return path


def write_pdf(path: Path, batch: BatchResult, evaluations: Sequence[Evaluation] | None = None) -> Path:
    """Write the printable list; ``evaluations`` narrows it (default: the whole batch)."""
    rows = list(batch.evaluations if evaluations is None else evaluations)
    fonts = pdf_fonts()
    base = ParagraphStyle("body", fontName=fonts.body, fontSize=9, leading=12, wordWrap="CJK")
    styles = {
        "title": ParagraphStyle("title", base, fontName=fonts.heading, fontSize=16, leading=22, alignment=TA_CENTER,
                                spaceAfter=6),
        "body": base,
        "caption": ParagraphStyle("caption", base, fontName=fonts.heading, fontSize=11, leading=15, spaceBefore=10,
                                  spaceAfter=4),
        "cell": ParagraphStyle("cell", base, fontSize=8, leading=10),
        "head": ParagraphStyle("head", base, fontSize=8, leading=10, alignment=TA_CENTER),
    }

    def para(text: str | None, style: str) -> Paragraph:
        return paragraph(fonts, text or "", styles[style])

    width = landscape(A4)[0] - 2 * MARGIN

    def table(headers: Sequence[str], body: list[list[str | None]], shares: Sequence[float]) -> LongTable:
        widths = [width * s / sum(shares) for s in shares]
        data = [[para(h, "head") for h in headers]] + [[para(v, "cell") for v in row] for row in body]
        result = LongTable(data, colWidths=widths, repeatRows=1, hAlign="LEFT")
        result.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#404040")),
                                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#F2F2F2")),
                                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                    ("FONT", (0, 0), (-1, -1), fonts.body, 8)]))
        return result

    story = [para(title(batch), "title")] + [para(line, "body") for line in heading_lines(batch, len(rows))]
    story.append(Spacer(1, 6))
    story.append(table(("序号", "企业名称", "属地", "结论", "得分", "未达标或待补事项"),
                       [[str(i), ev.name, ev.subdistrict, verdict_label(ev), _score(ev), reason(ev)]
                        for i, ev in enumerate(rows, start=1)], (4, 26, 8, 9, 8, 45)))
    near = [ev for ev in rows if ev.near_miss]
    if near:
        story.append(para("临界企业：差距与补足所需", "caption"))
        story.append(table(("企业名称", "条件", "现状", "要求", "差距"),
                           [[ev.name, c.label, c.value_text, c.threshold, c.margin.text if c.margin else ""]
                            for ev in near for c in ev.failing], (24, 16, 10, 22, 28)))
    doc = SimpleDocTemplate(str(path), pagesize=landscape(A4), leftMargin=MARGIN, rightMargin=MARGIN,
                            topMargin=MARGIN, bottomMargin=MARGIN + 4 * mm, invariant=1, title=title(batch),
                            creator="科创台账 TechLedger", initialFontName=fonts.body)
    doc.build(story, canvasmaker=numbered_canvas(fonts))
    return path

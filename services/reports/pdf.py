"""Forms as a PDF (reportlab): the same forms as the workbook, printable and readable on any viewer.

A4 pages, landscape for wide forms; each form starts on a new page with its title, the 填报单位 block and the
statutory marks block; tables repeat their header rows on every page (LongTable ``repeatRows``); the chart, notes
and the sign-off with the seal box follow. Every page carries "第 X 页 共 Y 页". Fonts are embedded TrueType
(services.exporting.fonts) and every string is split into runs of the font that has its glyphs. The document is
built with reportlab's ``invariant`` switch, so the same forms give the same bytes (no creation date or random ID).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    LongTable,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from services.exporting.fonts import PdfFonts, pdf_fonts
from services.exporting.pdf import numbered_canvas, paragraph
from services.reports import forms as f
from services.reports.figures import ReportMeta
from services.reports.pdf_chart import bar_chart
from services.reports.period import Period

MARGIN = 14 * mm
GRID = colors.HexColor("#404040")
HEADER_FILL = colors.HexColor("#F2F2F2")
TOTAL_FILL = colors.HexColor("#F7F7F7")
CELL_SIZE = 8.5
#: reportlab's default cell padding (points, each side).
CELL_PAD = 6


@dataclass(frozen=True)
class PdfInfo:
    """A written PDF.

    Attributes:
        path: The file.
        pages: Number of pages.
        missing_glyphs: Characters no embedded font could show (printed as boxes); empty when all is well.
    """

    path: Path
    pages: int
    missing_glyphs: frozenset[str]


class _Builder:
    """Turns forms into flowables, noting any character without a glyph."""

    def __init__(self, fonts: PdfFonts, meta: ReportMeta, period: Period) -> None:
        self.fonts = fonts
        self.meta = meta
        self.period = period
        self.missing: set[str] = set()
        #: Plain-string cells (empty ones too) are drawn in the table's font: never the unembedded default.
        self.cell_font = [("FONT", (0, 0), (-1, -1), fonts.body, CELL_SIZE)]
        body = ParagraphStyle("body", fontName=fonts.body, fontSize=9, leading=12)
        self.styles = {
            "title": ParagraphStyle("title", body, fontName=fonts.heading, fontSize=16, leading=22,
                                    alignment=TA_CENTER, spaceAfter=6),
            "body": body,
            "caption": ParagraphStyle("caption", body, fontName=fonts.heading, fontSize=10.5, leading=14,
                                      spaceBefore=8, spaceAfter=4),
            "head": ParagraphStyle("head", body, fontSize=8.5, leading=10.5, alignment=TA_CENTER),
            "cell": ParagraphStyle("cell", body, fontSize=8.5, leading=10.5),
            "num": ParagraphStyle("num", body, fontSize=8.5, leading=10.5, alignment=TA_RIGHT),
            "note": ParagraphStyle("note", body, fontSize=8, leading=11),
            "seal": ParagraphStyle("seal", body, alignment=TA_CENTER, textColor=colors.grey),
        }

    def para(self, text: str, style: str) -> Paragraph:
        """``text`` as a paragraph; leading full-width spaces (其中 rows) become an indent, which paragraphs keep."""
        st = self.styles[style]
        self.missing |= self.fonts.missing(text, st.fontName)
        body = text.lstrip("\u3000")
        if len(body) < len(text):
            st = ParagraphStyle(f"{st.name}-{len(text) - len(body)}", st,
                                leftIndent=st.fontSize * (len(text) - len(body)))
        return paragraph(self.fonts, body, st)

    def form(self, form: f.Form, width: float) -> list[Flowable]:
        story: list[Flowable] = [self.para(form.title, "title"), self._head(form, width)]
        for table in form.tables:
            if table.caption:
                story.append(self.para(table.caption, "caption"))
            else:
                story.append(Spacer(1, 4))
            story.append(self._table(table, width))
        for number, note in enumerate(form.notes, start=1):
            story.append(self.para(f"{'说明：' if number == 1 else '　　　'}{number}. {note}", "note"))
        if form.chart is not None:
            story.append(KeepTogether([self.para(form.chart.title, "caption"), bar_chart(form, width, self.fonts)]))
            self.missing |= {c for _, name in form.chart.series for c in self.fonts.missing(name)}
        story.append(KeepTogether([Spacer(1, 10), self._signoff(width)]))
        return story

    def _head(self, form: f.Form, width: float) -> Table:
        left = [self.para(line, "body") for line in f.unit_lines(self.meta, self.period)]
        right = [self.para(line, "body") for line in [*f.mark_lines(self.meta, form.key), form.measure]]
        table = Table([[left, right]], colWidths=[width - 62 * mm, 62 * mm])
        table.setStyle(TableStyle([*self.cell_font, ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                                   ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                   ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
        return table

    def _table(self, table: f.Table, width: float) -> LongTable:
        depth = table.header_depth
        n = len(table.columns)
        header: list[list[Any]] = [[""] * n for _ in range(depth)]
        style: list[tuple[Any, ...]] = [
            *self.cell_font, ("GRID", (0, 0), (-1, -1), 0.5, GRID), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("BACKGROUND", (0, 0), (-1, depth - 1), HEADER_FILL),
            ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ]
        grouped: set[int] = set()
        for first, last, text in table.header_spans():
            header[0][first] = self.para(text, "head")
            style.append(("SPAN", (first, 0), (last, 0)))
            grouped.update(range(first, last + 1))
        for index, column in enumerate(table.columns):
            if index in grouped:
                header[1][index] = self.para(column.title, "head")
            else:
                header[0][index] = self.para(column.title, "head")
                if depth > 1:
                    style.append(("SPAN", (index, 0), (index, depth - 1)))
        total = sum(c.width for c in table.columns)
        widths = [width * c.width / total for c in table.columns]
        body = self._body(table, widths, depth, style)
        for index in table.emphasised:
            style.append(("BACKGROUND", (0, depth + index), (-1, depth + index), TOTAL_FILL))
        result = LongTable(header + body, colWidths=widths, repeatRows=depth, hAlign="LEFT")
        result.setStyle(TableStyle(style))
        return result

    def _plain_font(self, text: str, width: float) -> str | None:
        """The font in which ``text`` can be drawn as a plain string (one run that fits), or None."""
        runs = self.fonts.runs(text)
        if len(runs) != 1 or text.startswith("\u3000") or self.fonts.width(text, CELL_SIZE) > width - 2 * CELL_PAD:
            return None
        self.missing |= self.fonts.missing(text)
        return runs[0][0]

    def _body(self, table: f.Table, widths: list[float], depth: int, style: list[tuple[Any, ...]]) -> list[list[Any]]:
        """Data cells: plain strings where one font and one line will do (fast for long lists), paragraphs
        (wrapped, mixed fonts) otherwise; a column whose strings all share a font gets one font command."""
        texts = [[c.text() if isinstance(c, f.Num) else (c or "") for c in row] for row in table.rows]
        plain = [[self._plain_font(t, widths[i]) if t else "" for i, t in enumerate(row)] for row in texts]
        for index, column in enumerate(table.columns):
            if not column.text:
                style.append(("ALIGN", (index, depth), (index, -1), "RIGHT"))
            used = {row[index] for row in plain if row[index] != ""}
            if len(used) == 1 and None not in used:
                style.append(("FONT", (index, depth), (index, -1), used.pop(), CELL_SIZE))
                for row in plain:
                    row[index] = ""
        body: list[list[Any]] = []
        for r, (row_texts, row_fonts) in enumerate(zip(texts, plain, strict=True)):
            cells: list[Any] = []
            for c, (text, font) in enumerate(zip(row_texts, row_fonts, strict=True)):
                if font is None:
                    cells.append(self.para(text, "cell" if table.columns[c].text else "num"))
                    continue
                if font:
                    style.append(("FONT", (c, depth + r), (c, depth + r), font, CELL_SIZE))
                cells.append(text)
            body.append(cells)
        return body

    def _signoff(self, width: float) -> Table:
        """单位负责人 … 报出日期 in two columns on the left, the seal box on the right."""
        parts = [self.para(part, "body") for part in f.signoff_parts(self.meta)] + [""]
        names = Table([parts[0:2], parts[2:4], parts[4:6]], colWidths=[(width - 48 * mm) / 2] * 2)
        names.setStyle(TableStyle([*self.cell_font, ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
        seal = self.para(f.SEAL_TEXT, "seal")
        table = Table([[names, seal]], colWidths=[width - 48 * mm, 42 * mm], rowHeights=[24 * mm])
        table.setStyle(TableStyle([*self.cell_font, ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                                   ("BOX", (1, 0), (1, 0), 0.8, colors.grey), ("LEFTPADDING", (0, 0), (0, 0), 0)]))
        return table


def write_pdf(path: Path, forms: Sequence[f.Form], meta: ReportMeta, period: Period) -> PdfInfo:
    """Write ``forms`` as one PDF at ``path``."""
    fonts = pdf_fonts()
    frames = {}
    for name, size in (("portrait", A4), ("landscape", landscape(A4))):
        frames[name] = PageTemplate(name, [Frame(MARGIN, MARGIN, size[0] - 2 * MARGIN, size[1] - 2 * MARGIN,
                                                 id=name, leftPadding=0, rightPadding=0, topPadding=0,
                                                 bottomPadding=0)], pagesize=size)
    orientation = ["landscape" if form.landscape else "portrait" for form in forms]
    doc = BaseDocTemplate(str(path), pagesize=A4, invariant=1, title=f"{meta.district}{period.label}科技统计报表",
                          author=meta.unit_name, creator="科创台账 TechLedger", subject=period.label,
                          initialFontName=fonts.body,
                          pageTemplates=[frames[orientation[0]],
                                         *(t for k, t in frames.items() if k != orientation[0])])
    builder = _Builder(fonts, meta, period)
    story: list[Flowable] = []
    for index, form in enumerate(forms):
        if index:
            story += [NextPageTemplate(orientation[index]), PageBreak()]
        size = landscape(A4) if form.landscape else A4
        story += builder.form(form, size[0] - 2 * MARGIN)
    doc.build(story, canvasmaker=numbered_canvas(fonts))
    return PdfInfo(path, doc.page, frozenset(builder.missing))

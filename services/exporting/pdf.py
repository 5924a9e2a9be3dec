"""Small reportlab pieces shared by PDF writers: "第 X 页 共 Y 页" page numbers and text in font runs.

Text is always drawn through :class:`services.exporting.fonts.PdfFonts` runs, so that characters the CJK font lacks
(ASCII digits with the bundled font) come from the Latin font instead of printing as boxes. Paragraphs wrap Chinese
anywhere (``wordWrap="CJK"``).
"""

from __future__ import annotations

from typing import Any, ClassVar

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

from services.exporting.fonts import PdfFonts

#: Height of the page-number line above the bottom edge.
FOOTER_Y = 8 * mm


def draw_runs(canvas: Canvas, fonts: PdfFonts, text: str, x: float, y: float, size: float, *,
              centred: bool = False) -> None:
    """Draw ``text`` at (x, y), each run in the font that has its glyphs (centred on x when asked)."""
    if centred:
        x -= fonts.width(text, size) / 2
    for font, chunk in fonts.runs(text):
        canvas.setFont(font, size)
        canvas.drawString(x, y, chunk)
        x += canvas.stringWidth(chunk, font, size)


class NumberedCanvas(Canvas):
    """Holds pages back until the end so that each can say "第 X 页 共 Y 页" (use :func:`numbered_canvas`)."""

    fonts: ClassVar[PdfFonts]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:  # noqa: N802 - reportlab's name
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            draw_runs(self, self.fonts, f"第 {number} 页 共 {total} 页", self._pagesize[0] / 2, FOOTER_Y, 9,
                      centred=True)
            super().showPage()
        super().save()


def numbered_canvas(fonts: PdfFonts) -> type[Canvas]:
    """A canvas class for ``doc.build(story, canvasmaker=…)`` that numbers pages with ``fonts``."""
    return type("NumberedCanvasWithFonts", (NumberedCanvas,), {"fonts": fonts})


def paragraph(fonts: PdfFonts, text: str, style: ParagraphStyle) -> Paragraph:
    """``text`` (plain, not markup) as a paragraph in ``style``'s font, with Latin runs where that font lacks glyphs
    and Chinese wrapped anywhere."""
    if style.wordWrap != "CJK":
        style = ParagraphStyle(f"{style.name}-cjk", style, wordWrap="CJK")
    return Paragraph(fonts.markup(text, style.fontName), style)

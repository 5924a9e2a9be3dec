"""Fonts for PDFs written with reportlab: a CJK TrueType font, embedded, plus a Latin font for what it lacks.

reportlab embeds TrueType (``glyf``) outlines only. On Windows the installed SimSun (宋体, body) and SimHei (黑体,
headings) are used when they can be loaded — they are what official forms are set in, and they cover ASCII too. Else
the bundled Droid Sans Fallback (resources/fonts, Apache-2.0) is used for both; it covers the CJK ideographs and
full-width punctuation but has no ASCII digits or Latin letters, so those characters are set in Bitstream Vera, which
ships inside reportlab itself (its licence is in ``reportlab/fonts``). :meth:`PdfFonts.runs` splits any text into
runs by which font has a glyph for each character, so digits never come out as empty boxes.
"""

from __future__ import annotations

import functools
import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from services.paths import resources_dir

log = logging.getLogger("app.export")

BUNDLED_FONT = "DroidSansFallbackFull.ttf"
#: reportlab's own TrueType font (found on its font search path).
LATIN_FONT_FILE = "Vera.ttf"
#: Installed Windows fonts tried first: (file in %WINDIR%\Fonts, index inside a .ttc).
WINDOWS_BODY = ("simsun.ttc", 0)
WINDOWS_HEADING = ("simhei.ttf", 0)

BODY, HEADING, LATIN = "TLBody", "TLHeading", "TLLatin"


def bundled_font_path() -> Path:
    return resources_dir() / "fonts" / BUNDLED_FONT


@dataclass(frozen=True)
class PdfFonts:
    """The registered fonts and their character coverage.

    Attributes:
        body: reportlab name of the CJK font for body text.
        heading: reportlab name of the CJK font for titles (the body font when no heading font is installed).
        latin: reportlab name of the font for characters the CJK fonts lack (ASCII digits and letters, — …).
        files: Font name → file it was loaded from (for logs and the about box).
        coverage: Font name → the code points it has glyphs for.
    """

    body: str
    heading: str
    latin: str
    files: Mapping[str, str]
    coverage: Mapping[str, frozenset[int]] = field(repr=False, default_factory=dict)

    def has_glyph(self, font: str, char: str) -> bool:
        return ord(char) in self.coverage[font]

    def runs(self, text: str, font: str | None = None) -> list[tuple[str, str]]:
        """``text`` split into ``(font name, chunk)`` runs: ``font`` (the body font by default) where it has the
        glyph, the Latin font where only that one has it. A character neither has stays with ``font``."""
        font = font or self.body
        out: list[tuple[str, str]] = []
        for char in text:
            use = font if (char.isspace() or self.has_glyph(font, char) or not self.has_glyph(self.latin, char)) \
                else self.latin
            if out and out[-1][0] == use:
                out[-1] = (use, out[-1][1] + char)
            else:
                out.append((use, char))
        return out

    def missing(self, text: str, font: str | None = None) -> set[str]:
        """Characters of ``text`` that neither ``font`` nor the Latin font can show (they would print as boxes)."""
        font = font or self.body
        return {c for c in text
                if not c.isspace() and not self.has_glyph(font, c) and not self.has_glyph(self.latin, c)}

    def markup(self, text: str, font: str | None = None) -> str:
        """``text`` as reportlab paragraph markup: escaped, with the Latin runs wrapped in ``<font face=…>``."""
        font = font or self.body
        return "".join(escape(chunk) if name == font else f'<font face="{name}">{escape(chunk)}</font>'
                       for name, chunk in self.runs(text, font))

    def width(self, text: str, size: float, font: str | None = None) -> float:
        """Width of ``text`` at ``size`` points, run by run."""
        return sum(pdfmetrics.stringWidth(chunk, name, size) for name, chunk in self.runs(text, font))


def _windows_font(name: str, spec: tuple[str, int]) -> TTFont | None:
    windir = os.environ.get("WINDIR")
    if os.name != "nt" or not windir:
        return None
    path = Path(windir) / "Fonts" / spec[0]
    if not path.exists():
        return None
    try:
        return TTFont(name, str(path), subfontIndex=spec[1])
    except Exception as exc:  # noqa: BLE001 - any unusable font file means: use the bundled one
        log.info("installed font %s not usable for PDF (%s); using the bundled font", path, exc)
        return None


@functools.cache
def pdf_fonts() -> PdfFonts:
    """Register the fonts with reportlab (once per process) and return them."""
    body = _windows_font(BODY, WINDOWS_BODY) or TTFont(BODY, str(bundled_font_path()))
    heading = _windows_font(HEADING, WINDOWS_HEADING)
    fonts = [body, *([heading] if heading else [])]
    fonts.append(TTFont(LATIN, LATIN_FONT_FILE))
    for font in fonts:
        pdfmetrics.registerFont(font)
    files = {font.fontName: str(font.face.filename) for font in fonts}
    log.info("PDF fonts: %s", files)
    # Without an installed heading font, titles use the body font (embedding one file twice would only add size).
    return PdfFonts(body=BODY, heading=HEADING if heading else BODY, latin=LATIN, files=files,
                    coverage={font.fontName: frozenset(font.face.charToGlyph) for font in fonts})

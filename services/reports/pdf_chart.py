"""A form's bar chart for the PDF (reportlab.graphics), drawn from the cells of the form's table.

Every string in the chart is set in a font that has its glyphs: category names and legend in the CJK font, numbers
in the Latin font (the bundled CJK font has no ASCII digits).
"""

from __future__ import annotations

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors

from services.exporting.fonts import PdfFonts
from services.reports.forms import Form, Num

HEIGHT = 210.0
SERIES_COLOURS = (colors.HexColor("#A6A6A6"), colors.HexColor("#2F5597"), colors.HexColor("#C55A11"))


def font_for(fonts: PdfFonts, text: str) -> str:
    """The one font that shows all of ``text``: the CJK font, else the Latin font, else the CJK font anyway."""
    if all(c.isspace() or fonts.has_glyph(fonts.body, c) for c in text):
        return fonts.body
    if all(c.isspace() or fonts.has_glyph(fonts.latin, c) for c in text):
        return fonts.latin
    return fonts.body


def bar_chart(form: Form, width: float, fonts: PdfFonts) -> Drawing:
    """The chart of ``form`` (which must have one) as a drawing ``width`` points wide."""
    spec = form.chart
    assert spec is not None
    rows = form.tables[spec.table].rows[:spec.rows]
    labels = [str(row[spec.category_column] or "") for row in rows]
    data = []
    for column, _name in spec.series:
        values = []
        for row in rows:
            cell = row[column]
            values.append(float(cell.value) if isinstance(cell, Num) and cell.value is not None else 0.0)
        data.append(values)
    drawing = Drawing(width, HEIGHT, initialFontName=fonts.body)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 40, 45, width - 60, HEIGHT - 70
    chart.data = data
    chart.groupSpacing = 8
    chart.barSpacing = 1
    chart.categoryAxis.categoryNames = labels
    chart.categoryAxis.labels.fontSize = 7
    chart.categoryAxis.labels.dy = -4
    for index, label in enumerate(labels):
        chart.categoryAxis.labels[index].fontName = font_for(fonts, label)
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labels.fontName = fonts.latin
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.labelTextFormat = "%d"
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = colors.HexColor("#D9D9D9")
    chart.barLabelFormat = "%d"
    chart.barLabels.fontName = fonts.latin
    chart.barLabels.fontSize = 6
    chart.barLabels.nudge = 6
    for index in range(len(data)):
        chart.bars[index].fillColor = SERIES_COLOURS[index % len(SERIES_COLOURS)]
        chart.bars[index].strokeColor = None
    drawing.add(chart)
    legend = Legend()
    legend.x, legend.y = width / 2 - 90, 12
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.deltax = 90
    legend.fontSize = 8
    legend.fontName = font_for(fonts, "".join(name for _, name in spec.series))
    legend.colorNamePairs = [(SERIES_COLOURS[i % len(SERIES_COLOURS)], name) for i, (_, name) in
                             enumerate(spec.series)]
    drawing.add(legend)
    return drawing

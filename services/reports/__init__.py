"""Reports: the quarterly package for the city bureau (Excel workbook, PDF, JSON), the 属地 league table, and the
voucher and carrier summaries.

One pass computes every figure into a frozen :class:`services.reports.figures.QuarterlyReport`
(:mod:`services.reports.compute`, aggregate SQL in :mod:`services.reports.queries`); the forms are laid out once
(:mod:`services.reports.forms`, :mod:`services.reports.sections`) and rendered by :mod:`services.reports.xlsx` and
:mod:`services.reports.pdf`; :mod:`services.reports.package` writes the files.
"""

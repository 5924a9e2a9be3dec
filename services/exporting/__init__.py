"""Helpers shared by everything that writes files for people to read: fonts for PDFs, text-safe workbooks.

:mod:`services.exporting.fonts` registers the CJK TrueType font with reportlab once and splits text into runs for
the characters it lacks; :mod:`services.exporting.xlsx` creates xlsxwriter workbooks in which text stays text.
"""

"""The reports page: generate, preview and print the quarterly package and the summaries."""

from ui.pages.reports.page import ReportsPage

__all__ = ["ReportsPage"]

"""预审: batch pre-screening (:mod:`.page`) and the self-contained panel of one enterprise (:mod:`.enterprise_panel`),
both explaining each result with :mod:`.evaluation_view`.

Importing this package puts the panel into the enterprise window's 预审 tab (through the hook that tab offers,
:func:`ui.pages.enterprises.prereview_tab.set_evaluation_panel`); :mod:`ui.pages` imports it at start-up.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from ui.context import AppContext
from ui.pages.enterprises.prereview_tab import set_evaluation_panel


def evaluation_panel(ctx: AppContext, enterprise_id: int) -> QWidget:
    """The 预审 panel of an enterprise window (its module is imported when the first window opens)."""
    from ui.pages.prescreen.enterprise_panel import PrescreenPanel

    return PrescreenPanel(ctx, enterprise_id)


set_evaluation_panel(evaluation_panel)

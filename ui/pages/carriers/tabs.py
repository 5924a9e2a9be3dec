"""What the carrier window's record tabs share with the enterprise window's: the record tab (load when shown, reload
after a form saved), and the attachments and change-history tabs, pointed at the carrier."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QWidget

from services.attachments import AttachmentInfo, add_attachment, list_attachments
from services.audit_query import AuditRow
from services.carriers import CarrierOptions, carrier_history
from services.progress import Progress
from ui.context import AppContext
from ui.operations import Changes, Op
from ui.pages.enterprises.attachments_tab import AttachmentDialog, AttachmentsTab
from ui.pages.enterprises.history_tab import HistoryTab
from ui.pages.enterprises.tab_base import RecordTab
from ui.widgets.questions import confirm

OWNER = "carrier"
CHANGES = Changes(carrier=True)


class CarrierTab(RecordTab):
    """A record tab of the carrier window; the record tab's subject (``enterprise_id``) is the carrier here.

    Attributes:
        options: The carrier catalogue (kinds, 属地), once loaded.
    """

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.options: CarrierOptions | None = None

    @property
    def carrier_id(self) -> int | None:
        return self.enterprise_id

    def set_carrier(self, carrier_id: int | None) -> None:
        self.set_enterprise(carrier_id)

    def confirm_and_run(self, question: str, action: str, fn: Callable[[Progress], Any],
                        changes: Changes = CHANGES) -> None:
        """Ask ``question``; when the user agrees, run ``fn`` on the database worker and reload the tab."""
        if confirm(self, question, action=action):
            Op(self, fn).changes(changes).success(lambda _r: self.reload()).failure(self.show_error) \
                .run(self.ctx.runner)


class CarrierAttachmentDialog(AttachmentDialog):
    """添加附件 to a carrier (认定文件, 协议 …)."""

    def __init__(self, ctx: AppContext, carrier_id: int, parent: QWidget | None = None) -> None:
        super().__init__(ctx, carrier_id, parent)
        self.changes = CHANGES

    def work(self) -> Callable[[Progress], Any]:
        super().work()  # the same checks
        db, cid, source = self.ctx.opened.db, self.enterprise_id, self.path.text().strip()
        category, description = self.category.currentText(), self.description.text().strip() or None
        return lambda _p: add_attachment(db, OWNER, cid, Path(source), category=category, description=description)


class CarrierAttachmentsTab(AttachmentsTab):
    """The carrier's attachments."""

    def fetch(self, db: Any, carrier_id: int) -> list[AttachmentInfo]:
        return list_attachments(db, OWNER, carrier_id)

    def add(self) -> None:
        if self.enterprise_id is not None:
            self.open_form(CarrierAttachmentDialog(self.ctx, self.enterprise_id, self))


class CarrierHistoryTab(HistoryTab):
    """Changes of the carrier, its recognitions and statistics (tenancies are in their enterprise's history)."""

    def fetch(self, db: Any, carrier_id: int) -> tuple[int, list[tuple[AuditRow, str]]]:
        total, rows = carrier_history(db, carrier_id)
        return total, [(r, r.table) for r in rows]

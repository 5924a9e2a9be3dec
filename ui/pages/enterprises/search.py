"""Loading the enterprise search index in the background, one chunk per operation.

Chunks of 20,000 enterprises keep each operation on the database worker short, so that the list's page fetches
(queued behind it) are never held up for long. When the last chunk is in, the texts are laid out for the list
being shown (:meth:`services.enterprise_list.SearchIndex.prepare`, about 80 ms for 100,000) on the worker too, so
that no keystroke pays for it. A reload (after enterprises changed) builds a new index while the old one keeps
answering; the new one replaces it when complete.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from services.enterprise_list import IndexChunk, SearchIndex, search_index_chunk
from ui.context import AppContext
from ui.operations import Op

log = logging.getLogger("app.ui")

CHUNK = 20_000


class IndexLoader(QObject):
    """Builds :class:`services.enterprise_list.SearchIndex` chunk by chunk on the database worker.

    Attributes:
        index: The complete index in use, once the first load finished.

    Signals:
        ready(): a (new) complete index is in :attr:`index`.
    """

    ready = Signal()

    def __init__(self, ctx: AppContext, owner: QWidget, shown: Callable[[], Sequence[int]]) -> None:
        super().__init__(owner)
        self._ctx = ctx
        self._owner = owner
        self._shown = shown
        self.index: SearchIndex | None = None
        self._building: SearchIndex | None = None
        self._again = False

    @property
    def loading(self) -> bool:
        return self._building is not None

    def load(self) -> None:
        """(Re)build the index; a request during a build restarts it when that build ends."""
        if self._building is not None:
            self._again = True
            return
        self._building = SearchIndex()
        self._next(0)

    def _next(self, after_id: int) -> None:
        db = self._ctx.opened.db
        Op(self._owner, lambda _p: search_index_chunk(db, after_id, CHUNK)) \
            .success(self._add).failure(self._failed).run(self._ctx.runner)

    def _add(self, chunk: IndexChunk) -> None:
        building = self._building
        if building is None:
            return
        building.add(chunk)
        if self._again:
            self._again = False
            self._building = SearchIndex()
            self._next(0)
        elif chunk.done:
            ids = self._shown()
            Op(self._owner, lambda _p: building.prepare(ids)).success(lambda _layout: self._ready(building)) \
                .failure(self._failed).run(self._ctx.runner)
        else:
            self._next(chunk.last_id)

    def _ready(self, building: SearchIndex) -> None:
        if self._again:
            self._again = False
            self._building = SearchIndex()
            self._next(0)
            return
        self.index, self._building = building, None
        log.info("search index ready: %d enterprises", len(building))
        self.ready.emit()

    def prepare(self, ids: Sequence[int]) -> None:
        """Lay the index out for ``ids`` (a new list shown) on the worker, ahead of the next keystroke."""
        index = self.index
        if index is not None:
            Op(self._owner, lambda _p: index.prepare(ids)).failure(self._failed).run(self._ctx.runner)

    def _failed(self, exc: BaseException) -> None:
        # Search falls back to the database meanwhile; the error itself is logged by the operation.
        log.warning("search index not loaded: %s", exc)
        self._building = None

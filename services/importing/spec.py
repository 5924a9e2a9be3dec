"""What an import kind declares: its fields with their synonyms and parsers, how it plans rows and writes them.

The generic machinery (reading, header detection, mapping, parsing, duplicate detection, counts, batches, revert,
errored-rows export) works on any :class:`ImportKind`; the enterprise register is the first
(:mod:`services.importing.enterprises`). Carrier statistics and vouchers add a module with their own kind and a
line in :data:`services.importing.kinds.KINDS`.
"""

from __future__ import annotations

import re
import unicodedata
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import TYPE_CHECKING, Any

from services.importing.normalize import unit_and_year

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from services.audit import AuditContext
    from services.importing.plan import ImportOptions, ParsedRow, Plan, RowPlan
    from services.progress import Progress

#: Parses one raw cell with the column's unit factor (None when the header names no unit).
Parser = Callable[[Any, Decimal | None], Any]

_DECORATION = re.compile(r"\(.*?\)|\[.*?\]|【.*?】|[*※:：#]|^(?:上年度|上年|本年度|本年|年度)")


def label_key(text: str) -> str:
    """A header label reduced for synonym lookup: NFKC, no whitespace, no brackets' content or marks."""
    folded = unicodedata.normalize("NFKC", text)
    folded = "".join(folded.split())
    return _DECORATION.sub("", folded)


@dataclass(frozen=True)
class FieldSpec:
    """One field an import can fill.

    Attributes:
        key: Field name (the column or fact it fills).
        label: Chinese label shown in the mapping and in messages.
        synonyms: Header texts that mean this field (compared after :func:`label_key`).
        parse: Turns a cell into the stored value; raises ``CellError``.
        yearly: A figure of one year (the header's year, else ``--year``, else last year).
        money: An amount; the header's unit (元/千元/万元/亿元) applies.
    """

    key: str
    label: str
    synonyms: tuple[str, ...]
    parse: Parser
    yearly: bool = False
    money: bool = False


@dataclass(frozen=True)
class HeaderLabel:
    """What a header cell says once split: text for the synonym lookup, the unit factor and the year."""

    text: str
    factor: Decimal | None
    year: int | None


def split_label(text: str) -> HeaderLabel:
    rest, factor, year = unit_and_year(text)
    return HeaderLabel(label_key(rest), factor, year)


class ImportKind(ABC):
    """One kind of import (enterprises; later carrier statistics, vouchers).

    Attributes:
        key: The ``--kind`` value.
        label: Chinese name.
        fields: The fields, in the order the mapping shows them.
        required: Fields a header must have (and every row a value for).
        header_words: Further header texts that are not imported but show that a row is the header (序号 …).
    """

    key: str
    label: str
    fields: tuple[FieldSpec, ...]
    required: tuple[str, ...]
    header_words: tuple[str, ...] = ("序号", "编号", "排序")

    @cached_property
    def by_key(self) -> dict[str, FieldSpec]:
        return {f.key: f for f in self.fields}

    @cached_property
    def _synonyms(self) -> dict[str, str]:
        table: dict[str, str] = {}
        for spec in self.fields:
            for synonym in (spec.label, *spec.synonyms):
                table.setdefault(split_label(synonym).text, spec.key)
        return table

    def field_for(self, text: str) -> str | None:
        """The field a (split) header text means, or None."""
        return self._synonyms.get(text)

    def is_header_word(self, text: str) -> bool:
        return text in self.header_words

    def warm_up(self) -> None:  # noqa: B027 - an optional hook: most kinds need nothing
        """Load what planning will need that does not depend on the database (dictionaries); run while the file
        is read (python-calamine lets go of the interpreter while it parses, so this runs on the other core)."""

    def load(self, session: Session, options: ImportOptions) -> Any:
        """What :meth:`plan_rows` needs from the database, loaded while the file is read; None by default."""
        self.warm_up()
        return None

    @abstractmethod
    def plan_rows(self, session: Session, rows: list[ParsedRow], options: ImportOptions,
                  progress: Progress | None, loaded: Any = None) -> list[RowPlan]:
        """Validate and match every parsed row against the database: one :class:`RowPlan` per row.

        Args:
            loaded: What :meth:`load` gave, in the same session.
        """

    @abstractmethod
    def write(self, session: Session, ctx: AuditContext, plan: Plan, progress: Progress | None) -> None:
        """Carry out the plan's creates and updates in ``session``'s transaction, with audit rows."""

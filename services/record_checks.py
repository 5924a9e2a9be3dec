"""What a register record (an enterprise, a carrier) shares: the checks of its name, its place and its founding day
(each returns the Chinese rule broken, or None), the tidying of optional text fields, and removing it from the
register and restoring it (only while no other record in the register has its name)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import District, Subdistrict
from models.types import utcnow
from services.errors import ValidationError
from services.text import blank, normalize_name

NAME_LIMIT = 200
#: Nothing in the register was founded before the People's Republic.
EARLIEST_YEAR = 1949


class PlacedInput(Protocol):
    """An input with a 属地 and a 区县 (either may be missing)."""

    @property
    def subdistrict_id(self) -> int | None: ...

    @property
    def district_id(self) -> int | None: ...


def optional_text(value: str | None) -> str | None:
    """``value`` without surrounding blanks; None when it is blank."""
    return None if blank(value) else str(value).strip()


def name_problem(session: Session, model: Any, name: str | None, label: str, *,
                 record_id: int | None = None) -> str | None:
    """A (cleaned) name: given, not too long, and no other record of ``model`` in the register has it.

    ``model`` is the mapped class (with ``id``, ``name``, ``name_norm`` and ``deleted_at``), ``label`` how the name
    is called (企业名称), ``record_id`` the record being edited (None: a new one).
    """
    if not name:
        return f"{label}不能为空"
    if len(name) > NAME_LIMIT:
        return f"{label}不能超过{NAME_LIMIT}个字"
    same = select(model.id, model.name).where(model.name_norm == normalize_name(name), model.deleted_at.is_(None))
    if record_id is not None:
        same = same.where(model.id != record_id)
    clash = session.execute(same.limit(1)).first()
    return f"{label}与已登记的“{clash.name}”相同（编号 {clash.id}）" if clash else None


def place_problems(session: Session, data: PlacedInput) -> dict[str, str]:
    """The 属地 and the 区县 chosen exist, as {field: Chinese rule}."""
    problems: dict[str, str] = {}
    if data.subdistrict_id is not None and session.get(Subdistrict, data.subdistrict_id) is None:
        problems["subdistrict_id"] = "属地不存在，请从列表中选择"
    if data.district_id is not None and session.get(District, data.district_id) is None:
        problems["district_id"] = "所属区县不存在，请从列表中选择"
    return problems


def founding_problem(day: dt.date | None, label: str, today: dt.date) -> str | None:
    """A founding (registration) day, ``label`` its name (注册日期): not after today, not before 1949."""
    if day is None:
        return None
    if day > today:
        return f"{label}不能晚于今天"
    if day.year < EARLIEST_YEAR:
        return f"{label}不能早于{EARLIEST_YEAR}年"
    return None


def soft_delete(session: Session, record: Any) -> None:
    """Take ``record`` out of the register (its history stays); nothing happens when it is out already."""
    if record.deleted_at is None:
        record.deleted_at = utcnow()
        session.flush()


def restore(session: Session, model: Any, record: Any, noun: str) -> None:
    """Put ``record`` (of ``model``, called ``noun``: 企业) back in the register, unless another has its name there."""
    if record.deleted_at is None:
        return
    clash = session.scalar(select(model.name).where(model.name_norm == record.name_norm, model.deleted_at.is_(None),
                                                    model.id != record.id))
    if clash:
        raise ValidationError({"name": f"已有同名{noun}“{clash}”在册，不能恢复"})
    record.deleted_at = None
    session.flush()

"""Recognitions of a carrier over time (国家级 孵化器, 市级 众创空间 专业化示范, 省级 综合体 创建 …) and their status
history.

A recognition starts with a status (认定, 备案, 创建 or 培育) on its date, with the document that granted it; every
later change of status (整改, back to 认定 after rectification, 验收 of a 创建 unit, 摘牌) is an event with its date
and document number, and the recognition keeps its current status. 摘牌 ends the recognition on its date (it no
longer counts from then on, :func:`services.counting.recognised_at`) and is final: a carrier recognised again gets a
new recognition. A status change entered by mistake can be taken back (the last event only).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Carrier, CarrierKind, CarrierRecognition, CarrierRecognitionEvent
from models.db import Database
from services.errors import NotFoundError, ValidationError
from services.session import read_session, unit_of_work
from services.text import blank

LEVELS = ("国家", "省", "市", "区")
LEVEL_LABELS = {"国家": "国家级", "省": "省级", "市": "市级", "区": "区级"}
#: Subtypes: city maker-space tiers, complexes' and towns' stages, filing (DOMAIN.md §4.1).
SUBTYPES = ("标准化", "专业化示范", "国际化示范", "创建", "培育", "命名", "备案")
#: Statuses a recognition can start with.
START_STATUSES = ("认定", "备案", "创建", "培育")
#: Statuses a recognition can change to, from each status.
NEXT_STATUSES = {
    "认定": ("整改", "摘牌"),
    "备案": ("整改", "摘牌"),
    "创建": ("验收", "整改", "摘牌"),
    "培育": ("创建", "整改", "摘牌"),
    "验收": ("整改", "摘牌"),
    "整改": ("认定", "摘牌"),
    "摘牌": (),
}


def in_force(recognized_on: dt.date, ended_on: dt.date | None, status: str, day: dt.date) -> bool:
    """A recognition is in force on ``day`` (the rule of :func:`services.counting.recognised_at`, in Python)."""
    return recognized_on <= day and (ended_on is None or ended_on > day) and (status != "摘牌" or ended_on is not None)


@dataclass(frozen=True)
class RecognitionInput:
    """A new recognition.

    Attributes:
        kind_code: The kind recognised when it differs from the carrier's own (a 孵化器 also filed as 众创空间).
        notes: Remark on the first event.
    """

    level: str
    recognized_on: dt.date
    status: str = "认定"
    subtype: str | None = None
    kind_code: str | None = None
    doc_no: str | None = None
    notes: str | None = None


@dataclass(frozen=True)
class RecognitionEvent:
    id: int
    status: str
    changed_on: dt.date
    doc_no: str | None
    notes: str | None


@dataclass(frozen=True)
class RecognitionRecord:
    """A recognition with its status history (oldest first).

    Attributes:
        title: e.g. "市级众创空间（专业化示范）".
        in_force: Whether it counts today.
        next_statuses: What its status may change to.
    """

    id: int
    carrier_id: int
    level: str
    kind_code: str | None
    kind: str
    subtype: str | None
    recognized_on: dt.date
    status: str
    ended_on: dt.date | None
    doc_no: str | None
    title: str
    in_force: bool
    next_statuses: tuple[str, ...]
    events: tuple[RecognitionEvent, ...]


def _text(value: str | None, limit: int, label: str, key: str, problems: dict[str, str]) -> str | None:
    if blank(value):
        return None
    text = str(value).strip()
    if len(text) > limit:
        problems[key] = f"{label}不能超过{limit}个字"
    return text


def _check_day(day: dt.date, label: str, key: str, problems: dict[str, str], today: dt.date) -> None:
    if day > today:
        problems[key] = f"{label}不能晚于今天"
    elif day.year < 1990:
        problems[key] = f"{label}不能早于1990年"


def add_recognition(db: Database, carrier_id: int, data: RecognitionInput, *, user: str | None = None,
                    today: dt.date | None = None) -> RecognitionRecord:
    """Record a recognition and its first event."""
    today = today or dt.date.today()
    problems: dict[str, str] = {}
    if data.level not in LEVELS:
        problems["level"] = f"级别应为：{'、'.join(LEVEL_LABELS.values())}"
    if data.status not in START_STATUSES:
        problems["status"] = f"初始状态应为：{'、'.join(START_STATUSES)}"
    if data.subtype is not None and data.subtype not in SUBTYPES:
        problems["subtype"] = f"类别应为：{'、'.join(SUBTYPES)}"
    _check_day(data.recognized_on, "认定日期", "recognized_on", problems, today)
    doc = _text(data.doc_no, 60, "文号", "doc_no", problems)
    notes = _text(data.notes, 2000, "备注", "notes", problems)
    with unit_of_work(db, user=user) as session:
        carrier = session.get(Carrier, carrier_id)
        if carrier is None:
            raise NotFoundError(f"找不到编号为 {carrier_id} 的载体")
        if carrier.deleted_at is not None:
            problems["level"] = f"载体“{carrier.name}”已删除，请先恢复"
        kind = data.kind_code if data.kind_code and data.kind_code != carrier.kind_code else None
        if kind is not None and session.get(CarrierKind, kind) is None:
            problems["kind_code"] = "载体类型不存在"
        if problems:
            raise ValidationError(problems)
        recognition = CarrierRecognition(carrier_id=carrier_id, level=data.level, kind_code=kind,
                                         subtype=data.subtype, recognized_on=data.recognized_on, status=data.status,
                                         doc_no=doc)
        session.add(recognition)
        session.flush()
        session.add(CarrierRecognitionEvent(recognition_id=recognition.id, status=data.status,
                                            changed_on=data.recognized_on, doc_no=doc, notes=notes))
        session.flush()
        return _records(session, [recognition])[0]


def _load(session: Session, recognition_id: int) -> CarrierRecognition:
    recognition = session.get(CarrierRecognition, recognition_id)
    if recognition is None:
        raise NotFoundError(f"找不到编号为 {recognition_id} 的认定记录")
    return recognition


def _events(session: Session, recognition_ids: list[int]) -> dict[int, list[CarrierRecognitionEvent]]:
    found: dict[int, list[CarrierRecognitionEvent]] = {}
    if recognition_ids:
        e = CarrierRecognitionEvent
        for event in session.scalars(select(e).where(e.recognition_id.in_(recognition_ids))
                                     .order_by(e.changed_on, e.id)):
            found.setdefault(event.recognition_id, []).append(event)
    return found


def change_status(db: Database, recognition_id: int, status: str, changed_on: dt.date, *,
                  doc_no: str | None = None, notes: str | None = None, user: str | None = None,
                  today: dt.date | None = None) -> RecognitionRecord:
    """Change a recognition's status on a date, with the document that said so; written as an event.

    摘牌 ends the recognition on ``changed_on``.
    """
    today = today or dt.date.today()
    problems: dict[str, str] = {}
    _check_day(changed_on, "变更日期", "changed_on", problems, today)
    doc = _text(doc_no, 60, "文号", "doc_no", problems)
    note = _text(notes, 2000, "备注", "notes", problems)
    with unit_of_work(db, user=user) as session:
        recognition = _load(session, recognition_id)
        allowed = NEXT_STATUSES.get(recognition.status, ())
        if status not in allowed:
            problems["status"] = (f"“{recognition.status}”状态的认定不能再变更（摘牌后如重新认定，请新增认定记录）"
                                  if not allowed else f"“{recognition.status}”之后只能变更为：{'、'.join(allowed)}")
        last = _events(session, [recognition.id]).get(recognition.id, [])
        since = last[-1].changed_on if last else recognition.recognized_on
        if changed_on < since:
            problems["changed_on"] = f"变更日期不能早于上一次状态变更（{since.isoformat()}）"
        if problems:
            raise ValidationError(problems)
        recognition.status = status
        if status == "摘牌":
            recognition.ended_on = changed_on
        session.add(CarrierRecognitionEvent(recognition_id=recognition.id, status=status, changed_on=changed_on,
                                            doc_no=doc, notes=note))
        session.flush()
        return _records(session, [recognition])[0]


def undo_last_change(db: Database, recognition_id: int, *, user: str | None = None) -> RecognitionRecord:
    """Take back the last status change (entered by mistake): the event goes, the status before it returns."""
    with unit_of_work(db, user=user) as session:
        recognition = _load(session, recognition_id)
        events = _events(session, [recognition.id]).get(recognition.id, [])
        if len(events) < 2:
            raise ValidationError({"status": "这条认定没有可撤回的状态变更（如整条认定有误，请删除该认定）"})
        session.delete(events[-1])
        recognition.status = events[-2].status
        recognition.ended_on = None
        session.flush()
        return _records(session, [recognition])[0]


def remove_recognition(db: Database, recognition_id: int, *, user: str | None = None) -> None:
    """Delete a recognition entered by mistake, with its events (audited)."""
    with unit_of_work(db, user=user) as session:
        recognition = _load(session, recognition_id)
        for event in _events(session, [recognition.id]).get(recognition.id, []):
            session.delete(event)
        session.flush()
        session.delete(recognition)


def _records(session: Session, recognitions: list[CarrierRecognition],
             today: dt.date | None = None) -> list[RecognitionRecord]:
    day = today or dt.date.today()
    events = _events(session, [r.id for r in recognitions])
    kinds = dict(session.execute(select(CarrierKind.code, CarrierKind.name)).tuples().all())
    own = {c.id: c.kind_code for c in session.scalars(
        select(Carrier).where(Carrier.id.in_({r.carrier_id for r in recognitions})))}
    out = []
    for r in recognitions:
        kind_name = kinds[r.kind_code or own[r.carrier_id]]
        title = LEVEL_LABELS[r.level] + kind_name + (f"（{r.subtype}）" if r.subtype else "")
        out.append(RecognitionRecord(
            id=r.id, carrier_id=r.carrier_id, level=r.level, kind_code=r.kind_code, kind=kind_name,
            subtype=r.subtype, recognized_on=r.recognized_on, status=r.status, ended_on=r.ended_on, doc_no=r.doc_no,
            title=title, in_force=in_force(r.recognized_on, r.ended_on, r.status, day),
            next_statuses=NEXT_STATUSES.get(r.status, ()),
            events=tuple(RecognitionEvent(e.id, e.status, e.changed_on, e.doc_no, e.notes)
                         for e in events.get(r.id, []))))
    return out


def list_recognitions(db: Database, carrier_id: int, *, as_of: dt.date | None = None) -> list[RecognitionRecord]:
    """The carrier's recognitions, oldest first."""
    with read_session(db) as session:
        found = list(session.scalars(select(CarrierRecognition).where(CarrierRecognition.carrier_id == carrier_id)
                                     .order_by(CarrierRecognition.recognized_on, CarrierRecognition.id)))
        return _records(session, found, as_of)

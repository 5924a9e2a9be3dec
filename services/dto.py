"""Plain, frozen records that services return to callers (the GUI, commands, reports). No ORM objects leak out."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class EnterpriseInput:
    """What a clerk enters for an enterprise. Blank text is treated as 'not given'."""

    name: str
    uscc: str | None = None
    #: Accept a credit code whose check character is wrong (RULES.md: warn, don't block); audited.
    allow_invalid_uscc: bool = False
    subdistrict_id: int | None = None
    district_id: int | None = None
    address: str | None = None
    registered_on: dt.date | None = None
    registered_capital_wan: Decimal | None = None
    industry_field_code: str | None = None
    legal_person: str | None = None
    contact_person: str | None = None
    contact_phone: str | None = None
    contact_email: str | None = None
    notes: str | None = None
    former_names: tuple[str, ...] = ()


@dataclass(frozen=True)
class EnterpriseRow:
    """One line of the enterprise list."""

    id: int
    name: str
    uscc: str | None
    subdistrict: str | None
    industry_field: str | None
    registered_on: dt.date | None
    deleted: bool


@dataclass(frozen=True)
class EnterpriseDetail:
    id: int
    version: int
    name: str
    uscc: str | None
    uscc_check_override: bool
    #: Registering area from credit-code positions 3–8 ("拱墅区"), or "" when unknown.
    uscc_region: str
    district_id: int | None
    district: str | None
    subdistrict_id: int | None
    subdistrict: str | None
    address: str | None
    registered_on: dt.date | None
    registered_capital_wan: Decimal | None
    industry_field_code: str | None
    industry_field: str | None
    legal_person: str | None
    contact_person: str | None
    contact_phone: str | None
    contact_email: str | None
    notes: str | None
    former_names: tuple[str, ...]
    created_at: dt.datetime
    updated_at: dt.datetime
    deleted_at: dt.datetime | None


@dataclass(frozen=True)
class AuditEntry:
    at: dt.datetime
    user: str
    action: str
    table_name: str
    row_id: str
    field: str | None
    old_value: str | None
    new_value: str | None
    source: str
    batch_id: int | None

"""Reference data loaded when a database is created, from ``resources/reference/*.tsv``.

Loading is idempotent: rows are inserted by their natural key when missing and never overwritten, so a clerk's
own edits of the catalogues survive an upgrade that ships new reference rows.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import (
    CarrierKind,
    District,
    DistrictAlias,
    IndustryField,
    QualificationType,
    Subdistrict,
    SubdistrictAlias,
)
from services.paths import resources_dir

#: The district a new database is set up for until the first-run dialog says otherwise.
DEFAULT_DISTRICT = "拱墅区"


def reference_rows(name: str) -> Iterator[list[str]]:
    """The rows of ``resources/reference/<name>`` (tab-separated; blank lines and ``#`` comments skipped)."""
    path: Path = resources_dir() / "reference" / name
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.reader(fh, delimiter="\t"):
            if not row or row[0].startswith("#"):
                continue
            yield [cell.strip() for cell in row]


def _flag(text: str) -> bool:
    return text == "1"


def _int_or_none(text: str) -> int | None:
    return int(text) if text else None


def load_reference_data(session: Session) -> int:
    """Insert the missing reference rows; returns how many rows were added."""
    added = 0
    districts = {d.name: d for d in session.scalars(select(District))}
    known_aliases = set(session.scalars(select(DistrictAlias.alias)))
    for order, row in enumerate(reference_rows("districts.tsv")):
        name, kind, share, code = row[:4]
        aliases = row[4].split("|") if len(row) > 4 and row[4] else []
        district = districts.get(name)
        if district is None:
            district = District(name=name, kind=kind, city_share_pct=int(share), admin_code=code or None,
                                sort_order=order)
            session.add(district)
            session.flush()
            districts[name] = district
            added += 1
        for alias in aliases:
            if alias not in known_aliases and alias not in districts:
                session.add(DistrictAlias(district_id=district.id, alias=alias))
                known_aliases.add(alias)
                added += 1

    subs = {(s.district_id, s.name): s for s in session.scalars(select(Subdistrict))}
    sub_aliases = {(a.subdistrict_id, a.alias) for a in session.scalars(select(SubdistrictAlias))}
    for order, row in enumerate(reference_rows("subdistricts.tsv")):
        dname, name, kind = row[:3]
        aliases = row[3].split("|") if len(row) > 3 and row[3] else []
        district = districts[dname]
        sub = subs.get((district.id, name))
        if sub is None:
            sub = Subdistrict(district_id=district.id, name=name, kind=kind, sort_order=order)
            session.add(sub)
            session.flush()
            subs[(district.id, name)] = sub
            added += 1
        for alias in aliases:
            if (sub.id, alias) not in sub_aliases:
                session.add(SubdistrictAlias(subdistrict_id=sub.id, alias=alias))
                sub_aliases.add((sub.id, alias))
                added += 1

    fields = set(session.scalars(select(IndustryField.code)))
    for order, (code, name) in enumerate(reference_rows("industry_fields.tsv")):
        if code not in fields:
            session.add(IndustryField(code=code, name=name, sort_order=order))
            added += 1

    types = set(session.scalars(select(QualificationType.code)))
    for order, row in enumerate(reference_rows("qualification_types.tsv")):
        code, name, short, level, body, years, renewable, annual, tiers, lapses = row
        if code not in types:
            session.add(
                QualificationType(
                    code=code, name=name, short_name=short, level=level, granting_body=body or None,
                    validity_years=_int_or_none(years), renewable=_flag(renewable),
                    has_annual_report=_flag(annual), has_tiers=_flag(tiers), lapses_year_end=_flag(lapses),
                    sort_order=order,
                )
            )
            added += 1

    kinds = set(session.scalars(select(CarrierKind.code)))
    for order, row in enumerate(reference_rows("carrier_kinds.tsv")):
        code, name, category = row[:3]
        months = row[3] if len(row) > 3 else ""
        if code not in kinds:
            session.add(CarrierKind(code=code, name=name, category=category,
                                    incubation_months=_int_or_none(months), sort_order=order))
            added += 1
    session.flush()
    return added

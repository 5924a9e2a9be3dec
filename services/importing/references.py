"""Reference data as spreadsheets write it: 属地 through the alias table, industry fields, qualification types.

Every kind that names a 属地 (enterprises, carriers, targets) resolves it here, so "上塘", "上塘街道" and
"拱墅区上塘街道" are the same unit everywhere.
"""

from __future__ import annotations

import unicodedata

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import AppSetting, District, DistrictAlias, IndustryField, QualificationType, Subdistrict, SubdistrictAlias
from models.db import Database
from services.session import read_session
from services.settings import SPECS

#: Common ways subdistrict lists name qualification types, besides the catalogue's own names and short names.
QUALIFICATION_ALIASES = {
    "高新技术企业": "national_hte", "国家高新技术企业": "national_hte", "高企": "national_hte",
    "国家级高新技术企业": "national_hte", "国高新": "national_hte",
    "市高新技术企业": "city_hte", "市级高新技术企业": "city_hte", "市高新": "city_hte",
    "省科技型中小企业": "prov_tsme", "省级科技型中小企业": "prov_tsme",
    "科技型中小企业": "national_tsme", "国家科技型中小企业": "national_tsme", "科小": "national_tsme",
    "雏鹰企业": "city_startup", "雏鹰计划": "city_startup", "科技型初创企业": "city_startup",
    "初创企业": "city_startup",
    "青蓝计划": "qinglan", "旭日计划": "district_growth", "旭日企业": "district_growth",
}


def _key(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


class References:
    """Reference tables loaded once for a plan.

    Attributes:
        subdistrict_names: 属地 id → name.
        subdistrict_district: 属地 id → district id.
        field_names: industry field code → name.
        type_names: qualification type code → short name.
    """

    def __init__(self, session: Session) -> None:
        stored = session.get(AppSetting, "district")
        home_name = stored.value if stored is not None and stored.value else \
            next(s.default for s in SPECS if s.key == "district")
        home = session.scalar(select(District.id).where(District.name == home_name))
        self._subs: dict[str, int] = {}
        #: Texts looked up already (a file repeats its few 属地 on every row).
        self._sub_texts: dict[str, int | None] = {}
        self.subdistrict_names: dict[int, str] = {}
        self.subdistrict_district: dict[int, int] = {}
        subs = session.execute(select(Subdistrict.id, Subdistrict.name, Subdistrict.district_id)).all()
        # The home district's units are added last so that they win a name two districts share.
        for sub_id, name, district_id in sorted(subs, key=lambda s: s.district_id == home):
            self.subdistrict_names[sub_id] = name
            self.subdistrict_district[sub_id] = district_id
            self._subs[_key(name)] = sub_id
            for suffix in ("街道", "镇", "乡"):
                if name.endswith(suffix) and len(name) > len(suffix) + 1:
                    self._subs[_key(name.removesuffix(suffix))] = sub_id
        for sub_id, alias in session.execute(select(SubdistrictAlias.subdistrict_id, SubdistrictAlias.alias)):
            self._subs.setdefault(_key(alias), sub_id)
        districts = session.execute(select(District.name)).scalars().all()
        aliases = session.execute(select(DistrictAlias.alias)).scalars().all()
        self._district_prefixes = sorted({_key(d) for d in [*districts, *aliases]}, key=len, reverse=True)

        self.field_names: dict[str, str] = {}
        self._fields: dict[str, str] = {}
        for code, name in session.execute(select(IndustryField.code, IndustryField.name)):
            self.field_names[code] = name
            self._fields[_key(name)] = code
            self._fields[code] = code
            self._fields.setdefault(_key(name.removesuffix("技术")), code)

        self.type_names: dict[str, str] = {}
        self._types: dict[str, str] = {}
        for code, name, short in session.execute(
                select(QualificationType.code, QualificationType.name, QualificationType.short_name)):
            self.type_names[code] = short
            for text in (code, name, short):
                self._types[_key(text)] = code
        for alias, code in QUALIFICATION_ALIASES.items():
            if code in self.type_names:
                self._types.setdefault(_key(alias), code)

    def subdistrict(self, text: str) -> int | None:
        """The 属地 a text names (name, short name or alias, with or without the district in front), or None."""
        if text in self._sub_texts:
            return self._sub_texts[text]
        found = self._sub_texts[text] = self._find_subdistrict(text)
        return found

    def _find_subdistrict(self, text: str) -> int | None:
        key = _key(text)
        found = self._subs.get(key)
        if found is None:
            for prefix in self._district_prefixes:
                if key.startswith(prefix) and len(key) > len(prefix):
                    found = self._subs.get(key[len(prefix):])
                    if found is not None:
                        break
        return found

    def industry_field(self, text: str) -> str | None:
        return self._fields.get(_key(text))

    def qualification_type(self, text: str) -> str | None:
        return self._types.get(_key(text))


def source_names(db: Database) -> list[str]:
    """The 属地 units a file can come from, in the order of the reference table (for the wizard's 来源 list)."""
    with read_session(db) as session:
        return list(session.scalars(select(Subdistrict.name).where(Subdistrict.active.is_(True))
                                    .order_by(Subdistrict.sort_order, Subdistrict.id)))

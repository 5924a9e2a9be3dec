"""Settings kept in the database (they belong to the bureau, not to one PC): district, bureau, report sign-off and
the statutory marks of the report forms.

Each setting is declared once with its key, default and Chinese label; values are read and written through
:func:`get_settings` and :func:`save_settings`, which validates keys and records changes in the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from models import AppSetting, District
from models.db import Database
from services.errors import ValidationError
from services.session import read_session, unit_of_work
from services.users import Actor, current_actor, require


@dataclass(frozen=True)
class SettingSpec:
    """A setting: key, Chinese label, default, and the least role that may change it."""

    key: str
    label: str
    default: str = ""
    role: str = "clerk"


SPECS = (
    SettingSpec("district", "所属区县", "拱墅区", role="admin"),
    SettingSpec("bureau_name", "单位名称", "杭州市拱墅区科学技术局", role="admin"),
    SettingSpec("report.unit_head", "单位负责人"),
    SettingSpec("report.stats_head", "统计负责人"),
    SettingSpec("report.preparer", "填表人"),
    SettingSpec("report.phone", "联系电话"),
    # The statutory marks printed top-right on report forms (RULES.md §1e); blank prints a blank line.
    SettingSpec("report.unit_uscc", "填报单位统一社会信用代码", role="manager"),
    SettingSpec("report.marks.issuer", "制定机关", role="manager"),
    SettingSpec("report.marks.approval_no", "批准文号", role="manager"),
    SettingSpec("report.marks.valid_until", "有效期至", role="manager"),
    *(SettingSpec(f"report.form_no.{key}", f"表号（{name}）", role="manager") for key, name in (
        ("headline", "主要指标"), ("qualifications", "资质认定"), ("hte_progress", "国高企进度"),
        ("pools", "培育库与预审"), ("carriers", "孵化载体"), ("vouchers", "创新券"), ("payouts", "政策兑现"),
        ("new_hte_list", "新认定国高企名单"), ("league", "属地排名"))),
)
_BY_KEY = {s.key: s for s in SPECS}


def district_names(db: Database) -> list[str]:
    """The districts a database can be set up for, in their reference order."""
    with read_session(db) as session:
        return list(session.scalars(select(District.name).order_by(District.sort_order, District.id)))


def get_settings(db: Database) -> dict[str, str]:
    """Every declared setting with its stored value, or its default."""
    with read_session(db) as session:
        stored = dict(session.execute(select(AppSetting.key, AppSetting.value)).tuples().all())
    return {s.key: stored.get(s.key) or s.default for s in SPECS}


def save_settings(db: Database, values: dict[str, str], *, actor: Actor | None = None) -> dict[str, str]:
    """Store settings; each key needs its spec's role (district and bureau: administrators).

    ``actor`` defaults to the signed-in user (:func:`services.users.current_actor`).
    """
    actor = actor or current_actor()
    unknown = [k for k in values if k not in _BY_KEY]
    if unknown:
        raise ValidationError({k: f"未知的设置项“{k}”" for k in unknown})
    for key in values:
        require(actor, _BY_KEY[key].role, f"修改“{_BY_KEY[key].label}”")
    with unit_of_work(db, user=actor.username, source="settings") as session:
        if "district" in values and session.scalar(select(District.id).where(District.name == values["district"])) \
                is None:
            raise ValidationError({"district": f"“{values['district']}”不是已知的区县"})
        for key, value in values.items():
            row = session.get(AppSetting, key)
            if row is None:
                session.add(AppSetting(key=key, value=value.strip()))
            else:
                row.value = value.strip()
    return get_settings(db)

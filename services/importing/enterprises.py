"""The enterprise list kind: the fields and synonyms of PRODUCT.md, and how its rows are planned and written.

Yearly figures go to ``enterprise_year_fact`` of the header's year (else ``--year``, else last year). The column
资质/拟申报类型/培育类型 names qualification types a subdistrict puts an enterprise forward for; a subdistrict list is
not a certificate (no certification date, batch or number), so each type becomes an open entry of the 申报库
(``pool_entry``, source 街道推荐) for the year after the figures' year — never an ``enterprise_qualification``,
which the register records from the official lists.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from services.importing.normalize import CellError, parse_count, parse_date, parse_money, parse_text, parse_uscc
from services.importing.spec import FieldSpec, ImportKind
from services.text import clean_name, warm_up_pinyin

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from services.audit import AuditContext
    from services.importing.plan import ImportOptions, ParsedRow, Plan, RowPlan
    from services.progress import Progress

_LIST_SPLIT = re.compile(r"[、,;；/|\s]+")


def _text(limit: int, label: str) -> Any:
    def parse(value: Any, _factor: Decimal | None) -> str | None:
        text = parse_text(value)
        if text is not None and len(text) > limit:
            raise CellError("text_too_long", f"{label}不能超过{limit}个字（现有{len(text)}个）")
        return text

    return parse


def _name(value: Any, _factor: Decimal | None) -> str | None:
    text = parse_text(value)
    if text is None:
        return None
    name = clean_name(text)
    if len(name) > 200:
        raise CellError("text_too_long", "企业名称不能超过200个字")
    return name


def _names(value: Any, _factor: Decimal | None) -> tuple[str, ...] | None:
    text = parse_text(value)
    if text is None:
        return None
    names = tuple(dict.fromkeys(clean_name(n) for n in re.split(r"[、;；\n]+", text) if n.strip()))
    return names or None


def _list(value: Any, _factor: Decimal | None) -> tuple[str, ...] | None:
    text = parse_text(value)
    if text is None:
        return None
    return tuple(dict.fromkeys(p for p in _LIST_SPLIT.split(text) if p)) or None


#: Money cells are parsed by parse_money itself (no wrapper call per cell: 250,000 of them in a large list).
_money = parse_money


def _count(value: Any, _factor: Decimal | None) -> int | None:
    return parse_count(value)


def _date(value: Any, _factor: Decimal | None) -> Any:
    return parse_date(value)


def _uscc(value: Any, _factor: Decimal | None) -> str | None:
    return parse_uscc(value)


#: Fields stored on the enterprise row itself (besides name and credit code).
ENTERPRISE_COLUMNS = ("address", "registered_on", "registered_capital_wan", "industry_field_code", "legal_person",
                      "contact_person", "contact_phone", "contact_email", "notes", "subdistrict_id")

FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("name", "企业名称", ("单位名称", "公司名称", "企业全称", "企业(单位)名称", "名称"), _name),
    FieldSpec("uscc", "统一社会信用代码", ("信用代码", "社会信用代码", "纳税人识别号", "统一信用代码", "组织机构代码"),
              _uscc),
    FieldSpec("subdistrict", "属地", ("所属街道", "街道", "镇街", "所在街道", "所属镇街", "街道(园区)", "所属园区",
                                    "街道园区", "所属街道园区", "属地街道"), _text(40, "属地")),
    FieldSpec("registered_on", "注册日期", ("注册时间", "成立日期", "成立时间", "注册成立日期"), _date),
    FieldSpec("industry_field", "行业领域", ("技术领域", "所属领域", "高新技术领域", "所属技术领域"),
              _text(40, "行业领域")),
    FieldSpec("contact_person", "联系人", ("企业联系人", "联系人姓名"), _text(40, "联系人")),
    FieldSpec("contact_phone", "联系电话", ("手机", "电话", "联系方式", "手机号码", "联系人电话"),
              _text(40, "联系电话")),
    FieldSpec("contact_email", "电子邮箱", ("邮箱", "电子邮件", "Email"), _text(80, "电子邮箱")),
    FieldSpec("address", "地址", ("注册地址", "企业地址", "经营地址", "通讯地址"), _text(200, "地址")),
    FieldSpec("legal_person", "法定代表人", ("法人代表", "法人"), _text(40, "法定代表人")),
    FieldSpec("registered_capital_wan", "注册资本", ("注册资金",), _money, money=True),
    FieldSpec("former_names", "曾用名", ("原名称", "企业曾用名"), _names),
    FieldSpec("qualification", "资质", ("拟申报类型", "培育类型", "申报类型", "资质类型"), _list),
    FieldSpec("notes", "备注", ("说明",), _text(2000, "备注")),
    FieldSpec("revenue_wan", "营业收入", ("主营业务收入", "销售收入", "营收", "主营收入"), _money, yearly=True,
              money=True),
    FieldSpec("rd_expense_wan", "研发费用", ("研发投入", "研发经费", "研发费用总额"), _money, yearly=True, money=True),
    FieldSpec("rd_domestic_wan", "境内研发费用", (), _money, yearly=True, money=True),
    FieldSpec("hitech_revenue_wan", "高新技术产品(服务)收入", ("高新技术产品收入", "高品收入"), _money, yearly=True,
              money=True),
    FieldSpec("total_cost_wan", "成本费用总额", (), _money, yearly=True, money=True),
    FieldSpec("net_assets_wan", "净资产", (), _money, yearly=True, money=True),
    FieldSpec("total_assets_wan", "资产总额", ("总资产",), _money, yearly=True, money=True),
    FieldSpec("staff_avg", "职工人数", ("从业人员", "从业人员数", "职工总数", "员工人数"), _count, yearly=True),
    FieldSpec("st_staff_avg", "科技人员数", ("科技人员", "研发人员", "研发人员数"), _count, yearly=True),
    FieldSpec("ip_class1", "Ⅰ类知识产权", ("知识产权Ⅰ类", "Ⅰ类", "一类知识产权", "I类知识产权"), _count, yearly=True),
    FieldSpec("ip_class2", "Ⅱ类知识产权", ("知识产权Ⅱ类", "Ⅱ类", "二类知识产权", "II类知识产权"), _count, yearly=True),
    FieldSpec("invention_patents_granted", "发明专利授权数", ("发明专利", "授权发明专利"), _count, yearly=True),
)
#: Yearly figure fields, in the order of ``enterprise_year_fact``.
FACT_FIELDS = tuple(f.key for f in FIELDS if f.yearly)


class EnterpriseKind(ImportKind):
    """Enterprise lists from subdistricts and parks."""

    key = "enterprises"
    label = "企业"
    fields = FIELDS
    required = ("name",)

    def warm_up(self) -> None:
        warm_up_pinyin()  # the initials of new enterprises

    def load(self, session: Session, options: ImportOptions) -> Any:
        from services.importing.enterprise_plan import Loaded

        self.warm_up()
        return Loaded(session)

    def plan_rows(self, session: Session, rows: list[ParsedRow], options: ImportOptions,
                  progress: Progress | None, loaded: Any = None) -> list[RowPlan]:
        from services.importing.enterprise_plan import plan_enterprise_rows

        return plan_enterprise_rows(self, session, rows, options, progress, loaded)

    def write(self, session: Session, ctx: AuditContext, plan: Plan, progress: Progress | None) -> None:
        from services.importing.enterprise_writer import write_enterprises

        write_enterprises(session, ctx, plan, progress)

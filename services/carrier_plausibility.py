"""The checks a reviewer makes on a carrier's periodic statistics, as pure functions (no database).

Shared by the statistics grid (:mod:`services.carrier_stats`) and the ``carrier_stats`` import. A finding never
stops a save or an import row; it is shown with its reason. Impossible values (negative counts and amounts) are not
findings: they are refused where they are entered.

- 新增 > 在孵 and 毕业 > 在孵: "其中" figures larger than the whole (red for 新增, which is part of 在孵; yellow for
  毕业, since graduates have left by the end of the period, but a reviewer still asks).
- 就业人数 < 在孵企业数: fewer than one person per tenant (yellow; the Torch system's logic check).
- A figure at least :data:`OUT_OF_LINE` times above or below the carrier's usual level (red): the median of all its
  periods when there are three or more (so one slip does not make the others look wrong), else the other period;
  the typical 元 / 万元 slip is 10,000×.
- 累计总投资 per ㎡ of floor area above :data:`MAX_INVESTMENT_PER_M2_WAN` (red): more than twenty times what
  building and fitting out the most expensive office space costs; the 2018 city table's 临安市阿凡提企业管理有限公司
  (507,000万元 for 11,200㎡, 45万元/㎡) is such a case, almost certainly a unit error.

Blank is not 0: a blank figure is never checked as if it were 0 and is shown as 未填.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from statistics import median

#: A figure this many times off the carrier's usual one is out of line.
OUT_OF_LINE = 1000
#: 累计总投资 per ㎡ (万元) above which the investment is implausible for the floor area: 10万元/㎡ = 100,000元/㎡.
MAX_INVESTMENT_PER_M2_WAN = Decimal(10)

#: The figures of a statistics record: key → (label, unit). Amounts in 万元, areas in ㎡.
STAT_FIELDS: dict[str, tuple[str, str]] = {
    "investment_total_wan": ("累计总投资", "万元"),
    "floor_area_m2": ("总建筑面积", "㎡"),
    "incubating_count": ("在孵企业数", "家"),
    "new_count": ("当年新增孵化企业数", "家"),
    "graduated_count": ("当年毕业企业数", "家"),
    "exited_count": ("退出企业数", "家"),
    "employees": ("在孵企业从业人数", "人"),
    "ip_count": ("知识产权数", "件"),
    "revenue_wan": ("在孵企业总收入", "万元"),
    "financing_wan": ("获得融资", "万元"),
    "events_count": ("创新创业活动", "场"),
    "mentors": ("创业导师", "人"),
    "vacancy_m2": ("空置面积", "㎡"),
}
COUNT_FIELDS = ("incubating_count", "new_count", "graduated_count", "exited_count", "employees", "ip_count",
                "events_count", "mentors")
Figures = Mapping[str, "Decimal | int | None"]


@dataclass(frozen=True)
class Finding:
    """One thing a reviewer would question.

    Attributes:
        field: The figure concerned.
        severity: ``red`` (almost certainly wrong) or ``yellow`` (unusual, please confirm).
        message: The reason, in Chinese, with the numbers.
    """

    field: str
    severity: str
    message: str


def label(key: str) -> str:
    return STAT_FIELDS[key][0]


def show_number(value: Decimal | int) -> str:
    """A figure as a reviewer reads it: separators, no trailing zeros."""
    if isinstance(value, int):
        return f"{value:,}"
    text = f"{value.normalize():,f}"
    return text


def negatives(figures: Figures) -> dict[str, str]:
    """Impossible values: {field: reason} for every negative figure."""
    return {k: f"{label(k)}不能为负数（{show_number(v)}）" for k, v in figures.items()
            if k in STAT_FIELDS and v is not None and v < 0}


def _times(ratio: Decimal) -> str:
    return f"{ratio:,.0f}" if ratio >= 10 else f"{ratio:.1f}"


def check(figures: Figures, others: Sequence[Figures] = (), *, area_m2: Decimal | None = None) -> list[Finding]:
    """The findings on one period's figures.

    Args:
        figures: The period's figures by key (blank = None or absent).
        others: The same carrier's other periods, to compare with.
        area_m2: The carrier's registered area, compared with the reported floor area.
    """
    found: list[Finding] = []
    incubating = figures.get("incubating_count")
    for key, severity in (("new_count", "red"), ("graduated_count", "yellow")):
        value = figures.get(key)
        if value is not None and incubating is not None and value > incubating:
            found.append(Finding(key, severity, f"{label(key)}（{value:,}）大于在孵企业数（{incubating:,}）"))
    employees = figures.get("employees")
    if employees is not None and incubating and employees < incubating:
        found.append(Finding("employees", "yellow",
                             f"从业人数（{employees:,}）少于在孵企业数（{incubating:,}），平均每家不足1人"))
    investment, floor = figures.get("investment_total_wan"), figures.get("floor_area_m2") or area_m2
    if investment is not None and floor:
        per_m2 = Decimal(investment) / Decimal(floor)
        if per_m2 > MAX_INVESTMENT_PER_M2_WAN:
            found.append(Finding("investment_total_wan", "red",
                                 f"累计总投资 {show_number(investment)} 万元，按面积 {show_number(floor)} ㎡ "
                                 f"折合每平方米 {per_m2:,.2f} 万元，明显偏高，请核对单位（元/万元）"))
    for key in STAT_FIELDS:
        value = figures.get(key)
        usual = [Decimal(o[key]) for o in others if o.get(key)]  # type: ignore[arg-type]
        if key == "floor_area_m2" and area_m2:
            usual = usual or [area_m2]
        if not value or not usual or any(f.field == key and f.severity == "red" for f in found):
            continue
        typical = Decimal(median([*usual, Decimal(value)] if len(usual) >= 2 else usual))
        ratio = Decimal(value) / typical
        if ratio >= OUT_OF_LINE or ratio * OUT_OF_LINE <= 1:
            way = f"{_times(ratio)} 倍" if ratio >= 1 else f"1/{_times(1 / ratio)}"
            found.append(Finding(key, "red", f"{label(key)} {show_number(value)}{STAT_FIELDS[key][1]}，是该载体"
                                             f"通常水平（{show_number(typical)}）的 {way}，请核对单位"))
    return found

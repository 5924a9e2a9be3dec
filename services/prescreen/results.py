"""What an evaluation returns: per criterion pass / fail / unknown with figures, threshold, margin and missing data,
the score as a band, the 直通车 routes, and the overall verdict. Plain frozen records, with a JSON form.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import Any

from services.prescreen.numbers import span

#: How the names of missing items start, by what the clerk can do about them: a figure to enter has no prefix.
CONFIRM = "待确认："
FILL_IN = "待填："
EXPERT = "专家评分："


class Status(enum.StrEnum):
    PASS = "pass"
    FAIL = "fail"
    UNKNOWN = "unknown"


STATUS_TEXT = {Status.PASS: "符合", Status.FAIL: "不符合", Status.UNKNOWN: "待定"}


class Verdict(enum.StrEnum):
    QUALIFIES = "qualifies"
    DOES_NOT_QUALIFY = "does_not_qualify"
    CANNOT_TELL = "cannot_tell"


#: The words of ``pre_review.verdict`` as well.
VERDICT_TEXT = {Verdict.QUALIFIES: "符合", Verdict.DOES_NOT_QUALIFY: "不符合", Verdict.CANNOT_TELL: "待定"}


class MarginUnit(enum.StrEnum):
    """The unit of a criterion's margin; near-miss tolerances exist for percentage points and points."""

    PERCENTAGE_POINTS = "个百分点"
    POINTS = "分"
    DAYS = "天"
    PERSONS = "人"
    WAN = "万元"
    ITEMS = "件"


@dataclass(frozen=True)
class Figure:
    """A figure the evaluation used.

    Attributes:
        label: What it is, e.g. 营业收入.
        value: The value (Decimal for money and ratios, int for counts, text for dates and choices), None if missing.
        unit: 万元, 人, 件, %, 天 … ('' for text).
        year: The year it belongs to (a sum over years: the last one, with ``years`` naming the whole period).
        years: All the years summed into ``value`` (empty for a single year or no year).
        text: The figure as shown: "2025年营业收入 3,000万元".
    """

    label: str
    value: Decimal | int | str | None
    unit: str
    year: int | None
    text: str
    years: tuple[int, ...] = ()


@dataclass(frozen=True)
class Margin:
    """How far a figure is from its threshold.

    Attributes:
        amount: The distance, never negative, in ``unit``.
        unit: The criterion's own unit.
        short: True for a shortfall (the criterion fails by this much), False for a surplus.
        money_wan: For a shortfall that money can close: the 万元 needed (e.g. extra R&D expense), else None.
        money_label: What the money is, e.g. 研发投入.
        text: "差 0.7 个百分点 ≈ 35万元研发投入" or "高出 1.2 个百分点".
    """

    amount: Decimal
    unit: MarginUnit
    short: bool
    text: str
    money_wan: Decimal | None = None
    money_label: str | None = None


@dataclass(frozen=True)
class CriterionResult:
    """The outcome of one condition.

    Attributes:
        key: The criterion's key in the rule set.
        label: Its name, e.g. 研发费用占比.
        status: pass / fail / unknown.
        basic: A basic condition (科小 conditions 1–4: needed for 直通车 too).
        value_text: The computed value as shown ("4.3%"), '' when unknown.
        threshold: The requirement as shown ("≥ 5%（最近一年营业收入 ≤ 5,000万元）").
        figures: The figures used, with their years.
        margin: Distance from the threshold, when the value is known.
        missing: Data that is needed and not there, named for the clerk ("2024年营业收入").
        explanation: One sentence saying it all.
        basis: Where the rule comes from (办法第十一条（五）).
        note: A caveat from the rule set.
    """

    key: str
    label: str
    status: Status
    basic: bool
    value_text: str
    threshold: str
    figures: tuple[Figure, ...]
    margin: Margin | None
    missing: tuple[str, ...]
    explanation: str
    basis: str = ""
    note: str = ""


class ScoreBasis(enum.StrEnum):
    """How a score item's points were found."""

    COMPUTED = "computed"
    ESTIMATE = "estimate"
    EXPERT = "expert"
    MISSING = "missing"


SCORE_BASIS_TEXT = {ScoreBasis.COMPUTED: "按数据计算", ScoreBasis.ESTIMATE: "办事员估计",
                    ScoreBasis.EXPERT: "专家评审区间", ScoreBasis.MISSING: "缺少数据"}


@dataclass(frozen=True)
class ScoreItemResult:
    key: str
    label: str
    group: str
    low: Decimal
    high: Decimal
    maximum: Decimal
    basis: ScoreBasis
    explanation: str
    figures: tuple[Figure, ...] = ()
    missing: tuple[str, ...] = ()
    #: What would narrow the band: an expert estimate to give and the missing data.
    pending: tuple[str, ...] = ()


@dataclass(frozen=True)
class ScoreGroupResult:
    key: str
    label: str
    low: Decimal
    high: Decimal
    maximum: Decimal


@dataclass(frozen=True)
class ScoreResult:
    """The score as a band: exact when ``low == high``."""

    low: Decimal
    high: Decimal
    maximum: Decimal
    groups: tuple[ScoreGroupResult, ...]
    items: tuple[ScoreItemResult, ...]

    @property
    def exact(self) -> bool:
        return self.low == self.high

    @cached_property
    def text(self) -> str:
        return f"{span(self.low, self.high)} 分"

    def item(self, key: str) -> ScoreItemResult:
        return next(i for i in self.items if i.key == key)


@dataclass(frozen=True)
class RouteResult:
    """One 直通车 route: holds (pass), does not hold (fail), or not confirmed (unknown)."""

    key: str
    label: str
    status: Status
    explanation: str


@dataclass(frozen=True)
class Evaluation:
    """An enterprise against one rule set version.

    Attributes:
        year: The application year (申报年度); figures come from the accounting years before it.
        as_of: The application date the rules were applied at (registration age, valid certificates, version).
        score: The score band, None when the rule set has no score.
        direct_route: Label of the 直通车 route that made it qualify, if one did.
        near_miss: Fails only by a little (every failing criterion within the rule set's tolerance).
        inputs: The clerk's answers used (key → value).
        inputs_from: Date of the saved pre-review the answers were carried over from, None if given now or none.
        overrides: What-if figures that replaced stored ones ("2025年研发费用 → 300万元"), empty for real data.
    """

    enterprise_id: int | None
    name: str
    uscc: str | None
    subdistrict: str | None
    rule_code: str
    rule_version: str
    rule_name: str
    year: int
    as_of: dt.date
    verdict: Verdict
    criteria: tuple[CriterionResult, ...]
    score: ScoreResult | None
    routes: tuple[RouteResult, ...]
    direct_route: str | None
    near_miss: bool
    inputs: tuple[tuple[str, Any], ...] = ()
    inputs_from: dt.date | None = None
    overrides: tuple[str, ...] = ()

    @property
    def verdict_text(self) -> str:
        return VERDICT_TEXT[self.verdict]

    def criterion(self, key: str) -> CriterionResult:
        return next(c for c in self.criteria if c.key == key)

    @property
    def failing(self) -> tuple[CriterionResult, ...]:
        return tuple(c for c in self.criteria if c.status is Status.FAIL)

    @property
    def unknown(self) -> tuple[CriterionResult, ...]:
        return tuple(c for c in self.criteria if c.status is Status.UNKNOWN)

    @property
    def missing(self) -> tuple[str, ...]:
        """Every piece of missing data, once, in criterion order."""
        seen: dict[str, None] = {}
        for c in self.criteria:
            for m in c.missing:
                seen.setdefault(m, None)
        return tuple(seen)

"""The score of a rule set (``[score]``): groups of items, each item a band of points (exact when low == high).

Item kinds (resources/rules/README.md has the reference):

- ``expert`` — judged by experts: 0 … ``max`` unless the clerk gives an estimate (``input`` of kind points);
- ``ip_bands`` — points by the last year's Ⅰ类 / Ⅱ类 IP counts (first band that matches);
- ``choice`` — points by the clerk's answer to a choice ``input`` (国高企 获得方式: 自主研发 1–6, 仅受让 1–3);
- ``input_bands`` — points by a number the clerk gives (国高企 成果转化: yearly average of conversions);
- ``growth`` — the 企业成长性 growth rate of a figure over three years, computed exactly with the edge rules;
- ``share_bands`` — points by a ratio of figures; with several ``options`` the best one counts (科小 R&D).

An item with ``needs_ip = true`` scores 0 when the enterprise is known to own no IP.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from services.prescreen.criteria import question
from services.prescreen.facts import Context, Value, value_text
from services.prescreen.inputs import InputSpec
from services.prescreen.numbers import number, pct, span, years_text
from services.prescreen.reader import Reader
from services.prescreen.results import (
    CONFIRM,
    EXPERT,
    FILL_IN,
    ScoreBasis,
    ScoreGroupResult,
    ScoreItemResult,
    ScoreResult,
)
from services.qualifications import FACT_LABELS

ZERO = Decimal(0)


@dataclass(frozen=True)
class Band:
    """Points for values that meet every condition given (a band without conditions matches everything)."""

    low: Decimal
    high: Decimal
    at_least: Decimal | None = None
    above: Decimal | None = None
    counts: tuple[tuple[str, int], ...] = ()
    #: The bounds are ratios, shown as percentages.
    percent: bool = False

    def matches(self, value: Decimal) -> bool:
        return (self.at_least is None or value >= self.at_least) and (self.above is None or value > self.above)

    def matches_share(self, num: Decimal | int, den: Decimal | int) -> bool:
        """``num ÷ den`` in the band, compared exactly by cross-multiplication (den > 0)."""
        return (self.at_least is None or num >= self.at_least * den) and (self.above is None or num > self.above * den)

    def matches_counts(self, counts: Mapping[str, int]) -> bool:
        return all(counts[name] >= minimum for name, minimum in self.counts)

    @cached_property
    def points(self) -> str:
        return f"{span(self.low, self.high)} 分"

    @cached_property
    def condition(self) -> str:
        """'≥ 35%', '> 0%', '≥ 5', 'Ⅰ类 ≥ 1 件', or '未达最低档' for the band without conditions."""
        parts = []
        for sign, bound in (("≥", self.at_least), (">", self.above)):
            if bound is not None:
                parts.append(f"{sign} {pct(bound) if self.percent else number(bound)}")
        parts += [f"{FACT_LABELS[name]} ≥ {minimum} 件" for name, minimum in self.counts]
        return "，".join(parts) or "未达最低档"


def read_bands(r: Reader, mode: str) -> tuple[Band, ...]:
    """``bands``: in ``mode`` 'pct' (at_least_pct / above_pct), 'number' (at_least / above) or 'counts'."""
    bands = []
    for b in r.tables("bands"):
        low, high = b.points("points")
        if mode == "pct":
            band = Band(low, high, b.percent("at_least_pct", None), b.percent("above_pct", None), percent=True)
        elif mode == "number":
            band = Band(low, high, b.decimal("at_least", None), b.decimal("above", None))
        else:
            counts = b.mapping("counts_at_least") if b.has("counts_at_least") else {}
            for name, minimum in counts.items():
                if name not in ("ip_class1", "ip_class2") or not isinstance(minimum, int) or minimum < 0:
                    raise b.fail("counts_at_least", "只能写 ip_class1 / ip_class2 = 非负整数")
            band = Band(low, high, counts=tuple(counts.items()))
        b.done()
        bands.append(band)
    last = bands[-1]
    if last.at_least is not None or last.above is not None or last.counts:
        raise r.fail("bands", "最后一档应不带条件（其余情况的分值）")
    return tuple(bands)


@dataclass(frozen=True)
class ScoreItem(ABC):
    key: str
    label: str
    group: str
    needs_ip: bool

    @property
    @abstractmethod
    def maximum(self) -> Decimal:
        """The most points the item can give."""

    @abstractmethod
    def score(self, ctx: Context) -> ScoreItemResult:
        """The item's band for the enterprise of ``ctx``."""

    @cached_property
    def _expert_texts(self) -> dict[tuple[Decimal, Decimal], str]:
        return {}

    def result(self, low: Decimal, high: Decimal, basis: ScoreBasis, explanation: str,
               missing: tuple[str, ...] = ()) -> ScoreItemResult:
        pending = missing
        if basis is ScoreBasis.EXPERT and low != high:
            text = self._expert_texts.get((low, high))
            if text is None:
                text = self._expert_texts[low, high] = \
                    f"{EXPERT}{self.label}（{number(low)}–{number(high)} 分，可填估计分）"
            pending = (text, *missing)
        return ScoreItemResult(key=self.key, label=self.label, group=self.group, low=low, high=high,
                               maximum=self.maximum, basis=basis, explanation=explanation, missing=missing,
                               pending=pending)

    def evaluate(self, ctx: Context) -> ScoreItemResult:
        if self.needs_ip:
            year = ctx.last_year
            c1, c2 = ctx.value(year, "ip_class1"), ctx.value(year, "ip_class2")
            if c1 == 0 and c2 == 0:
                return self.result(ZERO, ZERO, ScoreBasis.COMPUTED, f"{year}年无知识产权，此项 0 分")
        return self.score(ctx)


@dataclass(frozen=True)
class Expert(ScoreItem):
    points_max: Decimal
    estimate: InputSpec | None

    @property
    def maximum(self) -> Decimal:
        return self.points_max

    @cached_property
    def _open(self) -> ScoreItemResult:
        """The result without an estimate: the same for every enterprise, so made once."""
        return self.result(ZERO, self.points_max, ScoreBasis.EXPERT, f"由专家评审，0–{number(self.points_max)} 分")

    def score(self, ctx: Context) -> ScoreItemResult:
        value = ctx.inputs.get(self.estimate.key) if self.estimate else None
        if value is not None:
            return self.result(value, value, ScoreBasis.ESTIMATE, f"办事员估计 {number(value)} 分")
        return self._open


@dataclass(frozen=True)
class Banded(ScoreItem):
    """An item whose points come from bands."""

    bands: tuple[Band, ...]

    @property
    def maximum(self) -> Decimal:
        return max(b.high for b in self.bands)


@dataclass(frozen=True)
class IpBands(Banded):

    @cached_property
    def _known(self) -> dict[tuple[int, Value, Value], ScoreItemResult]:
        """Results by (year, Ⅰ类, Ⅱ类): few distinct counts recur across a register."""
        return {}

    def score(self, ctx: Context) -> ScoreItemResult:
        year = ctx.last_year
        raw = {name: ctx.value(year, name) for name in ("ip_class1", "ip_class2")}
        key = (year, raw["ip_class1"], raw["ip_class2"])
        known = self._known.get(key)
        if known is None:
            known = self._known[key] = self._score(ctx, year, raw)
        return known

    def _score(self, ctx: Context, year: int, raw: dict[str, Value]) -> ScoreItemResult:
        counts = {name: int(v or 0) for name, v in raw.items()}
        band = next(b for b in self.bands if b.matches_counts(counts))
        shown = f"{year}年Ⅰ类 {counts['ip_class1']} 件、Ⅱ类 {counts['ip_class2']} 件"
        missing = tuple(ctx.missing_label(year, n) for n, v in raw.items() if v is None)
        if missing:
            return self.result(band.low, self.maximum, ScoreBasis.MISSING,
                               f"缺少{'、'.join(missing)}，按已知数据至少 {number(band.low)} 分", missing)
        basis = ScoreBasis.COMPUTED if band.low == band.high else ScoreBasis.EXPERT
        return self.result(band.low, band.high, basis, f"{shown}（{band.condition}），{band.points}")


@dataclass(frozen=True)
class Choice(ScoreItem):
    question: InputSpec
    options: Mapping[str, tuple[Decimal, Decimal]]

    @property
    def maximum(self) -> Decimal:
        return max(high for _, high in self.options.values())

    @cached_property
    def _unanswered(self) -> ScoreItemResult:
        low = min(low for low, _ in self.options.values())
        return self.result(low, self.maximum, ScoreBasis.EXPERT,
                           f"待确认“{self.question.label}”，{number(low)}–{number(self.maximum)} 分",
                           (f"{CONFIRM}{self.question.label}",))

    def score(self, ctx: Context) -> ScoreItemResult:
        answer = ctx.inputs.get(self.question.key)
        if answer is None:
            return self._unanswered
        low, high = self.options[answer]
        basis = ScoreBasis.ESTIMATE if low == high else ScoreBasis.EXPERT
        return self.result(low, high, basis, f"{self.question.text(answer)}，{span(low, high)} 分")


@dataclass(frozen=True)
class InputBands(Banded):
    question: InputSpec

    @cached_property
    def _unanswered(self) -> ScoreItemResult:
        return self.result(ZERO, self.maximum, ScoreBasis.MISSING, f"待填“{self.question.label}”",
                           (f"{FILL_IN}{self.question.label}",))

    def score(self, ctx: Context) -> ScoreItemResult:
        value = ctx.inputs.get(self.question.key)
        if value is None:
            return self._unanswered
        band = next(b for b in self.bands if b.matches(value))
        basis = ScoreBasis.ESTIMATE if band.low == band.high else ScoreBasis.EXPERT
        return self.result(band.low, band.high, basis,
                           f"{self.question.label} {number(value)}（{band.condition}），{band.points}")


def growth_rate(values: tuple[tuple[int, Decimal], ...]) -> tuple[Decimal | None, str]:
    """The 企业成长性 growth rate of RULES.md §1a with its edge rules, and how it was worked out.

    ``values`` are (year, value) of the years the enterprise operated among the three (oldest first).

    Returns:
        (rate, explanation); rate None means the item scores 0 for the reason given (a zero second year, fewer
        than two years).
    """
    texts = [number(v) for _, v in values]
    shown = "，".join(f"{y}年 {t}" for (y, _), t in zip(values, texts, strict=True))
    if len(values) == 3:
        (_, v1), (_, v2), (_, v3) = values
        t1, t2, t3 = texts
        if v2 == 0:
            return None, f"{shown}：第二年为 0，得 0 分"
        if v1 != 0:
            rate = (v2 / v1 + v3 / v2) / 2 - 1
            return rate, f"{shown}：1/2 × ({t2}/{t1} + {t3}/{t2}) − 1 = {pct(rate)}"
        values, texts, shown = values[1:], texts[1:], f"{shown}：第一年为 0，按后两年计算"
    elif len(values) == 2:
        shown = f"{shown}（经营不足三年，按实际年限计算）"
    else:
        return None, f"{shown or '无数据'}：经营不足两个会计年度，无法计算增长率，得 0 分"
    (_, a), (_, b) = values
    if a == 0:
        return None, f"{shown}：前一年为 0，得 0 分"
    rate = b / a - 1
    return rate, f"{shown}：{texts[1]}/{texts[0]} − 1 = {pct(rate)}"


@dataclass(frozen=True)
class Growth(Banded):
    field: str

    def score(self, ctx: Context) -> ScoreItemResult:
        years = ctx.period(3)
        missing = tuple(ctx.missing_label(y, self.field) for y in years if ctx.value(y, self.field) is None)
        if missing:
            return self.result(ZERO, self.maximum, ScoreBasis.MISSING, f"缺少{'、'.join(missing)}", missing)
        values = tuple((y, Decimal(ctx.value(y, self.field))) for y in years)  # type: ignore[arg-type]
        rate, how = growth_rate(values)
        if rate is None:
            return self.result(ZERO, ZERO, ScoreBasis.COMPUTED, how)
        band = next(b for b in self.bands if b.matches(rate))
        return self.result(band.low, band.high, ScoreBasis.COMPUTED, f"{how}（{band.condition}），{band.points}")


@dataclass(frozen=True)
class ShareOption:
    numerator: str
    denominator: str
    bands: tuple[Band, ...]


@dataclass(frozen=True)
class ShareBands(ScoreItem):
    years: int
    options: tuple[ShareOption, ...]

    @property
    def maximum(self) -> Decimal:
        return max(b.high for o in self.options for b in o.bands)

    def _option(self, ctx: Context, option: ShareOption) -> tuple[Decimal | None, str, tuple[str, ...]]:
        period = ctx.period(self.years)
        num, m1 = ctx.total(option.numerator, period)
        den, m2 = ctx.total(option.denominator, period)
        name = f"{FACT_LABELS[option.numerator]} ÷ {FACT_LABELS[option.denominator]}"
        if not period or num is None or den is None:
            return None, f"{name}：缺少数据", m1 + m2
        if den == 0:
            return ZERO, f"{name}：{FACT_LABELS[option.denominator]}为 0，0 分", ()
        band = next(b for b in option.bands if b.matches_share(num, den))
        ratio = Decimal(num) / Decimal(den)
        return band.low, (f"{name} = {value_text(option.numerator, num)} ÷ {value_text(option.denominator, den)} = "
                          f"{pct(ratio)}（{years_text(period)}，{band.condition}）→ {band.points}"), ()

    def score(self, ctx: Context) -> ScoreItemResult:
        outcomes = [self._option(ctx, o) for o in self.options]
        known = [points for points, _, _ in outcomes if points is not None]
        missing = tuple(m for _, _, ms in outcomes for m in ms)
        low = max(known, default=ZERO)
        high = max([low] + [max(b.high for b in o.bands) for o, (p, _, _) in zip(self.options, outcomes,
                                                                                  strict=True) if p is None])
        explanation = "；".join(text for _, text, _ in outcomes)
        if len(self.options) > 1:
            explanation += f"；取较高者 {number(low)} 分" if not missing else ""
        basis = ScoreBasis.COMPUTED if low == high else ScoreBasis.MISSING
        return self.result(low, high, basis, explanation, missing if low != high else ())


@dataclass(frozen=True)
class ScoreGroup:
    key: str
    label: str
    maximum: Decimal
    items: tuple[ScoreItem, ...]


@dataclass(frozen=True)
class ScoreSpec:
    groups: tuple[ScoreGroup, ...]

    @cached_property
    def maximum(self) -> Decimal:
        return sum((g.maximum for g in self.groups), ZERO)

    @property
    def item_keys(self) -> frozenset[str]:
        return frozenset(i.key for g in self.groups for i in g.items)

    def evaluate(self, ctx: Context) -> ScoreResult:
        """Every item's band, each group's sum capped at its maximum, and the total."""
        items: list[ScoreItemResult] = []
        groups: list[ScoreGroupResult] = []
        total_low = total_high = ZERO
        for group in self.groups:
            low = high = ZERO
            for item in group.items:
                result = item.evaluate(ctx)
                items.append(result)
                low += result.low
                high += result.high
            low, high = min(low, group.maximum), min(high, group.maximum)
            total_low += low
            total_high += high
            groups.append(ScoreGroupResult(group.key, group.label, low, high, group.maximum))
        return ScoreResult(low=total_low, high=total_high, maximum=self.maximum, groups=tuple(groups),
                           items=tuple(items))


def _fact(r: Reader, key: str) -> str:
    name = r.text(key)
    if name not in FACT_LABELS:
        raise r.fail(key, f"不是年度数据字段（可用：{'、'.join(FACT_LABELS)}）")
    return name


def _share_bands(r: Reader, common: dict, inputs: Mapping[str, InputSpec]) -> ScoreItem:
    options = []
    for o in r.tables("options"):
        options.append(ShareOption(_fact(o, "numerator"), _fact(o, "denominator"), read_bands(o, "pct")))
        o.done()
    return ShareBands(**common, years=r.integer("years", 1, minimum=1), options=tuple(options))


def _choice(r: Reader, common: dict, inputs: Mapping[str, InputSpec]) -> ScoreItem:
    spec = question(r, inputs, ("choice",))
    points = r.table("points")
    options = {value: points.points(value) for value, _ in spec.options}
    points.done()
    return Choice(**common, question=spec, options=options)


def _expert(r: Reader, common: dict, inputs: Mapping[str, InputSpec]) -> ScoreItem:
    estimate = question(r, inputs, ("points",)) if r.has("input") else None
    maximum = r.decimal("max")
    if estimate is not None and estimate.maximum != maximum:
        raise r.fail("input", f"估计分“{estimate.key}”的 max 应与此项 max（{number(maximum)}）相同")
    return Expert(**common, points_max=maximum, estimate=estimate)


ITEM_KINDS = {
    "expert": _expert,
    "ip_bands": lambda r, c, i: IpBands(**c, bands=read_bands(r, "counts")),
    "choice": _choice,
    "input_bands": lambda r, c, i: InputBands(**c, question=question(r, i, ("number",)),
                                              bands=read_bands(r, "number")),
    "growth": lambda r, c, i: Growth(**c, field=_fact(r, "field"), bands=read_bands(r, "pct")),
    "share_bands": _share_bands,
}


def read_score(r: Reader, inputs: Mapping[str, InputSpec]) -> ScoreSpec:
    """The ``[score]`` section: ``[[score.groups]]`` each with ``[[score.groups.items]]``."""
    groups = []
    for g in r.tables("groups"):
        key = g.text("key")
        items = []
        for i in g.tables("items"):
            kind = i.choice("kind", tuple(ITEM_KINDS))
            common = {"key": i.text("key"), "label": i.text("label"), "group": key,
                      "needs_ip": i.boolean("needs_ip", False)}
            items.append(ITEM_KINDS[kind](i, common, inputs))
            i.done()
        groups.append(ScoreGroup(key, g.text("label"), g.decimal("max"), tuple(items)))
        g.done()
    keys = [i.key for g in groups for i in g.items]
    if len(keys) != len(set(keys)):
        raise r.fail("groups", "评分项的 key 不能重复")
    r.done()
    return ScoreSpec(tuple(groups))

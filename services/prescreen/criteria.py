"""The kinds of condition a rule set can list (``[[criteria]]``), each with its settings and its check.

A rule file chooses a kind and gives its settings; a new version with other thresholds, brackets or fields needs no
code. The kinds (resources/rules/README.md has the reference):

- ``registered_days`` — registered at least ``min_days`` before the application date;
- ``ip_owned`` — owns at least one Ⅰ类 or Ⅱ类 IP item (last accounting year);
- ``field_in`` — technology field among ``fields``;
- ``share`` — numerator ÷ denominator over ``years`` (summed) at least ``min_pct``, or a threshold picked by
  ``brackets`` on a last-year figure (R&D ÷ revenue: 5 / 4 / 3%);
- ``at_most`` — a last-year figure at most ``max`` (科小: staff ≤ 500 …);
- ``declaration`` — the clerk confirms a yes/no ``input``;
- ``score_at_least`` — the score band reaches ``min``;
- ``score_item_nonzero`` — one score item is not zero (科小: 科技人员 indicator).
"""

from __future__ import annotations

import datetime as dt
import math
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import ClassVar

from services.prescreen.facts import MONEY_FIELDS, Context, unit_of, value_text
from services.prescreen.inputs import InputSpec
from services.prescreen.numbers import money_up, number, pct, points_gap, span, wan, years_text
from services.prescreen.reader import Reader
from services.prescreen.results import (
    CONFIRM,
    CriterionResult,
    Figure,
    Margin,
    MarginUnit,
    ScoreResult,
    Status,
)
from services.qualifications import FACT_LABELS


@dataclass(frozen=True)
class Criterion(ABC):
    """Settings every condition has.

    Attributes:
        basic: A basic condition: needed for a 直通车 route as well (科小 conditions 1–4).
        basis: The article it comes from.
        note: A caveat shown with the result.
    """

    key: str
    label: str
    basic: bool
    basis: str
    note: str
    #: The condition reads the score (the rule set needs a [score] section).
    needs_score: ClassVar[bool] = False

    @abstractmethod
    def evaluate(self, ctx: Context, score: ScoreResult | None) -> CriterionResult:
        """Check the condition for the enterprise of ``ctx``."""

    def result(self, status: Status, explanation: str, *, value_text: str = "", threshold: str = "",
               figures: tuple[Figure, ...] = (), margin: Margin | None = None,
               missing: tuple[str, ...] = ()) -> CriterionResult:
        return CriterionResult(key=self.key, label=self.label, status=status, basic=self.basic,
                               value_text=value_text, threshold=threshold, figures=figures, margin=margin,
                               missing=missing, explanation=explanation, basis=self.basis, note=self.note)


def _fact_field(r: Reader, key: str) -> str:
    name = r.text(key)
    if name not in FACT_LABELS:
        raise r.fail(key, f"不是年度数据字段（可用：{'、'.join(FACT_LABELS)}）")
    return name


def _figure(name: str, value: Decimal | int, years: tuple[int, ...], shown: str | None = None) -> Figure:
    """A figure of the register; ``shown`` is its value as text when the caller has it already."""
    label = FACT_LABELS[name]
    return Figure(label=label, value=value, unit=unit_of(name), year=years[-1] if years else None,
                  text=f"{years_text(years)}{label} {shown or value_text(name, value)}",
                  years=years if len(years) > 1 else ())


@dataclass(frozen=True)
class RegisteredDays(Criterion):
    min_days: int

    def evaluate(self, ctx: Context, score: ScoreResult | None) -> CriterionResult:
        threshold = f"注册满 {self.min_days} 天（申报日 {ctx.as_of.isoformat()}）"
        registered = ctx.facts.registered_on
        if registered is None:
            return self.result(Status.UNKNOWN, f"{self.label}：缺少注册（成立）日期", threshold=threshold,
                               missing=("注册（成立）日期",))
        days = (ctx.as_of - registered).days
        figures = (Figure("注册日期", registered.isoformat(), "", None, f"注册日期 {registered.isoformat()}"),
                   Figure("申报日期", ctx.as_of.isoformat(), "", None, f"申报日期 {ctx.as_of.isoformat()}"))
        ok = days >= self.min_days
        if ok:
            margin = Margin(Decimal(days - self.min_days), MarginUnit.DAYS, False,
                            f"超出 {days - self.min_days} 天" if days > self.min_days else "恰好达到")
        else:
            reached = registered.toordinal() + self.min_days
            margin = Margin(Decimal(self.min_days - days), MarginUnit.DAYS, True,
                            f"差 {self.min_days - days} 天（{dt.date.fromordinal(reached).isoformat()} 起满足）")
        return self.result(Status.PASS if ok else Status.FAIL,
                           f"{self.label}：已注册 {days} 天，需 ≥ {self.min_days} 天，{margin.text}",
                           value_text=f"{days} 天", threshold=threshold, figures=figures, margin=margin)


@dataclass(frozen=True)
class IpOwned(Criterion):
    def evaluate(self, ctx: Context, score: ScoreResult | None) -> CriterionResult:
        year = ctx.last_year
        threshold = "拥有至少 1 件Ⅰ类或Ⅱ类知识产权的所有权"
        c1, c2 = ctx.value(year, "ip_class1"), ctx.value(year, "ip_class2")
        figures = tuple(_figure(n, v, (year,)) for n, v in (("ip_class1", c1), ("ip_class2", c2)) if v is not None)
        total = (c1 or 0) + (c2 or 0)
        if total > 0:
            return self.result(Status.PASS, f"{self.label}：{year}年Ⅰ类 {c1 or 0} 件、Ⅱ类 {c2 or 0} 件",
                               value_text=f"{total} 件", threshold=threshold, figures=figures,
                               margin=Margin(Decimal(total), MarginUnit.ITEMS, False, f"共 {total} 件"))
        if c1 is None or c2 is None:
            missing = tuple(ctx.missing_label(year, n) for n, v in (("ip_class1", c1), ("ip_class2", c2))
                            if v is None)
            return self.result(Status.UNKNOWN, f"{self.label}：缺少{'、'.join(missing)}", threshold=threshold,
                               figures=figures, missing=missing)
        return self.result(Status.FAIL, f"{self.label}：{year}年无Ⅰ类、Ⅱ类知识产权，至少需 1 件",
                           value_text="0 件", threshold=threshold, figures=figures,
                           margin=Margin(Decimal(1), MarginUnit.ITEMS, True, "差 1 件"))


@dataclass(frozen=True)
class FieldIn(Criterion):
    fields: tuple[str, ...]
    field_names: Mapping[str, str]

    def evaluate(self, ctx: Context, score: ScoreResult | None) -> CriterionResult:
        names = "、".join(self.field_names.get(f, f) for f in self.fields)
        threshold = f"属于：{names}"
        code = ctx.facts.industry_field_code
        if code is None:
            return self.result(Status.UNKNOWN, f"{self.label}：缺少技术领域", threshold=threshold,
                               missing=("技术领域（行业领域）",))
        name = ctx.facts.industry_field or self.field_names.get(code, code)
        figure = Figure("技术领域", name, "", None, f"技术领域 {name}")
        ok = code in self.fields
        return self.result(Status.PASS if ok else Status.FAIL,
                           f"{self.label}：{name}{'属于' if ok else '不属于'}规定领域",
                           value_text=name, threshold=threshold, figures=(figure,))


@dataclass(frozen=True)
class Bracket:
    """A threshold that applies while the bracket figure is at most ``at_most`` (None: above every other)."""

    at_most: Decimal | None
    minimum: Decimal


@dataclass(frozen=True)
class Share(Criterion):
    numerator: str
    denominator: str
    years: int
    minimum: Decimal | None
    brackets: tuple[Bracket, ...]
    bracket_field: str | None
    #: The numerator is part of the denominator (S&T staff are staff): raising it raises both.
    part_of_whole: bool
    gap_label: str

    @cached_property
    def _fixed(self) -> str:
        return f"≥ {pct(self.minimum)}" if self.minimum is not None else ""

    @cached_property
    def _spans(self) -> tuple[str, ...]:
        """Each bracket's range as text: '≤ 5,000万元', '在 5,000万元（不含）至 20,000万元（含）之间' …"""
        assert self.bracket_field is not None
        spans, previous = [], None
        for bracket in self.brackets:
            if bracket.at_most is None:
                spans.append(f"> {value_text(self.bracket_field, previous or 0)}")
            elif previous is None:
                spans.append(f"≤ {value_text(self.bracket_field, bracket.at_most)}")
            else:
                spans.append(f"在 {value_text(self.bracket_field, previous)}（不含）至 "
                             f"{value_text(self.bracket_field, bracket.at_most)}（含）之间")
            previous = bracket.at_most
        return tuple(spans)

    def _threshold(self, ctx: Context) -> tuple[Decimal | None, str, tuple[Figure, ...], tuple[str, ...]]:
        if self.minimum is not None:
            return self.minimum, self._fixed, (), ()
        assert self.bracket_field is not None
        year = ctx.last_year
        value = ctx.value(year, self.bracket_field)
        label = FACT_LABELS[self.bracket_field]
        if value is None:
            options = "/".join(pct(b.minimum) for b in self.brackets)
            return None, f"≥ {options}（按{year}年{label}）", (), (ctx.missing_label(year, self.bracket_field),)
        index = next(i for i, b in enumerate(self.brackets) if b.at_most is None or value <= b.at_most)
        bracket, shown = self.brackets[index], value_text(self.bracket_field, value)
        text = f"≥ {pct(bracket.minimum)}（{year}年{label} {shown}，{self._spans[index]}）"
        return bracket.minimum, text, (_figure(self.bracket_field, value, (year,), shown),), ()

    def _shortfall(self, need: Decimal, ratio: Decimal, num: Decimal | int, den: Decimal | int) -> Margin:
        """The gap in percentage points and what closes it: money for 万元 figures, people for head counts."""
        shortfall = need * den - num
        if self.part_of_whole:
            shortfall /= 1 - need
        text = f"差 {points_gap(need - ratio)} 个百分点"
        money = None
        if self.numerator in MONEY_FIELDS:
            money = money_up(shortfall)
            text += f" ≈ {wan(money)}{self.gap_label}"
        elif unit_of(self.numerator) == "人":
            text += f" ≈ {math.ceil(shortfall)} 名{self.gap_label}"
        else:
            text += f" ≈ {math.ceil(shortfall)} {unit_of(self.numerator)}{self.gap_label}"
        return Margin((need - ratio) * 100, MarginUnit.PERCENTAGE_POINTS, True, text, money_wan=money,
                      money_label=self.gap_label if money is not None else None)

    def evaluate(self, ctx: Context, score: ScoreResult | None) -> CriterionResult:
        period = ctx.period(self.years)
        need, threshold, figures, missing = self._threshold(ctx)
        if not period:
            registered = ctx.facts.registered_on
            return self.result(Status.UNKNOWN, f"{self.label}：企业{registered}注册，{ctx.last_year}年及以前无会计年度",
                               threshold=threshold)
        num, num_missing = ctx.total(self.numerator, period)
        den, den_missing = ctx.total(self.denominator, period)
        num_text = "" if num is None else value_text(self.numerator, num)
        den_text = "" if den is None else value_text(self.denominator, den)
        figures += tuple(_figure(n, v, period, t) for n, v, t in ((self.numerator, num, num_text),
                                                                 (self.denominator, den, den_text)) if v is not None)
        missing = missing + num_missing + den_missing
        if missing or need is None or num is None or den is None:
            return self.result(Status.UNKNOWN, f"{self.label}：缺少{'、'.join(missing)}", threshold=threshold,
                               figures=figures, missing=missing)
        if den == 0:
            return self.result(Status.FAIL, f"{self.label}：{years_text(period)}{FACT_LABELS[self.denominator]}为 0",
                               value_text="—", threshold=threshold, figures=figures)
        ratio = Decimal(num) / Decimal(den)
        ok = num >= need * den
        if ok:
            margin = Margin((ratio - need) * 100, MarginUnit.PERCENTAGE_POINTS, False,
                            f"高出 {points_gap(ratio - need)} 个百分点" if ratio > need else "恰好达到")
        else:
            margin = self._shortfall(need, ratio, num, den)
        shown = pct(ratio, against=need)
        parts = f"{years_text(period)}{FACT_LABELS[self.numerator]} {num_text} ÷ {FACT_LABELS[self.denominator]} " \
                f"{den_text}"
        return self.result(Status.PASS if ok else Status.FAIL,
                           f"{self.label} {shown}（{parts}），需 {threshold}，{margin.text}",
                           value_text=shown, threshold=threshold, figures=figures, margin=margin)


@dataclass(frozen=True)
class AtMost(Criterion):
    field: str
    maximum: Decimal

    def evaluate(self, ctx: Context, score: ScoreResult | None) -> CriterionResult:
        year = ctx.last_year
        threshold = f"≤ {value_text(self.field, self.maximum)}"
        value = ctx.value(year, self.field)
        if value is None:
            missing = (ctx.missing_label(year, self.field),)
            return self.result(Status.UNKNOWN, f"{self.label}：缺少{missing[0]}", threshold=threshold, missing=missing)
        ok = value <= self.maximum
        unit = MarginUnit.WAN if self.field in MONEY_FIELDS else MarginUnit.PERSONS \
            if unit_of(self.field) == "人" else MarginUnit.ITEMS
        distance = abs(Decimal(value) - self.maximum)
        text = f"{'低于上限' if ok else '超出'} {value_text(self.field, distance)}" if distance else "恰好达到上限"
        margin = Margin(distance, unit, not ok, text)
        return self.result(Status.PASS if ok else Status.FAIL,
                           f"{self.label}：{year}年{FACT_LABELS[self.field]} {value_text(self.field, value)}，"
                           f"需 {threshold}，{margin.text}",
                           value_text=value_text(self.field, value), threshold=threshold,
                           figures=(_figure(self.field, value, (year,)),), margin=margin)


@dataclass(frozen=True)
class Declaration(Criterion):
    question: InputSpec

    def evaluate(self, ctx: Context, score: ScoreResult | None) -> CriterionResult:
        answer = ctx.inputs.get(self.question.key)
        if answer is None:
            return self.result(Status.UNKNOWN, f"{self.label}：待办事员确认", threshold="是",
                               missing=(f"{CONFIRM}{self.question.label}",))
        said = "是" if answer else "否"
        figure = Figure(self.question.label, said, "", None, f"{self.question.label}：{said}")
        return self.result(Status.PASS if answer else Status.FAIL, f"{self.label}：{said}（办事员确认）",
                           value_text=said, threshold="是", figures=(figure,))


def _undecided_items(score: ScoreResult) -> tuple[str, ...]:
    """What keeps a score band open: expert parts without an estimate and figures that are missing."""
    return tuple(dict.fromkeys(p for item in score.items if item.low != item.high for p in item.pending))


@dataclass(frozen=True)
class ScoreAtLeast(Criterion):
    minimum: Decimal
    needs_score: ClassVar[bool] = True

    @cached_property
    def _points(self) -> str:
        return f"{number(self.minimum)} 分"

    @cached_property
    def _threshold(self) -> str:
        return f"≥ {self._points}"

    def evaluate(self, ctx: Context, score: ScoreResult | None) -> CriterionResult:
        if score is None:
            raise ValueError("score_at_least needs a [score] section")
        threshold = self._threshold
        figure = Figure("评价得分", score.text, "分", None, f"评价得分 {score.text}")
        if score.low >= self.minimum:
            surplus = score.low - self.minimum
            margin = Margin(surplus, MarginUnit.POINTS, False,
                            f"至少高出 {number(surplus)} 分" if surplus else "恰好达到")
            status = Status.PASS
        elif score.high < self.minimum:
            margin = Margin(self.minimum - score.high, MarginUnit.POINTS, True,
                            f"差 {number(self.minimum - score.high)} 分")
            status = Status.FAIL
        else:
            return self.result(Status.UNKNOWN, f"{self.label}：得分区间 {score.text}，能否达到 "
                               f"{self._points}取决于专家评审和待补数据", value_text=score.text,
                               threshold=threshold, figures=(figure,), missing=_undecided_items(score))
        return self.result(status, f"{self.label}：得分 {score.text}，需 {threshold}，{margin.text}",
                           value_text=score.text, threshold=threshold, figures=(figure,), margin=margin)


@dataclass(frozen=True)
class ScoreItemNonzero(Criterion):
    item: str
    needs_score: ClassVar[bool] = True

    def evaluate(self, ctx: Context, score: ScoreResult | None) -> CriterionResult:
        if score is None:
            raise ValueError("score_item_nonzero needs a [score] section")
        item = score.item(self.item)
        shown = f"{span(item.low, item.high)} 分"
        threshold = f"“{item.label}”得分不为 0"
        if item.low > 0:
            return self.result(Status.PASS, f"{self.label}：{item.label} {shown}", value_text=shown,
                               threshold=threshold)
        if item.high == 0:
            return self.result(Status.FAIL, f"{self.label}：{item.label}得 0 分（{item.explanation}）",
                               value_text=shown, threshold=threshold)
        return self.result(Status.UNKNOWN, f"{self.label}：{item.label}得分未定（{item.explanation}）",
                           value_text=shown, threshold=threshold, missing=item.missing)


def read_criterion(r: Reader, inputs: Mapping[str, InputSpec], field_names: Mapping[str, str],
                   score_items: frozenset[str]) -> Criterion:
    """One ``[[criteria]]`` table; settings depend on its ``kind``."""
    kind = r.choice("kind", tuple(KINDS))
    common = {"key": r.text("key"), "label": r.text("label"), "basic": r.boolean("basic", False),
              "basis": r.text("basis", ""), "note": r.text("note", "")}
    criterion = KINDS[kind](r, common, inputs, field_names, score_items)
    r.done()
    return criterion


def question(r: Reader, inputs: Mapping[str, InputSpec], kinds: tuple[str, ...] = ("yes_no",)) -> InputSpec:
    """The ``input`` a setting refers to, which must be declared in ``[[inputs]]`` with one of ``kinds``."""
    key = r.text("input")
    spec = inputs.get(key)
    if spec is None:
        raise r.fail("input", f"没有在 [[inputs]] 中声明“{key}”")
    if spec.kind not in kinds:
        raise r.fail("input", f"“{key}”的 kind 应为 {'/'.join(kinds)}")
    return spec


def _share(r: Reader, common: dict, inputs: Mapping[str, InputSpec], names: Mapping[str, str],
           items: frozenset[str]) -> Criterion:
    brackets: list[Bracket] = []
    bracket_field = None
    minimum = None
    if r.has("brackets"):
        bracket_field = _fact_field(r, "bracket_field")
        for b in r.tables("brackets"):
            brackets.append(Bracket(b.decimal("at_most", None), b.percent("min_pct")))
            b.done()
        bounds = [b.at_most for b in brackets]
        if bounds[-1] is not None or None in bounds[:-1] or bounds[:-1] != sorted(bounds[:-1]):  # type: ignore[type-var]
            raise r.fail("brackets", "各档 at_most 应递增，最后一档不写 at_most")
    else:
        minimum = r.percent("min_pct")
    return Share(**common, numerator=_fact_field(r, "numerator"), denominator=_fact_field(r, "denominator"),
                 years=r.integer("years", 1, minimum=1), minimum=minimum, brackets=tuple(brackets),
                 bracket_field=bracket_field, part_of_whole=r.boolean("part_of_whole", False),
                 gap_label=r.text("gap_label", ""))


def _score_item(r: Reader, common: dict, inputs: Mapping[str, InputSpec], names: Mapping[str, str],
                items: frozenset[str]) -> Criterion:
    item = r.text("item")
    if item not in items:
        raise r.fail("item", f"评分中没有“{item}”这一项")
    return ScoreItemNonzero(**common, item=item)


def _field_in(r: Reader, common: dict, inputs: Mapping[str, InputSpec], names: Mapping[str, str],
              items: frozenset[str]) -> Criterion:
    fields = r.texts("fields")
    unknown = [f for f in fields if f not in names]
    if unknown:
        raise r.fail("fields", f"未知的技术领域代码：{'、'.join(unknown)}")
    return FieldIn(**common, fields=fields, field_names=names)


KINDS = {
    "registered_days": lambda r, c, i, n, s: RegisteredDays(**c, min_days=r.integer("min_days")),
    "ip_owned": lambda r, c, i, n, s: IpOwned(**c),
    "field_in": _field_in,
    "share": _share,
    "at_most": lambda r, c, i, n, s: AtMost(**c, field=_fact_field(r, "field"), maximum=r.decimal("max")),
    "declaration": lambda r, c, i, n, s: Declaration(**c, question=question(r, i)),
    "score_at_least": lambda r, c, i, n, s: ScoreAtLeast(**c, minimum=r.decimal("min")),
    "score_item_nonzero": _score_item,
}

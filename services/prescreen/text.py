"""Evaluations in readable Chinese: the advice recorded with a pre-review, a one-line reason for lists, and the full
text report of the command line."""

from __future__ import annotations

from services.prescreen.numbers import number, span, years_text
from services.prescreen.results import (
    CONFIRM,
    EXPERT,
    FILL_IN,
    SCORE_BASIS_TEXT,
    STATUS_TEXT,
    CriterionResult,
    Evaluation,
    Status,
    Verdict,
)

#: Missing items named in a one-line reason before "等 N 项".
SHOWN_MISSING = 3


def verdict_label(ev: Evaluation) -> str:
    """符合 / 不符合 / 待定, with （直通车） or （临界） where it applies."""
    if ev.direct_route:
        return f"{ev.verdict_text}（直通车）"
    if ev.near_miss:
        return f"{ev.verdict_text}（临界）"
    return ev.verdict_text


def _shortfall(c: CriterionResult) -> str:
    return f"{c.label}{c.margin.text}" if c.margin is not None else c.explanation


def pending_summary(missing: tuple[str, ...]) -> str:
    """Missing items grouped by what the clerk can do: figures to enter (named), answers to give and expert
    scores (counted)."""
    figures = [m for m in missing if not m.startswith((CONFIRM, FILL_IN, EXPERT))]
    answers = sum(1 for m in missing if m.startswith((CONFIRM, FILL_IN)))
    experts = sum(1 for m in missing if m.startswith(EXPERT))
    parts = []
    if figures:
        more = f"等 {len(figures)} 项" if len(figures) > SHOWN_MISSING else ""
        parts.append(f"缺少数据：{'、'.join(figures[:SHOWN_MISSING])}{more}")
    if answers:
        parts.append(f"待办事员确认或填写 {answers} 项")
    if experts:
        parts.append(f"待专家评分 {experts} 项")
    return "；".join(parts)


def reason(ev: Evaluation) -> str:
    """Why the verdict is what it is, in one line: the shortfalls, or what is still missing."""
    if ev.verdict is Verdict.QUALIFIES:
        return f"直通车：{ev.direct_route}" if ev.direct_route else "各项条件均满足"
    if ev.verdict is Verdict.DOES_NOT_QUALIFY:
        return "；".join(_shortfall(c) for c in ev.failing)
    return pending_summary(ev.missing) or "待定"


def advice_text(ev: Evaluation) -> str:
    """The advice a saved pre-review records unless the clerk writes their own."""
    if ev.verdict is Verdict.QUALIFIES:
        if ev.direct_route:
            return f"符合直通车条件（{ev.direct_route}），基本条件均已满足，建议按期申报。"
        return "各项条件均已满足，建议按期申报。"
    if ev.verdict is Verdict.DOES_NOT_QUALIFY:
        text = f"未达标：{reason(ev)}。"
        return text + ("差距较小，建议重点辅导后申报。" if ev.near_miss else "建议补足后再行预审。")
    return f"{reason(ev)}。补齐后再行预审。"


def _criterion_line(c: CriterionResult) -> list[str]:
    lines = [f"  [{STATUS_TEXT[c.status]}] {c.explanation}"]
    if c.status is Status.UNKNOWN and c.missing:
        lines.append(f"      待补：{'；'.join(c.missing)}")
    if c.note:
        lines.append(f"      说明：{c.note}")
    return lines


def evaluation_text(ev: Evaluation) -> str:
    """The full report of one enterprise, as ``prescreen --uscc`` prints it."""
    years = years_text(tuple(range(ev.year - 3, ev.year)))
    lines = [
        f"{ev.rule_name}（{ev.rule_version} 版）预审：{ev.name}（{ev.uscc or '无信用代码'}）",
        f"申报年度 {ev.year}，申报日期 {ev.as_of.isoformat()}，使用{years}数据",
        f"结论：{verdict_label(ev)}" + (f"    评价得分：{ev.score.text}" if ev.score else ""),
    ]
    if ev.overrides:
        lines.append(f"假设（未保存）：{'；'.join(ev.overrides)}")
    if ev.inputs_from:
        lines.append(f"确认事项沿用 {ev.inputs_from.isoformat()} 预审记录")
    lines.append("条件：")
    for c in ev.criteria:
        lines += _criterion_line(c)
    if ev.score:
        lines.append(f"评分（满分 {number(ev.score.maximum)}）：")
        for group in ev.score.groups:
            lines.append(f"  {group.label} {span(group.low, group.high)} / {number(group.maximum)} 分")
            for item in (i for i in ev.score.items if i.group == group.key):
                lines.append(f"    {item.label}：{item.explanation}（{SCORE_BASIS_TEXT[item.basis]}）")
    if ev.routes:
        lines.append("直通车：")
        lines += [f"  [{STATUS_TEXT[r.status]}] {r.label}：{r.explanation}" for r in ev.routes]
    lines.append(f"建议：{advice_text(ev)}")
    return "\n".join(lines)

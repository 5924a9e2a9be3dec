"""The clerk's answers a rule set asks for: declarations (yes/no), counts, choices and expert-score estimates.

They are not figures of the register: "no major accident in the year before applying" or "some IP was developed in
house" is what the clerk learns at the pre-review meeting. An answer saved with a pre-review is used again by
later evaluations of the same rule set and year (and says so).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from services.errors import ValidationError
from services.prescreen.numbers import number, to_decimal
from services.prescreen.reader import Reader

KINDS = ("yes_no", "number", "points", "choice")


@dataclass(frozen=True)
class InputSpec:
    """One question of a rule set.

    Attributes:
        kind: yes_no, number (a count ≥ 0), points (an estimate 0 … ``maximum``) or choice (one of ``options``).
        options: (value, label) pairs of a choice.
        help: A longer explanation for the clerk.
    """

    key: str
    label: str
    kind: str
    maximum: Decimal | None = None
    options: tuple[tuple[str, str], ...] = ()
    help: str = ""

    @classmethod
    def read(cls, r: Reader) -> InputSpec:
        kind = r.choice("kind", KINDS)
        maximum = r.decimal("max") if kind == "points" else None
        options: list[tuple[str, str]] = []
        if kind == "choice":
            for o in r.tables("options"):
                options.append((o.text("value"), o.text("label")))
                o.done()
        spec = cls(key=r.text("key"), label=r.text("label"), kind=kind, maximum=maximum, options=tuple(options),
                   help=r.text("help", ""))
        r.done()
        return spec

    def coerce(self, value: Any) -> bool | Decimal | str:
        """An answer in its proper type (from the GUI, JSON or text); raises ValueError when it does not fit."""
        if self.kind == "yes_no":
            if isinstance(value, bool):
                return value
            text = str(value).strip().lower()
            if text in ("是", "yes", "true", "1", "y"):
                return True
            if text in ("否", "no", "false", "0", "n"):
                return False
            raise ValueError("应为“是”或“否”")
        if self.kind == "choice":
            text = str(value)
            for option, label in self.options:
                if text in (option, label):
                    return option
            raise ValueError(f"应为以下之一：{'、'.join(label for _, label in self.options)}")
        try:
            amount = to_decimal(value)
        except (TypeError, ValueError, InvalidOperation):
            raise ValueError("应为数字") from None
        if not amount.is_finite() or amount < 0:
            raise ValueError("应为不小于 0 的数字")
        if self.maximum is not None and amount > self.maximum:
            raise ValueError(f"不能大于 {number(self.maximum)}")
        return amount

    def text(self, value: Any) -> str:
        """An answer as shown: 是/否, the option's label, the number."""
        if self.kind == "yes_no":
            return "是" if value else "否"
        if self.kind == "choice":
            return dict(self.options).get(value, str(value))
        suffix = " 分" if self.kind == "points" else ""
        return f"{number(value)}{suffix}"

    def to_json(self, value: Any) -> bool | str:
        """An answer as stored in a pre-review's JSON (numbers as exact text)."""
        return value if isinstance(value, bool) else str(value)


def coerce_inputs(specs: Mapping[str, InputSpec], raw: Mapping[str, Any], *,
                  strict: bool = True) -> dict[str, bool | Decimal | str]:
    """Answers in their types; None or '' means not answered.

    Args:
        strict: Raise :class:`ValidationError` naming each bad answer (answers given now); otherwise drop what no
            longer fits (answers saved under an older rule version).
    """
    answers: dict[str, bool | Decimal | str] = {}
    problems: dict[str, str] = {}
    for key, value in raw.items():
        spec = specs.get(key)
        if value is None or value == "":
            continue
        if spec is None:
            if strict:
                problems[key] = "规则中没有这一项"
            continue
        try:
            answers[key] = spec.coerce(value)
        except ValueError as exc:
            if strict:
                problems[key] = f"{spec.label}：{exc}"
    if problems:
        raise ValidationError(problems)
    return answers

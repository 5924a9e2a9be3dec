"""Typed reading of a rule file's tables, with Chinese messages that name the file and the setting.

A setting the engine does not know is an error too (a typo such as ``min_pc`` must not silently drop a
threshold): each :class:`Reader` remembers what was read, and :meth:`Reader.done` complains about the rest.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from services.errors import UserFacingError
from services.prescreen.numbers import HUNDRED, to_decimal

_REQUIRED = object()


class RuleFileError(UserFacingError):
    """A rule file cannot be used; the message names the file and the setting."""


class Reader:
    """One table of a rule file.

    Attributes:
        file: The file's name, for messages.
        where: The path of the table inside the file ("criteria[3]").
    """

    def __init__(self, table: Mapping[str, Any], file: str, where: str = "") -> None:
        self._table = table
        self._read: set[str] = set()
        self.file = file
        self.where = where

    def fail(self, key: str | None, problem: str) -> RuleFileError:
        """An error naming the file and the setting: 规则文件 x.toml，criteria[2].min_pct：应为数字。"""
        place = ".".join(p for p in (self.where, key or "") if p)
        return RuleFileError(f"规则文件 {self.file}{'，' + place if place else ''}：{problem}")

    def has(self, key: str) -> bool:
        return key in self._table

    def _get(self, key: str, default: Any) -> Any:
        self._read.add(key)
        if key not in self._table:
            if default is _REQUIRED:
                raise self.fail(key, "缺少此项")
            return default
        return self._table[key]

    def text(self, key: str, default: Any = _REQUIRED) -> str:
        value = self._get(key, default)
        if value is default and default is not _REQUIRED:
            return value  # type: ignore[no-any-return]
        if not isinstance(value, str) or not value.strip():
            raise self.fail(key, "应为非空文字")
        return value.strip()

    def texts(self, key: str, default: Any = _REQUIRED) -> tuple[str, ...]:
        value = self._get(key, default)
        if value is default and default is not _REQUIRED:
            return tuple(value)
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise self.fail(key, "应为文字列表，如 [\"a\", \"b\"]")
        return tuple(value)

    def choice(self, key: str, choices: Sequence[str], default: Any = _REQUIRED) -> str:
        value = self.text(key, default)
        if value not in choices:
            raise self.fail(key, f"应为以下之一：{'、'.join(choices)}（现为“{value}”）")
        return value

    def boolean(self, key: str, default: bool = False) -> bool:
        value = self._get(key, default)
        if not isinstance(value, bool):
            raise self.fail(key, "应为 true 或 false")
        return value

    def decimal(self, key: str, default: Any = _REQUIRED, *, minimum: Decimal | None = Decimal(0)) -> Decimal:
        value = self._get(key, default)
        if value is default and default is not _REQUIRED:
            return value  # type: ignore[no-any-return]
        try:
            number = to_decimal(value)
        except (TypeError, ValueError, InvalidOperation):
            raise self.fail(key, "应为数字") from None
        if not number.is_finite():
            raise self.fail(key, "应为数字")
        if minimum is not None and number < minimum:
            raise self.fail(key, f"不能小于 {minimum}")
        return number

    def integer(self, key: str, default: Any = _REQUIRED, *, minimum: int = 0) -> int:
        value = self._get(key, default)
        if value is default and default is not _REQUIRED:
            return value  # type: ignore[no-any-return]
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(key, "应为整数")
        if value < minimum:
            raise self.fail(key, f"不能小于 {minimum}")
        return value

    def percent(self, key: str, default: Any = _REQUIRED) -> Decimal:
        """A percentage written as a number (5 for 5%), returned as a fraction (0.05)."""
        value = self.decimal(key, default)
        return value if value is default else value / HUNDRED

    def date(self, key: str) -> dt.date | None:
        """An optional date written as a TOML date (2016-01-01)."""
        value = self._get(key, None)
        if value is None:
            return None
        if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
            raise self.fail(key, "应为日期，如 2016-01-01（不加引号）")
        return value

    def points(self, key: str) -> tuple[Decimal, Decimal]:
        """A score range written as [low, high] (or one number for an exact score)."""
        value = self._get(key, _REQUIRED)
        items = value if isinstance(value, list) else [value]
        try:
            numbers = [to_decimal(v) for v in items]
        except (TypeError, ValueError, InvalidOperation):
            raise self.fail(key, "应为分值区间，如 [7, 8]") from None
        if len(numbers) not in (1, 2) or numbers[0] < 0 or numbers[-1] < numbers[0]:
            raise self.fail(key, "应为分值区间 [低, 高]，且 0 ≤ 低 ≤ 高")
        return numbers[0], numbers[-1]

    def table(self, key: str) -> Reader:
        value = self._get(key, _REQUIRED)
        if not isinstance(value, Mapping):
            raise self.fail(key, "应为表（[...] 小节或 { } 内联表）")
        return Reader(value, self.file, f"{self.where}.{key}" if self.where else key)

    def tables(self, key: str, *, required: bool = True) -> list[Reader]:
        value = self._get(key, _REQUIRED if required else [])
        if not isinstance(value, list) or not all(isinstance(v, Mapping) for v in value):
            raise self.fail(key, "应为表的列表（[[...]] 小节或 [{...}, {...}]）")
        if required and not value:
            raise self.fail(key, "不能为空")
        base = f"{self.where}.{key}" if self.where else key
        return [Reader(v, self.file, f"{base}[{i + 1}]") for i, v in enumerate(value)]

    def mapping(self, key: str) -> dict[str, Any]:
        value = self._get(key, _REQUIRED)
        if not isinstance(value, Mapping) or not value:
            raise self.fail(key, "应为非空的表")
        return dict(value)

    def done(self) -> None:
        """Refuse settings that were never read (typos, settings of another kind)."""
        unknown = sorted(set(self._table) - self._read)
        if unknown:
            raise self.fail(None, f"未知的设置项：{'、'.join(unknown)}")

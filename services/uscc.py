"""统一社会信用代码 (GB 32100-2015): normalisation, the check character, and the registering district.

The check is the 15-line algorithm in RULES.md §1e; python-stdnum has the same but is LGPL and brings a region
table we do not need, so these few lines are kept here.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 characters: no I, O, Z, S, V
WEIGHTS = [pow(3, i, 31) for i in range(17)]

#: GB/T 2260 codes of Hangzhou (2018 division) for the registering-district hint.
HANGZHOU_CODES = {
    "330100": "杭州市",
    "330102": "上城区",
    "330103": "下城区",
    "330104": "江干区",
    "330105": "拱墅区",
    "330106": "西湖区",
    "330108": "滨江区",
    "330109": "萧山区",
    "330110": "余杭区",
    "330111": "富阳区",
    "330112": "临安区",
    "330113": "临平区",
    "330114": "钱塘区",
    "330122": "桐庐县",
    "330127": "淳安县",
    "330182": "建德市",
    "330183": "富阳市",
    "330185": "临安市",
}


def normalize_uscc(code: str) -> str:
    """Upper case, full-width folded, all whitespace and separators removed."""
    text = unicodedata.normalize("NFKC", code).upper()
    return "".join(ch for ch in text if not ch.isspace() and ch not in "-_")


#: Each allowed character's value (its place in ALPHABET).
_VALUE = {ch: i for i, ch in enumerate(ALPHABET)}


def check_char(first17: str) -> str:
    """The GB 32100 check character of the first 17 characters (all of them in ALPHABET)."""
    value = _VALUE
    total = sum(map(int.__mul__, map(value.__getitem__, first17), WEIGHTS))
    return ALPHABET[(31 - total % 31) % 31]


@dataclass(frozen=True)
class UsccCheck:
    """Result of checking a code. ``ok`` is True only when the code is well formed with the right check char."""

    code: str
    ok: bool
    #: Chinese reason when not ok.
    reason: str = ""
    #: Registering area from positions 3–8, when known.
    region_code: str = ""
    region_name: str = ""


def check_uscc(raw: str) -> UsccCheck:
    code = normalize_uscc(raw)
    region = code[2:8] if len(code) >= 8 else ""
    region_name = HANGZHOU_CODES.get(region, "")
    if len(code) != 18:
        return UsccCheck(code, False, f"统一社会信用代码应为18位，现为{len(code)}位", region, region_name)
    bad = [ch for ch in code if ch not in ALPHABET]
    if bad:
        return UsccCheck(
            code, False, f"统一社会信用代码含有不允许的字符“{bad[0]}”（不使用 I、O、Z、S、V）", region, region_name
        )
    expected = check_char(code[:17])
    if code[17] != expected:
        return UsccCheck(
            code, False, f"统一社会信用代码校验位错误：第18位应为“{expected}”，实为“{code[17]}”", region, region_name
        )
    return UsccCheck(code, True, "", region, region_name)


def make_uscc(body: str) -> str:
    """Append the check character to 17 characters (used by the demo generator and tests)."""
    body = normalize_uscc(body)
    if len(body) != 17:
        raise ValueError("need 17 characters")
    return body + check_char(body)

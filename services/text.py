"""Normalisation of names and free text, and pinyin initials for search."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from pypinyin import Style, lazy_pinyin

_BRACKETS = str.maketrans({"（": "(", "）": ")", "【": "(", "】": ")", "[": "(", "]": ")", "〔": "(", "〕": ")"})
_SPACE = re.compile(r"\s+", re.UNICODE)


def normalize_name(name: str) -> str:
    """The matching key of a name: NFKC, no whitespace at all (U+3000 included), unified round brackets.

    >>> normalize_name("杭州 匠控（科技）有限公司\u3000")
    '杭州匠控(科技)有限公司'
    """
    text = unicodedata.normalize("NFKC", name)
    text = text.translate(_BRACKETS)
    return _SPACE.sub("", text)


def clean_name(name: str) -> str:
    """A name as stored and shown: NFKC brackets kept full-width as Chinese writes them, outer spaces removed."""
    text = unicodedata.normalize("NFKC", name).strip()
    text = _SPACE.sub(" ", text)
    # Chinese company names write full-width brackets; NFKC turned them into ASCII ones.
    if re.search(r"[\u4e00-\u9fff]", text):
        text = text.replace("(", "（").replace(")", "）")
        text = re.sub(r"\s*（\s*", "（", text)
        text = re.sub(r"\s*）\s*", "）", text)
        text = re.sub(r"(?<=[\u4e00-\u9fff）]) (?=[\u4e00-\u9fff（])", "", text)
    return text


@lru_cache(maxsize=65536)
def _initials_of(text: str) -> str:
    letters = lazy_pinyin(text, style=Style.FIRST_LETTER, errors=lambda chars: list(chars))
    return "".join(letters).lower()


def pinyin_initials(name: str) -> str:
    """First letters of the pinyin of each Chinese character; other letters and digits kept, lower case.

    >>> pinyin_initials("杭州匠控科技有限公司")
    'hzjkkjyxgs'
    """
    text = normalize_name(name)
    return re.sub(r"[^0-9a-z]", "", _initials_of(text))


def blank(value: object) -> bool:
    """True for None, empty text, and the placeholders people type for 'nothing' (无, -, /)."""
    if value is None:
        return True
    if isinstance(value, str):
        return value.strip() in {"", "无", "-", "/", "—", "－", "／", "--"}
    return False

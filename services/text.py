"""Normalisation of names and free text, and pinyin initials for search."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection
from functools import lru_cache

_BRACKETS = str.maketrans({"（": "(", "）": ")", "【": "(", "】": ")", "[": "(", "]": ")", "〔": "(", "〕": ")"})
_SPACE = re.compile(r"\s+", re.UNICODE)
#: What :func:`clean_name` changes after NFKC: whitespace and (NFKC-folded) brackets.
_NEEDS_CLEANING = re.compile(r"[\s()]")


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
    if not _NEEDS_CLEANING.search(text):
        return text  # the common case: nothing below would change it
    text = _SPACE.sub(" ", text)
    # Chinese company names write full-width brackets; NFKC turned them into ASCII ones.
    if re.search(r"[\u4e00-\u9fff]", text):
        text = text.replace("(", "（").replace(")", "）")
        text = re.sub(r"\s*（\s*", "（", text)
        text = re.sub(r"\s*）\s*", "）", text)
        text = re.sub(r"(?<=[\u4e00-\u9fff）]) (?=[\u4e00-\u9fff（])", "", text)
    return text


@lru_cache(maxsize=1)
def _runs() -> re.Pattern[str]:
    """A text cut into runs of 汉字 and runs of other characters, as pypinyin's ``simple_seg`` cuts it.

    pypinyin (and its dictionaries, about half a second to load) is imported on first use, not at start-up.
    """
    from pypinyin.constants import RE_HANS

    han_class = RE_HANS.pattern.removeprefix("^(?:").removesuffix(")+$")
    assert han_class.startswith("[") and han_class.endswith("]"), RE_HANS.pattern
    return re.compile(f"({han_class}+)|[^{han_class[1:]}+")


_NOT_INITIAL = re.compile(r"[^0-9a-z]")
#: Initials of the endings of 汉字 runs (the run after its first word, and so on), bounded by clearing.
_ENDINGS: dict[str, str] = {}
_ENDINGS_LIMIT = 1 << 17


def _keep(chars: str) -> str:
    """pypinyin's handler of characters without pinyin: keep them (the letter filter drops them later)."""
    return chars


@lru_cache(maxsize=1 << 16)
def _word_initials(word: str) -> str:
    from pypinyin import Style, lazy_pinyin

    letters = lazy_pinyin(word, style=Style.FIRST_LETTER, errors=_keep)
    return _NOT_INITIAL.sub("", "".join(letters).lower())


@lru_cache(maxsize=1)
def _dictionaries() -> tuple[Collection[str], Collection[str]]:
    """pypinyin's phrase dictionary and the set of every prefix of its phrases (what its segmenter matches)."""
    from pypinyin.constants import PHRASES_DICT
    from pypinyin.seg import mmseg

    prefixes = getattr(mmseg.p_set, "_set", None)
    if not isinstance(prefixes, set):  # built the same way, should the private attribute ever change
        prefixes = {phrase[:i + 1] for phrase in PHRASES_DICT for i in range(len(phrase))}
    return prefixes, PHRASES_DICT


def _letter(reading: str) -> str | None:
    """The first letter of a tone-marked reading (ǹg → n), or None for one not in a–z (ê)."""
    first = unicodedata.normalize("NFD", reading)[:1].lower()
    return first if "a" <= first <= "z" else None


@lru_cache(maxsize=1)
def _safe_letters() -> dict[str, str]:
    """Characters whose initial does not depend on the cut: pypinyin reads a character standing alone by its first
    reading, and every reading its phrases give the character starts with that reading's letter. A run of such
    characters converts letter by letter, whatever the cut (most names are such runs); other runs are cut."""
    from pypinyin.constants import PHRASES_DICT, PINYIN_DICT

    table: dict[str, str] = {}
    for code, readings in PINYIN_DICT.items():
        letter = _letter(readings.split(",")[0])
        if letter is not None:
            table[chr(code)] = letter
    unsafe = {char for phrase, readings in PHRASES_DICT.items() for char, options in zip(phrase, readings, strict=False)
              if char in table and any(_letter(r) != table[char] for r in options)}
    for char in unsafe:
        del table[char]
    return table


def _han_initials(run: str) -> str:
    safe = _safe_letters()
    try:
        return "".join([safe[char] for char in run])
    except KeyError:
        return _cut_initials(run)


def _cut_initials(run: str) -> str:
    """Initials of a run of 汉字: its words as pypinyin cuts them, converted word by word.

    The cut is pypinyin's ``mmseg.seg.cut`` (strict mode), step for step: from the rest of the run, the longest
    dictionary phrase among the rest's prefixes that are phrase prefixes; none → the first character alone; a rest
    that is wholly a phrase prefix without holding a phrase → single characters to the end. Done here without the
    generator and method call per character it costs there (half the time of an import's initials).
    """
    prefixes, phrases = _dictionaries()
    parts: list[str] = []
    states: list[tuple[str, int]] = []  # a rest the cut stood at, and its first part
    rest = run
    while rest:
        known = _ENDINGS.get(rest)
        if known is not None:
            parts.append(known)
            break
        states.append((rest, len(parts)))
        end, valid = 1, 0
        while end <= len(rest) and rest[:end] in prefixes:
            if rest[:end] in phrases:
                valid = end
            end += 1
        if not valid and end > len(rest):
            parts.extend(_word_initials(char) for char in rest)
            break
        word = rest[:valid or 1]
        parts.append(_word_initials(word))
        rest = rest[len(word):]
    if len(_ENDINGS) > _ENDINGS_LIMIT:
        _ENDINGS.clear()
    for ending, first in states[1:]:  # the whole run is a name's own; its endings are what names share
        _ENDINGS[ending] = "".join(parts[first:])
    return "".join(parts)


def pinyin_initials(name: str, *, normalized: bool = False) -> str:
    """First letters of the pinyin of each Chinese character; other letters and digits kept, lower case.

    Exactly what ``lazy_pinyin(normalize_name(name), style=FIRST_LETTER)`` gives with characters without pinyin
    kept, lowered and filtered to ``[0-9a-z]`` — many times faster. pypinyin cuts a text into runs of 汉字 and of
    other characters, cuts each 汉字 run into words by greedy forward maximum matching and converts word by word;
    other characters stay as they are. The cut of what follows a word depends only on that rest and a word converts
    the same wherever it stands, so a run's letters are its first word's followed by the rest's: words and endings
    are cached, and names share their endings (…科技有限公司). Most runs need no cut at all: when every character's
    initial is the same in all its readings (:func:`_safe_letters`), any cut gives the same letters. tests/test_text.py
    checks it against pypinyin (every character and phrase of its dictionaries were checked once: no difference).
    ``normalized``: ``name`` is :func:`normalize_name`'s result already.

    >>> pinyin_initials("杭州匠控科技有限公司")
    'hzjkkjyxgs'
    """
    parts = []
    for match in _runs().finditer(name if normalized else normalize_name(name)):
        run = match.group()
        parts.append(_han_initials(run) if match.group(1) else _NOT_INITIAL.sub("", run.lower()))
    return "".join(parts)


def blank(value: object) -> bool:
    """True for None, empty text, and the placeholders people type for 'nothing' (无, -, /)."""
    if value is None:
        return True
    if isinstance(value, str):
        return value.strip() in {"", "无", "-", "/", "—", "－", "／", "--"}
    return False

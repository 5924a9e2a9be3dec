"""Normalisation of names and free text, and pinyin initials for search."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection
from functools import lru_cache
from pathlib import Path

from services.paths import resources_dir

_BRACKETS = str.maketrans({"（": "(", "）": ")", "【": "(", "】": ")", "[": "(", "]": ")", "〔": "(", "〕": ")"})
_SPACE = re.compile(r"\s+", re.UNICODE)
#: :data:`_BRACKETS`, and every whitespace character (what ``\s`` matches: ``str.isspace``) removed.
_NAME_KEY = _BRACKETS | {code: None for code in range(0x3001) if chr(code).isspace()}
#: What :func:`clean_name` changes after NFKC: whitespace and (NFKC-folded) brackets.
_NEEDS_CLEANING = re.compile(r"[\s()]")


def normalize_name(name: str) -> str:
    """The matching key of a name: NFKC, no whitespace at all (U+3000 included), unified round brackets.

    >>> normalize_name("杭州 匠控（科技）有限公司\u3000")
    '杭州匠控(科技)有限公司'
    """
    return unicodedata.normalize("NFKC", name).translate(_NAME_KEY)


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


#: The initials of the characters whose initial does not depend on the cut (:func:`safe_letters_from_pypinyin`),
#: one line per letter: the letter, a tab, the characters. Generated from the pinned pypinyin by
#: ``python -m services.text``; tests/test_text.py checks it against pypinyin.
INITIALS_FILE = ("pinyin", "initials.tsv")


def safe_letters_from_pypinyin() -> dict[str, str]:
    """Characters whose initial does not depend on the cut: pypinyin reads a character standing alone by its first
    reading, and every reading its phrases give the character starts with that reading's letter. A run of such
    characters converts letter by letter, whatever the cut (most names are such runs); other runs are cut. Only
    characters pypinyin counts as 汉字 (its ``RE_HANS``) are listed: others are never read as pinyin."""
    from pypinyin.constants import PHRASES_DICT, PINYIN_DICT

    han = _runs()
    table: dict[str, str] = {}
    for code, readings in PINYIN_DICT.items():
        letter = _letter(readings.split(",")[0])
        if letter is not None and (found := han.fullmatch(chr(code))) is not None and found.group(1):
            table[chr(code)] = letter
    unsafe = {char for phrase, readings in PHRASES_DICT.items() for char, options in zip(phrase, readings, strict=False)
              if char in table and any(_letter(r) != table[char] for r in options)}
    for char in unsafe:
        del table[char]
    return table


def write_initials_file(path: Path) -> None:
    """Write :data:`INITIALS_FILE` from pypinyin (characters in code point order under each letter)."""
    by_letter: dict[str, list[str]] = {}
    for char, letter in sorted(safe_letters_from_pypinyin().items()):
        by_letter.setdefault(letter, []).append(char)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(f"{letter}\t{''.join(chars)}\n" for letter, chars in sorted(by_letter.items())),
                    encoding="utf-8")


@lru_cache(maxsize=1)
def _safe_letters() -> dict[str, str]:
    """:func:`safe_letters_from_pypinyin`, read from the file shipped with the application (building it from
    pypinyin's dictionaries takes a quarter of a second, and pypinyin's import as long again)."""
    table: dict[str, str] = {}
    for line in resources_dir().joinpath(*INITIALS_FILE).read_text(encoding="utf-8").splitlines():
        letter, chars = line.split("\t")
        table.update(dict.fromkeys(chars, letter))
    return table


@lru_cache(maxsize=1)
def _fast_table() -> dict[int, str | None]:
    """A :meth:`str.translate` table giving a name's initials in one pass when all of its 汉字 are safe ones: safe
    characters to their letters, capitals lowered, other ASCII except digits and letters dropped. Anything else
    (a character that needs the cut, other scripts, punctuation) stays as it is, so the result is not ASCII."""
    table: dict[int, str | None] = {ord(char): letter for char, letter in _safe_letters().items()}
    for code in range(128):
        char = chr(code)
        if "A" <= char <= "Z":
            table[code] = char.lower()
        elif not ("a" <= char <= "z" or "0" <= char <= "9"):
            table[code] = None
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


def warm_up_pinyin() -> None:
    """Import pypinyin and its dictionaries now (a quarter of a second), should a name need the cut later."""
    _runs()
    _dictionaries()
    _word_initials("杭")


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
    text = name if normalized else normalize_name(name)
    fast = text.translate(_fast_table())
    if fast.isascii():
        return fast  # every 汉字 a safe one: no cut, and no need for pypinyin at all
    parts = []
    for match in _runs().finditer(text):
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


if __name__ == "__main__":  # python -m services.text: regenerate the initials file after upgrading pypinyin
    write_initials_file(resources_dir().joinpath(*INITIALS_FILE))

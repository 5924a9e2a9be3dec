"""Pinyin initials: the fast implementation gives exactly what pypinyin gives for the whole name."""

from __future__ import annotations

import random
import re
import unicodedata

from hypothesis import given
from hypothesis import strategies as st
from pypinyin import Style, lazy_pinyin

from services.demo_names import FIELD_WEIGHTS, company_name
from services.demo_register import real_names
from services.paths import resources_dir
from services.text import (
    INITIALS_FILE,
    clean_name,
    normalize_name,
    pinyin_initials,
    safe_letters_from_pypinyin,
    write_initials_file,
)

HAN = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
#: Besides common 汉字: extension A and B, 〇, full-width and ASCII letters and digits, brackets, spaces, symbols.
OTHER = st.sampled_from(list("（）() AB12ａＢ３〇㐀㐁𠀀𠀁·-&Ⅱ\u3000") + ["重庆", "银行", "长沙", "有限公司", "乐"])
NAMES = st.lists(st.one_of(HAN, OTHER), min_size=1, max_size=20).map("".join)


def reference(name: str) -> str:
    """The register's original definition: pypinyin on the whole normalised name, letters and digits kept."""
    letters = lazy_pinyin(normalize_name(name), style=Style.FIRST_LETTER, errors=lambda chars: list(chars))
    return re.sub(r"[^0-9a-z]", "", "".join(letters).lower())


def test_initials_of_real_and_demo_names_equal_pypinyins() -> None:
    rng = random.Random(3)
    names = real_names(rng) + [company_name(rng, field) for field in FIELD_WEIGHTS for _ in range(150)]
    expected = [reference(n) for n in names]
    assert [pinyin_initials(n) for n in names] == expected
    # Again in the other order: cached endings of earlier names must not change later ones.
    assert [pinyin_initials(n) for n in reversed(names)] == expected[::-1]


@given(NAMES)
def test_initials_of_any_text_equal_pypinyins(name: str) -> None:
    assert pinyin_initials(name) == reference(name)


def test_initials_of_pypinyins_own_characters_and_phrases_equal_pypinyins() -> None:
    """A seeded sample of the dictionaries pypinyin converts with, alone and run together (the fast path for
    characters with one initial and the cut for the others must both agree with it)."""

    from pypinyin.constants import PHRASES_DICT, PINYIN_DICT

    rng = random.Random(20261122)
    chars = [chr(code) for code in rng.sample(sorted(PINYIN_DICT), 2000)]
    phrases = rng.sample(sorted(PHRASES_DICT), 2000)
    texts = chars + phrases + ["".join(rng.sample(phrases, 3)) for _ in range(500)] + ["银行长重庆乐行", "单于解区"]
    assert [pinyin_initials(t) for t in texts] == [reference(t) for t in texts]


def test_shipped_initials_file_is_what_the_pinned_pypinyin_gives(tmp_path) -> None:
    """The file the fast path reads must be regenerated (``python -m services.text``) when pypinyin changes."""
    fresh = tmp_path / "initials.tsv"
    write_initials_file(fresh)
    assert resources_dir().joinpath(*INITIALS_FILE).read_text(encoding="utf-8") == fresh.read_text(encoding="utf-8")
    table = safe_letters_from_pypinyin()
    assert len(table) > 40_000 and table["杭"] == "h" and "行" not in table and "〇" in table


@given(st.text(st.one_of(HAN, st.characters(), st.sampled_from(" \t\u3000\u00a0\u2003\n（）【】[]〔〕")), max_size=30))
def test_name_key_is_nfkc_without_whitespace_and_with_round_brackets(name: str) -> None:
    brackets = str.maketrans("（）【】[]〔〕", "()()()()")
    expected = re.sub(r"\s+", "", unicodedata.normalize("NFKC", name).translate(brackets))
    assert normalize_name(name) == expected


def test_initials_examples() -> None:
    assert pinyin_initials("杭州匠控科技有限公司") == "hzjkkjyxgs"
    assert pinyin_initials("浙江ABC（杭州）123 科技") == "zjabchz123kj"
    assert pinyin_initials("") == ""


def test_clean_name_keeps_chinese_brackets_and_single_spaces() -> None:
    assert clean_name(" 杭州 匠控（科技）有限公司\u3000") == "杭州匠控（科技）有限公司"
    assert clean_name("Hangzhou  ABC  (China) Co.") == "Hangzhou ABC (China) Co."
    assert clean_name("杭州匠控科技有限公司") == "杭州匠控科技有限公司"

"""The 统一社会信用代码 check (GB 32100-2015), RULES.md §1e."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.uscc import ALPHABET, check_uscc, make_uscc, normalize_uscc

# Accepted by the reference implementation in RULES.md (and by python-stdnum, hutool …).
VALID = ["91110108551385082Q", "91350200776049653A", "123502001549897397", "91110000600037341L"]


@pytest.mark.parametrize("code", VALID)
def test_valid_codes_pass(code: str) -> None:
    result = check_uscc(code)
    assert result.ok, result.reason
    assert result.code == code


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("91110108551385082q", "91110108551385082Q"),  # lowercase check char
        (" 9111 0108 5513 8508 2Q ", "91110108551385082Q"),  # spaces inside and around
        ("９１１１０１０８５５１３８５０８２Ｑ", "91110108551385082Q"),  # full-width digits and letter
        ("91110108551385082Q\u3000", "91110108551385082Q"),  # ideographic space
        ("911101085513-85082Q", "91110108551385082Q"),  # separator
    ],
)
def test_normalisation_before_checking(raw: str, expected: str) -> None:
    assert normalize_uscc(raw) == expected
    assert check_uscc(raw).ok


def test_wrong_check_character_names_the_right_one() -> None:
    result = check_uscc("91110108551385082A")
    assert not result.ok
    assert "第18位应为“Q”" in result.reason


def test_real_world_exception_fails_the_checksum() -> None:
    # RULES.md: this code exists in the wild but fails; the register lets a clerk override it (audited).
    assert not check_uscc("91350203M0001QAY9B").ok


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("9111010855138508", "应为18位，现为16位"),
        ("91110108551385082QX", "现为19位"),
        ("", "现为0位"),
        ("9111010855138508IQ", "不允许的字符“I”"),
        ("91110108551385O82Q", "不允许的字符“O”"),
    ],
)
def test_malformed_codes_say_why(raw: str, fragment: str) -> None:
    result = check_uscc(raw)
    assert not result.ok
    assert fragment in result.reason


def test_registering_district_from_positions_3_to_8() -> None:
    code = make_uscc("91330105MA2AXXXX1")
    result = check_uscc(code)
    assert result.ok
    assert (result.region_code, result.region_name) == ("330105", "拱墅区")


body = st.text(alphabet=ALPHABET, min_size=17, max_size=17)


@given(body)
def test_generated_codes_are_valid(first17: str) -> None:
    assert check_uscc(make_uscc(first17)).ok


@given(body, st.integers(min_value=0, max_value=17), st.sampled_from(ALPHABET))
def test_any_single_character_change_is_caught(first17: str, pos: int, ch: str) -> None:
    code = make_uscc(first17)
    changed = code[:pos] + ch + code[pos + 1 :]
    assert check_uscc(changed).ok == (changed == code)

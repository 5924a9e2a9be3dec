"""Cell values as subdistricts type them, turned into what the register stores (PRODUCT.md "Import rules").

Each parser takes a raw cell (text, number, date or bool as the reader gives it) and returns the value or None for
an empty cell, or raises :class:`CellError` with a Chinese reason. Names and credit codes reuse
:mod:`services.text` and :mod:`services.uscc`, so an import compares exactly as the register does.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from services.text import blank
from services.uscc import ALPHABET, check_char, check_uscc, normalize_uscc

__all__ = [
    "CellError",
    "UNIT_FACTORS",
    "parse_count",
    "parse_date",
    "parse_money",
    "parse_number",
    "parse_text",
    "parse_uscc",
    "unit_and_year",
]


class CellError(ValueError):
    """A cell that cannot be read as the column's kind of value; ``code`` is the error code of the JSON summary."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


#: What one of each unit is in 万元, the unit the register stores.
UNIT_FACTORS: dict[str, Decimal] = {
    "元": Decimal("0.0001"),
    "千元": Decimal("0.1"),
    "万元": Decimal(1),
    "万": Decimal(1),
    "亿元": Decimal(10000),
    "亿": Decimal(10000),
}
_UNIT_IN_HEADER = re.compile(
    r"[(\[【]\s*(?:单位\s*:\s*)?(亿元|千元|万元|元)\s*[)\]】]|(?:单位\s*:\s*)?(亿元|千元|万元|元)$"
)
_YEAR_IN_HEADER = re.compile(r"((?:19|20)\d{2})\s*(?:年度|年)?")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_CELL_UNIT = re.compile(r"(亿元|千元|万元|元|万|亿)$")
_DATE_TEXT = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_DATE_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
#: Excel's day 0 in the 1900 date system, for serials after the fictitious 29 February 1900.
_EXCEL_EPOCH = dt.date(1899, 12, 30)
#: Serials of 1 January 1949 and 31 December 2200, the dates an enterprise register can hold.
_SERIAL_RANGE = (17_899, 109_939)
_WHOLE = Decimal(1)
_INFINITE = (float("inf"), float("-inf"))
_PLAIN_CODE = re.compile(f"[{ALPHABET}]{{18}}")
#: The register keeps 万元 to six places (whole 分 of a 元 would be four; see models.types.Wan).
WAN_PLACES = Decimal("0.000001")
#: Amounts (万元) must be smaller than this: the register stores millionths of a 万元 (分) as 64-bit integers.
MONEY_LIMIT = Decimal(9 * 10**12)
#: parse_money's shortcuts: floats under 9 × 10⁸ and plain texts under 10⁸ stay within MONEY_LIMIT in any
#: unit up to 亿 (× 10⁴).
_FAST_FLOAT = 9e8
_PLAIN_AMOUNT = re.compile(r"-?(?:\d{1,3}(?:,\d{3}){0,2}|\d{1,8})(?:\.\d+)?")
#: Counts (people, patents …) must be smaller than this.
COUNT_LIMIT = 10**9


def unit_and_year(label: str) -> tuple[str, Decimal | None, int | None]:
    """Split a header such as "2025年营业收入（万元）" into ("营业收入", factor to 万元, 2025).

    Returns:
        The label without unit and year, the unit's factor (None when the header names no unit), and the year.
    """
    text = unicodedata.normalize("NFKC", label)
    factor = None
    unit = _UNIT_IN_HEADER.search(text)
    if unit:
        factor = UNIT_FACTORS[unit.group(1) or unit.group(2)]
        text = text[:unit.start()] + text[unit.end():]
    year = None
    found = _YEAR_IN_HEADER.search(text)
    if found:
        year = int(found.group(1))
        text = text[:found.start()] + text[found.end():]
    return text, factor, year


def _fold(value: str) -> str:
    """Full-width digits, commas and spaces folded; thousands separators and all whitespace removed."""
    return "".join(unicodedata.normalize("NFKC", value).split()).replace(",", "").replace("，", "")


def parse_number(value: object, factor: Decimal | None = None) -> Decimal | None:
    """A number in 万元 (or a plain number when ``factor`` is None).

    Accepts numbers, "1,234.5", full-width digits and a unit written in the cell ("120万元" wins over the header's).
    "无", "-", "/" and empty cells are None.

    Raises:
        CellError: ``number_invalid``.
    """
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise CellError("number_invalid", f"“{value}”不是数字")
    if isinstance(value, float):
        if value != value or value in _INFINITE:
            raise CellError("number_invalid", "单元格不是有效数字")
        number = Decimal(repr(value))
    elif isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, Decimal):
        number = value
    elif isinstance(value, str):
        if blank(value):
            return None
        text = _fold(value)
        unit = _CELL_UNIT.search(text)
        if unit and factor is not None:
            factor = UNIT_FACTORS[unit.group(1)]
            text = text[:unit.start()]
        if not _NUMBER.match(text):
            raise CellError("number_invalid", f"“{value.strip()}”不是数字")
        try:
            number = Decimal(text)
        except InvalidOperation as exc:  # pragma: no cover - the pattern admits only valid literals
            raise CellError("number_invalid", f"“{value.strip()}”不是数字") from exc
    else:
        raise CellError("number_invalid", f"“{value}”不是数字")
    if factor is not None and factor != _WHOLE:
        number = number * factor
    return number


def parse_money(value: object, factor: Decimal | None) -> Decimal | None:
    """An amount in 万元 to the places the register keeps; ``factor`` is the header's unit (None: 万元).

    Raises:
        CellError: ``number_invalid``, also for an amount of :data:`MONEY_LIMIT` or more.
    """
    if value.__class__ is float and -_FAST_FLOAT < value < _FAST_FLOAT:  # what a sheet holds most often
        number = Decimal(repr(value))
    elif value.__class__ is str and _PLAIN_AMOUNT.fullmatch(value) is not None:  # type: ignore[arg-type]
        number = Decimal(value.replace(",", ""))  # "2,161,926": what parse_number reads, without its folding
    else:
        slow = parse_number(value, factor or _WHOLE)
        if slow is None:
            return None
        if not -MONEY_LIMIT < slow < MONEY_LIMIT:
            raise CellError("number_invalid", f"金额“{value}”过大，超出可登记的范围")
        return slow.quantize(WAN_PLACES, rounding=ROUND_HALF_UP)
    if factor is not None and factor != _WHOLE:
        number *= factor
    return number.quantize(WAN_PLACES, rounding=ROUND_HALF_UP)


def parse_count(value: object) -> int | None:
    """A whole number of people or items ("12", 12.0, "１２人").

    Raises:
        CellError: ``number_invalid`` for text, fractions and numbers beyond :data:`COUNT_LIMIT`.
    """
    if value.__class__ is int and -COUNT_LIMIT < value < COUNT_LIMIT:  # type: ignore[operator]
        return value  # type: ignore[return-value]
    if value.__class__ is float and value.is_integer() and -COUNT_LIMIT < value < COUNT_LIMIT:  # type: ignore
        return int(value)  # type: ignore[call-overload]
    if isinstance(value, str):
        value = _fold(value).removesuffix("人").removesuffix("件").removesuffix("项")
    number = parse_number(value)
    if number is None:
        return None
    if number != number.to_integral_value():
        raise CellError("number_invalid", f"“{value}”应为整数")
    if not -COUNT_LIMIT < number < COUNT_LIMIT:
        raise CellError("number_invalid", f"“{value}”过大，超出可登记的范围")
    return int(number)


def _excel_serial(serial: float) -> dt.date:
    if not _SERIAL_RANGE[0] <= serial <= _SERIAL_RANGE[1]:
        raise CellError("date_invalid", f"“{serial:g}”不是有效日期")
    return _EXCEL_EPOCH + dt.timedelta(days=int(serial))


def parse_date(value: object) -> dt.date | None:
    """A date from an Excel serial, a date cell, or text: 2019/3/1, 2019-03-01, 2019.3.1, 2019年3月1日, 20190301.

    Raises:
        CellError: ``date_invalid``.
    """
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        raise CellError("date_invalid", f"“{value}”不是日期")
    if isinstance(value, int | float):
        return _excel_serial(float(value))
    if not isinstance(value, str):
        raise CellError("date_invalid", f"“{value}”不是日期")
    if blank(value):
        return None
    text = unicodedata.normalize("NFKC", value).strip()
    found = _DATE_TEXT.match(text) or _DATE_COMPACT.match(text)
    if found is None:
        if re.fullmatch(r"\d+(\.0+)?", text):
            return _excel_serial(float(text))
        raise CellError("date_invalid", f"“{value.strip()}”不是可识别的日期（应如 2019-03-01 或 2019年3月1日）")
    year, month, day = (int(g) for g in found.groups()[:3])
    try:
        return dt.date(year, month, day)
    except ValueError as exc:
        raise CellError("date_invalid", f"“{value.strip()}”不是有效日期") from exc


def parse_text(value: object) -> str | None:
    """Free text as stored: NFKC-folded, outer whitespace removed; a placeholder for 'nothing' is None."""
    if value is None:
        return None
    if isinstance(value, float) and value == int(value):
        value = int(value)  # a phone number typed into a number cell
    text = value if isinstance(value, str) else str(value)
    if blank(text):
        return None
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    return text.strip()


def _valid_plain_code(code: str) -> bool:
    """18 characters of the code alphabet with the right check character (most codes as typed)."""
    return len(code) == 18 and _PLAIN_CODE.fullmatch(code) is not None and code[17] == check_char(code[:17])


def parse_uscc(value: object) -> str | None:
    """A credit code upper-cased and stripped; one that fails the GB 32100 check is an error.

    Raises:
        CellError: ``uscc_invalid`` with the check's own reason.
    """
    if value.__class__ is str and _valid_plain_code(value):  # type: ignore[arg-type]
        return value  # type: ignore[return-value]  # typed as it should be: nothing to fold, strip or upper-case
    text = parse_text(value)
    if text is None:
        return None
    code = text.upper()
    if _valid_plain_code(code):
        return code  # without normalize_uscc's character-by-character pass
    code = normalize_uscc(text)
    check = check_uscc(code)
    if not check.ok:
        raise CellError("uscc_invalid", check.reason)
    return code

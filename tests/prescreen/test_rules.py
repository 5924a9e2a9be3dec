"""Rule sets as data: the shipped files, a version added in the data folder, selection by date, bad files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from services.errors import UserFacingError
from services.prescreen.engine import evaluate
from services.prescreen.reader import RuleFileError
from services.prescreen.rules import bundled_rules_dir, load_library, parse_rule_set, user_rules_dir
from tests.prescreen.builders import facts

NATIONAL = (bundled_rules_dir() / "national_hte-2016.toml").read_text(encoding="utf-8")


def test_shipped_rule_sets() -> None:
    library = load_library()
    assert library.problems == ()
    assert {code for code, _ in library.codes()} == {"national_hte", "prov_tsme", "city_hte"}
    national = library.select("national_hte", dt.date(2026, 1, 1))
    assert (national.version, national.level, national.effective_from) == ("2016", "国家", dt.date(2016, 1, 1))
    assert "国科发火〔2016〕32号" in national.source
    assert len(national.criteria) == 9  # the eight conditions, 5 split into the ratio and the domestic share
    assert national.score is not None and sum(g.maximum for g in national.score.groups) == 100
    tsme = library.select("prov_tsme", dt.date(2026, 1, 1))
    assert [r.key for r in tsme.routes] == ["hte_valid", "national_award", "rd_institution", "led_standard"]
    assert library.select("city_hte", dt.date(2026, 1, 1)).level == "市"


def new_version(text: str = NATIONAL) -> str:
    """The shipped 国高企 file as a 2030 version with a 6% first bracket."""
    text = text.replace('version = "2016"', 'version = "2030"')
    text = text.replace("effective_from = 2016-01-01", "effective_from = 2030-01-01")
    return text.replace("{ at_most = 5000, min_pct = 5 }", "{ at_most = 5000, min_pct = 6 }")


def test_a_version_dropped_into_the_data_folder_applies_from_its_date(data_dir: Path) -> None:
    folder = user_rules_dir()
    folder.mkdir(parents=True)
    (folder / "national_hte-2030.toml").write_text(new_version(), encoding="utf-8")
    library = load_library()
    assert [r.version for r in library.versions("national_hte")] == ["2016", "2030"]
    assert library.select("national_hte", dt.date(2029, 12, 31)).version == "2016"
    newer = library.select("national_hte", dt.date(2030, 1, 1))
    assert newer.version == "2030" and newer.path.parent == folder
    # The same enterprise (R&D 8%… lowered to 5.5%) passes the 2016 rule and fails the 2030 one.
    enterprise = facts({2023: {"rd_expense_wan": "110"}, 2024: {"rd_expense_wan": "132"},
                        2025: {"rd_expense_wan": "165"}})  # 407 / 7,400 = 5.5%
    old, new = (evaluate(library.select("national_hte", day), enterprise, 2026, as_of=day)
                for day in (dt.date(2029, 6, 30), dt.date(2030, 6, 30)))
    assert (old.rule_version, old.criterion("rd_ratio").status.value) == ("2016", "pass")
    assert (new.rule_version, new.criterion("rd_ratio").status.value) == ("2030", "fail")


def test_a_date_before_every_version_is_refused_with_the_periods() -> None:
    with pytest.raises(UserFacingError, match="2016 版：2016-01-01 起"):
        load_library().select("national_hte", dt.date(2015, 12, 31))
    with pytest.raises(UserFacingError, match="没有规则集“nope”"):
        load_library().select("nope", dt.date(2026, 1, 1))


def test_a_user_file_with_the_same_code_and_version_replaces_the_shipped_one(data_dir: Path) -> None:
    user_rules_dir().mkdir(parents=True)
    changed = NATIONAL.replace('name = "国家高新技术企业认定"', 'name = "国家高新技术企业认定（本地修订）"')
    (user_rules_dir() / "mine.toml").write_text(changed, encoding="utf-8")
    library = load_library()
    assert len(library.versions("national_hte")) == 1
    assert library.select("national_hte", dt.date(2026, 1, 1)).name.endswith("（本地修订）")


@pytest.mark.parametrize(("change", "message"), [
    (("min_days = 365", "min_days = \"一年\""), "national_hte.toml，criteria[1].min_days：应为整数"),
    (("min_pct = 10", "min_pc = 10"), "criteria[4].min_pct：缺少此项"),
    (("part_of_whole = true\ngap_label = \"科技人员\"", "part_of_whole = true\ngap_label = \"科技人员\"\nmax = 3"),
     "criteria[4]：未知的设置项：max"),
    (("numerator = \"st_staff_avg\"", "numerator = \"st_staff\""), "criteria[4].numerator：不是年度数据字段"),
    (("input = \"no_major_incident\"", "input = \"no_incident\""), "没有在 [[inputs]] 中声明“no_incident”"),
    (("level = \"国家\"", "level = \"全国\""), "level：应为以下之一：国家、省、市、区"),
    (("effective_from = 2016-01-01", "effective_from = \"2016-01-01\""), "应为日期"),
    (("{ points = 0 },\n]\n\n[[score.groups]]", "]\n\n[[score.groups]]"), "最后一档应不带条件"),
    (("[[criteria]]", "[[criteria"), "格式有误"),
])
def test_bad_files_are_named_by_file_and_setting(change: tuple[str, str], message: str) -> None:
    text = NATIONAL.replace(*change, 1)
    assert text != NATIONAL
    with pytest.raises(RuleFileError) as caught:
        parse_rule_set(text, Path("national_hte.toml"))
    assert message in str(caught.value)
    assert str(caught.value).startswith("规则文件 national_hte.toml")


def test_a_bad_user_file_is_reported_and_the_others_stay_usable(data_dir: Path) -> None:
    user_rules_dir().mkdir(parents=True)
    (user_rules_dir() / "broken.toml").write_text("code = 'x'\n", encoding="utf-8")
    library = load_library()
    assert library.problems == ("规则文件 broken.toml，criteria：缺少此项",)
    assert len(library.rule_sets) == 3

"""Rule sets as data: one TOML file per rule version, loaded at run time.

The shipped versions live in ``resources/rules/``; a user adds a version (or corrects a shipped one) by dropping a
file into ``<data folder>/rules/``, without any code change. resources/rules/README.md describes the format.

Which version applies is decided by date: the one of the requested code whose effective period contains the
application date (the latest ``effective_from`` when periods overlap; a user file with the same code and version
as a shipped one replaces it). A file that cannot be used is left out and its problem is reported, in Chinese,
naming the file and the setting; the other rule sets stay usable.
"""

from __future__ import annotations

import datetime as dt
import logging
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from pathlib import Path

from services.errors import UserFacingError
from services.paths import data_dir, resources_dir
from services.prescreen.criteria import Criterion, read_criterion
from services.prescreen.inputs import InputSpec
from services.prescreen.reader import Reader, RuleFileError
from services.prescreen.routes import LEVELS, Route, read_route
from services.prescreen.scoring import ScoreSpec, read_score
from services.reference import reference_rows

log = logging.getLogger(__name__)

#: The application date used for a year other than the current one (mid-way through the usual application
#: window; our choice, not an official rule — the GUI and services take an explicit date too).
APPLICATION_MONTH_DAY = (6, 30)


@dataclass(frozen=True)
class NearMiss:
    """How close a failing criterion must be for the enterprise to count as a near miss."""

    percentage_points: Decimal = Decimal(1)
    points: Decimal = Decimal(5)


@dataclass(frozen=True)
class RuleSet:
    """One version of a rule set.

    Attributes:
        code: The qualification type code it decides (national_hte, prov_tsme, city_hte …).
        version: The version's name, unique per code ("2016").
        programme: The programme it belongs to (高新技术企业认定).
        level: 国家, 省, 市 or 区.
        effective_from: First day it applies; None: since ever.
        effective_to: Last day it applies; None: still in force.
        source: The official documents it encodes.
        notes: Caveats (unverified parts) shown with results.
        path: The file it was read from.
    """

    code: str
    version: str
    name: str
    programme: str
    level: str
    effective_from: dt.date | None
    effective_to: dt.date | None
    source: str
    notes: str
    path: Path
    near_miss: NearMiss
    inputs: tuple[InputSpec, ...]
    criteria: tuple[Criterion, ...]
    score: ScoreSpec | None
    routes: tuple[Route, ...]

    def effective_at(self, day: dt.date) -> bool:
        return (self.effective_from is None or self.effective_from <= day) and \
            (self.effective_to is None or day <= self.effective_to)

    @property
    def period_text(self) -> str:
        start = self.effective_from.isoformat() if self.effective_from else "—"
        end = self.effective_to.isoformat() if self.effective_to else "至今"
        return f"{start} 至 {end}" if self.effective_to else f"{start} 起"

    @property
    def title(self) -> str:
        return f"{self.name}（{self.version} 版）"

    def input_specs(self) -> dict[str, InputSpec]:
        return self._specs

    @cached_property
    def _specs(self) -> dict[str, InputSpec]:
        return {spec.key: spec for spec in self.inputs}


def _catalogues() -> tuple[dict[str, str], frozenset[str]]:
    """Technology field names and qualification type codes from the shipped reference data."""
    fields = {row[0]: row[1] for row in reference_rows("industry_fields.tsv")}
    types = frozenset(row[0] for row in reference_rows("qualification_types.tsv"))
    return fields, types


def parse_rule_set(text: str, path: Path, *, field_names: Mapping[str, str] | None = None,
                   type_codes: frozenset[str] | None = None) -> RuleSet:
    """A rule set from the text of a TOML file; raises :class:`RuleFileError` naming what is wrong."""
    if field_names is None or type_codes is None:
        field_names, type_codes = _catalogues()
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RuleFileError(f"规则文件 {path.name} 格式有误：{exc}") from None
    r = Reader(data, path.name)
    inputs = tuple(InputSpec.read(i) for i in r.tables("inputs", required=False))
    specs = {spec.key: spec for spec in inputs}
    if len(specs) != len(inputs):
        raise r.fail("inputs", "key 不能重复")
    score = read_score(r.table("score"), specs) if r.has("score") else None
    item_keys = score.item_keys if score else frozenset()
    criteria = tuple(read_criterion(c, specs, field_names, item_keys) for c in r.tables("criteria"))
    if len({c.key for c in criteria}) != len(criteria):
        raise r.fail("criteria", "key 不能重复")
    if score is None and any(c.needs_score for c in criteria):
        raise r.fail("criteria", "用到评分的条件需要 [score] 小节")
    routes = tuple(read_route(x, specs, type_codes) for x in r.tables("routes", required=False))
    near = r.table("near_miss") if r.has("near_miss") else None
    near_miss = NearMiss(near.decimal("percentage_points", Decimal(1)), near.decimal("points", Decimal(5))) \
        if near else NearMiss()
    if near:
        near.done()
    rule_set = RuleSet(
        code=r.text("code"), version=r.text("version"), name=r.text("name"), programme=r.text("programme"),
        level=r.choice("level", LEVELS), effective_from=r.date("effective_from"), effective_to=r.date("effective_to"),
        source=r.text("source"), notes=r.text("notes", ""), path=path, near_miss=near_miss, inputs=inputs,
        criteria=criteria, score=score, routes=routes,
    )
    r.done()
    if rule_set.effective_from and rule_set.effective_to and rule_set.effective_to < rule_set.effective_from:
        raise r.fail("effective_to", "不能早于 effective_from")
    return rule_set


def user_rules_dir() -> Path:
    """``<data folder>/rules``: where a user drops new rule versions."""
    return data_dir() / "rules"


def bundled_rules_dir() -> Path:
    return resources_dir() / "rules"


@dataclass(frozen=True)
class RuleLibrary:
    """Every usable rule set version, and the problems of the files that could not be used."""

    rule_sets: tuple[RuleSet, ...]
    problems: tuple[str, ...] = ()

    def codes(self) -> list[tuple[str, str]]:
        """(code, name) of each rule set, national first (then 省, 市, 区); the name of its latest version."""
        latest: dict[str, RuleSet] = {}
        for rule_set in sorted(self.rule_sets, key=lambda r: r.effective_from or dt.date.min):
            latest[rule_set.code] = rule_set
        ordered = sorted(latest.values(), key=lambda r: LEVELS.index(r.level))
        return [(r.code, r.name) for r in ordered]

    def versions(self, code: str) -> list[RuleSet]:
        """The versions of ``code``, oldest first."""
        return sorted((r for r in self.rule_sets if r.code == code), key=lambda r: r.effective_from or dt.date.min)

    def select(self, code: str, day: dt.date) -> RuleSet:
        """The version of ``code`` in force on ``day``; raises UserFacingError when there is none."""
        versions = self.versions(code)
        if not versions:
            known = "、".join(c for c, _ in self.codes())
            raise UserFacingError(f"没有规则集“{code}”（现有：{known or '无'}）。")
        effective = [r for r in versions if r.effective_at(day)]
        if not effective:
            periods = "；".join(f"{r.version} 版：{r.period_text}" for r in versions)
            raise UserFacingError(f"规则集“{versions[0].name}”没有在 {day.isoformat()} 有效的版本（{periods}）。")
        return effective[-1]


def load_library(folders: Iterable[Path] | None = None) -> RuleLibrary:
    """Read every ``*.toml`` of the shipped folder, then of the user folder (later files replace earlier ones with
    the same code and version)."""
    folders = list(folders) if folders is not None else [bundled_rules_dir(), user_rules_dir()]
    field_names, type_codes = _catalogues()
    found: dict[tuple[str, str], RuleSet] = {}
    problems: list[str] = []
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.toml")):
            try:
                text = path.read_text(encoding="utf-8")
                rule_set = parse_rule_set(text, path, field_names=field_names, type_codes=type_codes)
            except (RuleFileError, UnicodeDecodeError, OSError) as exc:
                message = str(exc) if isinstance(exc, RuleFileError) else f"规则文件 {path.name} 无法读取：{exc}"
                log.warning("rule file skipped: %s", message)
                problems.append(message)
                continue
            found[(rule_set.code, rule_set.version)] = rule_set
    return RuleLibrary(tuple(found.values()), tuple(problems))


def application_date(year: int, today: dt.date | None = None) -> dt.date:
    """The application date for an application year: today in the current year, else 30 June of that year."""
    today = today or dt.date.today()
    return today if year == today.year else dt.date(year, *APPLICATION_MONTH_DAY)

"""直通车 routes (``[[routes]]``): an enterprise meeting the basic conditions and any one route qualifies whatever
its score (科小, 115号). The list is data per rule version, since it is not confirmed which routes the 2022 指引 kept.

Route kinds: ``qualification_valid`` (a certificate of ``type_code`` valid at the application date),
``rd_institution`` (a recognised R&D institution at one of ``levels``), ``declaration`` (the clerk confirms an
``input``: a national award, a standard led …). A route only counts when it is established; one not confirmed is
shown as such and does not make the enterprise qualify.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass

from services.prescreen.criteria import question
from services.prescreen.facts import Context
from services.prescreen.inputs import InputSpec
from services.prescreen.reader import Reader
from services.prescreen.results import RouteResult, Status

LEVELS = ("国家", "省", "市", "区")


@dataclass(frozen=True)
class Route(ABC):
    key: str
    label: str

    @abstractmethod
    def evaluate(self, ctx: Context) -> RouteResult:
        """Whether the route holds for the enterprise of ``ctx``."""


@dataclass(frozen=True)
class QualificationValid(Route):
    type_code: str

    def evaluate(self, ctx: Context) -> RouteResult:
        held = self.type_code in ctx.facts.valid_qualifications
        when = ctx.as_of.isoformat()
        return RouteResult(self.key, self.label, Status.PASS if held else Status.FAIL,
                           f"{when} {'持有' if held else '台账中无'}有效证书")


@dataclass(frozen=True)
class RdInstitution(Route):
    levels: tuple[str, ...]

    def evaluate(self, ctx: Context) -> RouteResult:
        found = sorted(set(self.levels) & ctx.facts.rd_institution_levels, key=LEVELS.index)
        if found:
            return RouteResult(self.key, self.label, Status.PASS, f"台账中有{'、'.join(found)}级研发机构")
        return RouteResult(self.key, self.label, Status.FAIL, f"台账中无{'/'.join(self.levels)}级研发机构")


@dataclass(frozen=True)
class DeclarationRoute(Route):
    question: InputSpec

    def evaluate(self, ctx: Context) -> RouteResult:
        answer = ctx.inputs.get(self.question.key)
        if answer is None:
            return RouteResult(self.key, self.label, Status.UNKNOWN, "未确认")
        return RouteResult(self.key, self.label, Status.PASS if answer else Status.FAIL,
                           f"{'是' if answer else '否'}（办事员确认）")


def read_route(r: Reader, inputs: Mapping[str, InputSpec], type_codes: frozenset[str]) -> Route:
    kind = r.choice("kind", ("qualification_valid", "rd_institution", "declaration"))
    key, label = r.text("key"), r.text("label")
    route: Route
    if kind == "qualification_valid":
        code = r.text("type_code")
        if type_codes and code not in type_codes:
            raise r.fail("type_code", f"未知的资质类型代码“{code}”")
        route = QualificationValid(key, label, code)
    elif kind == "rd_institution":
        levels = r.texts("levels")
        if not set(levels) <= set(LEVELS):
            raise r.fail("levels", f"级别应为：{'、'.join(LEVELS)}")
        route = RdInstitution(key, label, levels)
    else:
        route = DeclarationRoute(key, label, question(r, inputs))
    r.done()
    return route

"""Pre-screening against a real database: batches over pools and filters, what-if, saving a pre-review."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from models import AuditLog, PreReview
from models.db import Database
from services.enterprise_records import list_pre_reviews
from services.errors import ValidationError
from services.prescreen.facts import WhatIf
from services.prescreen.results import Status, Verdict
from services.prescreen.service import prescreen_batch, prescreen_enterprise, save_pre_reviews
from services.prescreen.store import Selection
from services.progress import Progress
from services.qualifications import list_year_facts
from services.session import read_session
from tests.prescreen.builders import HTE_ALL_GOOD, TSME_BASIC, library
from tests.prescreen.conftest import Register

AS_OF = dt.date(2026, 6, 30)


def count_reviews(db: Database) -> int:
    with read_session(db) as session:
        return session.scalar(select(func.count()).select_from(PreReview)) or 0


def test_batch_over_a_pool_with_progress(db: Database, register: Register) -> None:
    progress = Progress()
    batch = prescreen_batch(db, "national_hte", 2026, Selection(pool_kind="申报库", pool_year=2026), as_of=AS_OF,
                            progress=progress, library=library())
    by_id = {e.enterprise_id: e for e in batch.evaluations}
    assert set(by_id) == {register.sound, register.near}
    assert (batch.rule_set.code, batch.rule_set.version, batch.as_of) == ("national_hte", "2016", AS_OF)
    sound, near = by_id[register.sound], by_id[register.near]
    assert sound.verdict is Verdict.CANNOT_TELL  # the declaration and the expert parts are open
    assert near.verdict is Verdict.DOES_NOT_QUALIFY and near.near_miss
    assert near.criterion("rd_ratio").margin.text == "差 0.5 个百分点 ≈ 37万元研发投入"
    assert batch.near_misses == (near,)
    state = progress.snapshot()
    assert state.value == state.maximum == 2


def test_batch_over_a_filter(db: Database, register: Register) -> None:
    everyone = prescreen_batch(db, "national_hte", 2026, as_of=AS_OF, library=library())
    assert len(everyone.evaluations) == 5
    assert everyone.count(Verdict.DOES_NOT_QUALIFY) + everyone.count(Verdict.CANNOT_TELL) == 5
    named = prescreen_batch(db, "national_hte", 2026, Selection(query="临界"), as_of=AS_OF, library=library())
    assert [e.name for e in named.evaluations] == ["杭州临界科技有限公司"]
    by_place = prescreen_batch(db, "national_hte", 2026, Selection(subdistrict_id=register.subdistrict_id),
                               as_of=AS_OF, library=library())
    assert len(by_place.evaluations) == 5


def test_unknowns_name_the_missing_field(db: Database, register: Register) -> None:
    ev = prescreen_enterprise(db, register.gap, "national_hte", 2026, as_of=AS_OF, inputs=HTE_ALL_GOOD,
                              library=library())
    c = ev.criterion("rd_ratio")
    assert c.status is Status.UNKNOWN and c.missing == ("2024年营业收入",)
    assert ev.verdict is Verdict.CANNOT_TELL and "2024年营业收入" in ev.missing


def test_what_if_moves_the_verdict_and_saves_nothing(db: Database, register: Register) -> None:
    before = prescreen_enterprise(db, register.near, "national_hte", 2026, as_of=AS_OF, inputs=HTE_ALL_GOOD,
                                  library=library())
    assert before.verdict is Verdict.DOES_NOT_QUALIFY
    what_if = WhatIf({(2025, "rd_expense_wan"): Decimal(150)})
    after = prescreen_enterprise(db, register.near, "national_hte", 2026, as_of=AS_OF, inputs=HTE_ALL_GOOD,
                                 what_if=what_if, library=library())
    assert after.verdict is Verdict.QUALIFIES
    assert after.overrides == ("2025年研发费用：113万元 → 150万元",)
    stored = {f.year: f.rd_expense_wan for f in list_year_facts(db, register.near)}
    assert stored[2025] == Decimal(113)
    assert count_reviews(db) == 0


def test_saving_records_a_pre_review_whose_answers_later_evaluations_reuse(db: Database, register: Register) -> None:
    ev = prescreen_enterprise(db, register.sound, "national_hte", 2026, as_of=AS_OF, inputs=HTE_ALL_GOOD,
                              library=library())
    assert ev.verdict is Verdict.QUALIFIES
    [review_id] = save_pre_reviews(db, [ev], reviewer="王科员", reviewed_on=dt.date(2026, 7, 1), library=library())
    [saved] = list_pre_reviews(db, register.sound)
    assert (saved.id, saved.verdict, saved.score, saved.reviewer, saved.rule_version) == \
        (review_id, "符合", Decimal(79), "王科员", "2016")
    assert saved.advice == "各项条件均已满足，建议按期申报。"
    rd = next(c for c in saved.criteria if c.criterion == "研发费用占比")
    assert (rd.result, rd.value) == ("pass", "8%")
    with read_session(db) as session:
        audited = session.scalar(select(func.count()).select_from(AuditLog).where(AuditLog.table_name == "pre_review"))
        details = json.loads(session.get(PreReview, review_id).details_json)
    assert audited and details[-1]["answers"]["no_major_incident"] is True
    again = prescreen_enterprise(db, register.sound, "national_hte", 2026, as_of=AS_OF, library=library())
    assert again.verdict is Verdict.QUALIFIES and again.inputs_from == dt.date(2026, 7, 1)
    other_year = prescreen_enterprise(db, register.sound, "national_hte", 2027, library=library())
    assert other_year.inputs_from is None and other_year.criterion("no_incident").status is Status.UNKNOWN


def test_saving_needs_a_reviewer(db: Database, register: Register) -> None:
    ev = prescreen_enterprise(db, register.sound, "national_hte", 2026, as_of=AS_OF, library=library())
    with pytest.raises(ValidationError) as caught:
        save_pre_reviews(db, [ev], reviewer="  ", library=library())
    assert caught.value.problems == {"reviewer": "请填写预审人"}
    assert count_reviews(db) == 0


def test_direct_route_from_a_valid_certificate_in_the_register(db: Database, register: Register) -> None:
    ev = prescreen_enterprise(db, register.hte, "prov_tsme", 2026, as_of=AS_OF, inputs=TSME_BASIC, library=library())
    assert ev.criterion("score_min").status is Status.FAIL
    assert ev.verdict is Verdict.QUALIFIES and ev.direct_route == "持有有效期内的高新技术企业资格证书"
    plain = prescreen_enterprise(db, register.sound, "prov_tsme", 2026, as_of=AS_OF, inputs=TSME_BASIC,
                                 library=library())
    assert plain.direct_route is None and plain.routes[0].status is Status.FAIL

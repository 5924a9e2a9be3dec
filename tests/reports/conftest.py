"""Fixtures of the report tests: the scenario database (built once per session, copied for each test)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from report_scenario import FORMULA_PROGRAMME, Scenario, make_scenario, write_scenario

from models.db import Database
from services.database import OpenDatabase, open_database
from services.settings import save_settings

SIGNOFF = {"report.unit_head": "张建国", "report.stats_head": "李统计", "report.preparer": "王芳",
           "report.phone": "0571-88886666"}


@pytest.fixture(scope="session")
def scenario() -> Scenario:
    return make_scenario()


@pytest.fixture(scope="session")
def scenario_template(tmp_path_factory: pytest.TempPathFactory, template_db: Path, scenario: Scenario) -> Path:
    folder = tmp_path_factory.mktemp("scenario")
    path = folder / "scenario.sqlite"
    shutil.copyfile(template_db, path)
    os.environ["TECHLEDGER_DATA_DIR"] = str(folder / "data")
    try:
        with open_database(path) as opened:
            write_scenario(opened.db, scenario)
            save_settings(opened.db, SIGNOFF)
    finally:
        os.environ.pop("TECHLEDGER_DATA_DIR", None)
    assert FORMULA_PROGRAMME
    return path


@pytest.fixture
def scenario_opened(tmp_path: Path, scenario_template: Path) -> Iterator[OpenDatabase]:
    path = tmp_path / "scenario.sqlite"
    shutil.copyfile(scenario_template, path)
    with open_database(path) as opened:
        yield opened


@pytest.fixture
def scenario_db(scenario_opened: OpenDatabase) -> Database:
    return scenario_opened.db

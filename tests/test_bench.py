"""``python -m bench``: the JSON contract of PRODUCT.md and the registry of names (functional only, no timings)."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from pathlib import Path

from bench.registry import REGISTRY

ROOT = Path(__file__).resolve().parent.parent
NAMES = ("demo_100k", "import_50k_dry", "import_50k_commit", "list_100k_open", "list_100k_search", "report_100k",
         "startup_100k", "prescreen_10k")
KEYS = {"value", "unit", "floor", "ratio", "budget", "ok", "peak_mb"}


def bench(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "bench", *args], capture_output=True, text=True, timeout=300,
                          cwd=ROOT)


def test_registry_has_the_names_of_the_product_brief() -> None:
    assert set(NAMES) <= set(REGISTRY)
    for spec in REGISTRY.values():
        if spec.module is not None:
            module = importlib.import_module(spec.module)
            assert callable(module.measure)


def test_json_report_has_every_name_with_the_fixed_shape() -> None:
    result = bench(*NAMES, "--quick", "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert list(report) == list(NAMES)
    for name, entry in report.items():
        assert set(entry) == KEYS, name
        assert entry["budget"] == REGISTRY[name].budget
    demo = report["demo_100k"]
    assert demo["unit"] == "s" and demo["budget"] == 60
    assert demo["value"] > 0 and demo["floor"] > 0 and demo["peak_mb"] > 0
    assert abs(demo["ratio"] - demo["value"] / demo["floor"]) < 0.02 * demo["ratio"]
    assert isinstance(demo["ok"], bool)
    for name in NAMES:
        written = REGISTRY[name].module is not None
        assert (report[name]["value"] is not None) is written and (report[name]["ok"] is None) is not written


def test_table_and_unknown_names() -> None:
    pending = [name for name in NAMES if REGISTRY[name].module is None]
    if pending:
        result = bench(pending[0])
        assert result.returncode == 0
        assert pending[0] in result.stdout and "not yet available" in result.stdout
    wrong = bench("no_such_benchmark")
    assert wrong.returncode == 2 and "no_such_benchmark" in wrong.stderr

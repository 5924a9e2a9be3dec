"""The benchmarks by name, with the budgets of PRODUCT.md. Adding one = a module in ``bench/`` + an entry here."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Benchmark:
    """A named benchmark and its budget.

    Attributes:
        module: the module (``bench.<name>``) that measures it; None while it is not written yet.
        budget: the limit of PRODUCT.md, on ``value`` or, when ``budget_on_ratio``, on value ÷ floor.
        peak_budget_mb: a memory limit for the measured process, where PRODUCT.md sets one.
        repeats: how many times the measurement and the floor are each taken (every time in a fresh process); the
            best time of each counts, as timeit does, and the highest peak. For ratios of a few seconds, where what
            other programs take on a shared machine would otherwise decide.
    """

    name: str
    unit: str
    budget: float
    description: str
    module: str | None = None
    budget_on_ratio: bool = False
    peak_budget_mb: float | None = None
    repeats: int = 1


REGISTRY: dict[str, Benchmark] = {
    b.name: b
    for b in (
        Benchmark("demo_100k", "s", 60.0, "生成 10 万家企业的演示数据库", module="bench.demo_100k"),
        Benchmark("import_50k_dry", "s", 3.0, "导入 5 万行 × 20 列 xlsx（预演）", module="bench.import_50k_dry",
                  budget_on_ratio=True, peak_budget_mb=400.0, repeats=3),
        Benchmark("import_50k_commit", "s", 3.0, "导入 5 万行 × 20 列 xlsx（提交）", module="bench.import_50k_commit",
                  budget_on_ratio=True, peak_budget_mb=400.0, repeats=3),
        Benchmark("list_100k_open", "ms", 300.0, "打开 10 万家企业的列表", module="bench.list_100k_open"),
        Benchmark("list_100k_search", "ms", 100.0, "10 万家企业中边输边搜（每次按键）",
                  module="bench.list_100k_search"),
        Benchmark("report_100k", "s", 10.0, "10 万家企业的季报（xlsx + pdf）", module="bench.report_100k"),
        Benchmark("startup_100k", "s", 2.0, "10 万家企业数据库的冷启动", module="bench.startup_100k"),
        Benchmark("prescreen_10k", "s", 5.0, "1 万家企业按一套规则预审", module="bench.prescreen_10k"),
    )
}

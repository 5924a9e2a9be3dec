"""``python -m bench [NAME ...] [--quick] [--json]``: run the named benchmarks (all without names) and report them.

``--json`` prints exactly one object ``{name: {"value", "unit", "floor", "ratio", "budget", "ok", "peak_mb"}}``;
benchmarks not written yet have ``null`` values and ``"ok": null``. Progress goes to stderr.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from bench.registry import REGISTRY, Benchmark

ROOT = Path(__file__).resolve().parent.parent


class BenchmarkFailed(Exception):
    """A step of a benchmark ended with an error; the message holds the end of its output."""


def blank(spec: Benchmark) -> dict[str, Any]:
    """The result of a benchmark that did not run: every figure null."""
    return {"value": None, "unit": spec.unit, "floor": None, "ratio": None, "budget": spec.budget, "ok": None,
            "peak_mb": None}


def run(spec: Benchmark, quick: bool) -> dict[str, Any]:
    """Prepare, measure (with peak memory) and floor, each in a process of its own, in one temporary folder."""
    result = blank(spec)
    if spec.module is None:
        return result
    module = importlib.import_module(spec.module)
    with tempfile.TemporaryDirectory(prefix=f"techledger-bench-{spec.name}-") as folder:
        workdir = Path(folder)
        env = dict(os.environ, TECHLEDGER_DATA_DIR=str(workdir / "data"))

        def step(name: str, *extra: str) -> dict[str, Any]:
            command = [sys.executable, "-m", "bench.worker", spec.name, name, str(workdir), *extra]
            if quick:
                command.append("--quick")
            done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=ROOT, check=False)
            if done.returncode != 0:
                raise BenchmarkFailed(f"{spec.name} {name}: exit {done.returncode}\n{done.stderr[-2000:]}")
            return json.loads(done.stdout.strip().splitlines()[-1])

        if hasattr(module, "prepare"):
            step("prepare")
        runs = [step("measure", "--probe") for _ in range(spec.repeats)]
        floor = min(step("floor")["value"] for _ in range(spec.repeats)) if hasattr(module, "floor") else None
    value, peak = min(r["value"] for r in runs), max(r["peak_mb"] for r in runs)
    ratio = value / floor if floor else None
    judged = ratio if spec.budget_on_ratio else value
    ok = judged is not None and judged <= spec.budget
    if spec.peak_budget_mb is not None:
        ok = ok and peak <= spec.peak_budget_mb
    result.update(value=round(value, 3), floor=None if floor is None else round(floor, 3),
                  ratio=None if ratio is None else round(ratio, 2), ok=ok, peak_mb=peak)
    return result


def table(results: dict[str, dict[str, Any]], quick: bool) -> str:
    """The results as a readable table."""
    header = f"{'benchmark':<18} {'value':>10} {'unit':<4} {'floor':>8} {'ratio':>7} {'budget':>12} {'peak MB':>8}"
    lines = [header + "  结论"]
    for name, r in results.items():
        spec = REGISTRY[name]
        if r["value"] is None:
            lines.append(f"{name:<18} {'—':>10}  尚未提供 / not yet available")
            continue
        budget = f"×{spec.budget:g}" if spec.budget_on_ratio else f"≤{spec.budget:g} {spec.unit}"
        floor = "—" if r["floor"] is None else f"{r['floor']:.3f}"
        ratio = "—" if r["ratio"] is None else f"{r['ratio']:.2f}"
        verdict = "通过 ok" if r["ok"] else "超出预算 over budget"
        lines.append(f"{name:<18} {r['value']:>10.3f} {r['unit']:<4} {floor:>8} {ratio:>7} {budget:>12} "
                     f"{r['peak_mb']:>8.1f}  {verdict}")
    if quick:
        lines.append("（--quick：小规模数据，仅供快速查看；预算针对完整规模。）")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description="科创台账性能基准 / TechLedger benchmarks")
    parser.add_argument("names", nargs="*", metavar="NAME", help=f"基准名称（默认全部）：{', '.join(REGISTRY)}")
    parser.add_argument("--quick", action="store_true", help="用小规模数据快速运行 / smaller data")
    parser.add_argument("--json", action="store_true", help="以一个 JSON 对象输出结果 / one JSON object")
    args = parser.parse_args(argv)
    unknown = [n for n in args.names if n not in REGISTRY]
    if unknown:
        parser.error(f"未知的基准：{', '.join(unknown)}（可用：{', '.join(REGISTRY)}）")
    results: dict[str, dict[str, Any]] = {}
    failed = False
    for name in dict.fromkeys(args.names or REGISTRY):
        print(f"{name} …", file=sys.stderr, flush=True)
        try:
            results[name] = run(REGISTRY[name], args.quick)
        except BenchmarkFailed as exc:
            print(exc, file=sys.stderr)
            results[name] = blank(REGISTRY[name]) | {"ok": False}
            failed = True
    print(json.dumps(results, ensure_ascii=False) if args.json else table(results, args.quick))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

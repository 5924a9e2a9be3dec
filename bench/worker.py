"""One step of a benchmark in a process of its own: ``python -m bench.worker NAME STEP WORKDIR [--quick] [--probe]``.

The step (``prepare``, ``measure`` or ``floor``) prints one JSON line ``{"value": v}``. With ``--probe`` the worker
runs the step in a child process instead and adds that child's peak memory, ``{"value": v, "peak_mb": m}``: on
POSIX from ``getrusage(RUSAGE_CHILDREN)`` (the child is the probe's only one, so the figure is the step's own,
including anything the step itself starts), on Windows from the child's peak working set (psutil).
"""

from __future__ import annotations

import argparse
import importlib
import json
import subprocess
import sys
import time
from pathlib import Path

from bench.registry import REGISTRY

STEPS = ("prepare", "measure", "floor")


def run_step(name: str, step: str, workdir: Path, quick: bool) -> float | None:
    """Run one step of a benchmark in this process; returns what it measured (None for ``prepare``)."""
    module_name = REGISTRY[name].module
    if module_name is None:
        raise SystemExit(f"{name}：尚未提供 / not yet available")
    result = getattr(importlib.import_module(module_name), step)(workdir, quick)
    return None if result is None else float(result)


def peak_of(command: list[str]) -> tuple[subprocess.CompletedProcess[str], float]:
    """Run a command to its end; returns it and its peak resident memory in MB."""
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
        import psutil

        proc = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
        watched = psutil.Process(proc.pid)
        peak = 0
        while proc.poll() is None:
            try:
                peak = max(peak, watched.memory_info().peak_wset)
            except psutil.Error:
                break
            time.sleep(0.05)
        out, _ = proc.communicate()
        return subprocess.CompletedProcess(command, proc.returncode, out, None), peak / 1_048_576
    import resource

    done = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=False)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return done, peak / (1_048_576 if sys.platform == "darwin" else 1024)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.worker")
    parser.add_argument("name", choices=sorted(REGISTRY))
    parser.add_argument("step", choices=STEPS)
    parser.add_argument("workdir", type=Path)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--probe", action="store_true")
    args = parser.parse_args(argv)
    if args.probe:
        command = [sys.executable, "-m", "bench.worker", args.name, args.step, str(args.workdir)]
        done, peak = peak_of(command + (["--quick"] if args.quick else []))
        if done.returncode != 0:
            return done.returncode
        result = json.loads(done.stdout.strip().splitlines()[-1])
        result["peak_mb"] = round(peak, 1)
    else:
        result = {"value": run_step(args.name, args.step, args.workdir, args.quick)}
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""``python main.py report quarterly --year Y --quarter Q --db DB --out DIR [--format xlsx,pdf,json]
[--template FILE.xlsx]``."""

from __future__ import annotations

import argparse
from pathlib import Path

from services.database import open_database
from services.reports.compute import compute_quarterly
from services.reports.package import parse_formats, write_quarterly, write_template
from services.reports.period import Period


def run(args: argparse.Namespace) -> int:
    """Write the quarterly package into ``--out``; prints the files written. 报出日期 is left for the pen.

    Returns:
        0 when written; input that cannot be used raises a UserFacingError (exit 2 in main.py).
    """
    formats = parse_formats(args.format)
    period = Period.of(args.year, args.quarter)
    # Reading only: no instance lock, so a report can be made while the GUI has the database open.
    with open_database(args.db, lock=False) as opened:
        report = compute_quarterly(opened.db, period)
    out = Path(args.out)
    # The bureau's template first: a template that cannot be filled is refused before anything is written.
    filled = write_template(report, Path(args.template), out) if args.template else None
    result = write_quarterly(report, out, formats=formats)
    print(result.describe())
    if filled is not None:
        print(f"  {filled.path}（按模板填写 {filled.cells} 处）")
    return 0

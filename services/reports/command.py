"""``python main.py report quarterly --year Y --quarter Q --db DB --out DIR [--format xlsx,pdf,json]``."""

from __future__ import annotations

import argparse
from pathlib import Path

from services.database import open_database
from services.reports.package import generate_quarterly, parse_formats
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
        result = generate_quarterly(opened.db, period, Path(args.out), formats=formats)
    print(result.describe())
    return 0

"""``python main.py prescreen --db DB (--uscc CODE | --all) [--rules CODE] [--year Y] [--json]``.

Evaluates one enterprise (the full explanation) or every enterprise in the register (one line each, then the near
misses). ``--json`` prints one object, the same for both (README.md "Command line" documents it). Exit status: 0
done; 2 when the enterprise, the rule set or the year cannot be used (message on stderr).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from typing import Any

from services.database import open_database
from services.errors import UserFacingError
from services.prescreen.results import Verdict
from services.prescreen.rules import load_library
from services.prescreen.serialize import evaluation_dict, rule_set_dict
from services.prescreen.service import BatchResult, prescreen_batch
from services.prescreen.store import Selection, enterprise_id_by_uscc
from services.prescreen.text import evaluation_text, reason, verdict_label

EXIT_OK, EXIT_UNUSABLE = 0, 2
#: Application years the command accepts, relative to the current year.
YEARS_BACK, YEARS_AHEAD = 30, 5


def batch_json(batch: BatchResult) -> dict[str, Any]:
    """The ``--json`` object."""
    return {
        "rule_set": rule_set_dict(batch.rule_set),
        "year": batch.year,
        "as_of": batch.as_of.isoformat(),
        "summary": {
            "enterprises": len(batch.evaluations),
            "qualifies": batch.count(Verdict.QUALIFIES),
            "does_not_qualify": batch.count(Verdict.DOES_NOT_QUALIFY),
            "cannot_tell": batch.count(Verdict.CANNOT_TELL),
            "near_miss": len(batch.near_misses),
        },
        "results": [evaluation_dict(e) for e in batch.evaluations],
        "warnings": list(batch.problems),
    }


def batch_text(batch: BatchResult) -> str:
    """The readable report of a batch: header, counts, a line per enterprise, then the near misses."""
    rs = batch.rule_set
    lines = [
        f"{rs.name}（{rs.version} 版，{rs.level}级）预审：申报年度 {batch.year}，申报日期 {batch.as_of.isoformat()}",
        f"依据：{rs.source}",
        f"共 {len(batch.evaluations):,} 家：符合 {batch.count(Verdict.QUALIFIES):,}，"
        f"不符合 {batch.count(Verdict.DOES_NOT_QUALIFY):,}（其中临界 {len(batch.near_misses):,}），"
        f"待定 {batch.count(Verdict.CANNOT_TELL):,}",
        "",
    ]
    for index, ev in enumerate(batch.evaluations, start=1):
        score = f"  {ev.score.text}" if ev.score else ""
        lines.append(f"{index}. {ev.name}（{ev.uscc or '无信用代码'}） {verdict_label(ev)}{score} — {reason(ev)}")
    if batch.near_misses:
        lines += ["", "临界企业（差距在 1 个百分点或 5 分以内）："]
        lines += [f"- {ev.name}：{reason(ev)}" for ev in batch.near_misses]
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    """The ``prescreen`` command; raises UserFacingError for input that cannot be used (main.py prints it)."""
    today = dt.date.today()
    year = args.year if args.year is not None else today.year
    if not today.year - YEARS_BACK <= year <= today.year + YEARS_AHEAD:
        raise UserFacingError(f"申报年度应在 {today.year - YEARS_BACK} 至 {today.year + YEARS_AHEAD} 年之间。")
    library = load_library()
    for problem in library.problems:
        print(f"警告：{problem}", file=sys.stderr)
    with open_database(args.db, lock=False) as opened:
        if args.all:
            selection = Selection()
        else:
            enterprise_id = enterprise_id_by_uscc(opened.db, args.uscc)
            if enterprise_id is None:
                raise UserFacingError(f"台账中没有统一社会信用代码为 {args.uscc.strip().upper()} 的企业。")
            selection = Selection(enterprise_ids=(enterprise_id,))
        batch = prescreen_batch(opened.db, args.rules, year, selection, library=library)
    if args.json:
        json.dump(batch_json(batch), sys.stdout, ensure_ascii=False, indent=None if args.all else 2)
        print()
    elif args.all:
        print(batch_text(batch))
    else:
        print(evaluation_text(batch.evaluations[0]))
    return EXIT_OK


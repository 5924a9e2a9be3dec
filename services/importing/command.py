"""``python main.py import FILE …``: the command of PRODUCT.md, its JSON summary and its exit statuses.

The file is read and its header found before the database is opened, so a file that cannot be used at all is
refused (exit 2, message on stderr by ``main``) without creating or touching the database.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from services.importing.commit import ImportResult, run_import
from services.importing.header import detect_layout
from services.importing.kinds import kind_for
from services.importing.plan import ACTION_LABELS, ImportOptions
from services.importing.readers import read_sheet

#: Problems listed in the plain-text output (all of them are in the JSON).
SHOWN_ISSUES = 200


def describe(result: ImportResult, dry_run: bool) -> str:
    """The outcome in Chinese for the terminal."""
    plan = result.plan
    counts = plan.counts
    head = "预演（未写入任何数据）" if dry_run else "导入完成"
    lines = [f"{head}：文件“{plan.path.name}”，工作表“{plan.sheet}”，数据 {len(plan.rows)} 行——"
             + "，".join(f"{ACTION_LABELS[a]} {counts[a]}" for a in counts) + "。"]
    issues = plan.issues
    for issue in issues[:SHOWN_ISSUES]:
        place = f"第 {issue.row} 行" + (f" {issue.column} 列" if issue.column else "")
        lines.append(f"  {place}：{issue.message}（{issue.code}）")
    if len(issues) > SHOWN_ISSUES:
        lines.append(f"  ……另有 {len(issues) - SHOWN_ISSUES} 个问题，完整列表请用 --json 输出。")
    notes = [r for r in plan.rows if r.note and r.action in ("create", "update")]  # e.g. plausibility findings
    for row in notes[:SHOWN_ISSUES]:
        lines.append(f"  第 {row.row} 行（{ACTION_LABELS[row.action]}）：{row.note}")
    if len(notes) > SHOWN_ISSUES:
        lines.append(f"  ……另有 {len(notes) - SHOWN_ISSUES} 行带提示，可在图形界面的“数据导入”预演中查看。")
    if counts["review"]:
        lines.append(f"有 {counts['review']} 行与已登记的记录相似，未导入，请在图形界面的“数据导入”中逐一确认。")
    if result.batch_no:
        lines.append(f"导入批次：{result.batch_no}（可在图形界面中撤销）。导入前备份：{result.backup_file}")
    elif not dry_run:
        lines.append("没有需要写入的变化，数据未改动。")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    """Run the import command; returns the exit status (errors a user can act on are raised for ``main``)."""
    from services.database import open_database

    options = ImportOptions(kind=args.kind, source=args.source, sheet=args.sheet, mode=args.mode, year=args.year)
    path = Path(args.file)
    kind = kind_for(options.kind, path.name)
    sheet = read_sheet(path, options.sheet, options.limits)
    detect_layout(sheet, kind)
    with open_database(args.db) as opened:
        result = run_import(opened.db, path, options, dry_run=args.dry_run, sheet=sheet)
    if args.json:
        print(json.dumps(result.summary(), ensure_ascii=False))
    else:
        print(describe(result, args.dry_run))
    return 0

"""科创台账 (TechLedger) — entry point.

Parses the command line, sets up logging, and either starts the GUI or runs one command. The commands and their
output are a stable contract (PRODUCT.md, "Command line"): scripts and acceptance checks depend on them.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from services.version import APP_NAME_CN, __version__

log = logging.getLogger("app.main")

EXIT_OK, EXIT_FAILURE, EXIT_UNUSABLE = 0, 1, 2

DB_HELP = (
    "数据库：SQLite 文件路径（不存在时自动创建并升级）或 SQLAlchemy URL（如 postgresql+psycopg://…）；"
    "省略时使用用户数据目录中的默认数据库 / database file or URL"
)


def build_parser() -> argparse.ArgumentParser:
    # --db may stand before or after the command; the command's copy must not reset the other to None.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", metavar="DB", help=DB_HELP, default=argparse.SUPPRESS)

    parser = argparse.ArgumentParser(
        prog="main.py",
        description=f"{APP_NAME_CN} {__version__} — 区科技局科创台账：企业库、载体、创新券、政策兑现与季报。"
        "不带子命令时启动图形界面。 / Without a command, starts the GUI.",
    )
    parser.add_argument("--db", metavar="DB", help=DB_HELP)
    parser.add_argument("--version", action="version", version=f"{APP_NAME_CN} {__version__}")
    parser.add_argument("--demo", action="store_true",
                        help="在演示数据库上启动界面（首次使用时自动生成） / start the GUI on the demo database")
    parser.add_argument("--no-crash-dialog", action="store_true",
                        help="出错时不弹出崩溃对话框，只写日志 / log crashes without a dialog")
    parser.add_argument("--debug", action="store_true", help="输出调试日志 / debug logging")
    sub = parser.add_subparsers(dest="command", metavar="命令")

    demo = sub.add_parser("demo", parents=[common], help="生成演示数据库 / build a realistic demo database")
    demo.add_argument("--enterprises", type=int, default=2000, metavar="N", help="企业数量（默认 2000）")
    demo.add_argument("--seed", type=int, default=1, metavar="S", help="随机种子，相同种子生成相同数据（默认 1）")
    demo.add_argument("--force", action="store_true", help="覆盖已存在的数据库文件 / replace an existing file")

    imp = sub.add_parser("import", parents=[common], help="导入街道/园区报送的表格 / import a spreadsheet")
    imp.add_argument("file", metavar="FILE")
    imp.add_argument("--kind", choices=["enterprises", "carrier_stats", "vouchers", "targets"], default="enterprises",
                     help="导入内容：enterprises 企业名单（默认）、carrier_stats 载体统计、vouchers 创新券、"
                          "targets 目标任务 / what the sheet holds")
    imp.add_argument("--source", metavar="属地",
                     help="未填属地的行归入该属地，映射按来源保存；目标任务表中为下达单位（市 或 区）")
    imp.add_argument("--sheet", metavar="NAME", help="工作表名称")
    imp.add_argument("--mode", choices=["upsert", "create", "update"], default="upsert")
    imp.add_argument("--year", type=int, metavar="Y", help="年度数据所属年份")
    imp.add_argument("--dry-run", action="store_true", help="只预演，不写入")
    imp.add_argument("--json", action="store_true", help="以 JSON 输出结果")

    report = sub.add_parser("report", parents=[common], help="生成报表 / generate reports")
    report.add_argument("report_kind", choices=["quarterly"], metavar="quarterly")
    report.add_argument("--year", type=int, required=True, metavar="Y")
    report.add_argument("--quarter", type=int, required=True, choices=[1, 2, 3, 4], metavar="Q")
    report.add_argument("--out", required=True, metavar="DIR")
    report.add_argument("--format", default="xlsx,pdf,json", metavar="xlsx,pdf,json")
    report.add_argument("--template", metavar="FILE.xlsx",
                        help="另按市局提供的模板填报（单元格中的 {{指标}} 占位符），写入同一文件夹")

    pre = sub.add_parser("prescreen", parents=[common], help="门诊式预审 / pre-screening")
    who = pre.add_mutually_exclusive_group(required=True)
    who.add_argument("--uscc", metavar="CODE")
    who.add_argument("--all", action="store_true")
    pre.add_argument("--rules", choices=["national_hte", "prov_tsme", "city_hte"], default="national_hte")
    pre.add_argument("--year", type=int, metavar="Y")
    pre.add_argument("--json", action="store_true")

    backup = sub.add_parser("backup", parents=[common], help="备份数据库 / back up the database")
    backup.add_argument("--to", metavar="FILE", help="备份文件路径（默认存入备份目录并轮换）")

    restore = sub.add_parser("restore", parents=[common], help="从备份恢复 / restore from a backup")
    restore.add_argument("file", metavar="FILE")

    sub.add_parser("check", parents=[common], help="检查数据库完整性 / integrity check")

    copy = sub.add_parser(
        "copy", parents=[common],
        help="把数据库复制到另一个空数据库（如 SQLite → PostgreSQL）并逐表核对 / copy to an empty database")
    copy.add_argument("--to", required=True, metavar="TARGET",
                      help="目标：SQLite 文件路径或 postgresql+psycopg://… URL")

    selftest = sub.add_parser(
        "selftest", help="自检：资源文件、数据库迁移、演示数据与报表（安装包构建后运行） / check this build works")
    selftest.add_argument("--out", metavar="DIR",
                          help="保留自检生成的数据库与报表的文件夹（默认用临时文件夹，结束后删除）")
    return parser


def setup_logging(debug: bool = False, to_file: bool = True) -> None:
    from services.logs import configure_logging

    configure_logging(debug=debug, to_file=to_file)


def _fail(message: str, status: int = EXIT_UNUSABLE) -> int:
    print(message, file=sys.stderr)
    return status


def cmd_demo(args: argparse.Namespace) -> int:
    from services.demo import build_demo

    if not args.db:
        return _fail("demo 命令需要 --db 指定要生成的数据库文件。")
    path = Path(args.db)
    summary = build_demo(path, enterprises=args.enterprises, seed=args.seed, replace=args.force)
    print(summary.describe())
    return EXIT_OK


def cmd_backup(args: argparse.Namespace) -> int:
    from services.backup import backup_database
    from services.database import open_database

    with open_database(args.db, lock=False, create=False) as opened:
        info = backup_database(opened.db, dest=Path(args.to) if args.to else None, reason="manual")
    print(f"已备份到 {info.path}（{info.size_bytes / 1_048_576:.1f} MB）")
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    from services.backup import restore_database
    from services.paths import default_db_path

    if args.db and "://" in args.db:
        return _fail("restore 只用于 SQLite 数据库文件；服务器数据库请用服务器自带的工具恢复。")
    result = restore_database(Path(args.file), Path(args.db) if args.db else default_db_path())
    print(result.describe())
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    from services.backup import check_database
    from services.database import open_database

    with open_database(args.db, lock=False, create=False) as opened:
        report = check_database(opened.db)
    print(report.describe())
    return EXIT_OK if report.ok else EXIT_FAILURE


def cmd_import(args: argparse.Namespace) -> int:
    from services.importing.command import run

    return run(args)


def cmd_report(args: argparse.Namespace) -> int:
    from services.reports.command import run

    return run(args)


def cmd_prescreen(args: argparse.Namespace) -> int:
    from services.prescreen.command import run

    return run(args)


def cmd_copy(args: argparse.Namespace) -> int:
    from services.db_copy import copy_database

    if not args.db:
        return _fail("copy 命令需要 --db 指定源数据库。")
    print(copy_database(args.db, args.to).describe())
    return EXIT_OK


def cmd_selftest(args: argparse.Namespace) -> int:
    from services.selftest import run_selftest
    from ui.selftest import gui_checks

    result = run_selftest(Path(args.out) if args.out else None, extra=gui_checks())
    print(result.describe())
    return EXIT_OK if result.ok else EXIT_FAILURE


COMMANDS = {
    "demo": cmd_demo,
    "backup": cmd_backup,
    "restore": cmd_restore,
    "check": cmd_check,
    "copy": cmd_copy,
    "import": cmd_import,
    "report": cmd_report,
    "prescreen": cmd_prescreen,
    "selftest": cmd_selftest,
}


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command is None:
        from ui.app import run_gui

        return run_gui(args)
    setup_logging(debug=args.debug)
    from services.errors import UserFacingError

    try:
        return COMMANDS[args.command](args)
    except UserFacingError as exc:
        return _fail(str(exc))
    except Exception:
        log.exception("command %s failed", args.command)
        print("意外错误，详情见日志。 / Unexpected failure, see the log.", file=sys.stderr)
        import traceback

        traceback.print_exc()
        return EXIT_FAILURE


if __name__ == "__main__":
    sys.exit(main())

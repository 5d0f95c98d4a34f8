"""``kitstation report``: export kitting reports (CSV, XLSX, PDF, JSON, KME/ABM lists) and verify them.

``kitstation report --format pdf --out r.pdf --order PO-1`` writes the report and ``r.pdf.sha256``
and prints both digests; ``kitstation report verify r.pdf`` checks a copy against the log.
Exit codes: 0 written / verified, 1 verification failed, 2 bad input.
"""

from __future__ import annotations

import argparse
import contextlib
import re
import shutil
import sys
import tempfile
from dataclasses import replace
from datetime import UTC, timedelta, timezone, tzinfo
from pathlib import Path
from typing import Any

from kitstation.cli import argtypes
from kitstation.cli.common import EXIT_DEVICE_FAILED, EXIT_OK, CliError, add_db_option
from kitstation.cli.log_cmd import add_filter_options, filter_from_args, read_log
from kitstation.i18n import Language, Text, current_language

# kitstation.reports.ReportFormat's values, here so that building the parser imports no report code
# (tests/reports checks that the two agree).
FORMATS = ("csv", "xlsx", "pdf", "json", "kme-csv", "abm-csv")

# Below this many rows an export takes a blink: no bar flickering on the terminal.
PROGRESS_MIN_ROWS = 2000
_OFFSET = re.compile(r"^(?:UTC)?([+-])(\d{1,2})(?::?(\d{2}))?$", re.IGNORECASE)


def parse_tz(value: str) -> tzinfo:
    """``UTC``, ``local``, ``+09:00`` / ``UTC+9``, or an IANA name such as ``Asia/Tokyo``."""
    v = value.strip()
    if v.upper() in ("UTC", "Z"):
        return UTC
    if v.lower() == "local":
        from kitstation.reports import ReportOptions

        return ReportOptions().zone()
    m = _OFFSET.match(v)
    if m:
        minutes = int(m.group(2)) * 60 + int(m.group(3) or 0)
        return timezone(timedelta(minutes=-minutes if m.group(1) == "-" else minutes))
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo(v)
    except Exception as exc:  # noqa: BLE001 - ZoneInfoNotFoundError, ValueError, missing tzdata
        raise argparse.ArgumentTypeError(
            str(
                Text(
                    f"unknown time zone: {value!r} (use UTC, +09:00 or Asia/Tokyo)",
                    f"タイムゾーンが不明です: {value!r}（UTC、+09:00、Asia/Tokyo など）",
                )
            )
        ) from exc


def register(sub: Any) -> None:
    p = sub.add_parser(
        "report",
        help="export a kitting report (CSV, XLSX, PDF, JSON, KME/ABM lists); 'report verify FILE' checks one",
        description="Export the runs a filter selects as delivery evidence. 'kitstation report verify FILE' "
        "checks a report against its .sha256 and the kitting log.",
    )
    add_db_option(p)
    p.add_argument("--format", "-f", choices=FORMATS, help="report format")
    p.add_argument(
        "--out",
        "-o",
        metavar="FILE",
        help="the report file to write (FILE.sha256 is written next to it); - for standard output (text formats)",
    )
    add_filter_options(p)
    p.add_argument("--latest", action="store_true", help="one row per device: its latest run in the selection")
    # dest differs from the global --lang (message language) so neither clobbers the other.
    p.add_argument("--lang", dest="report_lang", choices=["en", "ja"], help="report language (default: the UI's)")
    p.add_argument(
        "--title",
        type=argtypes.text(500),
        default="",
        help="report title (default: 'Kitting report' / 'キッティング作業報告書')",
    )
    p.add_argument("--tz", type=parse_tz, help="time zone of the times shown (default: this computer's)")
    p.add_argument("--column-ids", action="store_true", help="CSV: header of machine column ids, not titles")
    p.add_argument(
        "--pdf-max-rows",
        type=argtypes.count(0, 10**9),
        default=5000,
        metavar="N",
        help="PDF: device table rows at most (default 5000; 0 = all); the summary covers every row",
    )
    p.add_argument("--pdf-font", metavar="FILE", help="PDF: a TrueType font with Japanese glyphs, or 'cid'")
    p.add_argument(
        "--kme-all",
        action="store_true",
        help="kme-csv: every Android device, not only those the station listed for KME",
    )
    p.add_argument(
        "--abm-columns",
        default="serial",
        metavar="LIST",
        help="abm-csv: comma-separated columns among serial,model,order_ref,imei (default: serial)",
    )
    p.add_argument("--no-header", action="store_true", help="kme-csv/abm-csv: no header row")
    p.set_defaults(func=export_cmd)

    rsub = p.add_subparsers(dest="report_command", metavar="verify")
    v = rsub.add_parser("verify", help="check a report against its .sha256 and the kitting log")
    add_db_option(v)
    v.add_argument("file", metavar="FILE")
    v.set_defaults(func=verify_cmd)


def _language(args: argparse.Namespace) -> Language:
    lang: str | None = getattr(args, "report_lang", None)
    if lang == "en":
        return "en"
    if lang == "ja":
        return "ja"
    return current_language()


def export_cmd(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from kitstation.log import LogError
    from kitstation.reports import ReportFormat, ReportOptions, export_report
    from kitstation.reports.api import OutputError

    if not args.format or not args.out:
        raise CliError(
            Text(
                "give --format and --out (or: kitstation report verify FILE)",
                "--format と --out を指定してください（検証は kitstation report verify ファイル名）",
            )
        )
    if args.pdf_max_rows < 0:
        raise CliError(Text("--pdf-max-rows must be 0 or more", "--pdf-max-rows は 0 以上を指定してください"))
    abm_cols = tuple(c.strip() for c in args.abm_columns.split(",") if c.strip())
    bad = [c for c in abm_cols if c not in ("serial", "model", "order_ref", "imei")]
    if bad or not abm_cols:
        raise CliError(
            Text(
                f"unknown --abm-columns: {', '.join(bad) or '(none)'}",
                f"--abm-columns が不正です: {', '.join(bad) or '（なし）'}",
            )
        )
    flt = filter_from_args(args)
    fmt = ReportFormat(args.format)
    options = ReportOptions(
        language=_language(args),
        title=args.title,
        tz=args.tz,
        latest_only=args.latest,
        pdf_max_rows=args.pdf_max_rows,
        pdf_font=args.pdf_font,
        kme_all_android=args.kme_all,
        kme_header=False if args.no_header else None,
        abm_columns=abm_cols,
        abm_header=not args.no_header,
        csv_column_ids=args.column_ids,
    )
    to_stdout = args.out == "-"
    if to_stdout and fmt in (ReportFormat.XLSX, ReportFormat.PDF):
        raise CliError(
            Text(f"--out - (standard output) is for text formats; give a file for {fmt.value}",
                 f"--out -（標準出力）はテキスト形式のみです。{fmt.value} はファイル名を指定してください")
        )
    kitlog = read_log(args)
    err = Console(stderr=True)
    with contextlib.ExitStack() as stack:
        if to_stdout:
            # Written to a private temporary folder, then copied out: the same bytes as a file.
            out = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="kitstation-report-"))) / "report"
            options = replace(options, write_sidecar=False)
        else:
            out = Path(args.out)
        try:
            with Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeRemainingColumn(),
                console=err,
                transient=True,
                disable=not err.is_terminal,
            ) as bar:
                task = bar.add_task(str(Text("Exporting", "出力中")), total=None, visible=False)

                def progress(done: int, total: int) -> None:
                    bar.update(task, completed=done, total=total, visible=total >= PROGRESS_MIN_ROWS)

                result = export_report(kitlog, fmt, out, flt, options, progress)
        except (OutputError, LogError) as exc:
            raise CliError(exc.reason) from exc
        except ValueError as exc:
            raise CliError(Text(f"cannot write the report: {exc}", f"報告書を作成できません: {exc}")) from exc
        except OSError as exc:
            raise CliError(
                Text(f"cannot write {out}: {exc.strerror or exc}", f"{out} に書き込めません: {exc.strerror or exc}")
            ) from exc
        finally:
            kitlog.close()
        if to_stdout:
            with out.open("rb") as fh:
                shutil.copyfileobj(fh, sys.stdout.buffer)
            sys.stdout.flush()
    # With the report on standard output, what is said about it goes to standard error.
    say = sys.stderr if to_stdout else sys.stdout
    if result.empty:
        print(
            Text(
                "No runs match this selection: the report written says so.",
                "この条件に該当する記録はありません（その旨を記載した空の報告書を作成しました）。",
            ),
            file=say,
        )
    for w in result.warnings:
        err.print(str(w), markup=False, highlight=False, soft_wrap=True)
    shown = "-" if to_stdout else str(result.path)
    print(Text(f"Wrote {shown} ({result.rows} rows)", f"{shown} を作成しました（{result.rows} 件）"), file=say)
    print(f"SHA-256 ({'-' if to_stdout else result.path.name}): {result.file_sha256}", file=say)
    print(
        Text(f"Rows digest (SHA-256): {result.rows_sha256}", f"行ダイジェスト (SHA-256): {result.rows_sha256}"),
        file=say,
    )
    if result.sidecar is not None:
        print(Text(f"Checksum file: {result.sidecar}", f"チェックサムファイル: {result.sidecar}"), file=say)
    return EXIT_OK


def verify_cmd(args: argparse.Namespace) -> int:
    from kitstation.log import LogError
    from kitstation.reports import verify_report

    path = Path(args.file)
    if not path.is_file():
        raise CliError(Text(f"no such file: {path}", f"ファイルがありません: {path}"))
    kitlog = read_log(args)
    try:
        result = verify_report(path, kitlog)
    except LogError as exc:
        raise CliError(exc.reason) from exc
    except (ValueError, KeyError) as exc:
        raise CliError(Text(f"not a KitStation report: {exc}", f"KitStationの報告書ではありません: {exc}")) from exc
    finally:
        kitlog.close()
    marks = {"passed": "OK  ", "failed": "FAIL", "skipped": "--  "}
    for check in result.checks:
        print(f"{marks[check.state]} {check.name:8} {check.detail}")
    if result.embedded_sha256:
        print(Text(f"Report digest: {result.embedded_sha256}", f"報告書ダイジェスト: {result.embedded_sha256}"))
    if result.ok:
        print(Text(f"{path}: verified against the kitting log.", f"{path}: キッティング記録と照合しました（一致）。"))
        return EXIT_OK
    print(Text(f"{path}: NOT verified.", f"{path}: 照合できませんでした（不一致）。"))
    return EXIT_DEVICE_FAILED

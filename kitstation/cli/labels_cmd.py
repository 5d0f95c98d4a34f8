"""``kitstation labels``: a printable PDF of device labels for one batch (name, identifiers, barcodes).

``kitstation labels --session 12 --out labels.pdf`` lays the batch's devices out on A4 label sheets
(3 × 7); ``--size 62x29`` (or any WIDTHxHEIGHT in mm) gives one label per page for a label
printer; ``--device SERIAL`` prints one device's label again. Exit codes: 0 written, 2 bad input
(no such batch or device, a size that is not one, an output path that must not be written).
"""

from __future__ import annotations

import argparse
from typing import Any

from kitstation.cli import argtypes
from kitstation.cli.common import EXIT_OK, CliError, add_db_option
from kitstation.i18n import Text


def register(sub: Any) -> None:
    p = sub.add_parser(
        "labels",
        help="print device labels for a batch (PDF: name, serial, IMEI, model, order, Code 128 and QR)",
        description="Lay out a label for every device of a batch (its latest run there): A4 sheets of 3 × 7, "
        "or one label per page for a label printer (--size 62x29).",
    )
    add_db_option(p)
    p.add_argument("--session", type=argtypes.count(1, 2**63 - 1), required=True, metavar="N", help="the batch id")
    p.add_argument("--out", "-o", required=True, metavar="FILE", help="the PDF to write")
    p.add_argument(
        "--size",
        default="a4",
        metavar="SIZE",
        help="a4 (3 × 7 labels of 70 × 42.3 mm, the default), a4-3x8 (columns x rows), or WIDTHxHEIGHT in mm: 62x29",
    )
    p.add_argument("--device", metavar="SERIAL", help="only this device (serial number or device key)")
    p.add_argument("--font", metavar="FILE", help="a TrueType font with Japanese glyphs, or 'cid'")
    p.set_defaults(func=labels_cmd)


def labels_cmd(args: argparse.Namespace) -> int:
    from kitstation.cli.log_cmd import read_log
    from kitstation.log import LogError
    from kitstation.reports.labels import LabelError, layout, write_labels

    try:
        layout(args.size)  # a bad size is said before the log is opened
    except LabelError as exc:
        raise CliError(exc.reason) from exc
    kitlog = read_log(args)
    try:
        result = write_labels(kitlog, args.session, args.out, args.size, args.device, args.font)
    except (LabelError, LogError) as exc:
        raise CliError(exc.reason) from exc
    except ValueError as exc:  # an unusable --font
        raise CliError(Text(f"cannot write the labels: {exc}", f"ラベルを作成できません: {exc}")) from exc
    except OSError as exc:
        raise CliError(
            Text(
                f"cannot write {args.out}: {exc.strerror or exc}", f"{args.out} に書き込めません: {exc.strerror or exc}"
            )
        ) from exc
    finally:
        kitlog.close()
    print(
        Text(
            f"Wrote {result.path}: {result.count} labels on {result.pages} pages ({result.layout})",
            f"{result.path} を作成しました: ラベル {result.count} 枚、{result.pages} ページ（{result.layout}）",
        )
    )
    return EXIT_OK

"""``kitstation blueprint validate FILE``: check a blueprint and say exactly what is wrong."""

from __future__ import annotations

import argparse
from typing import Any

from kitstation.cli.common import EXIT_OK, EXIT_USAGE, eprint, print_json
from kitstation.i18n import Text


def register(sub: Any) -> None:
    p = sub.add_parser("blueprint", help="work with blueprint files")
    bsub = p.add_subparsers(dest="blueprint_command", metavar="ACTION", required=True)
    v = bsub.add_parser("validate", help="validate blueprint files")
    v.add_argument("files", nargs="+", metavar="FILE")
    v.add_argument("--json", action="store_true", help="machine-readable output")
    v.set_defaults(func=validate)


def validate(args: argparse.Namespace) -> int:
    from kitstation.blueprints.loader import BlueprintError, content_hash, load_blueprint

    results: list[dict[str, Any]] = []
    code = EXIT_OK
    for f in args.files:
        try:
            bp = load_blueprint(f)
        except BlueprintError as exc:
            code = EXIT_USAGE
            results.append(
                {
                    "file": f,
                    "valid": False,
                    "errors": [{"field": loc, "en": m.en, "ja": m.ja} for loc, m in exc.problems],
                }
            )
            if not args.json:
                eprint(exc.render())
            continue
        digest = content_hash(bp)
        platforms = [p for p in ("ios", "android") if getattr(bp, p) is not None]
        results.append({"file": f, "valid": True, "name": bp.name, "platforms": platforms, "hash": digest})
        if not args.json:
            print(
                Text("{f}: OK ({name}; {pl}; hash {h})", "{f}: OK（{name}、{pl}、ハッシュ {h}）").format(
                    f=f, name=bp.name, pl="+".join(platforms), h=digest[:12]
                )
            )
    if args.json:
        print_json(results)
    return code

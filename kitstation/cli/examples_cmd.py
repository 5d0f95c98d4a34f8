"""``kitstation examples [--out DIR]``: list the example blueprints shipped with the station, or copy them.

The examples live inside the package (``kitstation/data/examples``), which may be read-only (an
installed wheel, a bundle). ``--out DIR`` copies them, with the files they refer to (the demo
agent APK, the demo CA, a sample enrolment profile), to a folder the technician can edit; the
blueprints' relative ``file = ...`` paths keep working there. A file already in DIR with other
content is left alone unless ``--force``: a customer's edited blueprint is never overwritten.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from kitstation import paths
from kitstation.cli.common import EXIT_OK, CliError, print_json
from kitstation.files import write_atomic
from kitstation.i18n import Text


def register(sub: Any) -> None:
    p = sub.add_parser("examples", help="list the example blueprints, or copy them to a folder to edit")
    p.add_argument("--out", metavar="DIR", help="copy the examples (and the files they use) into DIR")
    p.add_argument("--force", action="store_true", help="with --out: overwrite files in DIR that differ")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=run)


def example_files() -> list[tuple[str, Path]]:
    """Every shipped example file as (path relative to the examples folder, file)."""
    root = paths.resource("examples")
    found = [(f.relative_to(root).as_posix(), f) for f in sorted(root.rglob("*")) if f.is_file()]
    # A checkout's byte-compiled or editor files are not examples.
    return [(rel, f) for rel, f in found if "__pycache__" not in rel and not rel.endswith((".pyc", "~"))]


def _describe(path: Path) -> tuple[str, str]:
    """The blueprint's name and description, read without validating (a listing, not a check)."""
    import tomllib

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return "", ""
    return str(data.get("name", "")), str(data.get("description", ""))


def _list(args: argparse.Namespace) -> int:
    blueprints = [(rel, f) for rel, f in example_files() if rel.endswith(".toml") and "/" not in rel]
    rows = []
    for rel, f in blueprints:
        name, description = _describe(f)
        rows.append({"file": rel, "name": name, "description": description})
    if args.json:
        print_json({"folder": str(paths.resource("examples")), "examples": rows})
        return EXIT_OK
    print(Text("Example blueprints (copy them with --out DIR to edit):", "ブループリントの例（--out DIR でコピーして編集できます）:"))
    for row in rows:
        print(f"  {row['file']}: {row['name']}")
    return EXIT_OK


def copy_examples(out: Path, force: bool = False) -> tuple[list[str], list[str]]:
    """Copy the examples into ``out``; returns (written, unchanged). Raises CliError on a conflict."""
    if out.exists() and not out.is_dir():
        raise CliError(Text("{p} is not a folder", "{p} はフォルダーではありません").format(p=out))
    files = example_files()
    conflicts = []
    for rel, src in files:
        dest = out / rel
        if dest.exists() and (not dest.is_file() or dest.read_bytes() != src.read_bytes()):
            conflicts.append(rel)
    if conflicts and not force:
        raise CliError(
            Text(
                "{p} already has other versions of: {files} (nothing copied; --force overwrites them)",
                "{p} には別の内容の {files} があります（何もコピーしていません。--force で上書きします）",
            ).format(p=out, files=", ".join(conflicts))
        )
    written: list[str] = []
    unchanged: list[str] = []
    for rel, src in files:
        dest = out / rel
        data = src.read_bytes()
        if dest.is_file() and dest.read_bytes() == data:
            unchanged.append(rel)
            continue
        try:
            write_atomic(dest, data)
        except OSError as exc:
            raise CliError(
                Text("cannot write {p}: {e}", "{p} に書き込めません: {e}").format(p=dest, e=exc.strerror or exc)
            ) from exc
        written.append(rel)
    return written, unchanged


def run(args: argparse.Namespace) -> int:
    if not args.out:
        return _list(args)
    out = Path(args.out).expanduser()
    written, unchanged = copy_examples(out, force=args.force)
    if args.json:
        print_json({"folder": str(out.resolve()), "written": written, "unchanged": unchanged})
        return EXIT_OK
    print(
        Text(
            "Copied {n} example files to {p} ({u} already there); e.g. kitstation blueprint validate {p}/*.toml",
            "例のファイル {n} 個を {p} にコピーしました（{u} 個は既にありました）。例: kitstation blueprint validate {p}/*.toml",
        ).format(n=len(written), p=out, u=len(unchanged))
    )
    return EXIT_OK

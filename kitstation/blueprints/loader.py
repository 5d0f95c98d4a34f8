"""Loading, validating, hashing and saving blueprint TOML files.

Errors name the file, the field and what is wrong, in the user's language. The content hash
covers the validated options *and* the bytes of every file the blueprint references, so a report
can say exactly what was applied.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from pathlib import Path
from typing import Any

import tomli_w
from pydantic import ValidationError

from kitstation.blueprints import checks
from kitstation.blueprints.model import Blueprint
from kitstation.files import write_atomic
from kitstation.i18n import Text

_SECRET_WORDS = ("password", "passphrase", "secret", "private_key")


class BlueprintError(Exception):
    """A blueprint that cannot be used; ``problems`` lists every (field, message) found."""

    def __init__(self, source: str, problems: list[tuple[str, Text]]) -> None:
        self.source = source
        self.problems = problems
        super().__init__(self.render("en"))

    def render(self, language: str | None = None) -> str:
        lines = []
        for loc, message in self.problems:
            where = f"{self.source}: {loc}" if loc else self.source
            lines.append(f"{where}: {message.get(language)}")  # type: ignore[arg-type]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.render()


def _pydantic_message(err: dict[str, Any]) -> Text:
    kind = err.get("type", "")
    ctx = err.get("ctx") or {}
    if kind == "extra_forbidden":
        return Text(
            "unknown key (not part of the blueprint format)", "不明なキーです（ブループリントの形式にありません）"
        )
    if kind == "missing":
        return Text("required but missing", "必須項目がありません")
    if kind == "literal_error":
        expected = str(ctx.get("expected", ""))
        return Text(f"must be one of {expected}", f"次のいずれかを指定してください: {expected}")
    if kind in ("bool_type", "bool_parsing"):
        return Text("must be true or false", "true または false を指定してください")
    if kind in ("int_type", "int_parsing"):
        return Text("must be a whole number", "整数を指定してください")
    if kind in ("string_type",):
        return Text("must be text", "文字列を指定してください")
    if kind in ("list_type",):
        return Text("must be a list", "リストを指定してください")
    if kind == "string_too_short":
        return Text("must not be empty", "空にはできません")
    if kind == "string_too_long":
        n = ctx.get("max_length")
        return Text(f"is too long (at most {n} characters)", f"長すぎます（最大 {n} 文字）")
    if kind == "finite_number":
        return Text("must be a finite number (not inf or nan)", "有限の数値を指定してください（inf や nan は不可）")
    if kind in ("float_type", "float_parsing"):
        return Text("must be a number", "数値を指定してください")
    if kind in ("less_than_equal", "greater_than_equal", "less_than", "greater_than"):
        return Text(f"is out of range: {err.get('msg', '')}", f"範囲外の値です: {err.get('msg', '')}")
    if kind == "value_error":
        msg = str(ctx.get("error", err.get("msg", "")))
        return Text(msg, f"値が不正です: {msg}")
    msg = str(err.get("msg", kind))
    return Text(msg, f"値が不正です: {msg}")


def _loc(parts: tuple[Any, ...]) -> str:
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        elif str(part).startswith(("function-", "literal[")):
            continue  # pydantic's union branch names mean nothing to a technician
        else:
            out += ("." if out else "") + str(part)
    return out


def problems_from(exc: ValidationError) -> list[tuple[str, Text]]:
    """A pydantic validation error as (field path, bilingual message) pairs, as files report them."""
    return [(_loc(tuple(e["loc"])), _pydantic_message(dict(e))) for e in exc.errors()]


def loads_blueprint(text: str, source: str = "<blueprint>", path: Path | None = None) -> Blueprint:
    """Validate blueprint TOML text; raises :class:`BlueprintError`."""
    too_big = checks.text_limits(text)
    if too_big:
        raise BlueprintError(source, too_big)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise BlueprintError(source, [("", Text(f"not valid TOML: {exc}", f"TOML として読めません: {exc}"))]) from exc
    except RecursionError:  # tomllib recurses per nested array or inline table
        raise BlueprintError(
            source, [("", Text("nested too deeply to read", "入れ子が深すぎて読み込めません"))]
        ) from None
    return validate_data(data, source, path)


def validate_data(data: dict[str, Any], source: str = "<blueprint>", path: Path | None = None) -> Blueprint:
    """Validate parsed blueprint data: limits and text first, then the schema, then offline checks."""
    early = checks.data_problems(data)
    if early:
        raise BlueprintError(source, early)
    try:
        bp = Blueprint.model_validate(data)
    except ValidationError as exc:
        raise BlueprintError(source, problems_from(exc)) from exc
    later = checks.model_problems(bp)
    if later:
        raise BlueprintError(source, later)
    bp._source = path
    return bp


def load_blueprint(path: str | Path, check_files: bool = True) -> Blueprint:
    """Load and validate a blueprint file; with ``check_files`` every referenced file must exist."""
    p = Path(path)
    try:
        if p.stat().st_size > checks.MAX_BYTES:
            raise BlueprintError(str(p), checks.size_limit(p.stat().st_size))
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise BlueprintError(str(p), [("", Text("file not found", "ファイルが見つかりません"))]) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise BlueprintError(str(p), [("", Text(f"cannot read: {exc}", f"読み込めません: {exc}"))]) from exc
    bp = loads_blueprint(text, str(p), p.resolve())
    if check_files:
        missing = [f for f in bp.referenced_files() if not bp.resolve(f).is_file()]
        if missing:
            raise BlueprintError(
                str(p),
                [(f, Text("referenced file not found", "参照しているファイルが見つかりません")) for f in missing],
            )
        bad_files = checks.file_problems(bp)
        if bad_files:
            raise BlueprintError(str(p), bad_files)
    return bp


def to_data(bp: Blueprint) -> dict[str, Any]:
    """The blueprint as plain data (defaults included, ``None`` left out), as TOML would hold it."""
    return bp.model_dump(mode="json", exclude_none=True)


def dumps_blueprint(bp: Blueprint) -> str:
    return tomli_w.dumps(to_data(bp))


def save_blueprint(bp: Blueprint, path: str | Path) -> Path:
    p = Path(path)
    write_atomic(p, dumps_blueprint(bp).encode("utf-8"))
    bp._source = p.resolve()
    return p


def redact(value: Any) -> Any:
    """Replace the value of any key that looks secret (defence in depth; blueprints hold none)."""
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for k, v in value.items():
            if any(w in str(k).lower() for w in _SECRET_WORDS) and not str(k).endswith("_secret"):
                out[k] = "***"
            else:
                out[k] = redact(v)
        return out
    if isinstance(value, list):
        return [redact(v) for v in value]
    return value


def snapshot(bp: Blueprint) -> dict[str, Any]:
    """What the log keeps of a blueprint: its options and the SHA-256 of each referenced file."""
    files: dict[str, str] = {}
    for rel in bp.referenced_files():
        try:
            files[rel] = hashlib.sha256(bp.resolve(rel).read_bytes()).hexdigest()
        except OSError:
            files[rel] = "missing"
    return {"blueprint": redact(to_data(bp)), "files": files}


def content_hash(bp: Blueprint) -> str:
    """SHA-256 over the canonical JSON of :func:`snapshot`: same options + same files = same hash."""
    canonical = json.dumps(snapshot(bp), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()

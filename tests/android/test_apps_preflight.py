"""``[android.apps]`` preflight: every APK fetched once and read as Android would, before any phone is touched."""

from __future__ import annotations

import asyncio
import hashlib
import ssl
import threading
import tomllib
from collections.abc import Callable, Iterator, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from kitstation.android.preflight import android_preflight
from kitstation.blueprints.model import Blueprint
from kitstation.core.preflight import PreflightContext
from kitstation.domain.events import Problem
from kitstation.domain.model import Platform
from kitstation.simulator.android.apk import build_apk, demo_agent_apk
from kitstation.simulator.cloud.tls import make_tls
from tests.sim_android.test_apps_pm import _other_key

PKG = "com.example.scanner"
CAMERA = "android.permission.CAMERA"


def _bp(tmp: Path, apps: str) -> Blueprint:
    agent = tmp / "agent.apk"
    agent.write_bytes(demo_agent_apk())
    text = f"""name = "t"
[android]
method = "device_owner"
[android.agent]
file = "{agent}"
sha256 = "{hashlib.sha256(demo_agent_apk()).hexdigest()}"
package = "jp.kitstation.demoagent"
admin_receiver = "jp.kitstation.demoagent/.AdminReceiver"
{apps}"""
    bp = Blueprint.model_validate(tomllib.loads(text))
    bp._source = tmp / "bp.toml"
    return bp


def _apk(tmp: Path, name: str, data: bytes) -> str:
    (tmp / name).write_bytes(data)
    return f'{{ file = "{name}", sha256 = "{hashlib.sha256(data).hexdigest()}" }}'


async def _thread(fn: Callable[..., Any], *args: Any) -> Any:
    return await asyncio.to_thread(fn, *args)


def _run(bp: Blueprint, cache: Path) -> Sequence[Problem]:
    return asyncio.run(android_preflight(bp, PreflightContext(Platform.ANDROID), cache, _thread))


def _codes(problems: Sequence[Problem]) -> list[tuple[str, str]]:
    return [(p.field, p.code) for p in problems]


def _app(apks: list[str], *, version: int | None = 5, grant: str = f'"{CAMERA}"', package: str = PKG) -> str:
    v = f"version_code = {version}\n" if version is not None else ""
    return f'[[android.apps.install]]\npackage = "{package}"\n{v}grant = [{grant}]\napks = [{", ".join(apks)}]\n'


def _base(**kw: Any) -> bytes:
    kw.setdefault("split_required", True)
    return build_apk(PKG, None, kw.pop("version", 5), permissions=(CAMERA,), **kw)


def _split(**kw: Any) -> bytes:
    return build_apk(kw.pop("package", PKG), None, kw.pop("version", 5), split="config.arm64_v8a", **kw)


def test_a_good_split_app_passes_and_lands_in_the_cache(tmp_path: Path) -> None:
    apps = _app([_apk(tmp_path, "b.apk", _base()), _apk(tmp_path, "s.apk", _split())])
    cache = tmp_path / "cache"
    assert _codes(_run(_bp(tmp_path, apps), cache)) == []
    assert {hashlib.sha256(p.read_bytes()).hexdigest() for p in cache.glob("*.apk")} >= {
        hashlib.sha256(_base()).hexdigest(),
        hashlib.sha256(_split()).hexdigest(),
    }


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda t: _app([_apk(t, "b.apk", _base())]), [("android.apps.install[0].apks", "app_missing_split")]),
        (
            lambda t: _app([_apk(t, "b.apk", _base()), _apk(t, "s.apk", _split(package="com.example.other"))]),
            [("android.apps.install[0].apks[1]", "app_split_mismatch")],
        ),
        (
            lambda t: _app([_apk(t, "b.apk", _base()), _apk(t, "s.apk", _split(version=6))]),
            [("android.apps.install[0].apks[1]", "app_split_mismatch")],
        ),
        (
            lambda t: _app([_apk(t, "b.apk", _base()), _apk(t, "s.apk", _split(signing=_other_key()))]),
            [("android.apps.install[0].apks[1]", "app_split_mismatch")],
        ),
        (lambda t: _app([_apk(t, "s.apk", _split())]), [("android.apps.install[0].apks", "app_no_base")]),
        (
            lambda t: _app([_apk(t, "b.apk", _base()), _apk(t, "s.apk", _split())], version=7),
            [("android.apps.install[0].version_code", "app_wrong_version")],
        ),
        (
            lambda t: _app([_apk(t, "b.apk", _base(split_required=False))], package="com.example.wrong"),
            [("android.apps.install[0].package", "app_wrong_package")],
        ),
        (
            lambda t: _app([_apk(t, "b.apk", _base(split_required=False))], grant='"android.permission.RECORD_AUDIO"'),
            [("android.apps.install[0].grant", "app_permission_not_requested")],
        ),
        (
            lambda t: _app([_apk(t, "b.apk", _base(split_required=False, schemes=("v1",), target_sdk=33))]),
            [("android.apps.install[0].apks[0]", "app_v1_only")],
        ),
        (
            lambda t: _app([_apk(t, "b.apk", _base(split_required=False, unsigned=True))]),
            [("android.apps.install[0].apks[0]", "app_unsigned")],
        ),
        (
            lambda t: _app(['{ file = "missing.apk", sha256 = "' + "0" * 64 + '" }']),
            [("android.apps.install[0].apks[0].file", "app_file_missing")],
        ),
        (
            lambda t: _app(
                [_apk(t, "b.apk", _base(split_required=False)).replace('sha256 = "', 'sha256 = "f')[:-4] + '" }']
            ),
            [("android.apps.install[0].apks[0].sha256", "app_sha256_mismatch")],
        ),
        (
            lambda t: f'[android.apps]\nremove = ["{PKG}"]\n' + _app([_apk(t, "b.apk", _base(split_required=False))]),
            [("android.apps.remove", "app_both_ways")],
        ),
        (
            lambda t: _app([_apk(t, "b.apk", _base(split_required=False))]) * 2,
            [("android.apps.install", "app_listed_twice")],
        ),
        (
            lambda t: '[android.apps]\nremove = ["jp.kitstation.demoagent"]\n',
            [("android.apps.remove", "app_remove_owner")],
        ),
    ],
    ids=[
        "missing-split",
        "split-of-another-package",
        "split-of-another-version",
        "split-of-another-signer",
        "split-without-base",
        "version-code",
        "package",
        "grant-not-requested",
        "v1-only",
        "unsigned",
        "file-missing",
        "sha256",
        "remove-and-install",
        "listed-twice",
        "remove-the-owner",
    ],
)
def test_what_android_would_refuse_is_found_before_any_device(
    tmp_path: Path, make: Callable[[Path], str], expected: list[tuple[str, str]]
) -> None:
    problems = _run(_bp(tmp_path, make(tmp_path)), tmp_path / "cache")
    assert _codes(problems) == expected
    for p in problems:
        # Named by the app (or the remove list), in both languages.
        assert p.reason.en.startswith(("App com.example.", "Apps to remove: "))
        assert p.reason.ja.startswith(("アプリ com.example.", "削除するアプリ: "))


class _HttpsApk:
    """A real HTTPS server (its own CA, trusted through SSL_CERT_FILE) counting downloads."""

    def __init__(self, folder: Path, data: bytes) -> None:
        self.tls = make_tls(folder)
        self.data = data
        self.requests = 0
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                outer.requests += 1
                self.send_response(200)
                self.send_header("Content-Length", str(len(outer.data)))
                self.end_headers()
                self.wfile.write(outer.data)

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                return None

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(self.tls.server_cert, self.tls.server_key)
        self.httpd.socket = ctx.wrap_socket(self.httpd.socket, server_side=True)
        self.url = f"https://127.0.0.1:{self.httpd.server_address[1]}/notes.apk"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join()


@pytest.fixture
def https_apk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[_HttpsApk]:
    server = _HttpsApk(tmp_path / "tls", build_apk("com.example.notes", None, 3))
    monkeypatch.setenv("SSL_CERT_FILE", str(server.tls.ca_cert))
    yield server
    server.close()


def test_a_url_apk_is_downloaded_once_for_the_whole_batch(tmp_path: Path, https_apk: _HttpsApk) -> None:
    digest = hashlib.sha256(https_apk.data).hexdigest()
    apps = f'[[android.apps.install]]\npackage = "com.example.notes"\napks = [{{ url = "{https_apk.url}", sha256 = "{digest}" }}]\n'
    bp = _bp(tmp_path, apps)
    cache = tmp_path / "cache"
    assert _codes(_run(bp, cache)) == []
    assert _codes(_run(bp, cache)) == []  # preflight again before the next device: from the cache
    assert https_apk.requests == 1
    assert (cache / f"{digest}.apk").read_bytes() == https_apk.data
    wrong = apps.replace(digest, "0" * 64)
    assert _codes(_run(_bp(tmp_path, wrong), cache)) == [
        ("android.apps.install[0].apks[0].sha256", "app_sha256_mismatch")
    ]

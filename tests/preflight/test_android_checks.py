"""The Android preflight on real APKs: fetched once into the cache, pinned, signed, admin in the manifest."""

from __future__ import annotations

import asyncio
import hashlib
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
from kitstation.core.protocols import DictSecrets, NoSecrets, Secrets
from kitstation.domain.events import Problem
from kitstation.domain.model import Platform
from kitstation.simulator.android.apk import build_apk, demo_agent_apk

PKG = "jp.kitstation.demoagent"
AGENT = f'package = "{PKG}"\nadmin_receiver = "{PKG}/.AdminReceiver"\n'


class ApkServer:
    """A real HTTP server handing out one APK, counting the downloads."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.requests = 0
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.requests += 1
                self.send_response(200)
                self.send_header("Content-Length", str(len(server.data)))
                self.end_headers()
                self.wfile.write(server.data)

            def log_message(self, format: str, *args: Any) -> None:
                return None

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/agent.apk"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join()


@pytest.fixture
def apk_server() -> Iterator[ApkServer]:
    server = ApkServer(demo_agent_apk())
    yield server
    server.close()


def _bp(tmp: Path, android: str) -> Blueprint:
    bp = Blueprint.model_validate(tomllib.loads(f'name = "t"\n[android]\n{android}'))
    bp._source = tmp / "bp.toml"
    return bp


async def _thread(fn: Callable[..., Any], *args: Any) -> Any:
    return await asyncio.to_thread(fn, *args)


def _run(bp: Blueprint, cache: Path, secrets: Secrets | None = None) -> Sequence[Problem]:
    ctx = PreflightContext(Platform.ANDROID, secrets or NoSecrets())
    return asyncio.run(android_preflight(bp, ctx, cache, _thread))


def _codes(problems: Sequence[Problem]) -> list[tuple[str, str]]:
    return [(p.field, p.code) for p in problems]


def test_the_agent_is_fetched_once_into_the_cache_and_passes(apk_server: ApkServer, tmp_path: Path) -> None:
    digest = hashlib.sha256(apk_server.data).hexdigest()
    bp = _bp(tmp_path, f'[android.agent]\nurl = "{apk_server.url}"\nsha256 = "{digest}"\n{AGENT}')
    cache = tmp_path / "cache"
    assert _codes(_run(bp, cache)) == []
    assert (cache / f"{digest}.apk").read_bytes() == apk_server.data
    assert _codes(_run(bp, cache)) == []
    assert apk_server.requests == 1  # the second check (and the install step) read the cache


def test_a_sha256_other_than_the_pinned_one_is_refused(apk_server: ApkServer, tmp_path: Path) -> None:
    bp = _bp(tmp_path, f'[android.agent]\nurl = "{apk_server.url}"\nsha256 = "{"0" * 64}"\n{AGENT}')
    problems = _run(bp, tmp_path / "cache")
    assert _codes(problems) == [("android.agent.sha256", "apk_sha256_mismatch")]
    assert problems[0].reason.en.startswith("APK SHA-256: ") and problems[0].reason.ja.startswith("APK の SHA-256: ")
    assert not list((tmp_path / "cache").glob("*.apk"))


def test_an_unreachable_url_is_a_problem(tmp_path: Path) -> None:
    server = ApkServer(b"")
    url = server.url
    server.close()  # nothing listens on that port any more
    bp = _bp(tmp_path, f'[android.agent]\nurl = "{url}"\n{AGENT}')
    problems = _run(bp, tmp_path / "cache")
    assert _codes(problems) == [("android.agent.url", "apk_download_failed")]
    assert problems[0].reason.ja.startswith("エージェント APK の URL: ")


@pytest.mark.parametrize(
    ("apk", "code"),
    [
        (lambda: build_apk(PKG, ".AdminReceiver", schemes=("v1",), target_sdk=33), "apk_v1_only"),
        (lambda: build_apk(PKG, ".AdminReceiver", unsigned=True), "apk_unsigned"),
    ],
)
def test_signatures_android_11_refuses(apk: Callable[[], bytes], code: str, tmp_path: Path) -> None:
    (tmp_path / "agent.apk").write_bytes(apk())
    bp = _bp(tmp_path, f'[android.agent]\nfile = "agent.apk"\n{AGENT}')
    assert _codes(_run(bp, tmp_path / "cache")) == [("android.agent.file", code)]


def test_a_v1_only_agent_for_old_targets_is_fine(tmp_path: Path) -> None:
    (tmp_path / "agent.apk").write_bytes(build_apk(PKG, ".AdminReceiver", schemes=("v1",), target_sdk=29))
    bp = _bp(tmp_path, f'[android.agent]\nfile = "agent.apk"\n{AGENT}')
    assert _codes(_run(bp, tmp_path / "cache")) == []


def test_the_admin_receiver_must_be_in_the_manifest(tmp_path: Path) -> None:
    (tmp_path / "agent.apk").write_bytes(build_apk(PKG, ".OtherReceiver"))
    bp = _bp(tmp_path, f'[android.agent]\nfile = "agent.apk"\n{AGENT}')
    problems = _run(bp, tmp_path / "cache")
    assert _codes(problems) == [("android.agent.admin_receiver", "admin_not_in_manifest")]
    assert f"{PKG}.OtherReceiver" in problems[0].reason.en


def test_pinned_signer_and_package_name(tmp_path: Path) -> None:
    (tmp_path / "agent.apk").write_bytes(demo_agent_apk())
    other = AGENT.replace(PKG, "com.example.other")
    bp = _bp(tmp_path, f'[android.agent]\nfile = "agent.apk"\nsignature_checksum = "{"A" * 43}"\n{other}')
    assert _codes(_run(bp, tmp_path / "cache")) == [
        ("android.agent.signature_checksum", "apk_signature_mismatch"),
        ("android.agent.package", "apk_wrong_package"),
    ]


def test_qr_wifi_secret_and_kme_agent_url(tmp_path: Path) -> None:
    (tmp_path / "agent.apk").write_bytes(demo_agent_apk())
    qr = (
        f'method = "qr"\n[android.agent]\nfile = "agent.apk"\nurl = "https://mdm.example.jp/a.apk"\n{AGENT}'
        '[android.qr]\n[android.qr.wifi]\nssid = "bench"\npassword_secret = "wifi"\n'
    )
    assert _codes(_run(_bp(tmp_path, qr), tmp_path / "cache")) == [
        ("android.qr.wifi.password_secret", "secret_missing")
    ]
    assert _codes(_run(_bp(tmp_path, qr), tmp_path / "cache", DictSecrets({"wifi": "pw"}))) == []
    kme = 'method = "kme"\n[android.kme]\nprofile_name = "  "\n'
    assert _codes(_run(_bp(tmp_path, kme), tmp_path / "cache")) == [("android.kme.profile_name", "kme_field_missing")]
    named = 'method = "kme"\n[android.kme]\nprofile_name = "ACME"\n'
    assert _codes(_run(_bp(tmp_path, named), tmp_path / "cache")) == []

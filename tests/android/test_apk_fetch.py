"""Agent APK fetch: pinned cache, SHA-256 mismatch, HTTP errors (a local server on port 0)."""

from __future__ import annotations

import hashlib
import http.server
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from kitstation.android.apk import fetch_agent
from kitstation.blueprints.android import AgentApk
from kitstation.blueprints.loader import loads_blueprint
from kitstation.blueprints.model import Blueprint
from kitstation.domain.model import PermanentError, TransientError


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    root = tmp_path / "www"
    root.mkdir()
    (root / "a.apk").write_bytes(b"apk-bytes")

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, directory=str(root), **kwargs)  # type: ignore[arg-type]

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            return None

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


def _agent(url: str, sha: str = "") -> tuple[AgentApk, Blueprint]:
    pin = f'sha256 = "{sha}"\n' if sha else ""
    bp = loads_blueprint(
        f'name = "x"\n[android]\n[android.agent]\nurl = "{url}"\n{pin}package = "a.b"\nadmin_receiver = "a.b/.R"\n'
    )
    assert bp.android is not None and bp.android.agent is not None
    return bp.android.agent, bp


def _closed_port() -> int:
    """A port nothing listens on: bound (port 0) and closed again."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_download_cache_and_pin(server: str, tmp_path: Path) -> None:
    digest = hashlib.sha256(b"apk-bytes").hexdigest()
    got = fetch_agent(*_agent(f"{server}/a.apk", digest), tmp_path / "cache")
    assert got.sha256 == digest and got.path.read_bytes() == b"apk-bytes"
    # Pinned and cached: served from the cache even with the server gone.
    again = fetch_agent(*_agent(f"http://127.0.0.1:{_closed_port()}/a.apk", digest), tmp_path / "cache")
    assert again.path == got.path
    assert not list((tmp_path / "cache").glob("*.part"))


def test_http_404_is_permanent_and_unreachable_is_transient(server: str, tmp_path: Path) -> None:
    with pytest.raises(PermanentError) as info:
        fetch_agent(*_agent(f"{server}/missing.apk"), tmp_path)
    assert info.value.code == "apk_download_http" and "404" in info.value.reason.en
    with pytest.raises(TransientError) as info2:
        fetch_agent(*_agent(f"http://127.0.0.1:{_closed_port()}/a.apk"), tmp_path)
    assert info2.value.code == "apk_download_failed"


def test_missing_file(tmp_path: Path) -> None:
    bp = loads_blueprint(
        f'name = "x"\n[android]\n[android.agent]\nfile = "{tmp_path / "nope.apk"}"\npackage = "a.b"\nadmin_receiver = "a.b/.R"\n'
    )
    assert bp.android is not None and bp.android.agent is not None
    with pytest.raises(PermanentError) as info:
        fetch_agent(bp.android.agent, bp, tmp_path / "cache")
    assert info.value.code == "apk_missing"

"""Helpers for the iOS adapter tests: an adapter on the simulator, blueprints, pipeline runs.

pymobiledevice3 falls back to the system's lockdown records (/var/lib/lockdown) when usbmuxd has
none; these tests must never read them, so that lookup is disabled for every test here.
"""

from __future__ import annotations

import datetime as dt
import socket
import ssl
import threading
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from pymobiledevice3 import pair_records

from kitstation.blueprints.loader import loads_blueprint
from kitstation.blueprints.model import Blueprint
from kitstation.core.pipeline import Pipeline, RetryPolicy, RunRequest
from kitstation.core.protocols import DictSecrets
from kitstation.domain.model import Device, RunStatus
from kitstation.ios import IdentityStore, IOSAdapter, IOSTiming
from kitstation.log.store import AsyncKitLog, KitLog
from kitstation.simulator.ios import IOSSimulatorThread

FAST = IOSTiming(poll_interval=0.01, detach_timeout=20.0)


@pytest.fixture(autouse=True)
def _no_system_pair_records(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pair_records, "get_itunes_pairing_record", lambda identifier: None)


@pytest.fixture
async def adapter(ios_sim: IOSSimulatorThread, tmp_path: Path) -> AsyncIterator[IOSAdapter]:
    a = IOSAdapter(
        usbmux_address=ios_sim.address,
        pairing_dir=tmp_path / "pairing",
        identities=IdentityStore(tmp_path / "identities"),
        timing=FAST,
    )
    yield a
    await a.aclose()


# A supervising blueprint that erases first: the erase tests' one blueprint (test_erase_proof,
# test_erase_once).
ERASE_BLUEPRINT = """
name = "erase"
[ios]
method = "supervise"
erase = true
[ios.organization]
name = "ACME"
[ios.mdm_server]
name = "CLOMO"
url = "https://mdm.example.jp/acme/"
"""


def blueprint(tmp_path: Path, text: str) -> Blueprint:
    path = tmp_path / "bp.toml"
    path.write_text(text)
    return loads_blueprint(text, str(path), path)


async def run(
    adapter: IOSAdapter,
    kitlog: KitLog,
    device: Device,
    bp: Blueprint,
    secrets: dict[str, str] | None = None,
    **req: Any,
) -> RunStatus:
    alog = AsyncKitLog(kitlog)
    try:
        station = await alog.station("t")
        pipeline = Pipeline(alog, retry=RetryPolicy(attempts=3, backoff=0.01))
        return await pipeline.run(
            RunRequest(device, bp, adapter.plan(bp, device), station, secrets=DictSecrets(secrets or {}), **req)
        )
    finally:
        alog.close()


def last_steps(kitlog: KitLog) -> list[tuple[str, str, str | None]]:
    r = kitlog.history(limit=1)[0]
    return [(s["step_id"], s["outcome"], s["error_code"]) for s in kitlog.steps(r["run_id"])]


def _issue(
    subject: str, issuer_cert: x509.Certificate | None, issuer_key: rsa.RSAPrivateKey | None, ca: bool
) -> tuple[x509.Certificate, rsa.RSAPrivateKey]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)])
    now = dt.datetime.now(dt.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(issuer_cert.subject if issuer_cert else name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=90))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )
    if not ca:
        builder = builder.add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
    cert = builder.sign(issuer_key or key, hashes.SHA256())
    return cert, key


@pytest.fixture
def tls_server(tmp_path: Path) -> Iterator[tuple[str, list[x509.Certificate]]]:
    """A TLS server on 127.0.0.1:0 presenting leaf + intermediate of its own CA."""
    root, root_key = _issue("Test MDM Root CA", None, None, True)
    inter, inter_key = _issue("Test MDM Intermediate", root, root_key, True)
    leaf, leaf_key = _issue("localhost", inter, inter_key, False)
    chain = tmp_path / "chain.pem"
    chain.write_bytes(b"".join(c.public_bytes(serialization.Encoding.PEM) for c in (leaf, inter)))
    keyfile = tmp_path / "leaf.key"
    keyfile.write_bytes(
        leaf_key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(chain, keyfile)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(4)
    sock.settimeout(0.1)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            try:
                conn.settimeout(5)
                with ctx.wrap_socket(conn, server_side=True) as tls:
                    tls.recv(1)
            except (OSError, ssl.SSLError):
                pass
            finally:
                conn.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"https://localhost:{sock.getsockname()[1]}/acme/enroll", [leaf, inter, root]
    finally:
        stop.set()
        thread.join()
        sock.close()

"""Secrets at rest: an imported .p12 stays encrypted, nothing decrypted reaches the disk, data owner-only."""

from __future__ import annotations

import os
import stat
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12

from kitstation import paths
from kitstation.cli.main import main
from kitstation.domain.model import RunStatus
from kitstation.ios import IdentityStore, IOSAdapter
from kitstation.ios.identities import generate_identity
from kitstation.log.store import KitLog
from kitstation.simulator.ios import IOSSimulatorThread
from tests.ios.conftest import FAST, blueprint, run
from tests.reliability.conftest import ROOT

FLOW = """
name = "supervise"
[ios]
method = "supervise"
erase = false
[ios.organization]
name = "ACME"
[ios.mdm_server]
name = "CLOMO"
url = "https://mdm.example.jp/acme/"
[ios.supervision_identity]
{identity}
"""


def _p12(path: Path, passphrase: bytes) -> None:
    cert, key = generate_identity("ACME")
    path.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"acme", key, cert, None, serialization.BestAvailableEncryption(passphrase)
        )
    )


def _plaintext_keys(root: Path) -> list[Path]:
    found = []
    for folder, _dirs, names in os.walk(root):
        for name in names:
            p = Path(folder) / name
            if not p.is_symlink() and b"-----BEGIN PRIVATE KEY-----" in p.read_bytes():
                found.append(p)
    return found


def _others_can_read(root: Path) -> list[str]:
    """What ``find ROOT -perm /077 -type f`` prints (plus folders open to others)."""
    out = subprocess.run(["find", str(root), "-perm", "/077", "-type", "f"], capture_output=True, text=True, check=True)
    folders = subprocess.run(
        ["find", str(root), "-perm", "/077", "-type", "d"], capture_output=True, text=True, check=True
    )
    return out.stdout.split() + folders.stdout.split()


def test_imported_p12_is_not_readable_without_its_passphrase(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _p12(tmp_path / "acme.p12", b"s3cret-pass")
    monkeypatch.setenv("P12_PASS", "s3cret-pass")
    assert (
        main(["identity", "import", str(tmp_path / "acme.p12"), "--name", "acme", "--passphrase-env", "P12_PASS"]) == 0
    )
    ident = IdentityStore().get("acme")
    data = ident.keybag.read_bytes()
    assert b"ENCRYPTED PRIVATE KEY" in data and b"BEGIN PRIVATE KEY" not in data
    with pytest.raises(TypeError):  # "Password was not given but private key is encrypted"
        serialization.load_pem_private_key(data, password=None)
    with pytest.raises(ValueError):
        serialization.load_pem_private_key(data, password=b"wrong")
    assert serialization.load_pem_private_key(data, password=b"s3cret-pass") is not None
    assert stat.S_IMODE(ident.keybag.stat().st_mode) == 0o600
    assert stat.S_IMODE(ident.keybag.parent.stat().st_mode) == 0o700
    assert ident.encrypted and ident.passphrase_secret == "identity_acme"


async def test_encrypted_identity_supervises_with_its_passphrase_from_the_secrets_chain(
    ios_sim: IOSSimulatorThread, tmp_path: Path
) -> None:
    _p12(tmp_path / "acme.p12", b"s3cret-pass")
    store = IdentityStore(paths.data_dir() / "identities")
    store.import_file(tmp_path / "acme.p12", name="acme-enc", passphrase="s3cret-pass")
    fresh = IdentityStore(store.root)  # as in a new process: the key is only on disk, encrypted
    kitlog = KitLog(f"sqlite:///{tmp_path / 'log.sqlite3'}")
    adapter = IOSAdapter(ios_sim.address, tmp_path / "pairing", fresh, FAST)
    try:
        dev = ios_sim.plug()
        device = await adapter.identify(dev.udid)
        bp = blueprint(tmp_path, FLOW.format(identity='name = "acme-enc"'))
        status = await run(adapter, kitlog, device, bp, {"identity_acme-enc": "s3cret-pass"})
        assert status == RunStatus.OK
        assert dev.supervised
    finally:
        await adapter.aclose()
        kitlog.close()
    assert not _plaintext_keys(paths.data_dir())


async def test_blueprint_p12_is_never_written_out_decrypted(ios_sim: IOSSimulatorThread, tmp_path: Path) -> None:
    _p12(tmp_path / "bp-identity.p12", b"another-pass")
    kitlog = KitLog(f"sqlite:///{tmp_path / 'log.sqlite3'}")
    adapter = IOSAdapter(ios_sim.address, tmp_path / "pairing", IdentityStore(paths.data_dir() / "identities"), FAST)
    try:
        dev = ios_sim.plug()
        device = await adapter.identify(dev.udid)
        spec = 'file = "bp-identity.p12"\npassphrase_secret = "bp_p12"'
        status = await run(
            adapter, kitlog, device, blueprint(tmp_path, FLOW.format(identity=spec)), {"bp_p12": "another-pass"}
        )
        assert status == RunStatus.OK and dev.supervised
    finally:
        await adapter.aclose()
        kitlog.close()
    assert not _plaintext_keys(paths.data_dir())
    assert not _plaintext_keys(Path.home())


def test_data_folder_is_owner_only_after_a_run_and_repaired_with_a_warning(
    ios_sim_factory: Callable[..., IOSSimulatorThread],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    data = paths.data_dir()
    loose = data / "old-pair-record.plist"
    loose.write_bytes(b"HostPrivateKey")
    loose.chmod(0o644)
    data.chmod(0o755)
    sim = ios_sim_factory()
    sim.plug()
    IdentityStore().generate("acme-kitting", "ACME Corporation")
    monkeypatch.setenv("KITSTATION_SECRET_KITTING_WIFI", "wifi-pass-123")
    code = main(
        [
            "prepare",
            "--usbmux",
            sim.address,
            "--platform",
            "ios",
            "-b",
            str(ROOT / "examples/ios-supervise.toml"),
            "--settle",
            "1",
        ]
    )
    err = capsys.readouterr().err
    assert code == 0, err
    assert "were readable by other users" in err  # the old file and the folder, repaired at start
    assert stat.S_IMODE(loose.stat().st_mode) == 0o600
    written = [p for p in data.rglob("*") if p.is_file()]
    assert len(written) > 3  # the log, pair records, the identity: what the run wrote
    assert _others_can_read(data) == []

"""APK signatures as Android verifies them: the demo agent is v2/v3-signed (Debian's apksigner says so),
a v1-only APK is refused by a simulated Android 11+ Galaxy through Debian's adb, tampering is caught."""

from __future__ import annotations

import base64
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from kitstation.android.apk import signature_checksum
from kitstation.android.apksig import VerifyError, read_signing, verify
from kitstation.simulator.android import AndroidSimulator, build_apk, demo_agent_apk

APKSIGNER = shutil.which("apksigner")
needs_apksigner = pytest.mark.skipif(APKSIGNER is None, reason="Debian's apksigner is not installed")


def _apksigner(*args: str) -> subprocess.CompletedProcess[str]:
    assert APKSIGNER is not None
    return subprocess.run([APKSIGNER, *args], capture_output=True, text=True, timeout=120, check=False)


def _adb(sim: AndroidSimulator, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, **sim.env)
    return subprocess.run([sim.adb_path, *args], env=env, capture_output=True, text=True, timeout=60, check=False)


@needs_apksigner
def test_apksigner_accepts_the_demo_agent_as_v2_v3_and_the_qr_checksum_is_its_certificate(tmp_path: Path) -> None:
    path = tmp_path / "agent.apk"
    path.write_bytes(demo_agent_apk())
    r = _apksigner("verify", "--print-certs", "-v", str(path))
    assert r.returncode == 0, r.stdout + r.stderr
    assert "Verified using v2 scheme (APK Signature Scheme v2): true" in r.stdout
    assert "Verified using v3 scheme (APK Signature Scheme v3): true" in r.stdout
    m = re.search(r"Signer #1 certificate SHA-256 digest: ([0-9a-f]{64})", r.stdout)
    assert m is not None, r.stdout
    expected = base64.urlsafe_b64encode(bytes.fromhex(m.group(1))).decode().rstrip("=")
    assert signature_checksum(demo_agent_apk()) == expected


def test_the_shipped_example_agent_is_the_demo_agent() -> None:
    shipped = Path(__file__).parents[2] / "examples/files/android/kitstation-demo-agent.apk"
    assert shipped.read_bytes() == demo_agent_apk()


@needs_apksigner
def test_apksigner_refuses_a_v1_only_apk_that_targets_api_35(tmp_path: Path) -> None:
    path = tmp_path / "v1.apk"
    path.write_bytes(build_apk("jp.example.old", ".Admin", schemes=("v1",)))
    r = _apksigner("verify", str(path))
    assert r.returncode != 0 and "requires a minimum of signature scheme v2" in r.stdout + r.stderr


def test_debian_adb_install_of_a_v1_only_apk_fails_on_android_11_plus(
    android_sim: AndroidSimulator, tmp_path: Path
) -> None:
    path = tmp_path / "v1.apk"
    path.write_bytes(build_apk("jp.example.old", ".Admin", schemes=("v1",)))
    g = android_sim.plug("SM-S911B")  # Android 14
    r = _adb(android_sim, "-s", g.adb_serial, "install", str(path))
    out = r.stdout + r.stderr
    assert r.returncode != 0
    assert (
        "Failure [INSTALL_PARSE_FAILED_NO_CERTIFICATES: Scanning Failed.: No signature found in package of version 2"
        " or newer for package jp.example.old]" in out
    ), out
    assert "jp.example.old" not in g.installed_packages


def test_v1_only_still_installs_on_android_9_and_v2_v3_everywhere(android_sim: AndroidSimulator, tmp_path: Path) -> None:
    v1 = tmp_path / "v1.apk"
    v1.write_bytes(build_apk("jp.example.old", ".Admin", schemes=("v1",)))
    agent = tmp_path / "agent.apk"
    agent.write_bytes(demo_agent_apk())
    a30 = android_sim.plug("SM-A305J")  # Android 9: v1 is still enough
    assert "Success" in _adb(android_sim, "-s", a30.adb_serial, "install", str(v1)).stdout
    for model in ("SM-A305J", "SM-A525F", "SM-S911B"):
        g = a30 if model == "SM-A305J" else android_sim.plug(model)
        r = _adb(android_sim, "-s", g.adb_serial, "install", str(agent))
        assert r.returncode == 0 and "Success" in r.stdout, (model, r)
        assert g.installed_packages["jp.kitstation.demoagent"].signature_sha256 is not None


def test_a_v1_only_apk_targeting_api_29_is_still_accepted_on_android_11_plus() -> None:
    # minSignatureSchemeVersion is raised to v2 only for apps that target API 30 or newer.
    apk = build_apk("jp.example.legacy", ".Admin", schemes=("v1",), target_sdk=29)
    assert verify(apk, 34, 29, "jp.example.legacy").scheme == "v1"


def test_tampered_or_stripped_apks_are_refused() -> None:
    apk = bytearray(demo_agent_apk())
    apk[60] ^= 0x01  # inside the first zip entry: the content digest no longer matches
    with pytest.raises(VerifyError, match="SHA-256 digest of contents did not verify") as info:
        verify(bytes(apk), 34, 35, "jp.kitstation.demoagent")
    assert "using APK Signature Scheme v3" in info.value.android_message("/data/app/x/base.apk")
    # A v1+v2+v3 APK whose signing block is removed: CERT.SF still says "X-Android-APK-Signed: 2, 3".
    full = build_apk("jp.example.all", ".Admin", schemes=("v1", "v2", "v3"))
    assert read_signing(full).schemes == ("v3", "v2", "v1")
    stripped = _strip_signing_block(full)
    assert read_signing(stripped).schemes == ("v1",)
    with pytest.raises(VerifyError, match="Signature stripped"):
        verify(stripped, 28, 28, "jp.example.all")


def test_a_v1_apk_altered_after_signing_is_refused_on_android_9() -> None:
    import io
    import zipfile

    signed = build_apk("jp.example.old", ".Admin", schemes=("v1",))
    src = zipfile.ZipFile(io.BytesIO(signed))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as out:
        for name in src.namelist():
            data = src.read(name)
            if name == "AndroidManifest.xml":
                data = data[:-1] + bytes([data[-1] ^ 1])
            out.writestr(name, data)
    assert verify(signed, 28, 35, "jp.example.old").scheme == "v1"
    with pytest.raises(VerifyError, match="META-INF/MANIFEST.MF has invalid digest for AndroidManifest.xml"):
        verify(buf.getvalue(), 28, 35, "jp.example.old")


def test_unsigned_apk_is_refused_with_androids_own_text() -> None:
    apk = build_apk("jp.example.none", ".Admin", unsigned=True, target_sdk=29)
    with pytest.raises(VerifyError) as info:
        verify(apk, 33, 29, "jp.example.none")
    assert info.value.unsigned
    assert info.value.android_message("/p/base.apk").endswith("Attempt to get length of null array")


def _strip_signing_block(apk: bytes) -> bytes:
    import struct

    eocd = apk.rfind(b"PK\x05\x06")
    cd_size, cd_offset = struct.unpack_from("<II", apk, eocd + 12)
    (size,) = struct.unpack_from("<Q", apk, cd_offset - 24)
    start = cd_offset - size - 8
    out = bytearray(apk[:start] + apk[cd_offset:])
    new_eocd = out.rfind(b"PK\x05\x06")
    struct.pack_into("<I", out, new_eocd + 16, start)
    return bytes(out)

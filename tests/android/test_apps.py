"""``[android.apps]`` on simulated Galaxy phones: the pipeline's steps, what they read back, each refusal."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from kitstation.android import AndroidAdapter
from kitstation.android.apps import InstallAppStep, plan_apps
from kitstation.blueprints.loader import load_blueprint, loads_blueprint
from kitstation.blueprints.model import Blueprint
from kitstation.core.pipeline import Pipeline, RetryPolicy, RunRequest
from kitstation.core.protocols import Plan
from kitstation.domain.model import RunStatus
from kitstation.log import KitLog
from kitstation.log.store import AsyncKitLog
from kitstation.simulator.android import AndroidSimulator, build_apk
from kitstation.simulator.android.apk import DEMO_NOTES, DEMO_SCANNER, demo_app_apks
from tests.sim_android.test_apps_pm import _other_key

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "android-apps.toml"
CAMERA = "android.permission.CAMERA"
SCANNER_STEP = f"android.apps.install.{DEMO_SCANNER}"


def _adb(sim: AndroidSimulator, serial: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, **sim.env)
    return subprocess.run(
        [sim.adb_path, "-s", serial, *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )


def _files(tmp: Path, apks: dict[str, bytes]) -> dict[str, tuple[Path, str]]:
    out = {}
    for name, data in apks.items():
        path = tmp / name
        path.write_bytes(data)
        out[name] = (path, hashlib.sha256(data).hexdigest())
    return out


def _blueprint(
    tmp: Path, *, grant: str = f'"{CAMERA}"', version: int = 42, extra: str = "", notes_only: bool = False
) -> Blueprint:
    """The demo scanner (base + split) and notes app, as the example, with files in ``tmp``."""
    f = _files(tmp, demo_app_apks())
    agent = ROOT / "examples/files/android/kitstation-demo-agent.apk"
    scanner = (f["kitstation-demo-scanner.apk"], f["kitstation-demo-scanner-split_config.arm64_v8a.apk"])
    notes = f["kitstation-demo-notes.apk"]
    scanner_app = f"""
[[android.apps.install]]
package = "{DEMO_SCANNER}"
version_code = {version}
grant = [{grant}]
apks = [{{ file = "{scanner[0][0]}", sha256 = "{scanner[0][1]}" }}, {{ file = "{scanner[1][0]}", sha256 = "{scanner[1][1]}" }}]
"""
    return loads_blueprint(
        f"""
name = "apps"
[android]
method = "device_owner"
[android.agent]
file = "{agent}"
package = "jp.kitstation.demoagent"
admin_receiver = "jp.kitstation.demoagent/.AdminReceiver"
[android.apps]
{extra}
{"" if notes_only else scanner_app}
[[android.apps.install]]
package = "{DEMO_NOTES}"
apks = [{{ file = "{notes[0]}", sha256 = "{notes[1]}" }}]
"""
    )


async def _run(
    adapter: AndroidAdapter, kitlog: KitLog, serial: str, bp: Blueprint, plan: Plan | None = None
) -> RunStatus:
    device = await adapter.identify(serial)
    alog = AsyncKitLog(kitlog)
    try:
        station = await alog.station("t")
        pipeline = Pipeline(alog, retry=RetryPolicy(attempts=2, backoff=0.05))
        steps = plan if plan is not None else adapter.plan(bp, device)
        return await pipeline.run(RunRequest(device, bp, steps, station))
    finally:
        alog.close()


def _steps(kitlog: KitLog) -> list[dict[str, Any]]:
    return list(kitlog.steps(kitlog.history(limit=1)[0]["run_id"]))


def _outcomes(kitlog: KitLog) -> list[tuple[str, str, str | None]]:
    return [(s["step_id"], s["outcome"], s["error_code"]) for s in _steps(kitlog)]


def _apps_only(adapter: AndroidAdapter, bp: Blueprint) -> Plan:
    assert bp.android is not None
    return plan_apps(adapter.runtime, bp.android.apps)


async def test_the_example_installs_a_split_app_with_its_grant_and_a_single_apk_app(
    android_sim: AndroidSimulator, kitlog: KitLog, tmp_path: Path
) -> None:
    bp = load_blueprint(EXAMPLE)
    adapter = AndroidAdapter(adb_port=android_sim.adb_port, apk_cache=tmp_path / "cache")
    try:
        # Preflight reads every APK and fills the cache: the runs take them from there.
        assert list(await adapter.preflight(bp, _ctx())) == []
        assert len(list((tmp_path / "cache").glob("*.apk"))) == 4  # agent + 3 app APKs
        for model in ("SM-S911B", "SM-A305J"):  # Android 14 and Android 9 (session streamed on both)
            galaxy = android_sim.plug(model)
            status = await _run(adapter, kitlog, galaxy.adb_serial, bp)
            assert status == RunStatus.OK, _outcomes(kitlog)
            ids = [s[0] for s in _outcomes(kitlog)]
            assert ids[ids.index("android.verify") + 1 :] == [
                "android.apps.remove",
                SCANNER_STEP,
                f"android.apps.install.{DEMO_NOTES}",
            ]
            scanner = galaxy.installed_packages[DEMO_SCANNER]
            assert (scanner.version_code, scanner.splits, scanner.granted) == (42, ("config.arm64_v8a",), {CAMERA})
            assert galaxy.installed_packages[DEMO_NOTES].version_code == 3
            steps = {s["step_id"]: json.loads(s["detail"] or "{}") for s in _steps(kitlog)}
            assert steps[SCANNER_STEP]["version_code"] == 42
            assert steps[SCANNER_STEP]["splits"] == ["config.arm64_v8a"]
            assert steps[SCANNER_STEP]["granted"] == {CAMERA: True}
            assert steps[SCANNER_STEP]["installed"] is True
            assert steps["android.apps.remove"] == {"removed": [], "not_installed": ["jp.kitstation.demo.oldscanner"]}
            assert not galaxy.install_sessions and not [p for p in galaxy.files if p.startswith("/data/local/tmp/")]
    finally:
        await adapter.aclose()


def _ctx() -> Any:
    from kitstation.core.preflight import PreflightContext
    from kitstation.domain.model import Platform

    return PreflightContext(Platform.ANDROID)


async def test_check_done_is_what_the_phone_shows(
    android_sim: AndroidSimulator, kitlog: KitLog, tmp_path: Path
) -> None:
    bp = _blueprint(tmp_path)
    galaxy = android_sim.plug("SM-S911B")
    adapter = AndroidAdapter(adb_port=android_sim.adb_port, apk_cache=tmp_path / "cache")
    try:
        assert await _run(adapter, kitlog, galaxy.adb_serial, bp, _apps_only(adapter, bp)) == RunStatus.OK
        step = InstallAppStep(adapter.runtime, package=DEMO_SCANNER)
        device = await adapter.identify(galaxy.adb_serial)
        ctx = _StepCtx(device, bp)
        assert await step.check_done(ctx) is True  # type: ignore[arg-type]
        assert _adb(android_sim, galaxy.adb_serial, "shell", "pm", "revoke", DEMO_SCANNER, CAMERA).returncode == 0
        assert await step.check_done(ctx) is False  # type: ignore[arg-type]
        assert (
            _adb(android_sim, galaxy.adb_serial, "shell", "pm", "uninstall", DEMO_SCANNER).stdout.strip() == "Success"
        )
        assert await step.check_done(ctx) is False  # type: ignore[arg-type]
    finally:
        await adapter.aclose()


class _StepCtx:
    """The few StepContext members the apps steps use outside a pipeline run."""

    def __init__(self, device: Any, blueprint: Blueprint) -> None:
        self.device = device
        self.blueprint = blueprint
        self.scratch: dict[str, Any] = {}

    def limit(self, name: str) -> Any:
        import contextlib

        return contextlib.nullcontext()


async def test_a_newer_build_on_the_phone_is_not_downgraded(
    android_sim: AndroidSimulator, kitlog: KitLog, tmp_path: Path
) -> None:
    bp = _blueprint(tmp_path)
    galaxy = android_sim.plug("SM-S911B")
    newer = [tmp_path / "b50.apk", tmp_path / "s50.apk"]
    newer[0].write_bytes(build_apk(DEMO_SCANNER, None, 50, split_required=True, permissions=(CAMERA,)))
    newer[1].write_bytes(build_apk(DEMO_SCANNER, None, 50, split="config.arm64_v8a"))
    assert _adb(android_sim, galaxy.adb_serial, "install-multiple", *map(str, newer)).returncode == 0
    adapter = AndroidAdapter(adb_port=android_sim.adb_port, apk_cache=tmp_path / "cache")
    try:
        assert await _run(adapter, kitlog, galaxy.adb_serial, bp, _apps_only(adapter, bp)) == RunStatus.FAILED
    finally:
        await adapter.aclose()
    assert _outcomes(kitlog)[-1] == (SCANNER_STEP, "failed", "app_version_downgrade")
    run = kitlog.history(limit=1)[0]
    assert "Downgrade detected" in run["reason_en"] and "ダウングレード" in run["reason_ja"]
    assert galaxy.installed_packages[DEMO_SCANNER].version_code == 50  # left as it was
    assert not galaxy.install_sessions  # the failed commit closed the session


async def test_another_signer_is_reported_and_the_installed_app_is_kept(
    android_sim: AndroidSimulator, kitlog: KitLog, tmp_path: Path
) -> None:
    bp = _blueprint(tmp_path)
    galaxy = android_sim.plug("SM-A525F")
    key = _other_key()
    other = [tmp_path / "b41.apk", tmp_path / "s41.apk"]
    other[0].write_bytes(build_apk(DEMO_SCANNER, None, 41, signing=key, split_required=True))  # type: ignore[arg-type]
    other[1].write_bytes(build_apk(DEMO_SCANNER, None, 41, signing=key, split="config.arm64_v8a"))  # type: ignore[arg-type]
    assert _adb(android_sim, galaxy.adb_serial, "install-multiple", *map(str, other)).returncode == 0
    adapter = AndroidAdapter(adb_port=android_sim.adb_port, apk_cache=tmp_path / "cache")
    try:
        assert await _run(adapter, kitlog, galaxy.adb_serial, bp, _apps_only(adapter, bp)) == RunStatus.FAILED
    finally:
        await adapter.aclose()
    assert _outcomes(kitlog)[-1] == (SCANNER_STEP, "failed", "app_signature_conflict")
    assert "INSTALL_FAILED_UPDATE_INCOMPATIBLE" in kitlog.history(limit=1)[0]["reason_en"]
    assert galaxy.installed_packages[DEMO_SCANNER].version_code == 41  # never uninstalled to get past it


async def test_a_normal_permission_cannot_be_granted(
    android_sim: AndroidSimulator, kitlog: KitLog, tmp_path: Path
) -> None:
    # INTERNET is requested by the manifest (preflight passes) but is a normal permission.
    bp = _blueprint(tmp_path, grant='"android.permission.INTERNET"')
    galaxy = android_sim.plug("SM-S911B")
    adapter = AndroidAdapter(adb_port=android_sim.adb_port, apk_cache=tmp_path / "cache")
    try:
        assert list(await adapter.preflight(bp, _ctx())) == []
        assert await _run(adapter, kitlog, galaxy.adb_serial, bp, _apps_only(adapter, bp)) == RunStatus.FAILED
    finally:
        await adapter.aclose()
    assert _outcomes(kitlog)[-1] == (SCANNER_STEP, "failed", "app_permission_not_runtime")
    run = kitlog.history(limit=1)[0]
    assert "android.permission.INTERNET is not a runtime permission" in run["reason_en"] and run["reason_ja"]
    assert galaxy.installed_packages[DEMO_SCANNER].granted == set()


@pytest.mark.parametrize("notes_only", [False, True], ids=["session-stream", "single-apk-pm-install"])
async def test_unplugged_mid_install_resumes_and_finishes(
    android_sim_factory: Any, kitlog: KitLog, tmp_path: Path, notes_only: bool
) -> None:
    sim: AndroidSimulator = android_sim_factory(faults=["0:offline-mid-install"])
    galaxy = sim.plug("SM-S911B")
    bp = _blueprint(tmp_path, notes_only=notes_only)
    step = f"android.apps.install.{DEMO_NOTES}" if notes_only else SCANNER_STEP
    adapter = AndroidAdapter(adb_port=sim.adb_port, apk_cache=tmp_path / "cache")
    try:
        status = await _run(adapter, kitlog, galaxy.adb_serial, bp, _apps_only(adapter, bp))
        # The cable dropped while the base APK streamed into the session / inside `pm install`.
        assert not [f for f in galaxy.faults if f.kind == "offline-mid-install"]  # the drop happened
        first = kitlog.history(limit=1)[0]["run_id"]
        if status == RunStatus.INTERRUPTED:
            # Off adb when the station looked: interrupted at that step, resumed on re-plug.
            assert _outcomes(kitlog)[-1] == (step, "interrupted", "device_gone")
            assert DEMO_SCANNER not in galaxy.installed_packages and DEMO_NOTES not in galaxy.installed_packages
            sim.wait_ready(galaxy)
            status = await _run(adapter, kitlog, galaxy.adb_serial, bp, _apps_only(adapter, bp))
        # (Back on adb already -- a quick re-seat on a loaded machine -- the step was retried instead.)
        assert status == RunStatus.OK, _outcomes(kitlog)
        assert kitlog.history(limit=1)[0]["run_id"] == first  # the same run, resumed
        if not notes_only:
            assert galaxy.installed_packages[DEMO_SCANNER].granted == {CAMERA}
        assert galaxy.installed_packages[DEMO_NOTES].version_code == 3
    finally:
        await adapter.aclose()


async def test_no_storage_is_a_clear_failure(android_sim_factory: Any, kitlog: KitLog, tmp_path: Path) -> None:
    sim: AndroidSimulator = android_sim_factory(faults=["0:install-fail=INSTALL_FAILED_INSUFFICIENT_STORAGE"])
    galaxy = sim.plug("SM-S911B")
    bp = _blueprint(tmp_path)
    adapter = AndroidAdapter(adb_port=sim.adb_port, apk_cache=tmp_path / "cache")
    try:
        assert await _run(adapter, kitlog, galaxy.adb_serial, bp, _apps_only(adapter, bp)) == RunStatus.FAILED
    finally:
        await adapter.aclose()
    assert _outcomes(kitlog)[-1] == (SCANNER_STEP, "failed", "app_no_storage")
    assert "Not enough storage" in kitlog.history(limit=1)[0]["reason_en"]
    assert DEMO_SCANNER not in galaxy.installed_packages and not galaxy.install_sessions


def test_the_shipped_demo_apks_are_what_the_simulator_builds() -> None:
    # Deterministic: regenerating them gives the same bytes, so the example's pins stay right.
    folder = ROOT / "examples" / "files" / "android"
    for name, data in demo_app_apks().items():
        assert (folder / name).read_bytes() == data, name


async def test_remove_uninstalls_and_reads_back_and_a_system_app_is_refused(
    android_sim: AndroidSimulator, kitlog: KitLog, tmp_path: Path
) -> None:
    galaxy = android_sim.plug("SM-S911B")
    old = tmp_path / "old.apk"
    old.write_bytes(build_apk("com.example.old", None, 1))
    assert _adb(android_sim, galaxy.adb_serial, "install", str(old)).returncode == 0
    adapter = AndroidAdapter(adb_port=android_sim.adb_port, apk_cache=tmp_path / "cache")
    try:
        bp = _blueprint(tmp_path, extra='remove = ["com.example.old"]', notes_only=True)
        assert await _run(adapter, kitlog, galaxy.adb_serial, bp, _apps_only(adapter, bp)) == RunStatus.OK
        detail = json.loads(_steps(kitlog)[0]["detail"])
        assert detail == {"removed": ["com.example.old"], "not_installed": []}
        assert "com.example.old" not in galaxy.installed_packages
        bp = _blueprint(tmp_path, extra='remove = ["com.android.chrome"]', notes_only=True)
        assert await _run(adapter, kitlog, galaxy.adb_serial, bp, _apps_only(adapter, bp)) == RunStatus.FAILED
    finally:
        await adapter.aclose()
    assert _outcomes(kitlog) == [("android.apps.remove", "failed", "app_remove_failed")]
    assert "disable_packages" in kitlog.history(limit=1)[0]["reason_en"]
    assert "com.android.chrome" in galaxy.installed_packages


async def test_another_build_with_the_same_version_code_is_replaced_by_the_pinned_one(
    android_sim: AndroidSimulator, kitlog: KitLog, tmp_path: Path
) -> None:
    galaxy = android_sim.plug("SM-S911B")
    other = tmp_path / "notes-other-build.apk"
    other.write_bytes(build_apk(DEMO_NOTES, None, 3, "1.2", label="Another build, same versionCode"))
    assert _adb(android_sim, galaxy.adb_serial, "install", str(other)).returncode == 0
    bp = _blueprint(tmp_path, notes_only=True)
    adapter = AndroidAdapter(adb_port=android_sim.adb_port, apk_cache=tmp_path / "cache")
    try:
        step = InstallAppStep(adapter.runtime, package=DEMO_NOTES)
        ctx = _StepCtx(await adapter.identify(galaxy.adb_serial), bp)
        assert await step.check_done(ctx) is False  # type: ignore[arg-type]  # versionCode 3, but not the pinned bytes
        assert await _run(adapter, kitlog, galaxy.adb_serial, bp, _apps_only(adapter, bp)) == RunStatus.OK
        assert await step.check_done(ctx) is True  # type: ignore[arg-type]
    finally:
        await adapter.aclose()
    detail = json.loads(_steps(kitlog)[-1]["detail"])
    assert detail["installed"] is True
    pinned = hashlib.sha256(demo_app_apks()["kitstation-demo-notes.apk"]).hexdigest()
    assert detail["sha256"] == [pinned]
    assert galaxy.read_file(galaxy.installed_packages[DEMO_NOTES].path) == demo_app_apks()["kitstation-demo-notes.apk"]


async def test_the_split_app_installs_through_the_wheels_newer_adb_server_too(
    android_sim_factory: Any, kitlog: KitLog, tmp_path: Path
) -> None:
    from kitstation.simulator.android import wheel_adb_path

    sim: AndroidSimulator = android_sim_factory(adb_path=wheel_adb_path())
    galaxy = sim.plug("SM-A525F")
    bp = _blueprint(tmp_path)
    adapter = AndroidAdapter(adb_port=sim.adb_port, apk_cache=tmp_path / "cache")
    try:
        assert await _run(adapter, kitlog, galaxy.adb_serial, bp, _apps_only(adapter, bp)) == RunStatus.OK
    finally:
        await adapter.aclose()
    scanner = galaxy.installed_packages[DEMO_SCANNER]
    assert (scanner.version_code, scanner.splits, scanner.granted) == (42, ("config.arm64_v8a",), {CAMERA})

"""Device Owner end to end: Pipeline + AndroidAdapter.plan against simulated Galaxy phones."""

from __future__ import annotations

import asyncio
import hashlib
import http.server
import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from kitstation.android import AndroidAdapter
from kitstation.blueprints.loader import loads_blueprint
from kitstation.blueprints.model import Blueprint
from kitstation.core.pipeline import Pipeline, RetryPolicy, RunRequest
from kitstation.domain.events import Event, StepStarted
from kitstation.domain.model import RunStatus
from kitstation.log import KitLog
from kitstation.log.store import AsyncKitLog
from kitstation.simulator.android import AndroidSimulator, build_apk, demo_agent_apk

PKG = "jp.kitstation.demoagent"
COMPONENT = "jp.kitstation.demoagent/.AdminReceiver"


def _blueprint(source: str, sha256: str = "", extra: str = "") -> Blueprint:
    pin = f'sha256 = "{sha256}"\n' if sha256 else ""
    return loads_blueprint(
        f"""
name = "DO"
[android]
method = "device_owner"
disable_packages = ["com.google.android.youtube", "no.such.package"]
{extra}
[android.agent]
{source}
{pin}package = "{PKG}"
admin_receiver = "{COMPONENT}"
[[android.settings]]
namespace = "global"
key = "stay_on_while_plugged_in"
value = "7"
"""
    )


@pytest.fixture
def apk_server(tmp_path: Path) -> Iterator[tuple[str, list[str]]]:
    """A local HTTP server (port 0) serving the demo agent; yields its URL and the request log."""
    root = tmp_path / "www"
    root.mkdir()
    (root / "agent.apk").write_bytes(demo_agent_apk())
    requests: list[str] = []

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, directory=str(root), **kwargs)  # type: ignore[arg-type]

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            requests.append(self.path)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/agent.apk", requests
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


async def _run(adapter: AndroidAdapter, kitlog: KitLog, serial: str, bp: Blueprint) -> tuple[RunStatus, int]:
    device = await adapter.identify(serial)
    alog = AsyncKitLog(kitlog)
    try:
        station = await alog.station("t")
        pipeline = Pipeline(alog, retry=RetryPolicy(attempts=2, backoff=0.05))
        status = await pipeline.run(RunRequest(device, bp, adapter.plan(bp, device), station))
        return status, await alog.upsert_device(device)
    finally:
        alog.close()


def _last_steps(kitlog: KitLog) -> list[tuple[str, str, str | None]]:
    run = kitlog.history(limit=1)[0]
    return [(s["step_id"], s["outcome"], s["error_code"]) for s in kitlog.steps(run["run_id"])]


async def test_device_owner_from_url_end_to_end(
    android_sim: AndroidSimulator, kitlog: KitLog, apk_server: tuple[str, list[str]], tmp_path: Path
) -> None:
    url, requests = apk_server
    digest = hashlib.sha256(demo_agent_apk()).hexdigest()
    bp = _blueprint(f'url = "{url}"', digest)
    galaxy = android_sim.plug("SM-A525F")
    adapter = AndroidAdapter(adb_port=android_sim.adb_port, apk_cache=tmp_path / "cache")
    try:
        status, device_id = await _run(adapter, kitlog, galaxy.adb_serial, bp)
        assert status == RunStatus.OK, _last_steps(kitlog)
        assert [s[0] for s in _last_steps(kitlog)] == [
            "android.device_owner.check",
            "android.agent.fetch",
            "android.agent.install",
            "android.device_owner",
            "android.verify",
            "android.settings",
            "android.disable_packages",
        ]
        assert PKG in galaxy.installed_packages
        assert galaxy.device_owner is not None and galaxy.device_owner.startswith(PKG + "/")
        assert kitlog.device_row(device_id)["external_state"] == "enrolled"
        assert (tmp_path / "cache" / f"{digest}.apk").is_file()
        disable = kitlog.steps(kitlog.history(limit=1)[0]["run_id"])[-1]
        assert json.loads(disable["detail"])["not_installed"] == ["no.such.package"]
        # One of each: counted in correct English (not "1 packages disabled") and in Japanese.
        assert disable["message_en"] == "1 package disabled (1 not on this model)"
        assert disable["message_ja"] == "1 個のパッケージを無効化しました（1 個はこの機種にありません）"
        settings = kitlog.steps(kitlog.history(limit=1)[0]["run_id"])[-2]
        assert (settings["message_en"], settings["message_ja"]) == ("1 setting applied", "1 件の設定を適用しました")

        # A second device: the pinned APK comes from the cache, not the server again.
        other = android_sim.plug("SM-S911B")
        status2, _ = await _run(adapter, kitlog, other.adb_serial, bp)
        assert status2 == RunStatus.OK
        assert requests == ["/agent.apk"]
    finally:
        await adapter.aclose()


async def test_wrong_pin_is_refused(
    android_sim: AndroidSimulator, kitlog: KitLog, apk_server: tuple[str, list[str]], tmp_path: Path
) -> None:
    url, _ = apk_server
    bp = _blueprint(f'url = "{url}"', "0" * 64)
    galaxy = android_sim.plug("SM-A525F")
    adapter = AndroidAdapter(adb_port=android_sim.adb_port, apk_cache=tmp_path / "cache")
    try:
        status, _ = await _run(adapter, kitlog, galaxy.adb_serial, bp)
    finally:
        await adapter.aclose()
    assert status == RunStatus.FAILED
    assert _last_steps(kitlog)[-1] == ("android.agent.fetch", "failed", "apk_sha256_mismatch")
    assert PKG not in galaxy.installed_packages


@pytest.mark.parametrize(
    ("setup", "code", "aosp", "advice"),
    [
        (
            lambda g: g.add_account("com.google", "tech@example.com"),
            "dpm_accounts",
            "Not allowed to set the device owner because there are already some accounts on the device",
            "Remove every account in Settings > Accounts and backup > Manage accounts",
        ),
        (
            lambda g: g.add_account("com.osp.app.signin", "tech@example.com"),
            "dpm_accounts",
            "Not allowed to set the device owner because there are already some accounts on the device",
            "Samsung account tech@example.com",
        ),
        (
            lambda g: g.add_user(),
            "dpm_users",
            "Not allowed to set the device owner because there are already several users on the device",
            "Secure Folder",
        ),
    ],
    ids=["google", "samsung", "users"],
)
async def test_refused_before_anything_is_installed(
    android_sim: AndroidSimulator,
    kitlog: KitLog,
    demo_apk: Path,
    tmp_path: Path,
    setup: object,
    code: str,
    aosp: str,
    advice: str,
) -> None:
    galaxy = android_sim.plug("SM-A525F")
    setup(galaxy)  # type: ignore[operator]
    adapter = AndroidAdapter(adb_port=android_sim.adb_port, apk_cache=tmp_path / "cache")
    try:
        status, _ = await _run(adapter, kitlog, galaxy.adb_serial, _blueprint(f'file = "{demo_apk}"'))
    finally:
        await adapter.aclose()
    assert status == RunStatus.FAILED
    assert _last_steps(kitlog) == [("android.device_owner.check", "failed", code)]
    assert PKG not in galaxy.installed_packages and galaxy.device_owner is None
    run = kitlog.history(limit=1)[0]
    assert run["error_code"] == code and aosp in run["reason_en"] and advice in run["reason_en"]
    assert "Nothing was installed" in run["reason_en"] and run["reason_ja"]
    # What is possible on a retail Galaxy: remove the account/user. Never "reset" or "do not finish setup".
    assert "reset" not in run["reason_en"].lower() and "setup wizard" not in run["reason_en"].lower()


async def test_finished_setup_without_accounts_becomes_device_owner_on_android_9(
    android_sim: AndroidSimulator, kitlog: KitLog, demo_apk: Path, tmp_path: Path
) -> None:
    # Android 9: no `dpm list-owners` (dumpsys device_policy instead), the old dpm output format.
    galaxy = android_sim.plug("SM-A305J")
    assert galaxy.provisioned
    adapter = AndroidAdapter(adb_port=android_sim.adb_port, apk_cache=tmp_path / "cache")
    try:
        status, _ = await _run(adapter, kitlog, galaxy.adb_serial, _blueprint(f'file = "{demo_apk}"'))
    finally:
        await adapter.aclose()
    assert status == RunStatus.OK, _last_steps(kitlog)
    assert galaxy.device_owner == COMPONENT


async def test_an_account_added_after_the_check_leaves_no_agent_behind(
    android_sim: AndroidSimulator, kitlog: KitLog, demo_apk: Path, tmp_path: Path
) -> None:
    galaxy = android_sim.plug("SM-S911B")
    adapter = AndroidAdapter(adb_port=android_sim.adb_port, apk_cache=tmp_path / "cache")
    loop = asyncio.get_running_loop()
    added: list[asyncio.Future[None]] = []

    def emit(event: Event) -> None:
        # Someone signs in to Google while the agent installs: dpm refuses after the install.
        if isinstance(event, StepStarted) and event.step_id == "android.device_owner" and not added:
            added.append(loop.run_in_executor(None, galaxy.add_account))

    alog = AsyncKitLog(kitlog)
    bp = _blueprint(f'file = "{demo_apk}"')
    try:
        device = await adapter.identify(galaxy.adb_serial)
        station = await alog.station("t")
        # The account lands before the step's first adb call: the step waits for it.
        original = adapter.runtime.io

        async def io_after_account(ctx, fn):  # type: ignore[no-untyped-def]
            if added:
                await added[0]
            return await original(ctx, fn)

        adapter.runtime.io = io_after_account  # type: ignore[method-assign]
        status = await Pipeline(alog, emit).run(RunRequest(device, bp, adapter.plan(bp, device), station))
    finally:
        alog.close()
        await adapter.aclose()
    assert status == RunStatus.FAILED
    assert _last_steps(kitlog)[-1] == ("android.device_owner", "failed", "dpm_accounts")
    assert PKG not in galaxy.installed_packages
    assert "The agent was removed again" in kitlog.history(limit=1)[0]["reason_en"]


async def test_other_owner_and_missing_receiver(android_sim: AndroidSimulator, kitlog: KitLog, tmp_path: Path) -> None:
    # An agent without the blueprint's receiver: dpm says "Unknown admin".
    apk = tmp_path / "agent.apk"
    apk.write_bytes(build_apk(PKG, ".OtherReceiver"))
    galaxy = android_sim.plug("SM-A525F")
    adapter = AndroidAdapter(adb_port=android_sim.adb_port, apk_cache=tmp_path / "cache")
    try:
        status, _ = await _run(adapter, kitlog, galaxy.adb_serial, _blueprint(f'file = "{apk}"'))
        assert status == RunStatus.FAILED
        assert _last_steps(kitlog)[-1] == ("android.device_owner", "failed", "dpm_no_receiver")

        # Another MDM is Device Owner already: refused with the owner's name.
        other = android_sim.plug("SM-A525F")
        other_apk = tmp_path / "other.apk"
        other_apk.write_bytes(build_apk("com.other.mdm", ".Admin"))
        client = android_sim.client()
        client.device(other.adb_serial).install(str(other_apk), nolaunch=True, silent=True)
        client.device(other.adb_serial).shell(["dpm", "set-device-owner", "com.other.mdm/.Admin"])
        good = tmp_path / "good.apk"
        good.write_bytes(demo_agent_apk())
        status, _ = await _run(adapter, kitlog, other.adb_serial, _blueprint(f'file = "{good}"'))
        assert status == RunStatus.FAILED
        # Seen before anything is installed.
        assert _last_steps(kitlog) == [("android.device_owner.check", "failed", "dpm_owner_set")]
        assert "com.other.mdm" in (kitlog.history(limit=1)[0]["reason_en"] or "")
        assert PKG not in other.installed_packages
    finally:
        await adapter.aclose()


async def test_unplug_mid_install_then_replug_resumes(
    android_sim_factory: object, kitlog: KitLog, demo_apk: Path, tmp_path: Path
) -> None:
    sim: AndroidSimulator = android_sim_factory(faults=["0:offline-mid-install"])  # type: ignore[operator]
    galaxy = sim.plug("SM-A525F")
    adapter = AndroidAdapter(adb_port=sim.adb_port, apk_cache=tmp_path / "cache")
    bp = _blueprint(f'file = "{demo_apk}"')
    try:
        status, _ = await _run(adapter, kitlog, galaxy.adb_serial, bp)
        # The connection dropped inside `pm install`: the run is interrupted at that exact step.
        assert status == RunStatus.INTERRUPTED, _last_steps(kitlog)
        first_run = kitlog.history(limit=1)[0]["run_id"]
        assert _last_steps(kitlog) == [
            ("android.device_owner.check", "ok", None),
            ("android.agent.fetch", "ok", None),
            ("android.agent.install", "interrupted", "device_gone"),
        ]
        assert PKG not in galaxy.installed_packages
        sim.wait_ready(galaxy)  # the cable is re-seated: the device is back
        status, device_id = await _run(adapter, kitlog, galaxy.adb_serial, bp)
        assert status == RunStatus.OK, _last_steps(kitlog)
        # The same run resumed: the fetch was not redone, the install was.
        assert kitlog.history(limit=1)[0]["run_id"] == first_run
        steps = _last_steps(kitlog)
        assert [s for s in steps if s[0] == "android.agent.fetch"] == [("android.agent.fetch", "ok", None)]
        assert steps[-5:][0] == ("android.agent.install", "ok", None)
        assert galaxy.device_owner is not None
        assert kitlog.device_row(device_id)["external_state"] == "enrolled"
    finally:
        await adapter.aclose()


async def test_cable_pulled_during_install_then_replugged(
    android_sim_factory: object, kitlog: KitLog, demo_apk: Path, tmp_path: Path
) -> None:
    # Every shell command takes a moment (20 s / speed 100): long enough to pull the cable inside it.
    sim: AndroidSimulator = android_sim_factory(faults=["0:slow-shell=20"])  # type: ignore[operator]
    galaxy = sim.plug("SM-A525F")
    adapter = AndroidAdapter(adb_port=sim.adb_port, apk_cache=tmp_path / "cache")
    bp = _blueprint(f'file = "{demo_apk}"')
    loop = asyncio.get_running_loop()
    pulled: list[asyncio.Future[None]] = []

    def emit(event: Event) -> None:
        if isinstance(event, StepStarted) and event.step_id == "android.agent.install" and not pulled:
            pulled.append(loop.run_in_executor(None, sim.unplug, galaxy))

    alog = AsyncKitLog(kitlog)
    try:
        device = await adapter.identify(galaxy.adb_serial)
        station = await alog.station("t")
        pipeline = Pipeline(alog, emit, RetryPolicy(attempts=2, backoff=0.05))
        status = await pipeline.run(RunRequest(device, bp, adapter.plan(bp, device), station))
        await pulled[0]
        assert status == RunStatus.INTERRUPTED
        # The cable is pulled while the install runs (a loaded machine may let it finish first:
        # then the next step is the one interrupted). Either way exactly one step is interrupted.
        interrupted = [s for s in _last_steps(kitlog) if s[1] == "interrupted"]
        assert len(interrupted) == 1 and interrupted[0][0] in ("android.agent.install", "android.device_owner")

        sim.replug(galaxy)
        device = await adapter.identify(galaxy.adb_serial)
        status = await Pipeline(alog).run(RunRequest(device, bp, adapter.plan(bp, device), station))
        assert status == RunStatus.OK, _last_steps(kitlog)
        steps = _last_steps(kitlog)
        # Resumed in the same run: the fetch is not repeated; the install is confirmed or redone.
        assert [s[0] for s in steps].count("android.agent.fetch") == 1
        assert steps[-1] == ("android.disable_packages", "ok", None)
        assert galaxy.device_owner is not None
    finally:
        alog.close()
        await adapter.aclose()


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (lambda: b"this is not an apk", "apk_unreadable"),
        (lambda: build_apk(PKG, ".AdminReceiver", unsigned=True), "apk_unsigned"),
    ],
)
async def test_bad_agent_apk_is_refused_before_the_install(
    android_sim: AndroidSimulator, kitlog: KitLog, tmp_path: Path, content: object, code: str
) -> None:
    apk = tmp_path / "agent.apk"
    apk.write_bytes(content())  # type: ignore[operator]
    galaxy = android_sim.plug("SM-A525F")
    adapter = AndroidAdapter(adb_port=android_sim.adb_port, apk_cache=tmp_path / "cache")
    try:
        status, _ = await _run(adapter, kitlog, galaxy.adb_serial, _blueprint(f'file = "{apk}"'))
    finally:
        await adapter.aclose()
    assert status == RunStatus.FAILED
    assert _last_steps(kitlog)[-1] == ("android.agent.fetch", "failed", code)
    assert kitlog.history(limit=1)[0]["reason_ja"]
    assert PKG not in galaxy.installed_packages


async def test_v1_only_agent_on_android_11_plus_is_told_apart(
    android_sim: AndroidSimulator, kitlog: KitLog, tmp_path: Path
) -> None:
    apk = tmp_path / "agent.apk"
    apk.write_bytes(build_apk(PKG, ".AdminReceiver", schemes=("v1",)))
    adapter = AndroidAdapter(adb_port=android_sim.adb_port, apk_cache=tmp_path / "cache")
    try:
        # Android 9 takes a v1-only agent ...
        a30 = android_sim.plug("SM-A305J")
        status, _ = await _run(adapter, kitlog, a30.adb_serial, _blueprint(f'file = "{apk}"'))
        assert status == RunStatus.OK, _last_steps(kitlog)
        # ... Android 14 does not: said before pushing it, as "v1 only", not "unsigned".
        s23 = android_sim.plug("SM-S911B")
        status, _ = await _run(adapter, kitlog, s23.adb_serial, _blueprint(f'file = "{apk}"'))
    finally:
        await adapter.aclose()
    assert status == RunStatus.FAILED
    assert _last_steps(kitlog)[-1] == ("android.agent.install", "failed", "apk_v1_only")
    reason = kitlog.history(limit=1)[0]["reason_en"]
    assert "v1 (JAR) scheme only" in reason and "not signed" not in reason
    assert PKG not in s23.installed_packages


async def test_agent_signed_by_another_key_than_the_pinned_one(
    android_sim: AndroidSimulator, kitlog: KitLog, demo_apk: Path, tmp_path: Path
) -> None:
    galaxy = android_sim.plug("SM-A525F")
    pin = "A" * 43  # a valid checksum of some other certificate
    bp = loads_blueprint(
        f"""
name = "DO"
[android]
method = "device_owner"
[android.agent]
file = "{demo_apk}"
signature_checksum = "{pin}"
package = "{PKG}"
admin_receiver = "{COMPONENT}"
"""
    )
    adapter = AndroidAdapter(adb_port=android_sim.adb_port, apk_cache=tmp_path / "cache")
    try:
        status, _ = await _run(adapter, kitlog, galaxy.adb_serial, bp)
    finally:
        await adapter.aclose()
    assert status == RunStatus.FAILED
    assert _last_steps(kitlog)[-1] == ("android.agent.fetch", "failed", "apk_signature_mismatch")
    assert pin in kitlog.history(limit=1)[0]["reason_en"]
    assert PKG not in galaxy.installed_packages

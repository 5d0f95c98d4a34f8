"""[ios.apps]: remove, install, upgrade and verify apps through unmodified pymobiledevice3, on the simulator.

Every refusal is the simulated installd's own answer (not provisioned for this UDID, wrong device
family), read back by the station as a bilingual reason; preflight failures touch no device.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pymobiledevice3.services.installation_proxy import InstallationProxyService

from kitstation.blueprints.model import Blueprint
from kitstation.cli.main import main
from kitstation.core.preflight import PreflightContext
from kitstation.core.protocols import DictSecrets, StepContext
from kitstation.domain.model import Device, Platform, RunStatus
from kitstation.ios import IdentityStore, IOSAdapter
from kitstation.ios.apps import InstallAppStep, RemoveAppsStep, lookup
from kitstation.ios.preflight import ios_preflight
from kitstation.log.store import KitLog
from kitstation.simulator.ios import IOSSimulatorThread
from kitstation.simulator.ios.device import SimulatedIOSDevice
from kitstation.simulator.ios.ipa import CPU_X86_64, build_ipa
from tests.ios.conftest import FAST, blueprint, last_steps, run

BID = "com.example.scanner"
EXAMPLES = Path(__file__).resolve().parents[2] / "kitstation" / "data" / "examples"


def _bp(tmp_path: Path, ipa: bytes | None, *, version: str = "1.2.0", remove: tuple[str, ...] = ()) -> Blueprint:
    text = 'name = "apps"\n[ios]\nmethod = "direct_profile"\nerase = false\nsupervise = false\n'
    text += 'enrollment_profile = "enroll.mobileconfig"\n'
    if remove:
        text += "[ios.apps]\nremove = [" + ", ".join(f'"{r}"' for r in remove) + "]\n"
    if ipa is not None:
        (tmp_path / "app.ipa").write_bytes(ipa)
        sha = hashlib.sha256(ipa).hexdigest()
        text += (
            f'[[ios.apps.install]]\nbundle_id = "{BID}"\nversion = "{version}"\nfile = "app.ipa"\nsha256 = "{sha}"\n'
        )
    return blueprint(tmp_path, text)


def _ctx(device: Device, bp: Blueprint) -> StepContext:
    return StepContext(device=device, blueprint=bp, secrets=DictSecrets({}), run_id=1)


def _install_step(adapter: IOSAdapter, bp: Blueprint) -> InstallAppStep:
    return next(s for s in adapter.plan(bp, Device(Platform.IOS, key="x")) if isinstance(s, InstallAppStep))


def _apps(sim_dev: SimulatedIOSDevice) -> dict[str, dict[str, Any]]:
    return sim_dev._control(lambda: {k: dict(v) for k, v in sim_dev.app_state.apps.items()})


async def _device(adapter: IOSAdapter, sim_dev: SimulatedIOSDevice) -> Device:
    return await adapter.identify(sim_dev.udid)


async def test_install_reads_back_and_records_bundle_id_and_version(
    ios_sim: IOSSimulatorThread, adapter: IOSAdapter, tmp_path: Path
) -> None:
    sim_dev = ios_sim.plug("iPhone15,2", setup_assistant=False)
    device = await _device(adapter, sim_dev)
    bp = _bp(tmp_path, build_ipa(BID, "1.2.0", "120", devices=[sim_dev.udid]))
    step = _install_step(adapter, bp)
    assert step.id == f"ios.app.{BID}"
    ctx = _ctx(device, bp)
    seen: list[float] = []
    ctx._progress = lambda f, _n: seen.append(f) if f is not None else None
    assert await step.check_done(ctx) is False
    result = await step.run(ctx)
    assert result.detail is not None
    assert result.detail["bundle_id"] == BID and result.detail["version"] == "1.2.0"
    assert result.detail["bundle_version"] == "120" and result.detail["action"] == "installed"
    assert _apps(sim_dev)[BID]["CFBundleShortVersionString"] == "1.2.0"
    # Upload then installd's PercentComplete: the bar only moves forward and ends past the upload half.
    assert seen == sorted(seen) and seen[-1] > 0.9 and any(f <= 0.5 for f in seen)
    # The staged file is gone from PublicStaging afterwards.
    staged = sim_dev._control(lambda: [p for p in sim_dev.app_state.media.files if p.startswith("/PublicStaging")])
    assert staged == []
    assert await step.check_done(ctx) is True
    again = await step.run(ctx)
    assert again.detail is not None and again.detail["action"] == "already"


async def test_upgrade_and_the_refused_downgrade(
    ios_sim: IOSSimulatorThread, adapter: IOSAdapter, tmp_path: Path
) -> None:
    sim_dev = ios_sim.plug("iPhone15,2", setup_assistant=False)
    device = await _device(adapter, sim_dev)
    old = _bp(tmp_path, build_ipa(BID, "1.2.0", "120", all_devices=True))
    await _install_step(adapter, old).run(_ctx(device, old))
    new = _bp(tmp_path, build_ipa(BID, "1.3.0", "130", all_devices=True), version="1.3.0")
    step = _install_step(adapter, new)
    assert await step.check_done(_ctx(device, new)) is False  # 1.2.0 on the device is not 1.3.0
    result = await step.run(_ctx(device, new))
    assert result.detail is not None and result.detail["action"] == "upgraded"
    assert _apps(sim_dev)[BID]["CFBundleVersion"] == "130"
    back = _bp(tmp_path, build_ipa(BID, "1.2.0", "120", all_devices=True))
    with pytest.raises(Exception) as err:
        await _install_step(adapter, back).run(_ctx(device, back))
    assert getattr(err.value, "code", None) == "app_downgrade"
    assert "newer build (130)" in err.value.reason.en and "ダウングレード" in err.value.reason.ja  # type: ignore[attr-defined]
    assert _apps(sim_dev)[BID]["CFBundleVersion"] == "130"


async def test_remove_uninstalls_what_is_there_and_accepts_what_is_not(
    ios_sim: IOSSimulatorThread, adapter: IOSAdapter, tmp_path: Path
) -> None:
    sim_dev = ios_sim.plug("iPhone15,2", setup_assistant=False)
    device = await _device(adapter, sim_dev)
    inst = _bp(tmp_path, build_ipa(BID, "1.2.0", "120", all_devices=True))
    await _install_step(adapter, inst).run(_ctx(device, inst))
    bp = _bp(tmp_path, None, remove=(BID, "com.example.never"))
    step = next(s for s in adapter.plan(bp, device) if isinstance(s, RemoveAppsStep))
    ctx = _ctx(device, bp)
    assert await step.check_done(ctx) is False
    result = await step.run(ctx)
    assert result.detail == {"removed": [BID], "absent": ["com.example.never"]}
    assert BID not in _apps(sim_dev)
    assert await step.check_done(ctx) is True


@pytest.mark.parametrize(
    ("model", "kwargs", "code", "en", "ja"),
    [
        ("iPhone15,2", {"devices": ["00008110-000000000000DEAD"]}, "app_not_provisioned", "UDID", "プロビジョニング"),
        ("iPhone15,2", {"provisioned": False}, "app_not_provisioned", "provisioning profile", "UDID"),
        ("iPhone15,2", {"all_devices": True, "families": (2,)}, "app_wrong_device_family", "iPhone", "iPhone"),
        ("iPhone15,2", {"all_devices": True, "min_os": "99.0"}, "app_os_too_old", "newer iOS", "iOS"),
        (
            "iPhone15,2",
            {"all_devices": True, "cputype": CPU_X86_64},
            "app_wrong_architecture",
            "architecture",
            "アーキテクチャ",
        ),
    ],
)
async def test_installd_refusals_are_told_apart(
    ios_sim: IOSSimulatorThread,
    adapter: IOSAdapter,
    tmp_path: Path,
    model: str,
    kwargs: dict[str, Any],
    code: str,
    en: str,
    ja: str,
) -> None:
    sim_dev = ios_sim.plug(model, setup_assistant=False)
    device = await _device(adapter, sim_dev)
    bp = _bp(tmp_path, build_ipa(BID, "1.2.0", "120", **kwargs))
    with pytest.raises(Exception) as err:
        await _install_step(adapter, bp).run(_ctx(device, bp))
    assert getattr(err.value, "code", None) == code, err.value
    reason = err.value.reason  # type: ignore[attr-defined]
    assert en in reason.en and ja in reason.ja and BID in reason.en
    assert err.value.detail["device_error"]  # type: ignore[attr-defined]  # installd's own words are kept
    assert BID not in _apps(sim_dev)


async def test_an_ipad_runs_an_iphone_only_app(
    ios_sim: IOSSimulatorThread, adapter: IOSAdapter, tmp_path: Path
) -> None:
    sim_dev = ios_sim.plug("iPad13,18", setup_assistant=False)
    device = await _device(adapter, sim_dev)
    bp = _bp(tmp_path, build_ipa(BID, "1.2.0", "120", all_devices=True, families=(1,)))
    await _install_step(adapter, bp).run(_ctx(device, bp))
    assert BID in _apps(sim_dev)


async def test_a_full_disk_is_a_clear_refusal(
    ios_sim_factory: Callable[..., IOSSimulatorThread], tmp_path: Path
) -> None:
    sim = ios_sim_factory(faults=["0:disk-full"])
    adapter = IOSAdapter(sim.address, tmp_path / "pairing", IdentityStore(tmp_path / "ids"), FAST)
    try:
        sim_dev = sim.plug("iPhone15,2", setup_assistant=False)
        device = await _device(adapter, sim_dev)
        bp = _bp(tmp_path, build_ipa(BID, "1.2.0", "120", all_devices=True))
        with pytest.raises(Exception) as err:
            await _install_step(adapter, bp).run(_ctx(device, bp))
        assert getattr(err.value, "code", None) == "app_no_space"
        assert "空き容量" in err.value.reason.ja  # type: ignore[attr-defined]
    finally:
        await adapter.aclose()


@pytest.mark.parametrize("installed_meanwhile", [False, True])
async def test_unplug_mid_install_is_interrupted_then_resumed_and_rechecked(
    ios_sim_factory: Callable[..., IOSSimulatorThread], kitlog: KitLog, tmp_path: Path, installed_meanwhile: bool
) -> None:
    sim = ios_sim_factory(faults=["0:unplug-at=install-app"])
    adapter = IOSAdapter(sim.address, tmp_path / "pairing", IdentityStore(tmp_path / "ids"), FAST)
    try:
        sim_dev = sim.plug("iPhone15,2", setup_assistant=False)
        device = await _device(adapter, sim_dev)
        ipa = build_ipa(BID, "1.2.0", "120", all_devices=True)
        bp = _bp(tmp_path, ipa)
        step_id = f"ios.app.{BID}"
        plan = [s for s in adapter.plan(bp, device) if isinstance(s, InstallAppStep)]
        status = await run_plan(adapter, kitlog, device, bp, plan)
        assert status == RunStatus.INTERRUPTED, last_steps(kitlog)
        assert last_steps(kitlog)[-1] == (step_id, "interrupted", "device_gone")
        assert BID not in _apps(sim_dev)  # all or nothing: no half-installed app
        sim.replug(sim_dev.udid)
        device = await _device(adapter, sim_dev)
        if installed_meanwhile:  # e.g. by hand with another tool before the run resumed
            (tmp_path / "other.ipa").write_bytes(ipa)
            ld = await adapter.connector.lockdown(sim_dev.udid)
            try:
                async with InstallationProxyService(lockdown=ld) as ip:
                    await ip.install_from_local(tmp_path / "other.ipa")
            finally:
                await ld.close()
        status = await run_plan(adapter, kitlog, device, bp, plan)
        assert status == RunStatus.OK, last_steps(kitlog)
        # The resumed run asked the device: done when the app is there, run again when it is not.
        expected = "confirmed_after_resume" if installed_meanwhile else None
        assert last_steps(kitlog)[-1] == (step_id, "ok", expected)
        assert _apps(sim_dev)[BID]["CFBundleShortVersionString"] == "1.2.0"
    finally:
        await adapter.aclose()


async def run_plan(adapter: IOSAdapter, kitlog: KitLog, device: Device, bp: Blueprint, plan: list[Any]) -> RunStatus:
    """The pipeline on just these steps (the same plan object each time, as a re-plugged device gets)."""
    original = adapter.plan
    adapter.plan = lambda _bp, _dev: list(plan)  # type: ignore[method-assign]
    try:
        return await run(adapter, kitlog, device, bp)
    finally:
        adapter.plan = original  # type: ignore[method-assign]


async def test_the_lookup_sees_system_apps_and_erase_wipes_user_apps(
    ios_sim: IOSSimulatorThread, adapter: IOSAdapter, tmp_path: Path
) -> None:
    sim_dev = ios_sim.plug("iPhone15,2", setup_assistant=False)
    device = await _device(adapter, sim_dev)
    bp = _bp(tmp_path, build_ipa(BID, "1.2.0", "120", all_devices=True))
    await _install_step(adapter, bp).run(_ctx(device, bp))
    ld = await adapter.connector.lockdown(sim_dev.udid)
    try:
        found = await lookup(ld, [BID, "com.apple.mobilesafari", "com.example.none"])
    finally:
        await ld.close()
    assert set(found) == {BID, "com.apple.mobilesafari"}
    assert found[BID]["ApplicationType"] == "User" and found["com.apple.mobilesafari"]["ApplicationType"] == "System"
    ios_sim.erase(sim_dev.udid)  # Settings > Erase All Content and Settings
    await adapter.connector.wait_detached(sim_dev.udid)
    await adapter.connector.wait_setup_assistant(sim_dev.udid, 120)
    assert _apps(sim_dev) == {} and sim_dev.erase_count == 1
    ld = await adapter.connector.lockdown(sim_dev.udid)
    try:
        assert set(await lookup(ld, [BID, "com.apple.mobilesafari"])) == {"com.apple.mobilesafari"}
    finally:
        await ld.close()


# ----- preflight: every problem seen before a device is touched -------------------------------


async def _problems(bp: Blueprint, tmp_path: Path) -> list[tuple[str, str, str, str]]:
    found = await ios_preflight(bp, PreflightContext(Platform.IOS), IdentityStore(tmp_path / "ids"), tmp_path / "c")
    return [(p.field, p.code, p.reason.en, p.reason.ja) for p in found if p.field.startswith("ios.apps")]


async def test_preflight_refuses_each_bad_app_file(tmp_path: Path) -> None:
    good = build_ipa(BID, "1.2.0", "120", all_devices=True)
    assert await _problems(_bp(tmp_path, good), tmp_path) == []
    # Not a zip, and a zip without Payload/X.app/Info.plist.
    for data in (b"not a zip", build_ipa(BID, info_extra=None)[:0] + _zip_without_app()):
        ((field, code, en, ja),) = await _problems(_bp(tmp_path, data), tmp_path)
        assert field == "ios.apps.install[0].file" and code == "app_not_ipa"
        assert en.startswith("Apps to install: ") and ".ipa" in en and ja.startswith("インストールするアプリ: ")
    # Another app's bundle id, another version.
    ((field, code, en, _ja),) = await _problems(
        _bp(tmp_path, build_ipa("com.example.other", all_devices=True)), tmp_path
    )
    assert (field, code) == ("ios.apps.install[0].bundle_id", "app_bundle_mismatch") and "com.example.other" in en
    ((field, code, en, ja),) = await _problems(_bp(tmp_path, good, version="2.0"), tmp_path)
    assert (field, code) == ("ios.apps.install[0].version", "app_version_mismatch")
    assert "1.2.0" in en and "2.0" in ja
    # The pin does not match the file, and the file is missing.
    bp = _bp(tmp_path, good)
    (tmp_path / "app.ipa").write_bytes(good + b"tampered")
    ((field, code, en, ja),) = await _problems(bp, tmp_path)
    assert code == "app_sha256_mismatch" and "SHA-256" in en and "SHA-256" in ja
    (tmp_path / "app.ipa").unlink()
    ((field, code, en, ja),) = await _problems(bp, tmp_path)
    assert code == "app_file_missing" and "app.ipa" in en


def test_prepare_refuses_a_swapped_app_file_and_touches_no_device(
    ios_sim: IOSSimulatorThread, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    iphone = ios_sim.plug("iPhone15,2", setup_assistant=True)
    text = (EXAMPLES / "ios-apps.toml").read_text(encoding="utf-8").replace('"files/', f'"{tmp_path}/files/')
    (tmp_path / "files" / "ios").mkdir(parents=True)
    for name in ("mdm-demo-root-ca.pem", "kitstation-demo-scanner.ipa"):
        (tmp_path / "files" / "ios" / name).write_bytes((EXAMPLES / "files" / "ios" / name).read_bytes())
    # Another build put in place of the pinned one after the blueprint was written.
    (tmp_path / "files" / "ios" / "kitstation-demo-scanner.ipa").write_bytes(build_ipa(devices=[iphone.udid]))
    bp = tmp_path / "apps.toml"
    bp.write_text(text, encoding="utf-8")
    monkeypatch.setenv("KITSTATION_LANG", "en")
    code = main(
        [
            "prepare",
            "--db",
            str(tmp_path / "log.sqlite3"),
            "--usbmux",
            ios_sim.address,
            "-b",
            str(bp),
            "--platform",
            "ios",
            "--settle",
            "0",
        ]
    )
    err = capsys.readouterr().err
    assert code == 2, err
    assert "no device was touched" in err and "Apps to install: " in err and "not the pinned file" in err
    assert "Traceback" not in err
    assert iphone.erase_count == 0 and not iphone.cloud_configuration and iphone.paired_hosts == []
    assert iphone._control(lambda: (dict(iphone.app_state.apps), dict(iphone.app_state.media.files))) == ({}, {})


def _zip_without_app() -> bytes:
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("Payload/readme.txt", "no app here")
    return out.getvalue()


def test_step_detail_is_json(tmp_path: Path) -> None:
    # The step detail goes into the log as JSON: only plain values.
    from kitstation.ios.apps import _detail
    from kitstation.ios.ipa import read_ipa_info

    info = read_ipa_info(build_ipa(BID, all_devices=True), "x.ipa")
    assert json.loads(json.dumps(_detail(info, "ab" * 32, "installed")))["bundle_id"] == BID


def test_an_unknown_installd_error_keeps_the_device_words() -> None:
    from pymobiledevice3.exceptions import AppInstallError

    from kitstation.ios.apps import install_failure

    device = Device(Platform.IOS, key="U1", udid="U1", os_version="17.5")
    ctx = StepContext(device=device, blueprint=blueprint_stub(), secrets=DictSecrets({}), run_id=1)
    err = install_failure(AppInstallError("PackagePatchFailed: {odd} text"), ctx, BID)
    assert err.code == "app_install_failed"
    assert err.reason.en == f"{BID}: the device refused the install: PackagePatchFailed: {{odd}} text"
    assert err.reason.ja.startswith(f"{BID}: デバイスがインストールを拒否しました")
    known = install_failure(AppInstallError("DeviceOSVersionTooLow: Have 17.5; need 18.0"), ctx, BID)
    assert known.code == "app_os_too_old" and "iOS 17.5" in known.reason.en and "iOS 17.5" in known.reason.ja


def blueprint_stub() -> Blueprint:
    from kitstation.blueprints.loader import loads_blueprint

    return loads_blueprint('name = "x"\n[ios]\nmethod = "dep"\n', "x.toml", Path("x.toml"))

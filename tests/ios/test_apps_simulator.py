"""The simulated AFC and installation_proxy answer pymobiledevice3's own high-level clients and CLI.

Nothing here goes through the station's steps: ``AfcService``, ``InstallationProxyService``
(``install_from_local``, ``get_apps``, ``browse``, ``uninstall``) and the ``pymobiledevice3 apps``
command talk to the simulated device unmodified, so the simulator is held to what those clients
expect of a real one. Also: the shipped example runs end to end, and url files are cached once.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from pymobiledevice3.exceptions import AfcException, AfcFileNotFoundError, AppInstallError
from pymobiledevice3.services.afc import AfcService
from pymobiledevice3.services.installation_proxy import InstallationProxyService

from kitstation.blueprints.apps import PinnedFile
from kitstation.blueprints.loader import load_blueprint
from kitstation.core.preflight import PreflightContext
from kitstation.core.protocols import DictSecrets, StepContext
from kitstation.domain.model import PermanentError, Platform, RunStatus
from kitstation.ios import IdentityStore, IOSAdapter
from kitstation.ios import ipa as ipa_mod
from kitstation.ios.apps import InstallAppStep
from kitstation.ios.ipa import pinned_path, read_ipa_info
from kitstation.log.store import KitLog
from kitstation.simulator.ios import IOSSimulatorThread
from kitstation.simulator.ios.ipa import DEMO_BUNDLE_ID, build_ipa
from tests.ios.conftest import FAST, last_steps, run

EXAMPLES = Path(__file__).resolve().parents[2] / "kitstation" / "data" / "examples"
PMD3 = str(Path(sys.executable).with_name("pymobiledevice3"))


async def test_afc_stages_reads_and_removes_like_a_device(ios_sim: IOSSimulatorThread, adapter: IOSAdapter) -> None:
    sim_dev = ios_sim.plug("iPhone15,2", setup_assistant=False)
    await adapter.identify(sim_dev.udid)
    ld = await adapter.connector.lockdown(sim_dev.udid)
    try:
        async with AfcService(ld) as afc:
            await afc.makedirs("PublicStaging/sub")
            assert await afc.isdir("/PublicStaging") and "sub" in await afc.listdir("PublicStaging")
            await afc.set_file_contents("PublicStaging/sub/a.bin", b"x" * 5000)
            assert (await afc.stat("/PublicStaging/sub/a.bin"))["st_size"] == 5000
            assert await afc.get_file_contents("PublicStaging/sub/a.bin") == b"x" * 5000
            # fopen does not create folders, and a folder that is not empty is not removed.
            with pytest.raises(AfcFileNotFoundError):
                await afc.set_file_contents("NoSuchFolder/a.bin", b"x")
            with pytest.raises(AfcException):
                await afc.rm_single("PublicStaging/sub")
            assert await afc.rm("PublicStaging") == []
            assert not await afc.exists("PublicStaging")
            info = await afc.get_device_info()
            assert int(info["FSFreeBytes"]) > 0
    finally:
        await ld.close()


async def test_pymobiledevice3_installs_browses_and_uninstalls(
    ios_sim: IOSSimulatorThread, adapter: IOSAdapter, tmp_path: Path
) -> None:
    sim_dev = ios_sim.plug("iPhone15,2", setup_assistant=False)
    await adapter.identify(sim_dev.udid)
    path = tmp_path / "a.ipa"
    path.write_bytes(build_ipa("com.example.a", "2.0", "200", devices=[sim_dev.udid]))
    percents: list[float] = []
    ld = await adapter.connector.lockdown(sim_dev.udid)
    try:
        async with InstallationProxyService(lockdown=ld) as ip:
            await ip.install_from_local(path, handler=lambda p: percents.append(p))
        assert percents == sorted(percents) and percents[-1] == 90
        async with InstallationProxyService(lockdown=ld) as ip:
            user = await ip.get_apps(application_type="User")
        assert user["com.example.a"]["CFBundleShortVersionString"] == "2.0"
        async with InstallationProxyService(lockdown=ld) as ip:
            listed = await ip.browse(attributes=["CFBundleIdentifier", "ApplicationType"])
        assert {"CFBundleIdentifier": "com.example.a", "ApplicationType": "User"} in listed
        assert any(a["ApplicationType"] == "System" for a in listed)
        async with InstallationProxyService(lockdown=ld) as ip:
            await ip.uninstall("com.example.a")
        async with InstallationProxyService(lockdown=ld) as ip:
            assert "com.example.a" not in await ip.get_apps(application_type="User")
        # A package path that holds nothing: installd's APIInternalError.
        async with InstallationProxyService(lockdown=ld) as ip:
            with pytest.raises(AppInstallError, match="^APIInternalError"):
                await ip.send_package("Install", {}, None, "PublicStaging/missing.ipa")
    finally:
        await ld.close()


async def test_the_apps_example_runs_end_to_end_and_pymobiledevice3_lists_the_app(
    ios_sim_factory: Callable[..., IOSSimulatorThread], kitlog: KitLog, tmp_path: Path
) -> None:
    bp = load_blueprint(EXAMPLES / "ios-apps.toml")
    assert bp.ios is not None and bp.ios.apps is not None
    sim = ios_sim_factory()
    adapter = IOSAdapter(sim.address, tmp_path / "pairing", IdentityStore(tmp_path / "ids"), FAST)
    try:
        sim_dev = sim.plug("iPhone15,2", setup_assistant=True)
        device = await adapter.identify(sim_dev.udid)
        ids = [s.id for s in adapter.plan(bp, device)]
        assert ids.index("ios.supervise") < ids.index("ios.apps.remove") < ids.index(f"ios.app.{DEMO_BUNDLE_ID}")
        assert await run(adapter, kitlog, device, bp) == RunStatus.OK, last_steps(kitlog)
        run_id = kitlog.history(limit=1)[0]["run_id"]
        detail = next(s["detail"] for s in kitlog.steps(run_id) if s["step_id"] == f"ios.app.{DEMO_BUNDLE_ID}")
        detail = json.loads(detail) if isinstance(detail, str) else detail
        assert detail["bundle_id"] == DEMO_BUNDLE_ID and detail["version"] == "1.2.0"
        assert detail["sha256"] == bp.ios.apps.install[0].sha256
        env = dict(os.environ, **sim.env)
        listed = subprocess.run(
            [PMD3, "apps", "list", "--udid", sim_dev.udid, "--type", "User"],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert listed.returncode == 0, listed.stderr
        assert json.loads(listed.stdout)[DEMO_BUNDLE_ID]["CFBundleShortVersionString"] == "1.2.0"
    finally:
        await adapter.aclose()


def test_the_demo_ipa_is_what_the_generator_makes() -> None:
    shipped = (EXAMPLES / "files" / "ios" / "kitstation-demo-scanner.ipa").read_bytes()
    info = read_ipa_info(shipped, "demo")
    assert (info.bundle_id, info.short_version, info.bundle_version, info.families) == (
        DEMO_BUNDLE_ID,
        "1.2.0",
        "120",
        (1, 2),
    )
    # Only the profile's signature differs from one build to the next.
    assert read_ipa_info(build_ipa(all_devices=True), "x") == info


def test_url_files_are_downloaded_once_and_checked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = build_ipa(all_devices=True)
    pin = PinnedFile(url="https://apps.example.jp/demo.ipa", sha256=hashlib.sha256(data).hexdigest())
    bp = load_blueprint(EXAMPLES / "ios-apps.toml")
    calls: list[str] = []

    def fake_download(url: str) -> bytes:
        calls.append(url)
        return data

    monkeypatch.setattr(ipa_mod, "_download", fake_download)
    assert pinned_path(pin, bp, tmp_path)[0].read_bytes() == data
    assert pinned_path(pin, bp, tmp_path)[0].read_bytes() == data
    assert calls == ["https://apps.example.jp/demo.ipa"]  # the second read came from the cache
    assert (tmp_path / f"{pin.sha256}.ipa").read_bytes() == data
    # A server that serves other bytes: refused, and nothing is cached under the pin.
    other = PinnedFile(url="https://apps.example.jp/other.ipa", sha256="0" * 64)
    with pytest.raises(PermanentError) as err:
        pinned_path(other, bp, tmp_path)
    assert err.value.code == "app_sha256_mismatch" and not (tmp_path / f"{'0' * 64}.ipa").exists()


async def test_a_url_app_is_downloaded_by_preflight_once_for_the_whole_batch(
    ios_sim: IOSSimulatorThread, adapter: IOSAdapter, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = build_ipa(all_devices=True)
    calls: list[str] = []

    def fake_download(url: str) -> bytes:
        calls.append(url)
        return data

    monkeypatch.setattr(ipa_mod, "_download", fake_download)
    text = (EXAMPLES / "ios-apps.toml").read_text(encoding="utf-8").replace('"files/', f'"{EXAMPLES}/files/')
    text = text.replace(
        f'file = "{EXAMPLES}/files/ios/kitstation-demo-scanner.ipa"', 'url = "https://apps.example.jp/scanner.ipa"'
    )
    text = text.replace(text.split('sha256 = "')[1].split('"')[0], hashlib.sha256(data).hexdigest())
    (tmp_path / "bp.toml").write_text(text, encoding="utf-8")
    bp = load_blueprint(tmp_path / "bp.toml")
    assert bp.ios is not None and bp.ios.apps is not None and bp.ios.apps.install[0].url
    problems = await adapter.preflight(bp, PreflightContext(Platform.IOS))
    assert [p.code for p in problems] == [] and len(calls) == 1
    for model in ("iPhone15,2", "iPad13,18"):  # two devices of the batch, each with its own plan
        sim_dev = ios_sim.plug(model, setup_assistant=False)
        device = await adapter.identify(sim_dev.udid)
        step = next(s for s in adapter.plan(bp, device) if isinstance(s, InstallAppStep))
        ctx = StepContext(device=device, blueprint=bp, secrets=DictSecrets({}), run_id=1)
        result = await step.run(ctx)
        assert result.detail is not None and result.detail["action"] == "installed"
    assert calls == ["https://apps.example.jp/scanner.ipa"]  # never again mid-batch


def test_prepare_simulate_installs_the_example_app(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from kitstation.cli.main import main

    db = tmp_path / "log.sqlite3"
    args = ["prepare", "--simulate", "1", "--platform", "ios", "--speed", "2000", "--db", str(db), "--json"]
    code = main([*args, "-b", str(EXAMPLES / "ios-apps.toml")])
    out = capsys.readouterr()
    assert code == 0, out.err
    assert [d["state"] for d in json.loads(out.out[out.out.index("[") :])] == ["done"]
    log = KitLog(f"sqlite:///{db}")
    try:
        run_id = log.history(limit=1)[0]["run_id"]
        steps = {s["step_id"]: s for s in log.steps(run_id)}
    finally:
        log.close()
    detail = steps[f"ios.app.{DEMO_BUNDLE_ID}"]["detail"]
    detail = json.loads(detail) if isinstance(detail, str) else detail
    assert (detail["bundle_id"], detail["version"], detail["action"]) == (DEMO_BUNDLE_ID, "1.2.0", "installed")
    assert steps["ios.apps.remove"]["outcome"] == "ok"

"""The Galaxy bench settings over adb (``[android.setup]``) and the battery gate, each read back.

* ``android.setup.wifi`` -- ``cmd wifi connect-network SSID wpa2 PASSWORD`` (Android 11+, AOSP
  ``WifiShellCommand``), then ``cmd wifi status`` until the phone says it is connected to that SSID
  and ``cmd wifi list-networks`` lists it. The password comes from the secrets chain at run time
  and goes to the device inside the adb shell request only: never into the log, a step detail, an
  error text or the station's own argv (adbutils speaks the adb protocol in-process).
* ``android.setup.time_zone`` -- ``cmd time_zone_detector`` (Android 12+): automatic detection off,
  a manual suggestion, then ``getprop persist.sys.timezone`` must name the zone. Older phones have
  no shell command for it; the step says so instead of pretending.
* ``android.setup.display`` -- ``settings put system screen_off_timeout`` (milliseconds) and
  ``settings put global stay_on_while_plugged_in`` (7 = AC | USB | wireless), read back with ``get``.
* ``android.battery`` -- ``dumpsys battery`` ``level:`` until the blueprint's minimum
  (:func:`kitstation.core.battery.battery_gate`).
"""

from __future__ import annotations

import asyncio
import functools
import re
import time
from dataclasses import dataclass

from kitstation.android.shell import Shell
from kitstation.android.steps import AndroidRuntime, _android, _Base, _device_sdk, _shell
from kitstation.blueprints.android import AndroidSetup
from kitstation.core.battery import BatteryReading, battery_gate
from kitstation.core.protocols import Plan, StepContext
from kitstation.domain.model import PermanentError, StepResult
from kitstation.i18n import Text

WIFI_SHELL_SDK = 30
TZ_DETECTOR_SDK = 31
STAY_ON_ALL = "7"  # BatteryManager.BATTERY_PLUGGED_AC | _USB | _WIRELESS


def parse_battery(dumpsys: str) -> BatteryReading | None:
    """``level:`` / ``scale:`` / ``status:`` of ``dumpsys battery`` (status 2 = charging, 5 = full)."""
    level = re.search(r"^\s*level:\s*(\d+)", dumpsys, re.M)
    if level is None:
        return None
    scale = re.search(r"^\s*scale:\s*(\d+)", dumpsys, re.M)
    status = re.search(r"^\s*status:\s*(\d+)", dumpsys, re.M)
    percent = int(level.group(1))
    if scale is not None and int(scale.group(1)) not in (0, 100):
        percent = round(100 * percent / int(scale.group(1)))
    charging = None if status is None else status.group(1) in ("2", "5")
    return BatteryReading(percent, charging)


def parse_wifi_connected(status: str) -> str | None:
    """The SSID in ``cmd wifi status`` (``Wifi is connected to "SSID"``), or None when not connected."""
    m = re.search(r'Wifi is connected to "(.*)"', status)
    return m.group(1) if m else None


def _setup(ctx: StepContext) -> AndroidSetup:
    setup = _android(ctx).setup
    assert setup is not None
    return setup


def _sdk_or_zero(ctx: StepContext) -> int:
    return _device_sdk(ctx) or 0


@dataclass
class WifiStep(_Base):
    id = "android.setup.wifi"
    title = Text("Join the Wi-Fi network", "Wi-Fi ネットワークに接続")
    join_seconds: float = 60.0
    poll_seconds: float = 1.0

    async def run(self, ctx: StepContext) -> StepResult:
        wifi = _setup(ctx).wifi
        assert wifi is not None
        sdk = _sdk_or_zero(ctx)
        if 0 < sdk < WIFI_SHELL_SDK:
            raise PermanentError(
                Text(
                    "This phone runs Android API {sdk}: 'cmd wifi connect-network' exists only from Android 11."
                    " Join {ssid} on the phone (Settings > Connections > Wi-Fi) or with the QR code",
                    "この端末は Android API {sdk} です: 'cmd wifi connect-network' は Android 11 以降のみです。"
                    "端末の 設定 > 接続 > Wi-Fi か QR コードで {ssid} に接続してください",
                ).format(sdk=sdk, ssid=wifi.ssid),
                code="wifi_unsupported",
            )
        cmd = ["cmd", "wifi", "connect-network", wifi.ssid, wifi.security]
        if wifi.password_secret:
            password = await ctx.secrets.get(
                wifi.password_secret,
                Text("Wi-Fi password for {s}", "{s} の Wi-Fi パスワード").format(s=wifi.ssid),
            )
            cmd.append(password)
        r = await self.rt.io(ctx, lambda d: d.shell(cmd))
        # Never quote r.text whole in an error: the shell's usage text could echo arguments back.
        if r.code != 0 or "Connection initiated" not in r.out:
            unknown = "Unknown command" in r.text
            raise PermanentError(
                Text(
                    "The phone refused the Wi-Fi network {ssid}{why}",
                    "端末が Wi-Fi ネットワーク {ssid} を受け付けませんでした{why_ja}",
                ).format(
                    ssid=wifi.ssid,
                    why=" (its 'cmd wifi' has no connect-network: Android 11+ needed)" if unknown else "",
                    why_ja="（'cmd wifi' に connect-network がありません: Android 11 以降が必要）" if unknown else "",
                ),
                code="wifi_unsupported" if unknown else "wifi_refused",
            )
        deadline = time.monotonic() + self.join_seconds
        ctx.progress(None, Text("Joining {s}", "{s} に接続中").format(s=wifi.ssid))
        while True:
            status = await self.rt.io(ctx, lambda d: d.shell(["cmd", "wifi", "status"]))
            if parse_wifi_connected(status.out) == wifi.ssid:
                break
            if time.monotonic() >= deadline:
                raise PermanentError(
                    Text(
                        "The phone saved {ssid} but did not join it within {s} s: check the password in secret"
                        " '{secret}' and that the network is in range",
                        "端末は {ssid} を保存しましたが {s} 秒以内に接続しませんでした: シークレット「{secret}」の"
                        "パスワードと電波の届く範囲か確認してください",
                    ).format(ssid=wifi.ssid, s=round(self.join_seconds), secret=wifi.password_secret or "-"),
                    code="wifi_not_connected",
                    detail={"ssid": wifi.ssid},
                )
            await asyncio.sleep(self.poll_seconds)
        listed = await self.rt.io(ctx, lambda d: d.shell(["cmd", "wifi", "list-networks"]))
        saved = any(f'"{wifi.ssid}"' in line or line.split()[1:2] == [wifi.ssid] for line in listed.out.splitlines())
        if not saved:
            raise PermanentError(
                Text(
                    "The phone is on {ssid} but does not list it as a saved network: it will not rejoin after a restart",
                    "端末は {ssid} に接続していますが保存済みネットワークにありません: 再起動後に再接続されません",
                ).format(ssid=wifi.ssid),
                code="wifi_not_saved",
            )
        return StepResult.ok(
            Text("Connected to {ssid} (read back)", "{ssid} に接続しました（読み戻し済み）").format(ssid=wifi.ssid),
            detail={"ssid": wifi.ssid, "security": wifi.security, "connected": True, "saved": True},
        )


class TimeZoneStep(_Base):
    id = "android.setup.time_zone"
    title = Text("Set the time zone", "タイムゾーンを設定")

    async def run(self, ctx: StepContext) -> StepResult:
        zone = _setup(ctx).time_zone
        sdk = _sdk_or_zero(ctx)
        if 0 < sdk < TZ_DETECTOR_SDK:
            raise PermanentError(
                Text(
                    "This phone runs Android API {sdk}: adb cannot set its time zone (no shell command before"
                    " Android 12). Set {z} in Settings > General management > Date and time, or in the QR code",
                    "この端末は Android API {sdk} です: adb ではタイムゾーンを設定できません（Android 12 より前には"
                    "シェルのコマンドがありません）。設定 > 一般管理 > 日付と時刻 か QR コードで {z} を設定してください",
                ).format(sdk=sdk, z=zone),
                code="time_zone_unsupported",
            )
        steps = (
            ["cmd", "time_zone_detector", "set_auto_detection_enabled", "false"],
            ["cmd", "time_zone_detector", "suggest_manual_time_zone", "--zone_id", zone],
        )
        last: Shell | None = None
        for cmd in steps:
            last = await self.rt.io(ctx, functools.partial(_shell, cmd=list(cmd)))
            if last.code != 0:
                break
        got = (await self.rt.io(ctx, lambda d: d.shell(["getprop", "persist.sys.timezone"]))).out.strip()
        if got != zone:
            raise PermanentError(
                Text(
                    "The time zone was not applied: the phone reads '{got}', not {z} ({m})",
                    "タイムゾーンが適用されませんでした: 端末の値は「{got}」で {z} ではありません（{m}）",
                ).format(got=got, z=zone, m=(last.text.strip()[:120] if last else "")),
                code="time_zone_failed",
            )
        return StepResult.ok(
            Text("Time zone {z} (read back)", "タイムゾーン {z}（読み戻し済み）").format(z=zone),
            detail={"time_zone": got, "auto_time_zone": False},
        )


class DisplayStep(_Base):
    id = "android.setup.display"
    title = Text("Set screen timeout and stay-awake", "画面消灯時間と充電中のスリープ無効を設定")

    async def run(self, ctx: StepContext) -> StepResult:
        setup = _setup(ctx)
        wanted: list[tuple[str, str, str]] = []
        if setup.screen_off_timeout_seconds is not None:
            wanted.append(("system", "screen_off_timeout", str(setup.screen_off_timeout_seconds * 1000)))
        if setup.stay_awake_while_charging is not None:
            wanted.append(
                ("global", "stay_on_while_plugged_in", STAY_ON_ALL if setup.stay_awake_while_charging else "0")
            )
        read: dict[str, str] = {}
        for ns, key, value in wanted:
            await self.rt.io(ctx, functools.partial(_shell, cmd=["settings", "put", ns, key, value]))
            got = (await self.rt.io(ctx, functools.partial(_shell, cmd=["settings", "get", ns, key]))).out.strip()
            if got != value:
                raise PermanentError(
                    Text(
                        "Setting {ns}/{k} was not applied (the phone reads {got}, wanted {v})",
                        "設定 {ns}/{k} が適用されませんでした（端末の値 {got}、期待値 {v}）",
                    ).format(ns=ns, k=key, got=got or "?", v=value),
                    code="setting_failed",
                )
            read[key] = got
        return StepResult.ok(
            Text("{n} display settings applied (read back)", "画面の設定 {n} 件を適用しました（読み戻し済み）").format(
                n=len(read)
            ),
            detail=read,
        )


@dataclass
class BatteryStep(_Base):
    id = "android.battery"
    title = Text("Wait for the battery", "電池の充電を待つ")
    poll_seconds: float = 2.0
    budget_seconds: float | None = None  # None: the blueprint's battery_wait_minutes

    async def run(self, ctx: StepContext) -> StepResult:
        android = _android(ctx)
        assert android.min_battery_percent is not None

        async def read() -> BatteryReading:
            out = await self.rt.io(ctx, lambda d: d.shell(["dumpsys", "battery"]))
            reading = parse_battery(out.out)
            if reading is None:
                raise PermanentError(
                    Text(
                        "The phone did not report its battery level (dumpsys battery has no 'level:')",
                        "端末が電池残量を報告しませんでした（dumpsys battery に 'level:' がありません）",
                    ),
                    code="battery_unreadable",
                )
            return reading

        budget = self.budget_seconds if self.budget_seconds is not None else android.battery_wait_minutes * 60.0
        return await battery_gate(
            ctx,
            read,
            minimum=android.min_battery_percent,
            budget_seconds=budget,
            poll_seconds=self.poll_seconds,
        )


def plan_setup(rt: AndroidRuntime, setup: AndroidSetup | None, min_battery: int | None) -> Plan:
    """The ``[android.setup]`` steps and the battery gate (last: the level at hand-over counts)."""
    steps: Plan = []
    if setup is not None:
        if setup.wifi is not None:
            steps.append(WifiStep(rt))
        if setup.time_zone:
            steps.append(TimeZoneStep(rt))
        if setup.screen_off_timeout_seconds is not None or setup.stay_awake_while_charging is not None:
            steps.append(DisplayStep(rt))
    if min_battery is not None:
        steps.append(BatteryStep(rt))
    return steps

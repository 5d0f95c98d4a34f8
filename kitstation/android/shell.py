"""Talking to one Galaxy over adb (blocking; call from an executor) and reading its answers.

Everything here is synchronous because adbutils is. The parsers are pure functions (tested on
their own): ``getprop`` listings, ``service call iphonesubinfo`` reply parcels, ``dpm`` output.

Error mapping: a device that vanished mid-command (unplugged, rebooted) becomes
:class:`~kitstation.domain.model.DeviceGone` (the pipeline marks the run interrupted and resumes it
on re-plug); an adb server that does not answer becomes a ``TransientError``.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import adbutils
from adbutils.errors import AdbError, AdbInstallError, AdbTimeout

from kitstation.core.barcode import is_valid_imei
from kitstation.domain.model import DeviceGone, PermanentError, TransientError
from kitstation.i18n import Text

T = TypeVar("T")
SHELL_TIMEOUT = 60.0


# --- parsers ----------------------------------------------------------------------------------------
_PROP_LINE = re.compile(r"^\[(?P<k>[^\]]+)\]: \[(?P<v>.*)\]\s*$")


def parse_getprop(text: str) -> dict[str, str]:
    """``getprop`` without arguments: ``[key]: [value]`` per line."""
    props: dict[str, str] = {}
    for line in text.splitlines():
        m = _PROP_LINE.match(line)
        if m:
            props[m.group("k")] = m.group("v")
    return props


def parse_parcel_string(text: str) -> str | None:
    """The String16 in a ``service call`` reply parcel, or None (exception, null, unreadable).

    The reply is a hexdump of 32-bit words: status (0 = no exception), the string's length in
    UTF-16 units (-1 = null), then the UTF-16LE characters, two per word. Android 10+ answers
    iphonesubinfo with a SecurityException (status -1): no IMEI over adb, which is not an error.
    """
    if "Parcel(" not in text:
        return None
    body = re.sub(r"'[^']*'", " ", text.split("Parcel(", 1)[1])  # drop the ASCII column
    body = re.sub(r"0x[0-9a-fA-F]{8}:", " ", body)  # drop the offsets
    words = [int(w, 16) for w in re.findall(r"\b[0-9a-fA-F]{8}\b", body)]
    if len(words) < 2 or words[0] != 0 or words[1] == 0xFFFFFFFF:
        return None
    length = words[1]
    data = b"".join(w.to_bytes(4, "little") for w in words[2:])
    if len(data) < 2 * length:
        return None
    return data[: 2 * length].decode("utf-16-le", errors="replace")


def parse_owners(list_owners: str) -> list[str]:
    """Device Owner components from ``dpm list-owners`` (``admin=pkg/.Cls,DeviceOwner``)."""
    owners: list[str] = []
    for m in re.finditer(r"admin=([^\s,]+)((?:,[A-Za-z]+)*)", list_owners):
        if "DeviceOwner" in m.group(2):
            owners.append(m.group(1))
    return owners


def parse_dumpsys_owner(dumpsys: str) -> list[str]:
    """Device Owner components from ``dumpsys device_policy`` (older Android without list-owners)."""
    m = re.search(r"Device Owner:\s*\n\s*admin=ComponentInfo\{([^}]+)\}", dumpsys)
    return [m.group(1)] if m else []


def normalise_component(component: str) -> str:
    """``pkg/.Cls`` and ``pkg/pkg.Cls`` name the same receiver: compare in the long form."""
    pkg, _, cls = component.partition("/")
    if cls.startswith("."):
        cls = pkg + cls
    return f"{pkg}/{cls}"


# dpm set-device-owner refusals -> (code, message). The station's fix comes first: what to do.
DPM_REFUSALS: tuple[tuple[re.Pattern[str], str, Text], ...] = (
    (
        re.compile(r"already some accounts|accounts on the device", re.I),
        "dpm_accounts",
        Text(
            "Device Owner refused: an account (Google or Samsung) is on the device."
            " Remove the account in Settings > Accounts, or factory-reset the device, then redo it.",
            "デバイスオーナーの設定が拒否されました: 端末にアカウント（Google または Samsung）があります。"
            "設定 > アカウントで削除するか、端末を初期化してからやり直してください。",
        ),
    ),
    (
        re.compile(r"several users|multiple users|more than one user", re.I),
        "dpm_users",
        Text(
            "Device Owner refused: the device has more than one user (or a Secure Folder / work profile)."
            " Remove the other users, or factory-reset the device, then redo it.",
            "デバイスオーナーの設定が拒否されました: 端末に複数のユーザー（セキュアフォルダ・仕事用プロファイルを含む）があります。"
            "他のユーザーを削除するか、端末を初期化してからやり直してください。",
        ),
    ),
    (
        re.compile(r"owner \(.*\) is already set|device owner is already set(?!-)|already has a device owner", re.I),
        "dpm_owner_set",
        Text(
            "Device Owner refused: another app is already Device Owner ({owner})."
            " Factory-reset the device to replace it, then redo it.",
            "デバイスオーナーの設定が拒否されました: 別のアプリがすでにデバイスオーナーです（{owner}）。"
            "置き換えるには端末を初期化してからやり直してください。",
        ),
    ),
    (
        re.compile(r"already (been )?set[- ]up|already provisioned|is provisioned|user setup complete", re.I),
        "dpm_provisioned",
        Text(
            "Device Owner refused: the device has already been set up (past the welcome screen)."
            " Factory-reset it and redo it without finishing the setup wizard (or use KME / the QR code).",
            "デバイスオーナーの設定が拒否されました: 端末の初期設定がすでに完了しています。"
            "初期化し、初期設定を完了せずにやり直してください（または KME / QR コードを使用してください）。",
        ),
    ),
    (
        re.compile(r"Unknown admin|not a valid admin|no such receiver|Invalid component", re.I),
        "dpm_no_receiver",
        Text(
            "Device Owner refused: {component} is not a device-admin receiver of the installed agent."
            " Check admin_receiver in the blueprint against the agent APK.",
            "デバイスオーナーの設定が拒否されました: {component} はインストールされたエージェントのデバイス管理レシーバーではありません。"
            "ブループリントの admin_receiver とエージェント APK を確認してください。",
        ),
    ),
)


def dpm_refusal(output: str, component: str, owner: str = "") -> PermanentError:
    """The bilingual, actionable error for a ``dpm set-device-owner`` refusal."""
    for pattern, code, text in DPM_REFUSALS:
        if pattern.search(output):
            return PermanentError(text.format(component=component, owner=owner or "?"), code=code)
    tail = output.strip().splitlines()[:2]
    detail = " ".join(tail)[:300]
    return PermanentError(
        Text(
            "Device Owner refused: {d}",
            "デバイスオーナーの設定が拒否されました: {d}",
        ).format(d=detail),
        code="dpm_refused",
    )


# --- the device ---------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Shell:
    """A finished shell command: exit code and output."""

    code: int
    out: str
    err: str = ""

    @property
    def text(self) -> str:
        return self.out + self.err


_GONE = ("not found", "offline", "closed", "no devices", "device still authorizing", "unauthorized")


def adb_errors(fn: Callable[[], T], serial: str) -> T:
    """Run an adbutils call, mapping its failures to the step errors the pipeline understands."""
    try:
        return fn()
    except AdbTimeout as exc:
        raise TransientError(
            Text("adb did not answer in time ({s})", "adb が時間内に応答しませんでした（{s}）").format(s=serial),
            code="adb_timeout",
        ) from exc
    except AdbError as exc:
        message = str(exc)
        if any(word in message.lower() for word in _GONE):
            raise DeviceGone() from exc
        raise TransientError(
            Text("adb error: {m}", "adb のエラー: {m}").format(m=message[:200]), code="adb_error"
        ) from exc
    except (TimeoutError, EOFError, ConnectionError, OSError) as exc:
        raise DeviceGone() from exc


class AdbDeviceIO:
    """Blocking operations on one device (by adb serial) through an adbutils client."""

    def __init__(self, client: adbutils.AdbClient, serial: str) -> None:
        self.client = client
        self.serial = serial
        self.device = adbutils.AdbDevice(client, serial=serial)

    def shell(self, cmd: str | Sequence[str], timeout: float = SHELL_TIMEOUT) -> Shell:
        args = cmd if isinstance(cmd, str) else list(cmd)

        def call() -> Shell:
            r = self.device.shell2(args, timeout=timeout, v2=True)
            return Shell(int(r.returncode), r.stdout or (r.output if not r.stderr else ""), r.stderr)

        return adb_errors(call, self.serial)

    def props(self) -> dict[str, str]:
        props = parse_getprop(self.shell("getprop").out)
        if not props:  # a shell that lists nothing: ask for the few that matter one by one
            for key in ("ro.serialno", "ro.product.model", "ro.build.version.release", "ro.build.version.sdk"):
                props[key] = self.shell(["getprop", key]).out.strip()
        return props

    def imeis(self, sdk: int) -> tuple[str, ...]:
        """IMEIs where Android gives them to the shell (up to Android 9); () otherwise."""
        if sdk >= 29:
            # Android 10+ refuses device identifiers to the shell: do not even ask (fewer round trips).
            return ()
        found: list[str] = []
        for cmd in (
            ["service", "call", "iphonesubinfo", "4", "i32", "0", "s16", "com.android.shell"],
            ["service", "call", "iphonesubinfo", "4", "i32", "1", "s16", "com.android.shell"],
            ["service", "call", "iphonesubinfo", "1", "s16", "com.android.shell"],
        ):
            value = parse_parcel_string(self.shell(cmd).out)
            if value and is_valid_imei(value) and value not in found:
                found.append(value)
        return tuple(found[:2])

    def _online(self) -> bool:
        try:
            return bool(self.device.get_state() == "device")
        except (AdbError, OSError, EOFError):
            return False

    def package_path(self, package: str) -> str | None:
        r = self.shell(["pm", "path", package])
        for line in r.out.splitlines():
            if line.startswith("package:"):
                return line[len("package:") :].strip()
        return None

    def device_owners(self) -> list[str]:
        r = self.shell(["dpm", "list-owners"])
        if r.code == 0 and ("owner" in r.out.lower()):
            return parse_owners(r.out)
        # Older Android has no list-owners: the policy service's dump names the owner.
        return parse_dumpsys_owner(self.shell(["dumpsys", "device_policy"]).out)

    def install(self, apk_path: str, sha256: str) -> None:
        """Push the APK and ``pm install -r -t`` it; a ``Failure [...]`` is a PermanentError.

        Not ``AdbDevice.install()``: its pushed-size check builds an error and never raises, it
        prints to stdout on failure (breaking ``--json`` output), and on a signature or version
        conflict it silently uninstalls the app already there -- which could be a Device Owner.
        Here the push is checked with ``stat`` and a conflict is reported, never "fixed".
        """
        remote = f"/data/local/tmp/kitstation-{sha256[:16]}.apk"
        size = Path(apk_path).stat().st_size

        def call() -> None:
            sync = self.device.sync
            sync.push(apk_path, remote, mode=0o644)
            pushed = sync.stat(remote).size
            if pushed != size:
                raise TransientError(
                    Text(
                        "The agent APK reached the device incomplete ({got} of {size} bytes)",
                        "エージェント APK が端末に完全に転送されませんでした（{size} バイト中 {got} バイト）",
                    ).format(got=pushed, size=size),
                    code="apk_push_incomplete",
                )
            try:
                self.device.install_remote(remote, clean=True, flags=["-r", "-t"])
            except AdbInstallError as exc:
                if "Failure" not in str(exc) and not self._online():
                    # No answer from pm: the connection dropped mid-install (cable, reboot).
                    raise DeviceGone() from exc
                with contextlib.suppress(AdbError, OSError, EOFError):
                    self.device.shell(["rm", "-f", remote])  # do not leave the APK in /data/local/tmp
                raise install_failure(str(exc), getattr(exc, "reason", "")) from exc

        adb_errors(call, self.serial)


_INSTALL_FAILURES: dict[str, tuple[str, Text]] = {
    "INSTALL_PARSE_FAILED_NOT_APK": (
        "apk_unreadable",
        Text(
            "The agent file is not an Android package (APK): check the blueprint's agent file or URL.",
            "エージェントのファイルが Android パッケージ（APK）ではありません。ブループリントのファイルまたは URL を確認してください。",
        ),
    ),
    "INSTALL_PARSE_FAILED_NO_CERTIFICATES": (
        "apk_unsigned",
        Text(
            "The agent APK is not signed: Android refuses it. Get a signed build from the MDM vendor.",
            "エージェント APK が署名されていないため Android が拒否しました。MDM ベンダーから署名済みの APK を入手してください。",
        ),
    ),
    "INSTALL_FAILED_UPDATE_INCOMPATIBLE": (
        "apk_signature_conflict",
        Text(
            "Another build of the agent, signed differently, is installed: uninstall it or factory-reset the device.",
            "署名の異なるエージェントがインストール済みです。アンインストールするか端末を初期化してください。",
        ),
    ),
    "INSTALL_FAILED_INSUFFICIENT_STORAGE": (
        "apk_no_storage",
        Text(
            "Not enough storage on the device to install the agent.",
            "エージェントをインストールする空き容量が端末にありません。",
        ),
    ),
    "INSTALL_FAILED_OLDER_SDK": (
        "apk_older_sdk",
        Text(
            "The agent needs a newer Android version than this device has.",
            "エージェントはこの端末より新しい Android を必要とします。",
        ),
    ),
}


def install_failure(output: str, reason: str) -> PermanentError:
    code, text = _INSTALL_FAILURES.get(
        reason,
        (
            "apk_install_failed",
            Text("Installing the agent failed: {r}", "エージェントのインストールに失敗しました: {r}"),
        ),
    )
    m = re.search(r"Failure \[([^\]]*)\]", output)
    return PermanentError(text.format(r=m.group(1) if m else (reason or output.strip()[:200])), code=code)

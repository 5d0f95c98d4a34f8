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

from kitstation.android.adbconn import ClosingAdbDevice
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


def parse_accounts(dumpsys_account: str) -> list[tuple[str, str]]:
    """(name, type) of every account in ``dumpsys account`` (``Account {name=..., type=...}``)."""
    return [(m.group(1), m.group(2)) for m in re.finditer(r"Account \{name=([^,}]*), type=([^}]*)\}", dumpsys_account)]


def parse_users(pm_list_users: str) -> list[tuple[int, str]]:
    """(id, name) of every user in ``pm list users`` (``UserInfo{0:Owner:c13} running``)."""
    return [(int(m.group(1)), m.group(2)) for m in re.finditer(r"UserInfo\{(\d+):([^:}]*)", pm_list_users)]


# The account types a Galaxy carries, by the name the technician sees in Settings.
ACCOUNT_NAMES = {
    "com.google": "Google",
    "com.osp.app.signin": "Samsung account",
    "com.google.work": "Google (work)",
}


def _account_list(accounts: Sequence[tuple[str, str]]) -> str:
    return ", ".join(f"{ACCOUNT_NAMES.get(t, t)} {n}".strip() for n, t in accounts) or "?"


# Android's own words (DevicePolicyManagerService), quoted in the station's messages.
AOSP_ACCOUNTS = "Not allowed to set the device owner because there are already some accounts on the device"
AOSP_USERS = "Not allowed to set the device owner because there are already several users on the device"
AOSP_OWNER = "Trying to set the device owner, but device owner is already set."


def owner_refusal(
    kind: str,
    *,
    component: str,
    owner: str = "",
    accounts: Sequence[tuple[str, str]] = (),
    users: Sequence[tuple[int, str]] = (),
    agent: str = "none",
) -> PermanentError:
    """Why this phone cannot take a Device Owner now, and what the technician can really do about it.

    Over adb, AOSP allows ``dpm set-device-owner`` on a phone that finished setup when it has no
    account and no second user (``checkDeviceOwnerProvisioningPreConditionLocked``): removing them
    is enough, no reset needed. ``agent``: what became of the agent -- ``none`` (nothing was
    installed), ``removed`` (installed in this run, uninstalled again), ``kept`` (it was there before
    the run), ``unknown`` (installed before an interruption, not known whose), ``left`` (installed in
    this run, removing it failed).
    """
    tail = {
        "none": Text("Nothing was installed.", "何もインストールしていません。"),
        "removed": Text("The agent was removed again.", "エージェントは削除しました。"),
        "kept": Text(
            "The agent was on the phone before this run and stays installed.",
            "エージェントはこの実行の前から端末にあり、そのまま残ります。",
        ),
        "unknown": Text(
            "The agent may have been installed by this run: remove it in Settings > Apps if it was not there before.",
            "エージェントはこの実行でインストールされた可能性があります: 以前から無かった場合は 設定 > アプリ で削除してください。",
        ),
        "left": Text(
            "The agent installed in this run could not be removed: uninstall it in Settings > Apps.",
            "この実行でインストールしたエージェントを削除できませんでした: 設定 > アプリ でアンインストールしてください。",
        ),
    }[agent]
    if kind == "accounts":
        count = len(accounts) or 1
        text = Text(
            "Device Owner is not possible yet: the phone has {n} {accounts} ({list}). Android refuses while any account"
            ' is on it ("{aosp}"). Remove every account in Settings > Accounts and backup > Manage accounts (the Google'
            " and the Samsung account), then redo the phone. {tail}",
            "まだデバイスオーナーにできません: 端末に {n} 件のアカウント（{list}）があります。アカウントが 1 つでもあると"
            "Android は拒否します（「{aosp}」）。設定 > アカウントとバックアップ > アカウント管理 ですべてのアカウント"
            "（Google と Samsung アカウント）を削除してから、やり直してください。{tail_ja}",
        ).format(
            n=count,
            accounts="account" if count == 1 else "accounts",
            list=_account_list(accounts),
            aosp=AOSP_ACCOUNTS,
            tail=tail.en,
            tail_ja=tail.ja,
        )
        return PermanentError(text, code="dpm_accounts", detail={"accounts": [t for _, t in accounts]})
    if kind == "users":
        names = ", ".join(f"{uid} {name}".strip() for uid, name in users) or "?"
        text = Text(
            "Device Owner is not possible yet: the phone has more than one user ({list}). Android refuses then"
            ' ("{aosp}"); Secure Folder and a work profile count as users. Remove them (Settings > Accounts and backup'
            " > Users; Settings > Security and privacy > Secure Folder > Uninstall), then redo the phone. {tail}",
            "まだデバイスオーナーにできません: 端末に複数のユーザー（{list}）があります。この場合 Android は拒否します"
            "（「{aosp}」）。セキュアフォルダと仕事用プロファイルもユーザーです。削除してから（設定 > アカウントとバックアップ >"
            " ユーザー、設定 > セキュリティとプライバシー > セキュアフォルダ > アンインストール）、やり直してください。{tail_ja}",
        ).format(list=names, aosp=AOSP_USERS, tail=tail.en, tail_ja=tail.ja)
        return PermanentError(text, code="dpm_users", detail={"users": [uid for uid, _ in users]})
    if kind == "owner":
        text = Text(
            "Another app is already Device Owner ({owner}); Android allows one (\"{aosp}\"). Have its MDM release the"
            " phone (retire it in that console), or reset it (Settings > General management > Reset > Factory data"
            " reset) and set it up again, then redo it. {tail}",
            "別のアプリがすでにデバイスオーナーです（{owner}）。Android では 1 つだけです（「{aosp}」）。その MDM で端末を"
            "解除する（コンソールでリタイア）か、端末をリセット（設定 > 一般管理 > リセット > 工場出荷状態に初期化）して"
            "再設定してから、やり直してください。{tail_ja}",
        ).format(owner=owner or "?", aosp=AOSP_OWNER, tail=tail.en, tail_ja=tail.ja)
        return PermanentError(text, code="dpm_owner_set", detail={"owner": owner})
    if kind == "no_receiver":
        text = Text(
            "Device Owner refused: {component} is not a device-admin receiver of the installed agent."
            " Check admin_receiver in the blueprint against the agent APK. {tail}",
            "デバイスオーナーの設定が拒否されました: {component} はインストールされたエージェントのデバイス管理レシーバーでは"
            "ありません。ブループリントの admin_receiver とエージェント APK を確認してください。{tail_ja}",
        ).format(component=component, tail=tail.en, tail_ja=tail.ja)
        return PermanentError(text, code="dpm_no_receiver")
    raise ValueError(f"unknown refusal kind {kind!r}")


_DPM_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"already some accounts|accounts on the device", re.I), "accounts"),
    (re.compile(r"several users|multiple users|more than one user", re.I), "users"),
    (re.compile(r"device owner is already set|owner \(.*\) is already set|already has a device owner", re.I), "owner"),
    (re.compile(r"Unknown admin|not a valid admin|no such receiver|Invalid component", re.I), "no_receiver"),
)


def dpm_refusal(output: str, component: str, owner: str = "", *, agent: str = "none") -> PermanentError:
    """The bilingual, actionable error for a ``dpm set-device-owner`` refusal (Android's output)."""
    for pattern, kind in _DPM_PATTERNS:
        if pattern.search(output):
            return owner_refusal(kind, component=component, owner=owner, agent=agent)
    tail = output.strip().splitlines()[:2]
    detail = " ".join(tail)[:300]
    return PermanentError(
        Text(
            "Device Owner refused: {d}",
            "デバイスオーナーの設定が拒否されました: {d}",
        ).format(d=detail),
        code="dpm_refused",
    )


@dataclass(frozen=True, slots=True)
class OwnerPreconditions:
    """What decides whether ``dpm set-device-owner`` will be allowed (read before installing anything)."""

    owners: list[str]
    setup_complete: bool
    users: list[tuple[int, str]]
    accounts: list[tuple[str, str]]

    def refusal(self) -> str | None:
        """The refusal AOSP's adb branch would give, in its order; None when it would be allowed."""
        if self.owners:
            return "owner"
        if self.setup_complete:
            if len(self.users) > 1:
                return "users"
            if self.accounts:
                return "accounts"
        return None


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
        # adbutils' own AdbDevice leaves the connection open when the server refuses it (adbconn.py).
        self.device = ClosingAdbDevice(client, serial=serial)

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
        # getDeviceIdForPhone(slot): transaction 2 on Android 5.0, 3 on 5.1-10 (4 from Android 11).
        for_phone = "2" if sdk <= 21 else "3"
        found: list[str] = []
        for cmd in (
            ["service", "call", "iphonesubinfo", for_phone, "i32", "0", "s16", "com.android.shell"],
            ["service", "call", "iphonesubinfo", for_phone, "i32", "1", "s16", "com.android.shell"],
            ["service", "call", "iphonesubinfo", "1", "s16", "com.android.shell"],  # getDeviceId
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
        # Android 11 and older have no list-owners (dpm answers "unknown command" on stderr):
        # the policy service's dump names the owner.
        return parse_dumpsys_owner(self.shell(["dumpsys", "device_policy"]).out)

    def owner_preconditions(self) -> OwnerPreconditions:
        """Owners, setup state, users and accounts: what AOSP's Device Owner check looks at."""
        setup = self.shell(["settings", "get", "secure", "user_setup_complete"]).out.strip()
        return OwnerPreconditions(
            owners=self.device_owners(),
            setup_complete=setup != "0",  # "null" on a build without the key: treat as finished
            users=parse_users(self.shell(["pm", "list", "users"]).out),
            accounts=parse_accounts(self.shell(["dumpsys", "account"]).out),
        )

    def uninstall(self, package: str) -> bool:
        r = self.shell(["pm", "uninstall", package])
        return "Success" in r.out

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
            # Opened here, not by adbutils: given a path, its push opens the file before it asks for
            # the sync transport and leaves it open when that fails (adbutils/sync.py:114-126, 2.12.0).
            with open(apk_path, "rb") as apk:
                sync.push(apk, remote, mode=0o644)
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
        "apk_signature_invalid",
        Text(
            "Android could not verify the agent APK's signature ({r}): the file is damaged or was altered after"
            " signing. Get the vendor's original build.",
            "Android がエージェント APK の署名を検証できませんでした（{r}）: ファイルが破損しているか署名後に改変されています。"
            "ベンダーのオリジナルのビルドを入手してください。",
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


# INSTALL_PARSE_FAILED_NO_CERTIFICATES covers three different problems; Android's text tells them apart.
_NO_CERTIFICATES: tuple[tuple[re.Pattern[str], str, Text], ...] = (
    (
        re.compile(r"No signature found in package of version 2 or newer"),
        "apk_v1_only",
        Text(
            "Android refused the agent APK: it is signed with the old v1 (JAR) scheme only, which Android 11 and later"
            " refuse for apps that target API 30 or newer. Get a build signed with APK Signature Scheme v2 or v3.",
            "Android がエージェント APK を拒否しました: 旧方式 v1（JAR）署名のみで、Android 11 以降は API 30 以上を"
            "ターゲットにするアプリでこれを受け付けません。APK 署名スキーム v2 または v3 で署名されたビルドを入手してください。",
        ),
    ),
    (
        re.compile(r"Attempt to get length of null array|no certificates|not signed", re.I),
        "apk_unsigned",
        Text(
            "The agent APK is not signed at all: Android refuses it. Get a signed build from the MDM vendor.",
            "エージェント APK に署名がないため Android が拒否しました。MDM ベンダーから署名済みの APK を入手してください。",
        ),
    ),
)


def install_failure(output: str, reason: str) -> PermanentError:
    if reason == "INSTALL_PARSE_FAILED_NO_CERTIFICATES" or "INSTALL_PARSE_FAILED_NO_CERTIFICATES" in output:
        for pattern, code, text in _NO_CERTIFICATES:
            if pattern.search(output):
                return PermanentError(text, code=code)
    code, text = _INSTALL_FAILURES.get(
        reason,
        (
            "apk_install_failed",
            Text("Installing the agent failed: {r}", "エージェントのインストールに失敗しました: {r}"),
        ),
    )
    m = re.search(r"Failure \[([^\]]*)\]", output)
    return PermanentError(text.format(r=m.group(1) if m else (reason or output.strip()[:200])), code=code)

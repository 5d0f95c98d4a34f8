"""The one catalogue of Setup Assistant panes a cloud configuration can skip (``SkipSetup``), iOS/iPadOS.

The catalogue is the project's own statement of Apple's skip keys, transcribed from Apple's
device-management schema (``skipkeys.yaml``; never read at run time): each key with the iOS version
that introduced it and, where Apple marks it deprecated, the version from which the pane no longer
exists, and a bilingual label. Keys Apple defines only for macOS or tvOS are left out: a device is
sent only keys its iOS version knows, so Setup Assistant never receives a key it cannot interpret.

It lives in the blueprints layer because three layers use it: blueprint validation (a typo in
``skip_setup``), the iOS adapter (which keys a device's iOS knows) and the wizard (the pane list).
"""

from __future__ import annotations

from dataclasses import dataclass

from kitstation.i18n import Text


def parse_version(value: str) -> tuple[int, ...]:
    """``"17.1.2"`` -> ``(17, 1, 2)``; non-numeric parts (beta suffixes) are ignored."""
    parts: list[int] = []
    for piece in value.split("."):
        digits = "".join(ch for ch in piece if ch.isdigit())
        if not digits:
            break
        parts.append(int(digits))
    return tuple(parts) or (0,)


@dataclass(frozen=True, slots=True)
class SkipKey:
    """One skip key: Apple's key, the pane's label, and the iOS versions whose Setup Assistant has it."""

    key: str
    label: Text
    introduced: str = "7.0"
    # The first iOS version where Apple says the pane is gone (deprecated); None while current.
    removed: str | None = None

    def valid_for(self, ios_version: str | None) -> bool:
        """True when a device running ``ios_version`` knows this key (unknown version: current keys)."""
        if ios_version is None:
            return self.removed is None
        v = parse_version(ios_version)
        if v < parse_version(self.introduced):
            return False
        return self.removed is None or v < parse_version(self.removed)


def _k(key: str, en: str, ja: str, introduced: str = "7.0", removed: str | None = None) -> SkipKey:
    return SkipKey(key, Text(en, ja), introduced, removed)


# Keys Apple lists without an iOS version are as old as SkipSetup itself (iOS 7). Apple defines no
# skip key for the Language and Region panes: the blueprint's ``language``/``region`` go into the
# cloud configuration instead (see kitstation/ios/cloudconfig.py).
CATALOGUE: tuple[SkipKey, ...] = (
    _k("Location", "Location Services", "位置情報サービス"),
    _k("Restore", "Restore / set up (apps & data)", "Appとデータ（復元）"),
    _k("Android", "Move from Android", "Androidから移行", "9.0"),
    _k("AppleID", "Apple Account / iCloud", "Apple Account（Apple ID）"),
    _k("TOS", "Terms and Conditions", "利用規約"),
    _k("Siri", "Siri", "Siri"),
    _k("Diagnostics", "Diagnostics (App Analytics)", "解析（診断情報の送信）"),
    _k("Passcode", "Passcode", "パスコード"),
    _k("Biometric", "Touch ID / Face ID", "Touch ID / Face ID", "8.1"),
    _k("Payment", "Apple Pay", "Apple Pay", "8.1"),
    _k("Zoom", "Display Zoom", "画面表示の拡大", "8.3", "17.0"),
    _k("DisplayTone", "True Tone display", "True Toneディスプレイ", "9.3.2", "15.0"),
    _k("HomeButtonSensitivity", "Home button", "ホームボタン", "10.0", "15.0"),
    _k(
        "MessagingActivationUsingPhoneNumber",
        "iMessage activation by phone number",
        "電話番号によるiMessageアクティベーション",
        "10.0",
    ),
    _k("OnBoarding", "On-boarding information", "オンボーディング情報", "11.0", "14.0"),
    _k("WatchMigration", "Apple Watch migration", "Apple Watchの移行", "11.0"),
    _k("Privacy", "Data & Privacy", "データとプライバシー", "11.3"),
    _k("ScreenTime", "Screen Time", "スクリーンタイム", "12.0"),
    _k("SIMSetup", "Cellular (SIM) setup", "モバイル通信（SIM）の設定", "12.0"),
    _k("SoftwareUpdate", "Software Update", "ソフトウェア・アップデート", "12.0"),
    _k("iMessageAndFaceTime", "iMessage and FaceTime", "iMessageとFaceTime", "12.0"),
    _k("DeviceToDeviceMigration", "Transfer from iPhone (device to device)", "iPhoneから転送", "12.4"),
    _k("Appearance", "Appearance (light/dark)", "外観モード", "13.0"),
    _k("Keyboard", "Keyboard", "キーボード", "13.0"),
    _k("SpokenLanguage", "Dictation language", "音声入力の言語", "13.0"),
    _k("Welcome", "Get Started", "ようこそ（はじめに）", "13.0"),
    _k("RestoreCompleted", "Restore completed", "復元の完了", "14.0"),
    _k("UpdateCompleted", "Software update completed", "アップデートの完了", "14.0"),
    _k("AppStore", "App Store", "App Store", "14.3"),
    _k("Safety", "Safety", "安全性", "16.0"),
    _k("TermsOfAddress", "Terms of address", "呼びかけ方", "16.0"),
    _k("ActionButton", "Action button", "アクションボタン", "17.0"),
    _k("EnableLockdownMode", "Lockdown Mode", "ロックダウンモード", "17.1"),
    _k("CameraButton", "Camera Control", "カメラコントロール", "18.0"),
    _k("Intelligence", "Apple Intelligence", "Apple Intelligence", "18.0"),
)

BY_KEY: dict[str, SkipKey] = {k.key: k for k in CATALOGUE}
NAMES: frozenset[str] = frozenset(BY_KEY)


def unknown_keys(keys: list[str]) -> list[str]:
    """Keys that are not iOS skip keys (a typo in a blueprint)."""
    return [k for k in keys if k not in BY_KEY]


def keys_for(requested: list[str] | str, ios_version: str | None) -> list[str]:
    """The keys to send a device on ``ios_version``: ``"all"`` or the requested list, filtered.

    Keys the device's iOS does not know (too new, or gone) are dropped; unknown keys too.
    """
    wanted = [k.key for k in CATALOGUE] if requested == "all" else list(requested)
    return [k for k in wanted if k in BY_KEY and BY_KEY[k].valid_for(ios_version)]

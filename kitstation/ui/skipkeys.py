"""Setup Assistant panes for the wizard: the iOS developer's catalogue, or a built-in fallback.

``kitstation.ios.skipkeys`` (the iOS adapter's catalogue) is the source of truth; until it is
importable the wizard uses the list below (Apple's SkipKeys as Configurator shows them) so the
page is never empty.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Pane:
    key: str
    en: str
    ja: str
    ios: str  # first iOS version with this pane ("" when always there)


_FALLBACK: tuple[Pane, ...] = (
    Pane("Language", "Language", "言語", ""),
    Pane("Region", "Region", "地域", ""),
    Pane("Location", "Location Services", "位置情報サービス", ""),
    Pane("Restore", "Apps & Data (Restore)", "Appとデータ（復元）", ""),
    Pane("MoveFromAndroid", "Move from Android", "Androidから移行", "9.0"),
    Pane("AppleID", "Apple ID", "Apple ID", ""),
    Pane("TOS", "Terms and Conditions", "利用規約", ""),
    Pane("Zoom", "Display Zoom", "拡大表示", "8.0"),
    Pane("Siri", "Siri", "Siri", ""),
    Pane("Diagnostics", "Diagnostics (App Analytics)", "診断（App 解析）", ""),
    Pane("Passcode", "Passcode", "パスコード", ""),
    Pane("Biometric", "Touch ID / Face ID", "Touch ID / Face ID", "8.1"),
    Pane("Payment", "Apple Pay", "Apple Pay", "8.1"),
    Pane("ScreenTime", "Screen Time", "スクリーンタイム", "12.0"),
    Pane("SoftwareUpdate", "Software Update", "ソフトウェア・アップデート", "12.0"),
    Pane("iCloudDiagnostics", "iCloud Analytics", "iCloud 解析", "10.0"),
    Pane("iCloudStorage", "iCloud Storage", "iCloud ストレージ", "10.3"),
    Pane("DisplayTone", "True Tone Display", "True Tone ディスプレイ", "9.3"),
    Pane("HomeButtonSensitivity", "Home Button", "ホームボタン", "10.0"),
    Pane("ScreenSaver", "Screen Saver", "スクリーンセーバー", ""),
    Pane("Appearance", "Appearance (Dark Mode)", "外観モード", "13.0"),
    Pane("Privacy", "Data & Privacy", "データとプライバシー", "11.3"),
    Pane("WatchMigration", "Watch Migration", "Apple Watch の移行", "11.0"),
    Pane("Keyboard", "Keyboard", "キーボード", "8.0"),
    Pane("SIMSetup", "Cellular Setup", "モバイル通信の設定", "12.0"),
    Pane("Welcome", "Get Started", "ようこそ", "13.0"),
    Pane("DeviceToDeviceMigration", "Transfer Your Data (Quick Start)", "データ転送（クイックスタート）", "13.0"),
    Pane("RestoreCompleted", "Restore Completed", "復元完了", "14.0"),
    Pane("UpdateCompleted", "Software Update Completed", "アップデート完了", "14.0"),
    Pane("Safety", "Safety", "安全", "16.0"),
    Pane("ActionButton", "Action Button", "アクションボタン", "17.0"),
    Pane("TermsOfAddress", "Terms of Address", "呼びかけの設定", "17.0"),
    Pane("EnableLockdownMode", "Lockdown Mode", "ロックダウンモード", "17.1"),
    Pane("Intelligence", "Apple Intelligence", "Apple Intelligence", "18.0"),
    Pane("CameraControl", "Camera Control", "カメラコントロール", "18.0"),
)


def panes() -> list[Pane]:
    """The catalogue, preferring the iOS adapter's own when it exists."""
    try:
        mod = importlib.import_module("kitstation.ios.skipkeys")
    except ImportError:
        return list(_FALLBACK)
    source = getattr(mod, "SKIP_KEYS", None) or getattr(mod, "CATALOGUE", None) or getattr(mod, "SKIPKEYS", None)
    if not source:
        return list(_FALLBACK)
    out: list[Pane] = []
    items = source.values() if isinstance(source, dict) else source
    for item in items:
        key = getattr(item, "key", None)
        if not key:
            continue
        label = getattr(item, "label", None)
        en = getattr(item, "en", None) or getattr(label, "en", None) or key
        ja = getattr(item, "ja", None) or getattr(label, "ja", None) or en
        ios = getattr(item, "introduced", None) or getattr(item, "ios", None) or getattr(item, "min_ios", None) or getattr(item, "since", None) or ""
        out.append(Pane(str(key), str(en), str(ja), str(ios)))
    return out or list(_FALLBACK)

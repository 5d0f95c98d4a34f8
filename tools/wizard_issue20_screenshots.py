"""Screenshots of the wizard's apps, Galaxy settings and names pages (ja and en) for docs/screenshots.

Run under a virtual X server (fonts-noto-cjk installed, so Japanese renders without tofu)::

    xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python tools/wizard_issue20_screenshots.py

No bench is started: the wizard alone, filled with files made in a temporary folder (an .ipa, a
base and a split APK, a CSV of asset tags) and read by the pages as a technician's choice would be.
Only the PNG files land in docs/screenshots (``wizard-ios-apps-*``, ``wizard-galaxy-settings-*``,
``wizard-galaxy-apps-*``, ``wizard-names-*``).
"""

from __future__ import annotations

import os
import plistlib
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots"


def _files(tmp: Path) -> dict[str, Path]:
    from kitstation.simulator.android.apk import build_apk

    ipa = tmp / "AcmeScanner.ipa"
    with zipfile.ZipFile(ipa, "w") as zf:
        info = {"CFBundleIdentifier": "jp.co.acme.scanner", "CFBundleShortVersionString": "3.2.0"}
        zf.writestr("Payload/AcmeScanner.app/Info.plist", plistlib.dumps(info, fmt=plistlib.FMT_BINARY))
    base, split = tmp / "acme-scanner.apk", tmp / "acme-scanner-split_config.arm64_v8a.apk"
    base.write_bytes(build_apk("jp.co.acme.scanner", None, version_code=320))
    split.write_bytes(build_apk("jp.co.acme.scanner", None, version_code=320, label="split"))
    csv = tmp / "assets.csv"
    csv.write_text("serial,asset_tag,dept\nR58N12ABCDE,T-0412,sales\nR58N12ABCDF,T-0413,sales\n"
                   "R58N12ABCDG,T-0414,support\n", encoding="utf-8")
    return {"ipa": ipa, "base": base, "split": split, "csv": csv}


def main(lang: str) -> None:
    from kitstation.ui.qt import QApplication
    from kitstation.ui.translations import Translations
    from kitstation.ui.wizard import P_ANDROID_APPS, P_GALAXY, P_IOS_APPS, P_NAMES, PrepareWizard

    app = QApplication.instance() or QApplication(sys.argv)
    translations = Translations(app)  # type: ignore[arg-type]
    translations.switch(lang)
    files = _files(Path(tempfile.mkdtemp(prefix="kitstation-shots-")))

    def wait(signal: object) -> None:
        """Until ``signal`` fires (the page read its file on a worker); a minute at most."""
        fired: list[bool] = []
        signal.connect(lambda *_: fired.append(True))  # type: ignore[attr-defined]
        deadline = time.monotonic() + 60
        while not fired and time.monotonic() < deadline:
            app.processEvents()
            time.sleep(0.02)
        if not fired:
            raise SystemExit("a chosen file was not read within a minute")

    def paint() -> None:
        end = time.monotonic() + 0.3
        while time.monotonic() < end:
            app.processEvents()
            time.sleep(0.02)

    wiz = PrepareWizard()
    wiz.resize(900, 680)
    wiz.show()
    page = wiz.ios_apps_page
    page.add_files([str(files["ipa"])])
    wait(page.read_done)
    page.remove.setText("com.example.legacyapp")
    page.battery.enabled.setChecked(True)
    page.battery.percent.setValue(50)
    g = wiz.galaxy_page
    g.wifi.setChecked(True)
    g.ssid.setText("kitting-bench")
    g.initializePage()
    g.time_zone.setCurrentText("Asia/Tokyo")
    g.timeout.setCurrentIndex(g.timeout.findData(600))
    g.stay_awake.setCurrentIndex(g.stay_awake.findData(True))
    g.battery.enabled.setChecked(True)
    a = wiz.android_apps_page
    a.add_files([str(files["base"]), str(files["split"])])
    wait(a.read_done)
    a.grant.setText("android.permission.CAMERA, android.permission.ACCESS_FINE_LOCATION")
    a.grant.textEdited.emit(a.grant.text())
    a.remove.setText("com.samsung.android.game.gamehome")
    n = wiz.names_page
    n.pattern.setText("ACME-{n:03}-{asset_tag}")
    n.csv.setText(str(files["csv"]))
    n.import_csv(str(files["csv"]))
    wait(n.csv_read)
    for pid, name in ((P_IOS_APPS, "ios-apps"), (P_GALAXY, "galaxy-settings"), (P_ANDROID_APPS, "galaxy-apps"),
                      (P_NAMES, "names")):
        # Shown as the page it is (no walk through the earlier pages: nothing of theirs is pictured).
        wiz.setStartId(pid)
        wiz.restart()
        paint()
        wiz.grab().save(str(OUT / f"wizard-{name}-{lang}.png"))
        print(OUT / f"wizard-{name}-{lang}.png")
    wiz.close()
    translations.clear()


if __name__ == "__main__":
    for name in ("KITSTATION_DATA_DIR", "KITSTATION_CONFIG_DIR", "KITSTATION_LOG_DIR"):
        os.environ[name] = tempfile.mkdtemp(prefix=f"kitstation-{name.lower()}-")
    for language in sys.argv[1:] or ["ja", "en"]:
        main(language)

"""A saved blueprint back into answers (the library's "Edit" reopens the wizard), and "Duplicate"."""

from __future__ import annotations

from pathlib import Path

from kitstation.blueprints.android import AndroidOptions
from kitstation.blueprints.loader import dumps_blueprint
from kitstation.blueprints.model import Blueprint
from kitstation.blueprints.wizard.answers import (
    AndroidAnswers,
    Battery,
    GalaxySetupAnswers,
    IOSAnswers,
    WizardAnswers,
)
from kitstation.blueprints.wizard.apps import AndroidAppFiles, AndroidAppsAnswers, IOSAppFile, IOSAppsAnswers
from kitstation.blueprints.wizard.naming import NamingAnswers
from kitstation.files import write_atomic


def answers_from(bp: Blueprint) -> WizardAnswers:
    """The answers that would make ``bp`` (files it names are read: anchors as PEM text)."""
    a = WizardAnswers(name=bp.name, customer=bp.customer.name, order_ref=bp.customer.order_ref)
    if bp.ios is not None:
        i = bp.ios
        ios = IOSAnswers(
            method=i.method,
            erase=i.erase,
            add_to_dep=i.add_to_dep,
            activate_and_complete_enrollment=i.activate_and_complete_enrollment,
            supervise=i.supervise,
            allow_pairing=i.allow_pairing,
            shared_ipad=i.shared_ipad,
            enrollment_profile=str(bp.resolve(i.enrollment_profile)) if i.enrollment_profile else "",
        )
        if i.mdm_server is not None:
            ios.server_name, ios.server_url = i.mdm_server.name, i.mdm_server.url
            ios.anchors = [bp.resolve(n).read_text(encoding="ascii") for n in i.mdm_server.anchor_certificates]
        if i.organization is not None:
            ios.organization = {k: v for k, v in i.organization.model_dump().items() if isinstance(v, str) and v}
        if i.supervision_identity is not None:
            sid = i.supervision_identity
            ios.identity_name = sid.name or ""
            ios.identity_file = str(bp.resolve(sid.file)) if sid.file else ""
            ios.passphrase_secret = sid.passphrase_secret or ""
        ios.skipped = [] if i.skip_setup == "all" else list(i.skip_setup)
        ios.all_panes = -1 if i.skip_setup == "all" else 0  # -1: every pane the wizard offers
        if i.wifi is not None:
            ios.wifi = i.wifi.model_dump(exclude={"proxy"}, exclude_none=True)
        elif i.wifi_profile:
            ios.wifi_profile = str(bp.resolve(i.wifi_profile))
        if i.apps is not None:
            ios.apps = IOSAppsAnswers(
                install=[IOSAppFile(str(bp.resolve(x.file)) if x.file else x.url, x.bundle_id, x.version, x.sha256)
                         for x in i.apps.install],
                remove=list(i.apps.remove),
            )
        ios.battery = Battery(i.min_battery_percent, i.battery_wait_minutes)
        a.ios = ios
    if bp.android is not None:
        an = bp.android
        ag = an.agent
        a.android = AndroidAnswers(
            method=an.method,
            package=ag.package if ag else "",
            admin_receiver=ag.admin_receiver if ag else "",
            apk_url=(ag.url if ag and ag.url else an.kme.agent_apk_url if an.kme else ""),
            apk_file=str(bp.resolve(ag.file)) if ag and ag.file else "",
            sha256=ag.sha256 if ag else "",
            kme_profile_name=an.kme.profile_name if an.kme else "",
            kme_company_name=an.kme.company_name if an.kme else "",
            kme_custom_json=an.kme.custom_json if an.kme else "",
            setup=_setup(an),
            battery=Battery(an.min_battery_percent, an.battery_wait_minutes),
        )
        if an.apps is not None:
            a.android.apps = AndroidAppsAnswers(
                install=[AndroidAppFiles(app.package, app.version_code,
                                         [(str(bp.resolve(f.file)) if f.file else f.url, f.sha256) for f in app.apks],
                                         list(app.grant)) for app in an.apps.install],
                remove=list(an.apps.remove),
            )
    if bp.naming is not None:
        nm = bp.naming
        a.naming = NamingAnswers(nm.pattern, nm.start, str(bp.resolve(nm.csv)) if nm.csv else "", nm.csv_key)
    return a


def _setup(an: AndroidOptions) -> GalaxySetupAnswers:
    s = an.setup
    if s is None:
        return GalaxySetupAnswers()
    w = s.wifi
    return GalaxySetupAnswers(
        ssid=w.ssid if w else "",
        security=w.security if w else "wpa2",
        password_secret=(w.password_secret or "") if w else "",
        time_zone=s.time_zone,
        screen_timeout_seconds=s.screen_off_timeout_seconds,
        stay_awake=s.stay_awake_while_charging,
    )


def duplicate(source: Path, target: Path | None = None) -> Path:
    """A copy of a blueprint file next to it, named "<name> (copy)" (anchors are shared: same folder)."""
    from kitstation.blueprints.loader import load_blueprint

    bp = load_blueprint(source, check_files=False)
    bp.name = f"{bp.name} (copy)"[:200]
    if target is None:
        n = 1
        target = source.with_name(f"{source.stem}-copy.toml")
        while target.exists():
            n += 1
            target = source.with_name(f"{source.stem}-copy{n}.toml")
    write_atomic(target, dumps_blueprint(bp))
    return target


__all__ = ["answers_from", "duplicate"]

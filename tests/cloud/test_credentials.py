"""Per-customer credentials: imported once, owner-only, never shown; preflight catches missing/expired ones."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from kitstation.abm.credentials import AbmCredentialStore, CredentialError
from kitstation.abm.jwt import new_private_key_pem
from kitstation.abm.preflight import preflight as abm_preflight
from kitstation.abm.preflight import preflight_online as abm_preflight_online
from kitstation.blueprints.loader import loads_blueprint
from kitstation.cli.main import main
from kitstation.kme.credentials import KmeCredentialStore
from kitstation.kme.preflight import preflight as kme_preflight
from kitstation.kme.preflight import preflight_online as kme_preflight_online
from kitstation.simulator.cloud import CloudStandIns

ABM_BP = loads_blueprint(
    'name = "a"\n[customer]\nname = "ACME Corporation"\n[ios]\nmethod = "dep"\n[abm]\nmdm_server = "CLOMO MDM"\n'
)
KME_BP = loads_blueprint(
    'name = "k"\n[customer]\nname = "KDDI"\n[android]\nmethod = "kme"\n[android.kme]\nprofile_name = "p"\n[kme]\nprofile = "SMSM Agent"\n'
)


def test_import_writes_an_owner_only_file_in_an_owner_only_folder(tmp_path: Path) -> None:
    pem = new_private_key_pem()
    store = AbmCredentialStore()
    account = store.import_account("ACME Corporation", client_id="BUSINESSAPI.1", key_id="k", private_key_pem=pem)
    path = store.path("ACME Corporation")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert store.load("ACME Corporation").private_key_pem == pem
    assert "private" not in json.dumps(account.public()) and pem.decode() not in repr(account)
    assert not list(path.parent.glob(".*.tmp"))  # written through a temp file, renamed into place


def test_import_refuses_a_key_that_is_not_apples_kind(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "key.pem"
    bad.write_text("-----BEGIN PRIVATE KEY-----\nnope\n-----END PRIVATE KEY-----\n")
    code = main(
        ["abm", "credentials", "import", "--customer", "C", "--client-id", "BUSINESSAPI.1", "--key-id", "k", str(bad)]
    )
    err = capsys.readouterr().err
    assert code == 2 and "The key file is not usable" in err and "Traceback" not in err
    with pytest.raises(CredentialError):
        AbmCredentialStore().load("C")


def test_preflight_names_a_missing_or_expired_credential() -> None:
    (missing,) = abm_preflight(ABM_BP)
    assert (
        missing.code == "abm_no_credentials"
        and "ACME Corporation" in missing.reason.en
        and "ACME Corporation" in missing.reason.ja
    )
    AbmCredentialStore().import_account(
        "ACME Corporation",
        client_id="BUSINESSAPI.1",
        key_id="k",
        private_key_pem=new_private_key_pem(),
        expires="2020-01-01",
    )
    (expired,) = abm_preflight(ABM_BP)
    assert expired.code == "abm_credentials_expired" and "2020-01-01" in expired.reason.en
    (kme_missing,) = kme_preflight(KME_BP)
    assert kme_missing.code == "kme_no_credentials"
    KmeCredentialStore().import_client("KDDI", client_id="c", client_secret="s", expires="2020-01-01")
    (kme_expired,) = kme_preflight(KME_BP)
    assert kme_expired.code == "kme_credentials_expired"


async def test_online_preflight_asks_the_service(cloud: CloudStandIns) -> None:
    d = cloud.demo
    assert d is not None
    AbmCredentialStore().import_account(
        "ACME Corporation", client_id=d.abm_client_id, key_id=d.abm_key_id, private_key_pem=d.abm_private_key_pem
    )
    assert await abm_preflight_online(ABM_BP) == []
    wrong = loads_blueprint(
        'name = "a"\n[customer]\nname = "ACME Corporation"\n[ios]\nmethod = "dep"\n[abm]\nmdm_server = "Nope"\n'
    )
    (problem,) = await abm_preflight_online(wrong)
    assert (
        problem.code == "abm_no_such_server" and problem.field == "abm.mdm_server" and "CLOMO MDM" in problem.reason.en
    )
    KmeCredentialStore().import_client("KDDI", client_id=d.kme_client_id, client_secret="revoked-or-wrong")
    (kme_problem,) = await kme_preflight_online(KME_BP)
    assert kme_problem.code == "kme_credentials_rejected"


def test_abm_and_kme_commands_speak_json(
    cloud: CloudStandIns, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    d = cloud.demo
    assert d is not None
    key = tmp_path / "abm.pem"
    key.write_bytes(d.abm_private_key_pem)
    secret = tmp_path / "kme-secret.txt"
    secret.write_text(d.kme_client_secret + "\n")
    assert (
        main(
            [
                "abm",
                "credentials",
                "import",
                "--customer",
                "ACME",
                "--client-id",
                d.abm_client_id,
                "--key-id",
                d.abm_key_id,
                str(key),
            ]
        )
        == 0
    )
    assert (
        main(["kme", "credentials", "import", "--customer", "KDDI", "--client-id", d.kme_client_id, str(secret)]) == 0
    )
    capsys.readouterr()
    assert main(["abm", "servers", "--customer", "ACME", "--json"]) == 0
    servers = json.loads(capsys.readouterr().out)
    assert {s["name"] for s in servers} == {"CLOMO MDM", "Devices Added by Apple Configurator"}
    serial = next(iter(cloud.abm.devices))
    assert main(["abm", "assign", "--customer", "ACME", "--server", "CLOMO MDM", serial, "--json"]) == 0
    assigned = json.loads(capsys.readouterr().out)
    assert assigned["status"] == "COMPLETED" and assigned["devices"] == [
        {"serial": serial, "assigned_server_id": assigned["server"]["id"], "done": True}
    ]
    assert main(["abm", "status", "--customer", "ACME", serial, "NOTINORG", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows[0]["assigned_server"] == "CLOMO MDM" and rows[1] == {
        "serial": "NOTINORG", "in_organization": False, "status": None, "assigned_server_id": None, "assigned_server": None
    }  # fmt: skip
    assert main(["abm", "status", "--customer", "ACME", "--activity", assigned["activity_id"], "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["sub_status"] == "COMPLETED_WITH_SUCCESS"
    assert main(["abm", "assign", "--customer", "ACME", "--server", "CLOMO MDM", "NOTINORG"]) == 2
    assert "Apple Configurator" in capsys.readouterr().err
    imei = cloud.kme.devices[0]["imei"]
    assert main(["kme", "profiles", "--customer", "KDDI", "--json"]) == 0
    assert [p["name"] for p in json.loads(capsys.readouterr().out)] == ["SMSM Agent"]
    assert main(["kme", "assign", "--customer", "KDDI", "--profile", "SMSM Agent", "--approve", imei, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["valid"] == [imei]
    assert main(["kme", "status", "--customer", "KDDI", imei, "--json"]) == 0
    (row,) = json.loads(capsys.readouterr().out)
    assert row["status"] == "Profile assigned" and row["profile"] == "SMSM Agent"
    assert main(["abm", "credentials", "list", "--json"]) == 0 and main(["kme", "credentials", "list", "--json"]) == 0
    listed = capsys.readouterr().out
    assert d.kme_client_secret not in listed and "PRIVATE KEY" not in listed

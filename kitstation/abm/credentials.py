"""Per-customer Apple Business / Apple School Manager API accounts, imported once, kept owner-only.

One JSON file per customer in ``<data dir>/credentials`` (folder 0700, file 0600, written
atomically). The private key is read from a file or stdin at import -- never from the command
line, where ``ps`` would show it -- and is never printed, logged or put in a report: what the
station shows of an account is :meth:`StoredAbmAccount.public`.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kitstation.abm.client import AbmCredentials
from kitstation.abm.jwt import AssertionError_, load_private_key
from kitstation.i18n import Text
from kitstation.paths import credentials_dir, write_private_atomic

KIND = "abm"


class CredentialError(Exception):
    def __init__(self, reason: Text, code: str) -> None:
        super().__init__(reason.en)
        self.reason = reason
        self.code = code


def customer_slug(customer: str) -> str:
    """A file-name-safe form of a customer's name (the name itself stays in the file)."""
    slug = re.sub(r"[^A-Za-z0-9._-]+", "_", customer.strip()).strip("._")
    if not slug:
        slug = "customer-" + customer.strip().encode("utf-8").hex()[:32]
    return slug[:80]


@dataclass(frozen=True)
class StoredAbmAccount:
    customer: str
    client_id: str
    key_id: str
    private_key_pem: bytes = field(repr=False)
    service: str = "business"
    imported_at: str = ""
    expires: str = ""  # optional date (YYYY-MM-DD) the customer gave for the key's end of use

    @property
    def credentials(self) -> AbmCredentials:
        return AbmCredentials(self.client_id, self.key_id, self.private_key_pem)

    def expired(self, today: dt.date | None = None) -> bool:
        if not self.expires:
            return False
        return dt.date.fromisoformat(self.expires) < (today or dt.date.today())

    def public(self) -> dict[str, Any]:
        """What may be shown: everything but the key."""
        return {
            "customer": self.customer,
            "client_id": self.client_id,
            "key_id": self.key_id,
            "service": self.service,
            "imported_at": self.imported_at,
            "expires": self.expires or None,
        }


class AbmCredentialStore:
    def __init__(self, root: Path | None = None) -> None:
        self._root = root

    @property
    def root(self) -> Path:
        return self._root if self._root is not None else credentials_dir()

    def path(self, customer: str) -> Path:
        return self.root / f"{KIND}-{customer_slug(customer)}.json"

    def import_account(
        self,
        customer: str,
        *,
        client_id: str,
        key_id: str,
        private_key_pem: bytes,
        service: str = "business",
        expires: str = "",
    ) -> StoredAbmAccount:
        """Check and store an API account (replacing the customer's previous one)."""
        if not customer.strip():
            raise CredentialError(
                Text("--customer must not be empty", "--customer を指定してください"), "abm_no_customer"
            )
        if not client_id.strip() or not key_id.strip():
            raise CredentialError(
                Text(
                    "--client-id and --key-id are required (Apple Business shows both)",
                    "--client-id と --key-id が必要です（Apple Business に表示されます）",
                ),
                "abm_missing_ids",
            )
        try:
            load_private_key(private_key_pem)
        except AssertionError_ as exc:
            raise CredentialError(
                Text("The key file is not usable: {e}", "鍵ファイルを使用できません: {e}").format(e=str(exc)),
                "abm_bad_key",
            ) from exc
        if expires:
            try:
                dt.date.fromisoformat(expires)
            except ValueError as exc:
                raise CredentialError(
                    Text("--expires must be a date YYYY-MM-DD", "--expires は YYYY-MM-DD 形式の日付で指定してください"),
                    "abm_bad_expiry",
                ) from exc
        account = StoredAbmAccount(
            customer=customer.strip(),
            client_id=client_id.strip(),
            key_id=key_id.strip(),
            private_key_pem=private_key_pem,
            service=service,
            imported_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            expires=expires,
        )
        data = account.public() | {"kind": KIND, "private_key_pem": private_key_pem.decode("ascii")}
        write_private_atomic(self.path(customer), json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"))
        return account

    def load(self, customer: str) -> StoredAbmAccount:
        path = self.path(customer)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise CredentialError(
                Text(
                    "No Apple Business API account for customer '{c}': import it once with"
                    " `kitstation abm credentials import --customer '{c}' KEYFILE --client-id … --key-id …`",
                    "顧客「{c}」の Apple Business API アカウントがありません: 一度だけ"
                    " `kitstation abm credentials import --customer '{c}' KEYFILE --client-id … --key-id …` でインポートしてください",
                ).format(c=customer),
                "abm_no_credentials",
            ) from exc
        except (OSError, ValueError) as exc:
            raise CredentialError(
                Text(
                    "The stored API account for '{c}' cannot be read; import it again",
                    "「{c}」の保存済み API アカウントを読めません。再度インポートしてください",
                ).format(c=customer),
                "abm_credentials_unreadable",
            ) from exc
        return StoredAbmAccount(
            customer=str(data.get("customer", customer)),
            client_id=str(data.get("client_id", "")),
            key_id=str(data.get("key_id", "")),
            private_key_pem=str(data.get("private_key_pem", "")).encode("ascii"),
            service=str(data.get("service", "business")),
            imported_at=str(data.get("imported_at", "")),
            expires=str(data.get("expires") or ""),
        )

    def list(self) -> list[StoredAbmAccount]:
        out: list[StoredAbmAccount] = []
        if not self.root.is_dir():
            return out
        for p in sorted(self.root.glob(f"{KIND}-*.json")):
            try:
                customer = json.loads(p.read_text(encoding="utf-8")).get("customer", "")
                out.append(self.load(str(customer)))
            except (OSError, ValueError, CredentialError):
                continue
        return out

    def remove(self, customer: str) -> bool:
        try:
            self.path(customer).unlink()
        except FileNotFoundError:
            return False
        return True

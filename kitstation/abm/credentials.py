"""Per-customer Apple Business / Apple School Manager API accounts, imported once, kept owner-only.

The store is :class:`kitstation.cloudapi.credentials.CredentialStore` (folder 0700, file 0600,
written atomically); an account's file holds the client id, key id and the private key. The key
is read from a file or stdin at import and never printed, logged or put in a report: what the
station shows of an account is :meth:`StoredAbmAccount.public`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kitstation.abm.client import AbmCredentials
from kitstation.abm.jwt import AssertionError_, load_private_key
from kitstation.cloudapi.credentials import CredentialError, CredentialStore, StoredCredential, customer_slug, now_iso
from kitstation.i18n import Text

__all__ = ["KIND", "AbmCredentialStore", "CredentialError", "StoredAbmAccount", "customer_slug"]

KIND = "abm"


@dataclass(frozen=True)
class StoredAbmAccount(StoredCredential):
    customer: str
    client_id: str
    key_id: str
    private_key_pem: bytes = field(repr=False)
    service: str = "business"
    imported_at: str = ""
    expires: str = ""

    @property
    def credentials(self) -> AbmCredentials:
        return AbmCredentials(self.client_id, self.key_id, self.private_key_pem)

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


class AbmCredentialStore(CredentialStore[StoredAbmAccount]):
    kind = KIND
    missing = Text(
        "No Apple Business API account for customer '{c}': import it once with"
        " `kitstation abm credentials import --customer '{c}' KEYFILE --client-id … --key-id …`",
        "顧客「{c}」の Apple Business API アカウントがありません: 一度だけ"
        " `kitstation abm credentials import --customer '{c}' KEYFILE --client-id … --key-id …` でインポートしてください",
    )
    unreadable = Text(
        "The stored API account for '{c}' cannot be read; import it again",
        "「{c}」の保存済み API アカウントを読めません。再度インポートしてください",
    )

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
        self.check_common(customer, "")
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
        self.check_common(customer, expires)
        account = StoredAbmAccount(
            customer=customer.strip(),
            client_id=client_id.strip(),
            key_id=key_id.strip(),
            private_key_pem=private_key_pem,
            service=service,
            imported_at=now_iso(),
            expires=expires,
        )
        self.save(customer, account.public(), {"private_key_pem": private_key_pem.decode("ascii")})
        return account

    def from_data(self, customer: str, data: dict[str, Any]) -> StoredAbmAccount:
        return StoredAbmAccount(
            customer=str(data.get("customer", customer)),
            client_id=str(data.get("client_id", "")),
            key_id=str(data.get("key_id", "")),
            private_key_pem=str(data.get("private_key_pem", "")).encode("ascii"),
            service=str(data.get("service", "business")),
            imported_at=str(data.get("imported_at", "")),
            expires=str(data.get("expires") or ""),
        )

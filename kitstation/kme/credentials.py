"""Per-customer Knox API clients (client id + client secret), imported once, kept owner-only.

The store is :class:`kitstation.cloudapi.credentials.CredentialStore` (folder 0700, file 0600,
written atomically). The client secret is read from a file or stdin at import, never from the
command line, and is never printed, logged or put in a report (:meth:`StoredKmeClient.public`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kitstation.cloudapi.credentials import CredentialError, CredentialStore, StoredCredential, customer_slug, now_iso
from kitstation.i18n import Text
from kitstation.kme.client import KmeCredentials

__all__ = ["KIND", "CredentialError", "KmeCredentialStore", "StoredKmeClient", "customer_slug"]

KIND = "kme"


@dataclass(frozen=True)
class StoredKmeClient(StoredCredential):
    customer: str
    client_id: str
    client_secret: str = field(repr=False)
    api_url: str = ""
    imported_at: str = ""
    expires: str = ""  # the client secret's expiry date as the Knox Admin Portal shows it (optional)

    @property
    def credentials(self) -> KmeCredentials:
        return KmeCredentials(self.client_id, self.client_secret)

    def public(self) -> dict[str, Any]:
        return {
            "customer": self.customer,
            "client_id": self.client_id,
            "api_url": self.api_url or None,
            "imported_at": self.imported_at,
            "expires": self.expires or None,
        }


class KmeCredentialStore(CredentialStore[StoredKmeClient]):
    kind = KIND
    missing = Text(
        "No Knox API client for customer '{c}': import it once with"
        " `kitstation kme credentials import --customer '{c}' SECRETFILE --client-id …`",
        "顧客「{c}」の Knox API クライアントがありません: 一度だけ"
        " `kitstation kme credentials import --customer '{c}' SECRETFILE --client-id …` でインポートしてください",
    )
    unreadable = Text(
        "The stored Knox API client for '{c}' cannot be read; import it again",
        "「{c}」の保存済み Knox API クライアントを読めません。再度インポートしてください",
    )

    def import_client(
        self, customer: str, *, client_id: str, client_secret: str, api_url: str = "", expires: str = ""
    ) -> StoredKmeClient:
        self.check_common(customer, "")
        secret = client_secret.strip()
        if not client_id.strip() or not secret:
            raise CredentialError(
                Text(
                    "A client id and a non-empty client secret are required",
                    "クライアント ID と空でないクライアントシークレットが必要です",
                ),
                "kme_missing_ids",
            )
        if api_url and not api_url.startswith("https://"):
            raise CredentialError(
                Text("--api-url must be an https:// URL", "--api-url は https:// の URL で指定してください"),
                "kme_bad_url",
            )
        self.check_common(customer, expires)
        stored = StoredKmeClient(
            customer=customer.strip(),
            client_id=client_id.strip(),
            client_secret=secret,
            api_url=api_url.rstrip("/"),
            imported_at=now_iso(),
            expires=expires,
        )
        self.save(customer, stored.public(), {"client_secret": secret})
        return stored

    def from_data(self, customer: str, data: dict[str, Any]) -> StoredKmeClient:
        return StoredKmeClient(
            customer=str(data.get("customer", customer)),
            client_id=str(data.get("client_id", "")),
            client_secret=str(data.get("client_secret", "")),
            api_url=str(data.get("api_url") or ""),
            imported_at=str(data.get("imported_at", "")),
            expires=str(data.get("expires") or ""),
        )

"""Per-customer Knox API clients (client id + client secret), imported once, kept owner-only.

One JSON file per customer in ``<data dir>/credentials`` (folder 0700, file 0600, written
atomically). The client secret is read from a file or stdin at import, never from the command
line, and is never printed, logged or put in a report (:meth:`StoredKmeClient.public`).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kitstation.i18n import Text
from kitstation.kme.client import KmeCredentials
from kitstation.paths import credentials_dir, write_private_atomic

KIND = "kme"


class CredentialError(Exception):
    def __init__(self, reason: Text, code: str) -> None:
        super().__init__(reason.en)
        self.reason = reason
        self.code = code


def customer_slug(customer: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9._-]+", "_", customer.strip()).strip("._")
    if not slug:
        slug = "customer-" + customer.strip().encode("utf-8").hex()[:32]
    return slug[:80]


@dataclass(frozen=True)
class StoredKmeClient:
    customer: str
    client_id: str
    client_secret: str = field(repr=False)
    api_url: str = ""
    imported_at: str = ""
    expires: str = ""  # the client secret's expiry date as the Knox Admin Portal shows it (optional)

    @property
    def credentials(self) -> KmeCredentials:
        return KmeCredentials(self.client_id, self.client_secret)

    def expired(self, today: dt.date | None = None) -> bool:
        if not self.expires:
            return False
        return dt.date.fromisoformat(self.expires) < (today or dt.date.today())

    def public(self) -> dict[str, Any]:
        return {
            "customer": self.customer,
            "client_id": self.client_id,
            "api_url": self.api_url or None,
            "imported_at": self.imported_at,
            "expires": self.expires or None,
        }


class KmeCredentialStore:
    def __init__(self, root: Path | None = None) -> None:
        self._root = root

    @property
    def root(self) -> Path:
        return self._root if self._root is not None else credentials_dir()

    def path(self, customer: str) -> Path:
        return self.root / f"{KIND}-{customer_slug(customer)}.json"

    def import_client(
        self, customer: str, *, client_id: str, client_secret: str, api_url: str = "", expires: str = ""
    ) -> StoredKmeClient:
        if not customer.strip():
            raise CredentialError(
                Text("--customer must not be empty", "--customer を指定してください"), "kme_no_customer"
            )
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
        if expires:
            try:
                dt.date.fromisoformat(expires)
            except ValueError as exc:
                raise CredentialError(
                    Text("--expires must be a date YYYY-MM-DD", "--expires は YYYY-MM-DD 形式の日付で指定してください"),
                    "kme_bad_expiry",
                ) from exc
        stored = StoredKmeClient(
            customer=customer.strip(),
            client_id=client_id.strip(),
            client_secret=secret,
            api_url=api_url.rstrip("/"),
            imported_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            expires=expires,
        )
        data = stored.public() | {"kind": KIND, "client_secret": secret}
        write_private_atomic(self.path(customer), json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"))
        return stored

    def load(self, customer: str) -> StoredKmeClient:
        path = self.path(customer)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise CredentialError(
                Text(
                    "No Knox API client for customer '{c}': import it once with"
                    " `kitstation kme credentials import --customer '{c}' SECRETFILE --client-id …`",
                    "顧客「{c}」の Knox API クライアントがありません: 一度だけ"
                    " `kitstation kme credentials import --customer '{c}' SECRETFILE --client-id …` でインポートしてください",
                ).format(c=customer),
                "kme_no_credentials",
            ) from exc
        except (OSError, ValueError) as exc:
            raise CredentialError(
                Text(
                    "The stored Knox API client for '{c}' cannot be read; import it again",
                    "「{c}」の保存済み Knox API クライアントを読めません。再度インポートしてください",
                ).format(c=customer),
                "kme_credentials_unreadable",
            ) from exc
        return StoredKmeClient(
            customer=str(data.get("customer", customer)),
            client_id=str(data.get("client_id", "")),
            client_secret=str(data.get("client_secret", "")),
            api_url=str(data.get("api_url") or ""),
            imported_at=str(data.get("imported_at", "")),
            expires=str(data.get("expires") or ""),
        )

    def list(self) -> list[StoredKmeClient]:
        out: list[StoredKmeClient] = []
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

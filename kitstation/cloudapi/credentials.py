"""Per-customer cloud API credentials, imported once, kept owner-only outside the log.

One JSON file per customer and service in ``<data dir>/credentials`` (folder 0700, file 0600,
written atomically): ``abm-<customer>.json``, ``kme-<customer>.json``. The secret part (a private
key, a client secret) is read from a file or stdin at import -- never from the command line,
where ``ps`` would show it -- and is never printed, logged or put in a report: what the station
shows of a credential is its ``public()`` part. Each service's store says what its files hold.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any, Generic, TypeVar

from kitstation.i18n import Text
from kitstation.paths import credentials_dir, write_private


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


class StoredCredential:
    """What every stored credential has besides its secret: whose it is and until when."""

    customer: str
    client_id: str
    imported_at: str
    expires: str  # optional date (YYYY-MM-DD) the customer gave for the credential's end of use

    def expired(self, today: dt.date | None = None) -> bool:
        if not self.expires:
            return False
        return dt.date.fromisoformat(self.expires) < (today or dt.date.today())


C = TypeVar("C", bound=StoredCredential)


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class CredentialStore(Generic[C]):
    """The files of one service's credentials (``kind``); subclasses build their own records."""

    kind = ""
    missing = Text("No credential for customer '{c}'", "顧客「{c}」の資格情報がありません")
    unreadable = Text(
        "The stored credential for '{c}' cannot be read; import it again",
        "「{c}」の保存済み資格情報を読めません。再度インポートしてください",
    )

    def __init__(self, root: Path | None = None) -> None:
        self._root = root

    @property
    def root(self) -> Path:
        return self._root if self._root is not None else credentials_dir()

    def path(self, customer: str) -> Path:
        return self.root / f"{self.kind}-{customer_slug(customer)}.json"

    def check_common(self, customer: str, expires: str) -> None:
        """The checks every import makes: a customer is named, an expiry is a date."""
        if not customer.strip():
            raise CredentialError(
                Text("--customer must not be empty", "--customer を指定してください"), f"{self.kind}_no_customer"
            )
        if expires:
            try:
                dt.date.fromisoformat(expires)
            except ValueError as exc:
                raise CredentialError(
                    Text("--expires must be a date YYYY-MM-DD", "--expires は YYYY-MM-DD 形式の日付で指定してください"),
                    f"{self.kind}_bad_expiry",
                ) from exc

    def save(self, customer: str, public: dict[str, Any], secret: dict[str, str]) -> None:
        """Write the customer's file (replacing the previous one): owner-only, atomically."""
        data = public | {"kind": self.kind} | secret
        write_private(self.path(customer), json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"))

    def read(self, customer: str) -> dict[str, Any]:
        path = self.path(customer)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(data, dict):
                raise ValueError("not an object")
        except FileNotFoundError as exc:
            raise CredentialError(self.missing.format(c=customer), f"{self.kind}_no_credentials") from exc
        except (OSError, ValueError) as exc:
            raise CredentialError(self.unreadable.format(c=customer), f"{self.kind}_credentials_unreadable") from exc
        return data

    def from_data(self, customer: str, data: dict[str, Any]) -> C:
        raise NotImplementedError

    def load(self, customer: str) -> C:
        return self.from_data(customer, self.read(customer))

    def list(self) -> list[C]:
        out: list[C] = []
        if not self.root.is_dir():
            return out
        for p in sorted(self.root.glob(f"{self.kind}-*.json")):
            try:
                customer = json.loads(p.read_text(encoding="utf-8")).get("customer", "")
                out.append(self.load(str(customer)))
            except (OSError, ValueError, AttributeError, CredentialError):
                continue
        return out

    def remove(self, customer: str) -> bool:
        try:
            self.path(customer).unlink()
        except FileNotFoundError:
            return False
        return True

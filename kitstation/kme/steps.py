"""The hand-off after a Galaxy phone's Prepare: approve its KME upload and assign the customer's profile.

:class:`KmeAssigner` (a :class:`~kitstation.cloudapi.assign.BatchAssigner`) collects devices for a short window, then, for the whole batch: reads the
customer's KME device list once, approves the reseller's pending uploads (if the blueprint says
so), assigns the profile to every approved device in one request, and reads the list back to
confirm each device shows the profile. A device not on the list has not been uploaded by the
reseller (or was bought elsewhere): KME cannot take it from the station, and the step says so.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from kitstation.cloudapi.assign import BatchAssigner, CloudHandoff
from kitstation.core.protocols import BaseStep, Step, StepContext
from kitstation.domain.handoff import HANDOFF_KEY, HandoffState
from kitstation.domain.model import Device, PermanentError, Platform, StepResult, TransientError
from kitstation.i18n import Text
from kitstation.kme.client import KmeClient, KmeDevice, KmeEndpoints, KmeError, KmeProfile
from kitstation.kme.credentials import CredentialError, KmeCredentialStore, StoredKmeClient

if TYPE_CHECKING:
    from kitstation.blueprints.model import Blueprint

log = logging.getLogger(__name__)

NOT_LISTED = Text(
    "{id} is not on the customer's Knox Mobile Enrollment list: the reseller has not uploaded it (KME only"
    " takes devices a Samsung reseller uploads, or the Knox Deployment App adds). It stays listed for the"
    " KME upload.",
    "{id} は顧客の Knox Mobile Enrollment の端末リストにありません: 販売店がアップロードしていません"
    "（KME は販売店のアップロード、または Knox Deployment App で追加した端末のみ扱えます）。KME アップロード待ちのままです。",
)


@dataclass(frozen=True, slots=True)
class KmeResult:
    identifier: str
    outcome: Literal["assigned", "already", "not_listed", "pending", "failed"]
    profile: KmeProfile | None = None
    request_id: str = ""
    reason: Text | None = None
    code: str = ""
    transient: bool = False


def identifiers(device: Device, identify_by: str) -> list[str]:
    """The identifiers KME may know the device by, most specific first."""
    if identify_by == "imei":
        return list(device.imeis)
    if identify_by == "serial":
        return [device.serial] if device.serial else []
    return [*device.imeis, *([device.serial] if device.serial else [])]


class KmeAssigner(BatchAssigner[KmeClient, list[str], KmeResult, KmeProfile]):
    """Batches one customer's devices (each with the identifiers KME may know it by) for one profile."""

    task_name = "kme-assign-batch"
    crashed = Text("KME assignment failed: {e}", "KME の割り当てに失敗しました: {e}")
    crashed_code = "kme_error"

    def __init__(
        self,
        client: Callable[[], Awaitable[KmeClient]],
        profile: str,
        *,
        approve: bool = True,
        window: float = 5.0,
        max_batch: int = 100,
    ) -> None:
        super().__init__(client, profile, window=window, max_batch=max_batch)
        self.approve = approve

    async def find_target(self, client: KmeClient, ref: str) -> KmeProfile:
        return await client.find_profile(ref)

    async def profile(self) -> KmeProfile:
        return await self.target()

    async def assign(self, key: str, ids: list[str]) -> KmeResult:
        return await self.submit(key, ids)

    def failed(self, key: str, reason: Text, code: str, transient: bool) -> KmeResult:
        return KmeResult(key, "failed", reason=reason, code=code, transient=transient)

    async def process(self, batch: dict[str, list[str]]) -> dict[str, KmeResult]:
        return await self._process(batch)

    async def _process(self, batch: dict[str, list[str]]) -> dict[str, KmeResult]:
        client = await self.client()
        profile = await self.profile()
        listed = await client.devices()
        results: dict[str, KmeResult] = {}
        found: dict[str, tuple[str, KmeDevice]] = {}  # key -> (identifier KME knows, device)
        for key, ids in batch.items():
            match = next(((i, d) for i in ids for d in listed if d.known_as(i)), None)
            if match is None:
                results[key] = KmeResult(
                    key, "not_listed", profile, reason=NOT_LISTED.format(id=" / ".join(ids)), code="kme_not_listed"
                )
            elif match[1].profile_id == profile.id:
                results[key] = KmeResult(match[0], "already", profile)
            else:
                found[key] = match
        pending = [ident for ident, d in found.values() if d.status.casefold() == "pending"]
        if pending and self.approve:
            await client.approve(pending)
        elif pending:
            for key, (ident, d) in list(found.items()):
                if d.status.casefold() == "pending":
                    del found[key]
                    results[key] = KmeResult(
                        ident,
                        "pending",
                        profile,
                        reason=Text(
                            "{id} awaits approval in the KME console (the blueprint does not let the station approve)",
                            "{id} は KME コンソールで承認待ちです（ブループリントでステーションによる承認が許可されていません）",
                        ).format(id=ident),
                        code="kme_pending_approval",
                    )
        if not found:
            return results
        self.batches.append([ident for ident, _ in found.values()])
        answer = await client.assign_profile(profile.id, [ident for ident, _ in found.values()])
        after = {d.id: d for d in await client.devices()}
        for key, (ident, d) in found.items():
            now = after.get(d.id)
            if now is not None and now.profile_id == profile.id:
                results[key] = KmeResult(ident, "assigned", profile, answer.request_id)
            else:
                results[key] = KmeResult(
                    ident,
                    "failed",
                    profile,
                    answer.request_id,
                    Text(
                        "KME did not assign profile '{p}' to {id} (it answered: {how})",
                        "KME はプロファイル「{p}」を {id} に割り当てませんでした（応答: {how}）",
                    ).format(
                        p=profile.name,
                        id=ident,
                        how="not found"
                        if ident in answer.not_found
                        else "invalid"
                        if ident in answer.invalid
                        else now.status
                        if now
                        else "-",
                    ),
                    "kme_assign_failed",
                )
        return results


class KmeAssignStep(BaseStep):
    id = "kme.assign"
    title = Text("Assign the KME profile", "KME プロファイルを割り当て")
    idempotent = True

    def __init__(self, assigner: KmeAssigner, identify_by: str) -> None:
        self.assigner = assigner
        self.identify_by = identify_by

    async def run(self, ctx: StepContext) -> StepResult:
        ids = identifiers(ctx.device, self.identify_by)
        if not ids:
            raise PermanentError(
                Text(
                    "No IMEI or serial known for this device: scan its box label first",
                    "この端末の IMEI/シリアルが不明です: 先に箱のラベルをスキャンしてください",
                ),
                code="kme_no_identifier",
            )
        ctx.progress(
            None,
            Text(
                "Waiting for Knox Mobile Enrollment (batched with other devices)",
                "Knox Mobile Enrollment の応答待ち（他の端末とまとめて送信）",
            ),
        )
        result = await self.assigner.assign(ctx.device.key, ids)
        profile = result.profile
        if result.outcome in ("assigned", "already"):
            assert profile is not None
            return StepResult.ok(
                Text(
                    "KME profile '{p}' assigned to {id} (request {r}); the phone enrols on its first boot with network",
                    "KME プロファイル「{p}」を {id} に割り当てました（要求 {r}）。端末はネットワーク接続後の初回起動時に登録されます",
                ).format(p=profile.name, id=result.identifier, r=result.request_id or "-"),
                detail={
                    HANDOFF_KEY: HandoffState.KME_ASSIGNED.value,
                    "kme_profile": profile.name,
                    "kme_profile_id": profile.id,
                    "kme_request_id": result.request_id,
                    "identifier": result.identifier,
                },
            )
        if result.outcome in ("not_listed", "pending"):
            return StepResult.waiting_external(
                result.reason or NOT_LISTED.format(id=" / ".join(ids)),
                result.code,
                detail={HANDOFF_KEY: HandoffState.KME_REGISTERED.value, "identifier": result.identifier},
            )
        reason = result.reason or Text("KME assignment failed", "KME の割り当てに失敗しました")
        detail = {"kme_request_id": result.request_id, "identifier": result.identifier}
        if result.transient:
            raise TransientError(reason, code=result.code or "kme_error", detail=detail)
        raise PermanentError(reason, code=result.code or "kme_error", detail=detail)


ClientSource = Callable[[str], StoredKmeClient]


class KmeHandoff(CloudHandoff):
    """What the station plugs into every Android plan: the KME assign step of blueprints with ``[kme]``.

    The bench runs :meth:`preflight` (the customer's Knox API client is there and unexpired)
    before a batch's first device is touched.
    """

    platform = Platform.ANDROID
    section_name = "kme"
    target_field = "kme.profile"
    target_word = "profile"
    follows_steps = {"android.kme.record": frozenset({"kme_console"})}
    no_customer = Text(
        "[kme] needs a customer (kme.customer or [customer].name) to pick the Knox API client",
        "[kme] には Knox API クライアントを選ぶ顧客名（kme.customer または [customer].name）が必要です",
    )
    expired_text = Text(
        "The Knox API client secret of '{c}' expired on {d}: create a new one and import it",
        "「{c}」の Knox API クライアントシークレットは {d} に期限切れです: 新しく作成してインポートしてください",
    )

    def __init__(
        self,
        store: KmeCredentialStore | None = None,
        *,
        clients: ClientSource | None = None,
        endpoints: Callable[[str | None], KmeEndpoints] | None = None,
        window: float | None = None,
    ) -> None:
        self.store = store or KmeCredentialStore()
        self._clients = clients or self.store.load
        self._endpoints = endpoints or KmeEndpoints.from_env
        self.window = window
        self._assigners: dict[tuple[str, str], KmeAssigner] = {}

    def stored(self, customer: str) -> StoredKmeClient:
        return self._clients(customer)

    def credential(self, customer: str) -> StoredKmeClient:
        return self.stored(customer)

    def follows(self, blueprint: Blueprint, ctx: StepContext, result: StepResult) -> Text:
        identifier = str((result.detail or {}).get("identifier") or "")
        profile = blueprint.kme.profile if blueprint.kme is not None else ""
        return Text(
            "Recorded for KME ({id}); the station now assigns KME profile '{p}' through the Knox API",
            "KME 用に記録しました（{id}）。続いてステーションが Knox API で KME プロファイル「{p}」を割り当てます",
        ).format(id=identifier, p=profile)

    def assigner(self, blueprint: Blueprint) -> KmeAssigner:
        section = blueprint.kme
        assert section is not None
        customer = blueprint.cloud_customer(section)
        key = (customer, section.profile)
        if key not in self._assigners:

            async def make_client() -> KmeClient:
                try:
                    stored = self.stored(customer)
                except CredentialError as exc:
                    raise KmeError(exc.reason, exc.code) from exc
                return KmeClient(stored.credentials, self._endpoints(stored.api_url or None))

            self._assigners[key] = KmeAssigner(
                make_client,
                section.profile,
                approve=section.approve,
                window=section.batch_window_seconds if self.window is None else self.window,
                max_batch=section.max_batch,
            )
        return self._assigners[key]

    def steps(self, blueprint: Blueprint, device: Device) -> list[Step]:
        if blueprint.kme is None or device.platform != Platform.ANDROID:
            return []
        return [KmeAssignStep(self.assigner(blueprint), blueprint.kme.identify_by)]

"""The hand-off after an iPhone's Prepare: assign its serial to the customer's MDM server in Apple Business.

Devices finish Prepare one by one, but Apple Business takes many serials in one activity, so
:class:`AbmAssigner` (a :class:`~kitstation.cloudapi.assign.BatchAssigner`) collects serials for a
short window (``batch_window_seconds``) and sends one ``ASSIGN_DEVICES`` activity for all of them,
waits for it, then reads back each serial's assigned server -- the activity's status alone does
not say which serials of a partly failed activity took. Each device's :class:`AbmAssignStep`
waits for its own serial's answer.

The honest boundary: Apple Business only knows devices bought from Apple or an authorized
reseller (or added with Apple Configurator). A serial not in the organization is not assigned;
the step says so and leaves the device *awaiting ABM*.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from kitstation.abm.client import AbmClient, AbmEndpoints, AbmError, MdmServer, Service
from kitstation.abm.credentials import AbmCredentialStore, CredentialError, StoredAbmAccount
from kitstation.cloudapi.assign import BatchAssigner, CloudHandoff
from kitstation.core.protocols import BaseStep, Step, StepContext
from kitstation.domain.handoff import HANDOFF_KEY, HandoffState
from kitstation.domain.model import Device, PermanentError, Platform, StepResult, TransientError
from kitstation.i18n import Text

if TYPE_CHECKING:
    from kitstation.blueprints.model import Blueprint

log = logging.getLogger(__name__)

NOT_IN_ORG = Text(
    "Serial {s} is not in the customer's Apple Business organization, so the station cannot assign it."
    " Only devices bought from Apple or an authorized reseller appear there by themselves; any other"
    " device enters Apple Business only through Apple Configurator (Add to Apple Business). It stays"
    " awaiting ABM assignment.",
    "シリアル {s} は顧客の Apple Business 組織にないため、ステーションは割り当てできません。"
    "Apple または正規販売店から購入したデバイスのみが自動で登録されます。それ以外のデバイスは"
    " Apple Configurator（Apple Business に追加）でのみ登録できます。ABM 割り当て待ちのままです。",
)


@dataclass(frozen=True, slots=True)
class AssignResult:
    serial: str
    outcome: Literal["assigned", "already", "not_in_org", "failed"]
    server: MdmServer | None = None
    activity_id: str = ""
    reason: Text | None = None
    code: str = ""
    transient: bool = False


class AbmAssigner(BatchAssigner[AbmClient, str, AssignResult, MdmServer]):
    """Batches the serials of one customer's devices for one MDM server."""

    task_name = "abm-assign-batch"
    crashed = Text("Apple Business assignment failed: {e}", "Apple Business の割り当てに失敗しました: {e}")
    crashed_code = "abm_error"

    def __init__(
        self,
        client: Callable[[], Awaitable[AbmClient]],
        server: str,
        *,
        window: float = 5.0,
        max_batch: int = 100,
        timeout: float = 1800.0,
        poll: float = 2.0,
    ) -> None:
        super().__init__(client, server, window=window, max_batch=max_batch)
        self.timeout = timeout
        self.poll = poll

    async def find_target(self, client: AbmClient, ref: str) -> MdmServer:
        return await client.find_server(ref)

    async def server(self) -> MdmServer:
        return await self.target()

    async def assign(self, serial: str) -> AssignResult:
        """Queue a serial and wait for its batch's answer."""
        return await self.submit(serial, serial)

    def failed(self, key: str, reason: Text, code: str, transient: bool) -> AssignResult:
        return AssignResult(key, "failed", reason=reason, code=code, transient=transient)

    async def process(self, batch: dict[str, str]) -> dict[str, AssignResult]:
        return await self._process(list(batch.values()))

    async def _process(self, serials: list[str]) -> dict[str, AssignResult]:
        client = await self.client()
        server = await self.server()
        results: dict[str, AssignResult] = {}
        to_assign: list[str] = []
        for serial in serials:
            device = await client.device(serial)
            if device is None:
                results[serial] = AssignResult(
                    serial, "not_in_org", server, reason=NOT_IN_ORG.format(s=serial), code="abm_not_in_org"
                )
            elif device.status == "ASSIGNED" and await client.assigned_server_id(serial) == server.id:
                results[serial] = AssignResult(serial, "already", server)
            else:
                to_assign.append(serial)
        if not to_assign:
            return results
        self.batches.append(list(to_assign))
        activity = await client.assign(server.id, to_assign)
        log.info("ABM activity %s: assign %d serials to %s", activity.id, len(to_assign), server.name)
        activity = await client.wait_activity(activity.id, timeout=self.timeout, poll=self.poll)
        for serial in to_assign:
            if not activity.finished:
                results[serial] = AssignResult(
                    serial,
                    "failed",
                    server,
                    activity.id,
                    Text(
                        "Apple Business activity {a} is still running; the station will look again",
                        "Apple Business のアクティビティ {a} はまだ処理中です。再確認します",
                    ).format(a=activity.id),
                    "abm_activity_running",
                    transient=True,
                )
            elif await client.assigned_server_id(serial) == server.id:
                results[serial] = AssignResult(serial, "assigned", server, activity.id)
            else:
                results[serial] = AssignResult(
                    serial,
                    "failed",
                    server,
                    activity.id,
                    Text(
                        "Apple Business activity {a} ended {st} and did not assign {s} to '{m}' (its activity log in Apple Business says why)",
                        "Apple Business のアクティビティ {a} は {st} で終了し、{s} を「{m}」に割り当てませんでした（理由は Apple Business のアクティビティログを参照）",
                    ).format(a=activity.id, st=activity.sub_status or activity.status, s=serial, m=server.name),
                    "abm_assign_failed",
                )
        return results


class AbmAssignStep(BaseStep):
    id = "abm.assign"
    title = Text("Assign to the MDM server in Apple Business", "Apple Business で MDM サーバに割り当て")
    idempotent = True

    def __init__(self, assigner: AbmAssigner) -> None:
        self.assigner = assigner

    async def run(self, ctx: StepContext) -> StepResult:
        serial = ctx.device.serial
        if not serial:
            raise PermanentError(
                Text(
                    "The device's serial number is unknown: Apple Business assigns by serial",
                    "シリアル番号が不明です: Apple Business はシリアル番号で割り当てます",
                ),
                code="abm_no_serial",
            )
        ctx.progress(
            None,
            Text(
                "Waiting for Apple Business (batched with other devices)",
                "Apple Business の応答待ち（他の端末とまとめて送信）",
            ),
        )
        result = await self.assigner.assign(serial)
        server = result.server
        if result.outcome in ("assigned", "already"):
            assert server is not None
            return StepResult.ok(
                Text(
                    "Assigned in Apple Business to '{m}' (activity {a})",
                    "Apple Business で「{m}」に割り当て済み（アクティビティ {a}）",
                ).format(m=server.name, a=result.activity_id or "-")
                if result.outcome == "assigned"
                else Text(
                    "Already assigned in Apple Business to '{m}'", "Apple Business で「{m}」に割り当て済みでした"
                ).format(m=server.name),
                detail={
                    HANDOFF_KEY: HandoffState.ABM_ASSIGNED.value,
                    "abm_activity_id": result.activity_id,
                    "abm_server": server.name,
                    "abm_server_id": server.id,
                    "serial": serial,
                },
            )
        if result.outcome == "not_in_org":
            return StepResult.waiting_external(
                result.reason or NOT_IN_ORG.format(s=serial),
                "abm_not_in_org",
                detail={HANDOFF_KEY: HandoffState.AWAITING_ABM.value, "serial": serial},
            )
        reason = result.reason or Text("Apple Business assignment failed", "Apple Business の割り当てに失敗しました")
        detail = {"abm_activity_id": result.activity_id, "serial": serial}
        if result.transient:
            raise TransientError(reason, code=result.code or "abm_error", detail=detail)
        raise PermanentError(reason, code=result.code or "abm_error", detail=detail)

    async def check_done(self, ctx: StepContext) -> bool | None:
        serial = ctx.device.serial
        if not serial:
            return None
        try:
            server = await self.assigner.server()
            return await (await self.assigner.client()).assigned_server_id(serial) == server.id
        except AbmError:
            return None


AccountSource = Callable[[str], StoredAbmAccount]


class AbmHandoff(CloudHandoff):
    """What the station plugs into every iOS plan: the assign step of blueprints with an ``[abm]`` section.

    One per station; it keeps one :class:`AbmAssigner` (and API session) per customer and server.
    ``accounts`` gives a customer's stored API account (the credential store by default; the
    simulated bench passes the stand-ins' demo account). The bench runs :meth:`preflight` before
    a batch's first device is touched.
    """

    platform = Platform.IOS
    section_name = "abm"
    target_field = "abm.mdm_server"
    target_word = "server"
    # Methods 2/3 end with "hand off to ABM"; method 1 checks the device's assignment first.
    follows_steps = {
        "ios.abm_handoff": frozenset({"abm_assignment"}),
        "ios.dep_verify": frozenset({"abm_not_assigned"}),
    }
    no_customer = Text(
        "[abm] needs a customer (abm.customer or [customer].name) to pick the API account",
        "[abm] には API アカウントを選ぶ顧客名（abm.customer または [customer].name）が必要です",
    )
    expired_text = Text(
        "The Apple Business API account of '{c}' expired on {d}: import a new key",
        "「{c}」の Apple Business API アカウントは {d} に期限切れです: 新しい鍵をインポートしてください",
    )

    def __init__(
        self,
        store: AbmCredentialStore | None = None,
        *,
        accounts: AccountSource | None = None,
        endpoints: Callable[[str], AbmEndpoints] | None = None,
        poll: float = 2.0,
        window: float | None = None,
    ) -> None:
        self.store = store or AbmCredentialStore()
        self._accounts = accounts or self.store.load
        self._endpoints = endpoints or AbmEndpoints.for_service
        self.poll = poll
        self.window = window  # overrides the blueprint's window (tests)
        self._assigners: dict[tuple[str, str, str], AbmAssigner] = {}

    def account(self, customer: str) -> StoredAbmAccount:
        return self._accounts(customer)

    def credential(self, customer: str) -> StoredAbmAccount:
        return self.account(customer)

    def follows(self, blueprint: Blueprint, ctx: StepContext, result: StepResult) -> Text:
        serial = ctx.device.serial or str((result.detail or {}).get("serial") or "")
        server = blueprint.abm.mdm_server if blueprint.abm is not None else ""
        if result.code == "abm_not_assigned":
            return Text(
                "Apple has no assignment for this device yet; the station now assigns serial {s} to '{m}' in Apple Business",
                "このデバイスはまだ割り当てられていません。続いてステーションが Apple Business でシリアル番号 {s} を「{m}」に割り当てます",
            ).format(s=serial, m=server)
        return Text(
            "Prepared on the device; the station now assigns serial {s} to '{m}' in Apple Business",
            "デバイス側の準備は完了しました。続いてステーションが Apple Business でシリアル番号 {s} を「{m}」に割り当てます",
        ).format(s=serial, m=server)

    def client(self, customer: str, service: Service = "business") -> AbmClient:
        """A new session with the customer's API account (raises :class:`CredentialError`)."""
        account = self.account(customer)
        if account.expired():
            raise CredentialError(self.expired_text.format(c=customer, d=account.expires), "abm_credentials_expired")
        return AbmClient(account.credentials, self._endpoints(service))

    def assigner(self, blueprint: Blueprint) -> AbmAssigner:
        section = blueprint.abm
        assert section is not None
        customer = blueprint.cloud_customer(section)
        key = (customer, section.service, section.mdm_server)
        if key not in self._assigners:

            async def make_client() -> AbmClient:
                try:
                    account = self.account(customer)
                except CredentialError as exc:
                    raise AbmError(exc.reason, exc.code) from exc
                return AbmClient(account.credentials, self._endpoints(section.service))

            self._assigners[key] = AbmAssigner(
                make_client,
                section.mdm_server,
                window=section.batch_window_seconds if self.window is None else self.window,
                max_batch=section.max_batch,
                timeout=section.activity_timeout_minutes * 60.0,
                poll=self.poll,
            )
        return self._assigners[key]

    def steps(self, blueprint: Blueprint, device: Device) -> list[Step]:
        if blueprint.abm is None or device.platform != Platform.IOS:
            return []
        return [AbmAssignStep(self.assigner(blueprint))]

"""The common shape of the iOS steps and what they share: the device's UDID, the blueprint's options,
the supervision identity, and the cloud configuration a blueprint makes (sent, and as the device keeps it).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cryptography.hazmat.primitives import serialization

from kitstation.blueprints.skipkeys import unknown_keys
from kitstation.core.protocols import BaseStep, StepContext
from kitstation.domain.model import (
    PermanentError,
    StepResult,
    TransientError,
    UserActionRequired,
)
from kitstation.i18n import Text
from kitstation.ios import cloudconfig
from kitstation.ios.activation import ActivationEndpoint
from kitstation.ios.certs import load_certificates
from kitstation.ios.identities import IdentityStore, load_identity_files

if TYPE_CHECKING:
    from kitstation.blueprints.ios import IOSOptions
    from kitstation.ios.connect import Connector

DEFAULT_IDENTITY = "station-default"


def _udid(ctx: StepContext) -> str:
    return ctx.device.udid or ctx.device.connection_id or ctx.device.key


def _opts(ctx: StepContext) -> IOSOptions:
    assert ctx.blueprint.ios is not None
    return ctx.blueprint.ios


async def _supervisor(ctx: StepContext, store: IdentityStore) -> tuple[Path, bytes]:
    """(keybag path, certificate DER) of the blueprint's supervision identity; cached per run."""
    cached = ctx.scratch.get("ios.keybag")
    if isinstance(cached, tuple):
        keybag_path, der = cached
        return Path(keybag_path), bytes(der)
    opts = _opts(ctx)
    spec = opts.supervision_identity
    if spec is not None and spec.file:
        path = ctx.blueprint.resolve(spec.file)
        passphrase = None
        if spec.passphrase_secret:
            passphrase = await ctx.secrets.get(
                spec.passphrase_secret,
                Text("Passphrase of the supervision identity {f}", "監視ID {f} のパスフレーズ").format(f=path.name),
            )
        # File reads and key parsing off the event loop: many devices run at once.
        cert, key = await asyncio.to_thread(load_identity_files, path, None, passphrase)
        keybag = await asyncio.to_thread(store.materialize, cert, key)
        ident_der = cert.public_bytes(serialization.Encoding.DER)
    else:
        name = spec.name if spec is not None and spec.name else DEFAULT_IDENTITY
        try:
            identity = store.get(name)
        except PermanentError:
            if spec is not None:
                raise
            # No identity named: like Configurator, the station makes its own on first use.
            org = opts.organization.name if opts.organization is not None else "KitStation"
            try:
                identity = await asyncio.to_thread(store.generate, DEFAULT_IDENTITY, org)
            except PermanentError as exc:
                if exc.code != "identity_exists":
                    raise
                identity = store.get(DEFAULT_IDENTITY)  # another device's run made it just now
        keybag, ident_der = identity.keybag, identity.certificate_der
        if identity.locked:
            # Imported with a passphrase: the key is encrypted at rest; decrypt it in memory only.
            secret = (
                spec.passphrase_secret if spec is not None and spec.passphrase_secret else identity.passphrase_secret
            )
            passphrase = await ctx.secrets.get(
                secret,
                Text("Passphrase of the supervision identity {n}", "監視ID {n} のパスフレーズ").format(n=identity.name),
            )
            keybag = await asyncio.to_thread(store.unlock, identity, passphrase)
    ctx.scratch["ios.keybag"] = (keybag, ident_der)
    return keybag, ident_der


def _anchors(ctx: StepContext) -> list[bytes]:
    opts = _opts(ctx)
    if opts.mdm_server is None:
        return []
    ders: list[bytes] = []
    for name in opts.mdm_server.anchor_certificates:
        ders += [c.der for c in load_certificates(ctx.blueprint.resolve(name))]
    return ders


async def expected_cloud_configuration(ctx: StepContext, store: IdentityStore) -> dict[str, Any]:
    opts = _opts(ctx)
    bad = unknown_keys([] if opts.skip_setup == "all" else list(opts.skip_setup))
    if bad:
        raise PermanentError(
            Text(
                "Not iOS Setup Assistant skip keys: {k}",
                "iOSの設定アシスタントのスキップキーではありません: {k}",
            ).format(k=", ".join(bad)),
            code="unknown_skip_key",
        )
    supervisors = [(await _supervisor(ctx, store))[1]] if opts.supervise else []
    return cloudconfig.build_cloud_configuration(
        opts,
        ios_version=ctx.device.os_version,
        supervisor_certificates=supervisors,
        anchor_certificates=_anchors(ctx),
    )


async def expected_kept(ctx: StepContext, store: IdentityStore) -> dict[str, Any]:
    """What the device keeps of the configuration this blueprint sends (cloudconfig.device_keeps)."""
    return cloudconfig.device_keeps(
        await expected_cloud_configuration(ctx, store),
        device_class=ctx.device.facts.get("device_class"),
        ios_version=ctx.device.os_version,
    )


def _as_step_error(exc: UserActionRequired, ctx: StepContext) -> TransientError:
    # Inside a run a prompt on the device is waited out by the pipeline's retries.
    ctx.waiting_for_user(exc.action, exc.reason)
    return TransientError(exc.reason, code=exc.action.value)


@dataclass
class IOSStep(BaseStep):
    """Common shape of the iOS steps: a :class:`BaseStep` with the device connector and identities.

    ``run`` turns a prompt on the device (``UserActionRequired``) into a retried wait; subclasses
    implement ``_run``. ``check_done`` is ``BaseStep``'s (``None``: unknown) unless a step can
    look at the device.
    """

    connector: Connector
    store: IdentityStore
    # Where activation requests go instead of Apple (the simulator's stand-in); None: Apple.
    activation: ActivationEndpoint | None = None
    id: str = ""
    title: Text = Text("", "")
    idempotent: bool = True

    async def run(self, ctx: StepContext) -> StepResult:
        try:
            return await self._run(ctx)
        except UserActionRequired as exc:
            raise _as_step_error(exc, ctx) from None

    async def _run(self, ctx: StepContext) -> StepResult:
        raise NotImplementedError

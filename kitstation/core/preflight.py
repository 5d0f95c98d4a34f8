"""Check before you touch a device: what can fail without the device is found before any erase.

When a blueprint is chosen for a platform, and again before a run's first step, the bench asks
every check that applies (the platform adapter's own ``preflight`` and any extra checks the
station adds: identities, anchors, secrets, agent URL, cloud credentials) for the
:class:`Problem` s it can see offline. A blueprint with a problem starts no run: the slots show
the reason and no device is touched.

An adapter takes part by having a method of the :class:`PreflightCheck` shape::

    async def preflight(self, blueprint: Blueprint, ctx: PreflightContext) -> Sequence[Problem]:
        ...

Adapters without one contribute nothing. Results are cached by (platform, blueprint content
hash) for ``max_age`` seconds, and concurrent checks of the same blueprint share one run, so 60
devices plugged at once cost one check, not 60.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, runtime_checkable

from kitstation.blueprints.loader import content_hash
from kitstation.blueprints.model import Blueprint
from kitstation.core.naming import naming_problems
from kitstation.core.protocols import NoSecrets, Secrets
from kitstation.domain.events import PreflightResult, Problem
from kitstation.domain.model import Platform
from kitstation.i18n import Text

log = logging.getLogger(__name__)

PREFLIGHT_FAILED = Text(
    "The blueprint failed its check, nothing was done to the device: {reason}",
    "ブループリントの事前チェックに失敗しました（デバイスには何もしていません）: {reason}",
)
MORE_PROBLEMS = Text(" (+{n} more)", "（ほか {n} 件）")
CHECK_CRASHED = Text("The check {name} could not run: {error}", "チェック {name} を実行できませんでした: {error}")
NO_SECTION = Text("The blueprint has no [{platform}] section", "ブループリントに [{platform}] セクションがありません")


@dataclass(frozen=True, slots=True)
class PreflightContext:
    """What a check may use besides the blueprint."""

    platform: Platform
    # Asking for a secret here (prompt, environment) is fine: the answer is kept in memory only.
    secrets: Secrets = field(default_factory=NoSecrets)


@runtime_checkable
class PreflightCheck(Protocol):
    """Anything that can find problems in a blueprint without a device (adapters implement it)."""

    async def preflight(self, blueprint: Blueprint, ctx: PreflightContext) -> Sequence[Problem]: ...


def refusal(result: PreflightResult) -> Text:
    """The one-line reason a slot shows when its run was refused for ``result``'s problems."""
    reason = result.problems[0].reason
    if len(result.problems) > 1:
        reason = reason + MORE_PROBLEMS.format(n=len(result.problems) - 1)
    return Text(PREFLIGHT_FAILED.en.format(reason=reason.en), PREFLIGHT_FAILED.ja.format(reason=reason.ja))


def _section_check(blueprint: Blueprint, platform: Platform) -> list[Problem]:
    section = blueprint.ios if platform == Platform.IOS else blueprint.android
    if section is not None:
        return []
    name = platform.value
    return [Problem(name, NO_SECTION.format(platform=name), "no_platform_section")]


class Preflight:
    """Runs the checks for a platform's blueprint, caching and sharing results."""

    def __init__(
        self,
        checks_for: Callable[[Platform], Sequence[PreflightCheck]],
        max_age: float = 60.0,
        on_result: Callable[[PreflightResult], None] | None = None,
        names_csv: Callable[[], Path | None] = lambda: None,
    ) -> None:
        self._checks_for = checks_for
        self._names_csv = names_csv  # the batch's own names CSV (prepare --names-csv), if imported
        self._on_result = on_result  # called once per result computed (the bench publishes it)
        self.max_age = max_age
        # By the names CSV too: a result for one file says nothing about another imported since.
        self._cache: dict[tuple[Platform, str, str], tuple[float, PreflightResult]] = {}
        self._running: dict[tuple[Platform, str, str], asyncio.Task[PreflightResult]] = {}

    def _key(self, platform: Platform, blueprint: Blueprint) -> tuple[Platform, str, str]:
        return platform, content_hash(blueprint), str(self._names_csv() or "")

    def last(self, platform: Platform, blueprint: Blueprint) -> PreflightResult | None:
        """The latest result for this blueprint on this platform, however old (None: never checked)."""
        hit = self._cache.get(self._key(platform, blueprint))
        return hit[1] if hit is not None else None

    async def check(
        self, platform: Platform, blueprint: Blueprint, secrets: Secrets | None = None, *, fresh: bool = False
    ) -> PreflightResult:
        """The problems of ``blueprint`` on ``platform``; a result younger than ``max_age`` is reused."""
        key = self._key(platform, blueprint)
        hit = self._cache.get(key)
        if not fresh and hit is not None and time.monotonic() - hit[0] < self.max_age:
            return hit[1]
        task = self._running.get(key)
        if task is None:
            task = asyncio.get_running_loop().create_task(self._run(platform, blueprint, key, secrets))
            self._running[key] = task
            task.add_done_callback(lambda _t: self._running.pop(key, None))
        # Shielded: one caller cancelled (its device unplugged) must not cancel the others' check.
        return await asyncio.shield(task)

    async def aclose(self) -> None:
        """Cancel the checks still running (the bench is stopping)."""
        tasks = list(self._running.values())
        for t in tasks:
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def _run(
        self, platform: Platform, blueprint: Blueprint, key: tuple[Platform, str, str], secrets: Secrets | None
    ) -> PreflightResult:
        ctx = PreflightContext(platform, secrets or NoSecrets())
        problems: list[Problem] = _section_check(blueprint, platform)
        if not problems:
            # Both platforms name devices the same way: the CSV, the variables, no duplicate names.
            names_csv = Path(key[2]) if key[2] else None  # the file this result is kept for
            problems.extend(await asyncio.to_thread(naming_problems, blueprint, names_csv))
            for check in self._checks_for(platform):
                try:
                    problems.extend(await check.preflight(blueprint, ctx))
                except asyncio.CancelledError:
                    raise
                except Exception as exc:  # a check that cannot run cannot vouch for the blueprint
                    log.exception("preflight check %r failed", check)
                    name = type(check).__name__
                    reason = CHECK_CRASHED.format(name=name, error=f"{type(exc).__name__}: {exc}")
                    problems.append(Problem("", reason, "preflight_error"))
        result = PreflightResult(
            "", platform=platform, blueprint=blueprint.name, blueprint_hash=key[1], problems=tuple(problems)
        )
        self._cache[key] = (time.monotonic(), result)
        if self._on_result is not None:
            self._on_result(result)
        return result


__all__ = ["Preflight", "PreflightCheck", "PreflightContext", "PreflightResult", "Problem", "refusal"]

"""How ``kitstation prepare`` shows the bench: a live table on a terminal, one line per event otherwise."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import TypeVar

from rich.console import Console
from rich.live import Live
from rich.table import Table

from kitstation.core.bench import Bench, SlotState, SlotView
from kitstation.domain.events import (
    BoxUnmatched,
    DeviceIdentified,
    Event,
    IdentifyFailed,
    RunFinished,
    StepFinished,
    StepStarted,
    WaitingForUser,
)
from kitstation.domain.model import Platform
from kitstation.i18n import Language

T = TypeVar("T")


def slot_row(v: SlotView, lang: Language) -> tuple[str, ...]:
    dev = v.device
    model = (dev.marketing_name or dev.model_id or v.platform.value) if dev else v.platform.value
    ident = (dev.serial or dev.key) if dev else v.connection_id
    step = v.step_title.get(lang) if v.step_title else ""
    if v.step_total and v.state == SlotState.WORKING:
        step = f"{v.step_index + 1}/{v.step_total} {step}"
    reason = v.reason.get(lang) if v.reason else ""
    if v.box_note is not None and not reason:
        reason = v.box_note.get(lang)  # no scanned box matches: what the technician scans
    return (v.label, model, ident, v.state.value, step, reason)


def table(bench: Bench, lang: Language) -> Table:
    t = Table(expand=False)
    heads = (
        ("スロット", "機種", "シリアル", "状態", "ステップ", "理由")
        if lang == "ja"
        else ("Slot", "Model", "Serial", "State", "Step", "Reason")
    )
    for h in heads:
        t.add_column(h, overflow="fold")
    for v in sorted(bench.slots.values(), key=lambda s: s.label):
        t.add_row(*slot_row(v, lang))
    c = bench.counters()
    t.caption = (
        f"接続 {c.attached} / 作業中 {c.working} / 操作待ち {c.waiting_user} / 完了 {c.done} / 外部待ち {c.waiting_external} / 失敗 {c.failed}"
        if lang == "ja"
        else f"attached {c.attached} / working {c.working} / waiting {c.waiting_user} / done {c.done}"
        f" / waiting external {c.waiting_external} / failed {c.failed}"
    )
    return t


async def live_table(bench: Bench, lang: Language, work: Awaitable[T]) -> T:
    """Await ``work`` while a table of the bench refreshes on the terminal."""
    with Live(table(bench, lang), console=Console(), refresh_per_second=4) as live:
        task = asyncio.ensure_future(work)
        try:
            while not task.done():
                live.update(table(bench, lang))
                await asyncio.wait({task}, timeout=0.25)
        finally:
            task.cancel()
        live.update(table(bench, lang))
        return task.result()


def progress_line(bench: Bench, e: Event, lang: Language) -> str | None:
    """A line of plain progress for non-terminal output (CI logs, pipes)."""
    v = bench.slots.get(e.slot)
    label = v.label if v else e.slot
    if isinstance(e, DeviceIdentified):
        d = e.device
        os_name = "iOS" if d.platform == Platform.IOS else "Android"
        return f"[{label}] {d.marketing_name or d.model_id} {d.serial or d.key} {os_name} {d.os_version or ''}".rstrip()
    if isinstance(e, WaitingForUser):
        return f"[{label}] {e.reason.get(lang)}"
    if isinstance(e, StepStarted):
        return f"[{label}] {e.index + 1}/{e.total} {e.title.get(lang)}"
    if isinstance(e, StepFinished) and not e.outcome.is_done:
        return f"[{label}] {e.step_id}: {e.outcome.value} {e.reason.get(lang) if e.reason else ''}".rstrip()
    if isinstance(e, RunFinished):
        return f"[{label}] => {e.status.value} {e.reason.get(lang) if e.reason else ''}".rstrip()
    if isinstance(e, IdentifyFailed):
        return f"[{label}] => failed {e.reason.get(lang)}"
    if isinstance(e, BoxUnmatched):
        return f"[{label}] {e.reason.get(lang)}"
    return None

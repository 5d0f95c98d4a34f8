"""The station's allocator setting: bursts of 256 KiB buffers stop faulting their pages in afresh.

Counted in page faults (``ru_minflt``), not timed, so a busy machine cannot change the outcome.
Each case runs in its own interpreter: the setting is process-wide and cannot be undone.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

# 32 TLS read buffers at once, as 32 iPhones opening a service together, ten times over; the
# faults of the bursts after the first are printed.
BURSTS = """
import resource, sys
tune = sys.argv[1] == "tuned"
if tune:
    from kitstation.station.allocator import tune_for_bursts
    assert tune_for_bursts()
def burst():
    keep = [bytearray(256 * 1024) for _ in range(32)]
    del keep
burst()
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
for _ in range(10):
    burst()
print(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
"""


def _faults(mode: str) -> int:
    out = subprocess.run([sys.executable, "-c", BURSTS, mode], capture_output=True, text=True, check=True, timeout=120)
    return int(out.stdout.strip())


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's mallopt: Linux only")
def test_bursts_of_tls_buffers_reuse_their_pages_once_tuned() -> None:
    # 10 bursts x 32 buffers x 64 pages = 20,480 pages; glibc's defaults fault most of them in again.
    assert _faults("default") > 5_000
    assert _faults("tuned") < 1_000


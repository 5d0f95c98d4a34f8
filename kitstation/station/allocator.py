"""glibc's allocator set for a station's bursts of TLS connections (Linux with glibc only).

Every TLS connection asyncio opens (``loop.start_tls``: each lockdown session and service of an
iPhone, ~30 per iPhone) allocates a 256 KiB read buffer (``asyncio.sslproto.SSLProtocol``), and
every socket read asks for 256 KiB (``_SelectorSocketTransport.max_size``) before it shrinks to
what came. With glibc's defaults a block that large is either ``mmap``-ed or, once the dynamic
threshold has risen, taken from the heap top -- which ``free`` trims back to the kernel as soon as
more than twice the threshold lies unused there. A burst of 32 iPhones opening connections at
once therefore faults every page of every buffer in afresh: measured (issue 18, 2-core VM,
2026-12-03) 170 us per 256 KiB buffer in bursts of 32 against 6 us with the settings below, and
the buffer's one line was 66 samples (~0.26 s) of the loop thread in a 64-device batch under
py-spy. Written by hand because no library sets these: ``mallopt`` is the only interface, and
``MALLOC_*_`` environment variables would have to be set before the interpreter starts.

Fixed thresholds: blocks up to 1 MiB from the heap, and up to 32 MiB of free heap top kept for
the next burst -- bounded by the process's own peak, which a batch reaches anyway. A no-op where
the C library is not glibc (macOS, Windows, musl): there the allocator is another one.
"""

from __future__ import annotations

import ctypes
import logging
import sys

log = logging.getLogger(__name__)

# <malloc.h>: the parameters' numbers (glibc since 2.0; stable ABI).
_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3

MMAP_THRESHOLD = 1024 * 1024
TRIM_THRESHOLD = 32 * 1024 * 1024


def tune_for_bursts() -> bool:
    """Set glibc's mmap and trim thresholds for bursts of large buffers; True when they were set."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        # The process's own symbols, libc's among them: no library search (find_library runs
        # ldconfig in a subprocess, ~7 ms at every start).
        libc = ctypes.CDLL(None)
        mallopt = libc.mallopt
        # gnu_get_libc_version exists in glibc only: musl has a mallopt that ignores everything.
        libc.gnu_get_libc_version  # noqa: B018 -- attribute lookup is the check
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    ok = bool(mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD)) and bool(mallopt(_M_TRIM_THRESHOLD, TRIM_THRESHOLD))
    if not ok:
        log.debug("mallopt refused the thresholds; glibc's defaults stay")
    return ok

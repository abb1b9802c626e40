"""Workaround for PySide6 6.12 on CPython < 3.12: Qt calls over-release None, True and False.

Measured here (PySide6-Essentials 6.12.0, CPython 3.11.7): every call of a void Qt method from
Python (``QLabel.setText``, ``QObject.setObjectName``, …) lowers ``sys.getrefcount(None)`` by
one, and some paths do the same to ``True``/``False``. This looks like the abi3 wheel returning
the singletons the 3.12 way (immortal objects, no reference taken). On 3.11 a GUI session then
dies with "Fatal Python error: none_dealloc" (or ``bool_dealloc``) after enough calls, at the
latest at interpreter exit. Python 3.12+ made these objects immortal, so there is nothing to
do there.

The guard makes them effectively immortal on 3.11 too: it adds 2**40 to their reference
counts once, before Qt is used (so ~10**12 bad releases would be needed to reach zero). It does
nothing on 3.12+ or on other Python implementations. Remove it when PySide6 is fixed or the
project requires Python 3.12 (``tests/ui/test_refcount_guard.py`` shows whether it is needed).
"""

from __future__ import annotations

import ctypes
import sys
import threading

BOOST = 1 << 40
_lock = threading.Lock()
_applied = False


def needed() -> bool:
    return sys.implementation.name == "cpython" and sys.version_info < (3, 12)


def apply() -> bool:
    """Apply once; True when the reference counts were raised (now or earlier)."""
    global _applied
    if not needed():
        return False
    with _lock:
        if not _applied:
            for obj in (None, True, False):
                # ob_refcnt is the first field of every CPython object.
                ctypes.c_ssize_t.from_address(id(obj)).value += BOOST
            _applied = True
    return True

"""The PySide6 desktop window: a thin layer over ``lapor_desk.core`` (no SQL, no HTTP here).

Entry point: :func:`lapor_desk.ui.app.run_app`. Importing this package does not import Qt, but
it applies :mod:`lapor_desk.ui.refcount_guard` first (a PySide6 6.12 bug on Python 3.11).
"""

from lapor_desk.ui import refcount_guard

refcount_guard.apply()

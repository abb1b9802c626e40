"""The PySide6 desktop window: a thin layer over ``lapor_desk.core`` (no SQL, no HTTP here).

Entry point: :func:`lapor_desk.ui.app.run_app`. Importing this package does not import Qt.
"""

"""Every keyboard shortcut of the real main window does exactly one thing."""

from __future__ import annotations

from collections import defaultdict

import pytest
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from ui_support import ctx, ui_hub, window  # noqa: F401 (fixtures)

from lapor_desk.ui.main_window import MainWindow

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def test_no_two_actions_share_a_shortcut(window: MainWindow) -> None:  # noqa: F811
    owners: dict[str, list[str]] = defaultdict(list)
    for action in window.findChildren(QAction):
        for seq in action.shortcuts():
            if not seq.isEmpty():
                owners[seq.toString(QKeySequence.SequenceFormat.PortableText)].append(
                    action.text() or action.objectName())
    for shortcut in window.findChildren(QShortcut):
        key = shortcut.key()
        if not key.isEmpty():
            owners[key.toString(QKeySequence.SequenceFormat.PortableText)].append(
                shortcut.objectName() or "QShortcut")
    clashes = {k: v for k, v in owners.items() if len(v) > 1}
    assert owners, "the window should have shortcuts"
    assert not clashes, clashes

"""Logging to ``<home>/logs/lapor-desk.log`` through one central redaction filter.

The filter runs on the handlers, so every record from every logger (ours, requests, urllib3,
SQLAlchemy) is rendered and scrubbed before it is written: tokens, Bearer headers, passwords,
long hex keys, e-mail addresses, phone numbers and NIK-like 16-digit numbers. Reporter names
cannot be recognised by a pattern; the code never logs them in the first place.
"""

from __future__ import annotations

import logging
import logging.handlers
import re
from pathlib import Path

LOG_NAME = "lapor-desk.log"
_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s"

# Key names whose values are scrubbed (a regex alternation).
_SENSITIVE_KEYS = (
    r"password|passwd|pwd|kata[_ ]?sandi|secret|token|access_token|refresh_token|"
    r"authorization|api[_-]?key|db[_-]?key|cursor")
_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    # "Authorization: Bearer xyz", "bearer xyz"
    (re.compile(r"(?i)\b(bearer)\s+[A-Za-z0-9._~+/=-]+"), r"\1 [REDACTED]"),
    # key=value, key: value, "key": "value" for secret-looking keys
    (re.compile(r"(?i)(\"?'?\b[\w-]*(?:" + _SENSITIVE_KEYS + r")[\w-]*\"?'?\s*[:=]\s*)"
                r"(\"[^\"]*\"|'[^']*'|[^\s,;&}\]]+)"), r"\1[REDACTED]"),
    # JWT-shaped tokens
    (re.compile(r"\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*"), "[TOKEN]"),
    # long hex (keys, digests)
    (re.compile(r"\b[0-9a-fA-F]{32,}\b"), "[HEX]"),
    # opaque url-safe tokens: 32+ chars mixing letters and digits
    # (UUIDs are ids, not secrets: they stay readable.)
    (re.compile(r"(?<![\w/.-])(?![0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}(?![\w-]))"
                r"(?=[A-Za-z0-9_-]*\d)(?=[A-Za-z0-9_-]*[A-Za-z])"
                r"[A-Za-z0-9_-]{32,}(?![\w/.-])"), "[TOKEN]"),
    # e-mail addresses
    (re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"), "[EMAIL]"),
    # NIK (16 digits) before phones, so a NIK is not half-matched as a phone
    (re.compile(r"(?<!\d)\d{16}(?!\d)"), "[NIK]"),
    # Indonesian phone numbers: +62 8xx, 62 8xx, 08xx with optional separators
    (re.compile(r"(?<![\d+])(?:\+62|62|0)[\s.-]?8\d{1,3}(?:[\s.-]?\d{2,5}){2,3}(?!\d)"),
     "[PHONE]"),
)


def redact(text: str) -> str:
    for pattern, replacement in _RULES:
        text = pattern.sub(replacement, text)
    return text


class RedactionFilter(logging.Filter):
    """Renders each record (message, args, traceback) and scrubs it before any handler writes."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string must not lose the record
            message = f"{record.msg!r} (unformattable args)"
        record.msg = redact(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


def setup_logging(log_dir: Path | None, *, level: int = logging.INFO,
                  stderr_level: int | None = None) -> Path | None:
    """Install the rotating file handler (and optionally a stderr one) on the root logger.

    Safe to call again (handlers installed earlier by this function are replaced). Returns the
    log file path, or None when ``log_dir`` is None.
    """
    root = logging.getLogger()
    for h in list(root.handlers):
        if getattr(h, "_lapor_desk", False):
            root.removeHandler(h)
            h.close()
    root.setLevel(min(level, stderr_level or level))
    redaction = RedactionFilter()
    formatter = logging.Formatter(_FORMAT)
    path: Path | None = None
    if log_dir is not None:
        log_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        path = log_dir / LOG_NAME
        path.touch(mode=0o600, exist_ok=True)  # private from the first byte
        fh = logging.handlers.RotatingFileHandler(path, maxBytes=2 * 1024 * 1024,
                                                  backupCount=5, encoding="utf-8", delay=True)
        fh.setLevel(level)
        fh.addFilter(redaction)
        fh.setFormatter(formatter)
        fh._lapor_desk = True  # type: ignore[attr-defined]
        root.addHandler(fh)
    if stderr_level is not None:
        sh = logging.StreamHandler()
        sh.setLevel(stderr_level)
        sh.addFilter(redaction)
        sh.setFormatter(formatter)
        sh._lapor_desk = True  # type: ignore[attr-defined]
        root.addHandler(sh)
    # Chatty libraries stay at warning level; their URLs carry cursors.
    for name in ("urllib3", "requests", "sqlalchemy", "alembic", "keyring"):
        logging.getLogger(name).setLevel(logging.WARNING)
    return path

"""Passwords, access and refresh tokens.

Only SHA-256 digests of tokens are stored. Access tokens live 15 minutes. Refresh tokens
rotate on every use; to survive a refresh response lost on a bad link, the previous refresh
token stays usable until its successor has been used once, or for 5 minutes after its first
use, whichever comes first. Any other reuse of a rotated token revokes the whole family.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import hmac
import secrets
import time
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, delete, select, update

from lapor_hub import db

ACCESS_TTL = 15 * 60
REFRESH_TTL = 30 * 24 * 3600
REFRESH_GRACE = 5 * 60
MIN_PASSWORD_CHARS = 8

_SCRYPT_N, _SCRYPT_R, _SCRYPT_P = 2**14, 8, 1


class AuthFailure(Exception):
    """A login/token problem; ``code`` is the wire error code (never carries secrets)."""

    def __init__(self, code: str, message: str, status: int = 401) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=_SCRYPT_N, r=_SCRYPT_R,
                            p=_SCRYPT_P, dklen=32)
    return f"scrypt${_SCRYPT_N}${_SCRYPT_R}${_SCRYPT_P}${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        algo, n, r, p, salt_hex, digest_hex = stored.split("$")
        if algo != "scrypt":
            return False
        digest = hashlib.scrypt(password.encode("utf-8", "surrogatepass"),
                                salt=bytes.fromhex(salt_hex), n=int(n), r=int(r), p=int(p),
                                dklen=len(digest_hex) // 2)
    except (ValueError, UnicodeError):
        return False
    return hmac.compare_digest(digest.hex(), digest_hex)


@functools.cache
def _dummy_hash() -> str:
    """Checked when the user does not exist, so timing does not reveal usernames."""
    return hash_password(secrets.token_hex(16))


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True, slots=True)
class Principal:
    user_id: str
    username: str
    display_name: str
    role: str
    agency_id: str
    agency_name: str
    device_id: str | None = None  # from the login that issued the access token


def _principal(conn: Connection, user_id: str) -> Principal | None:
    row = conn.execute(
        select(db.users.c.id, db.users.c.username, db.users.c.display_name, db.users.c.role,
               db.users.c.agency_id, db.users.c.disabled, db.agencies.c.name)
        .join(db.agencies, db.agencies.c.id == db.users.c.agency_id)
        .where(db.users.c.id == user_id)).first()
    if row is None or row.disabled:
        return None
    return Principal(row.id, row.username, row.display_name, row.role, row.agency_id, row.name)


def user_info(p: Principal) -> dict[str, Any]:
    return {"id": p.user_id, "username": p.username, "display_name": p.display_name,
            "role": p.role, "agency_id": p.agency_id, "agency_name": p.agency_name}


def _issue(conn: Connection, user_id: str, family_id: str, parent_hash: str | None,
           device_id: str | None, now: int) -> tuple[str, str]:
    access = secrets.token_urlsafe(32)
    refresh = secrets.token_urlsafe(32)
    conn.execute(db.tokens.insert(), [
        {"hash": token_digest(access), "kind": "access", "user_id": user_id,
         "family_id": family_id, "parent_hash": None, "created_at": now,
         "expires_at": now + ACCESS_TTL, "used_at": None, "revoked": False,
         "device_id": device_id},
        {"hash": token_digest(refresh), "kind": "refresh", "user_id": user_id,
         "family_id": family_id, "parent_hash": parent_hash, "created_at": now,
         "expires_at": now + REFRESH_TTL, "used_at": None, "revoked": False,
         "device_id": device_id},
    ])
    return access, refresh


def _token_response(conn: Connection, p: Principal, access: str, refresh: str) -> dict[str, Any]:
    return {"access_token": access, "refresh_token": refresh, "token_type": "bearer",
            "expires_in": ACCESS_TTL, "user": user_info(p)}


def login(conn: Connection, username: str, password: str,
          device_id: str | None = None) -> dict[str, Any]:
    row = conn.execute(select(db.users.c.id, db.users.c.password_hash, db.users.c.disabled)
                       .where(db.users.c.username == username)).first()
    ok = verify_password(password, row.password_hash if row is not None else _dummy_hash())
    principal = _principal(conn, row.id) if row is not None and ok else None
    if principal is None:
        raise AuthFailure("invalid_credentials", "Wrong username or password.")
    now = int(time.time())
    # Housekeeping. Expired access tokens are kept as long as a refresh token could be, so an
    # old access token still answers "token_expired" (refresh) rather than "invalid_token".
    conn.execute(delete(db.tokens).where(db.tokens.c.expires_at < now - REFRESH_TTL - 86400))
    access, refresh = _issue(conn, principal.user_id, str(uuid.uuid4()), None, device_id, now)
    return _token_response(conn, principal, access, refresh)


def _revoke_family(conn: Connection, family_id: str) -> None:
    conn.execute(update(db.tokens).where(db.tokens.c.family_id == family_id)
                 .values(revoked=True))


def refresh(conn: Connection, token: str, *, now: int | None = None) -> dict[str, Any]:
    """Rotate a refresh token inside the caller's write transaction.

    Raises ``AuthFailure``; a reuse that revoked the family raises only after the revocation is
    written, so the caller must commit even on failure: use ``refresh_in_tx``.
    """
    result = _refresh(conn, token, now)
    if isinstance(result, AuthFailure):
        raise result
    return result


def refresh_in_tx(engine: Engine, token: str, *, now: int | None = None) -> dict[str, Any]:
    """Rotate a refresh token in its own transaction, committing revocations before failing."""
    with db.write_tx(engine) as conn:
        result = _refresh(conn, token, now)
    if isinstance(result, AuthFailure):
        raise result
    return result


def _refresh(conn: Connection, token: str, now: int | None) -> dict[str, Any] | AuthFailure:
    now = int(time.time()) if now is None else now
    h = token_digest(token)
    q = select(db.tokens).where(db.tokens.c.hash == h, db.tokens.c.kind == "refresh")
    if conn.dialect.name == "postgresql":
        q = q.with_for_update()
    row = conn.execute(q).mappings().first()
    if row is None or row["revoked"] or row["expires_at"] <= now:
        return AuthFailure("invalid_token", "The refresh token is not valid; please log in.")
    principal = _principal(conn, row["user_id"])
    if principal is None:
        _revoke_family(conn, row["family_id"])
        return AuthFailure("invalid_token", "The refresh token is not valid; please log in.")
    if row["used_at"] is not None:
        # Rotated before: allowed only while its successor is unused and within the grace window.
        children = conn.execute(
            select(db.tokens.c.hash, db.tokens.c.used_at, db.tokens.c.revoked)
            .where(db.tokens.c.parent_hash == h)).all()
        successor_used = any(c.used_at is not None for c in children)
        if successor_used or now - int(row["used_at"]) > REFRESH_GRACE:
            _revoke_family(conn, row["family_id"])
            return AuthFailure("invalid_token", "The refresh token was reused; please log in.")
        # The earlier successor was never received: retire it and issue a new one.
        conn.execute(update(db.tokens).where(db.tokens.c.parent_hash == h)
                     .values(revoked=True))
    else:
        conn.execute(update(db.tokens).where(db.tokens.c.hash == h).values(used_at=now))
    access, new_refresh = _issue(conn, principal.user_id, row["family_id"], h,
                                 row["device_id"], now)
    return _token_response(conn, principal, access, new_refresh)


def logout(conn: Connection, token: str) -> None:
    row = conn.execute(select(db.tokens.c.family_id)
                       .where(db.tokens.c.hash == token_digest(token))).first()
    if row is not None:
        _revoke_family(conn, row.family_id)


def authenticate(conn: Connection, access_token: str, *, now: int | None = None) -> Principal:
    now = int(time.time()) if now is None else now
    row = conn.execute(select(db.tokens.c.user_id, db.tokens.c.expires_at, db.tokens.c.revoked,
                              db.tokens.c.device_id)
                       .where(db.tokens.c.hash == token_digest(access_token),
                              db.tokens.c.kind == "access")).first()
    if row is None or row.revoked:
        raise AuthFailure("invalid_token", "The access token is not valid; please log in.")
    if row.expires_at <= now:
        raise AuthFailure("token_expired", "The access token expired; refresh it.")
    principal = _principal(conn, row.user_id)
    if principal is None:
        raise AuthFailure("invalid_token", "The account is not active.")
    return dataclasses.replace(principal, device_id=row.device_id)


def add_user(conn: Connection, *, username: str, password: str, role: str, agency_id: str,
             display_name: str | None = None, user_id: str | None = None) -> str:
    """Create a user (caller checks role/agency validity). Returns the new id."""
    if len(password) < MIN_PASSWORD_CHARS:
        raise ValueError(f"password must have at least {MIN_PASSWORD_CHARS} characters")
    uid = user_id or str(uuid.uuid4())
    conn.execute(db.users.insert().values(
        id=uid, username=username, display_name=display_name or username, role=role,
        agency_id=agency_id, password_hash=hash_password(password), disabled=False))
    db.bump_ref_seq(conn)
    return uid

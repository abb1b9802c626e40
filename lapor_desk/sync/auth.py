"""Login and token refresh.

The password is sent once and never kept. The access token lives in memory only; the refresh
token lives in the profile's SecretStore (OS keyring) and is replaced the moment the server
rotates it. If a refresh response is lost after the server rotated the token, the old token is
still in the store and the server's grace period accepts it once more.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import TypeVar

from lapor_desk.errors import AuthError, LoginExpiredError, NotLoggedInError
from lapor_desk.secrets import (
    SecretStore,
    delete_refresh_token,
    get_refresh_token,
    set_refresh_token,
)
from lapor_desk.sync import protocol as p
from lapor_desk.sync.transport import TokenExpired, Transport
from lapor_desk.sync.validate import parse_token_response, parse_user_info

log = logging.getLogger(__name__)

T = TypeVar("T")
_EXPIRY_MARGIN = 30.0  # refresh a little early so a long page download does not expire mid-way


def login(transport: Transport, username: str, password: str, device_id: str,
          device_name: str | None = None) -> p.TokenResponse:
    """POST /auth/login. Wrong credentials raise ``AuthError``; nothing is retried on 401."""
    body: p.LoginRequest = {"username": username, "password": password, "device_id": device_id}
    if device_name:
        body["device_name"] = device_name
    return parse_token_response(transport.post_json("/auth/login", body))


class AuthSession:
    """Hands out a valid access token and refreshes it (once per 401) with the stored token."""

    def __init__(self, transport: Transport, secrets: SecretStore, *,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.transport = transport
        self.secrets = secrets
        self._clock = clock
        self._lock = threading.Lock()
        self._access: str | None = None
        self._expires_at = 0.0
        self.user: p.UserInfo | None = None

    def adopt(self, tokens: p.TokenResponse) -> None:
        """Take the tokens of a fresh login or refresh; the refresh token is stored first."""
        set_refresh_token(self.secrets, tokens["refresh_token"])
        with self._lock:
            self._access = tokens["access_token"]
            self._expires_at = self._clock() + max(0.0, tokens["expires_in"] - _EXPIRY_MARGIN)
            self.user = tokens["user"]

    def access_token(self) -> str:
        with self._lock:
            if self._access is not None and self._clock() < self._expires_at:
                return self._access
        return self.refresh()

    def refresh(self, stale: str | None = None) -> str:
        """Exchange the stored refresh token for new tokens; returns the new access token.

        ``stale`` is the access token that just failed: if another thread already replaced it,
        that newer token is returned instead of refreshing twice.
        """
        with self._lock:
            if stale is not None and self._access not in (None, stale) and \
                    self._clock() < self._expires_at:
                assert self._access is not None
                return self._access
            token = get_refresh_token(self.secrets)
            if not token:
                raise NotLoggedInError()
            body: p.RefreshRequest = {"refresh_token": token}
            try:
                raw = self.transport.post_json("/auth/refresh", body)
            except AuthError as exc:
                # Revoked, expired beyond grace or a device logged out elsewhere.
                self._access = None
                raise LoginExpiredError(exc.detail) from None
            tokens = parse_token_response(raw)
            # Store the rotated token before anything else can fail.
            set_refresh_token(self.secrets, tokens["refresh_token"])
            self._access = tokens["access_token"]
            self._expires_at = self._clock() + max(0.0, tokens["expires_in"] - _EXPIRY_MARGIN)
            self.user = tokens["user"]
            log.info("access token refreshed")
            return self._access

    def call(self, fn: Callable[[str], T]) -> T:
        """Run ``fn(access_token)``; on 401 token_expired refresh exactly once and retry."""
        token = self.access_token()
        try:
            return fn(token)
        except TokenExpired:
            token = self.refresh(stale=token)
        try:
            return fn(token)
        except TokenExpired:
            raise LoginExpiredError("token expired again after refresh") from None

    def me(self) -> p.UserInfo:
        return parse_user_info(self.call(lambda t: self.transport.get_json("/me", token=t)))

    def logout(self) -> bool:
        """Revoke the refresh token on the server (best effort) and forget both tokens.

        Returns whether the server confirmed; the local tokens are dropped either way.
        """
        token = get_refresh_token(self.secrets)
        confirmed = False
        if token:
            body: p.RefreshRequest = {"refresh_token": token}
            try:
                self.transport.request("POST", "/auth/logout", body=body, retry=False)
                confirmed = True
            except Exception as exc:  # offline logout still forgets the tokens locally
                log.info("server logout not confirmed: %s", type(exc).__name__)
        delete_refresh_token(self.secrets)
        with self._lock:
            self._access = None
            self._expires_at = 0.0
        return confirmed

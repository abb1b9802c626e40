"""The FastAPI application: endpoints and shapes of ``lapor_desk.sync.protocol``."""

from __future__ import annotations

import gzip
import json
import logging
import time
import zlib
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, Field, ValidationError, field_validator
from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from lapor_desk.models.domain import Role
from lapor_desk.sync.protocol import (
    API_PREFIX,
    CHECKSUM_BUCKETS,
    MAX_FETCH_IDS,
    MAX_LISTING_BUCKETS,
    MAX_UPLOAD_CHUNK_BYTES,
    PROTOCOL_VERSION,
)
from lapor_hub import __version__, auth, blobs, checksums, commands, db, feed

log = logging.getLogger("lapor_hub")

SYNC_ROLES = frozenset(r.value for r in Role)


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


def _no_nul(value: str | None) -> str | None:
    # PostgreSQL text cannot hold NUL; refuse it as input instead of failing in the database.
    if value is not None and "\x00" in value:
        raise ValueError("must not contain NUL characters")
    return value


class LoginBody(BaseModel):
    username: str = Field(min_length=1, max_length=150)
    password: str = Field(min_length=1, max_length=1024)
    device_id: str | None = Field(default=None, max_length=100)
    device_name: str | None = Field(default=None, max_length=200)

    _check = field_validator("username", "password", "device_id", "device_name")(_no_nul)


class PushBody(BaseModel):
    device_id: str = Field(min_length=1, max_length=100)
    commands: list[dict[str, Any]] = Field(max_length=commands.MAX_COMMANDS)

    _check = field_validator("device_id")(_no_nul)

    @field_validator("device_id")
    @classmethod
    def _utf8(cls, value: str) -> str:
        value.encode("utf-8")  # a lone surrogate cannot be stored; raises ValueError
        return value


class ListingBody(BaseModel):
    cursor: str | None = Field(default=None, max_length=8192)
    buckets: list[Annotated[int, Field(ge=0, lt=CHECKSUM_BUCKETS)]] = Field(
        max_length=MAX_LISTING_BUCKETS)


class FetchBody(BaseModel):
    cursor: str | None = Field(default=None, max_length=8192)
    ids: list[Annotated[str, Field(min_length=1, max_length=100)]] = Field(
        max_length=MAX_FETCH_IDS)

    @field_validator("ids")
    @classmethod
    def _no_nul_ids(cls, value: list[str]) -> list[str]:
        for item in value:
            _no_nul(item)
            item.encode("utf-8")  # a lone surrogate cannot be queried; raises ValueError
        return value
class UploadBody(BaseModel):
    sha256: str = Field(min_length=64, max_length=64, pattern="^[0-9a-fA-F]{64}$")
    size: int = Field(ge=0, le=2**40)


class RefreshBody(BaseModel):
    refresh_token: str = Field(min_length=1, max_length=200)

    _check = field_validator("refresh_token")(_no_nul)


MAX_PUSH_BYTES = 64 * 1024 * 1024  # a push body, decoded


async def _read_capped(request: Request, limit: int) -> bytes:
    """The request body, refused with 413 past ``limit`` bytes (also after gzip decoding)."""
    too_big = ApiError(413, "too_large", f"The request body exceeds {limit} bytes.")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise too_big
    chunks: list[bytes] = []
    total = 0
    async for chunk in request.stream():
        total += len(chunk)
        if total > limit:
            raise too_big
        chunks.append(chunk)
    raw = b"".join(chunks)
    encoding = request.headers.get("content-encoding", "identity").strip().lower()
    if encoding == "gzip":
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        try:
            raw = inflater.decompress(raw, limit + 1)
        except zlib.error:
            raise ApiError(400, "bad_request", "Corrupt gzip body.") from None
        if len(raw) > limit or inflater.unconsumed_tail:
            raise too_big
    elif encoding not in ("identity", ""):
        raise ApiError(415, "unsupported_encoding", "Send identity or gzip bodies.")
    return raw


def _error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status)


def _device_mismatch() -> ApiError:
    return ApiError(403, "device_mismatch",
                    "This device id belongs to another user; sign in on a device profile of "
                    "your own (Perangkat ini terdaftar untuk pengguna lain).")


_bearer = HTTPBearer(auto_error=False)


def principal(
    request: Request,
    creds: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> auth.Principal:
    """The caller behind the bearer access token (checks expiry, revocation and role)."""
    if creds is None or creds.scheme.lower() != "bearer" or not creds.credentials:
        raise ApiError(401, "invalid_token", "A bearer access token is required.")
    engine: Engine = request.app.state.engine
    with db.read_tx(engine) as conn:
        who = auth.authenticate(conn, creds.credentials)
    if who.role not in SYNC_ROLES:
        raise ApiError(403, "forbidden", "This role may not use the desk API.")
    return who


Who = Annotated[auth.Principal, Depends(principal)]


def create_app(db_url: str) -> FastAPI:
    """The server over ``db_url`` (tables and the meta row are created when missing)."""
    engine: Engine = db.make_engine(db_url)
    db.init_db(engine)
    app = FastAPI(title="LAPOR! Hub", version=__version__)
    app.state.engine = engine

    @app.exception_handler(ApiError)
    async def _api_error(_req: Request, exc: ApiError) -> JSONResponse:
        return _error(exc.status, exc.code, exc.message)

    @app.exception_handler(auth.AuthFailure)
    async def _auth_error(_req: Request, exc: auth.AuthFailure) -> JSONResponse:
        return _error(exc.status, exc.code, exc.message)

    @app.exception_handler(blobs.BlobError)
    async def _blob_error(_req: Request, exc: blobs.BlobError) -> JSONResponse:
        response = _error(exc.status, exc.code, exc.message)
        response.headers.update(exc.headers)
        return response

    @app.exception_handler(RequestValidationError)
    async def _invalid(_req: Request, exc: RequestValidationError) -> JSONResponse:
        # Name the fields only; never echo the submitted values (passwords, tokens).
        where = ", ".join(".".join(str(p) for p in e.get("loc", ())) for e in exc.errors()[:5])
        return _error(422, "invalid_input", f"Invalid input: {where}")

    @app.exception_handler(StarletteHTTPException)
    async def _http(_req: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        return _error(exc.status_code, code, str(exc.detail))

    @app.exception_handler(Exception)
    async def _bug(_req: Request, exc: Exception) -> JSONResponse:
        log.error("internal error: %s", type(exc).__name__)
        return _error(500, "server_error", "Internal server error.")

    @app.get(f"{API_PREFIX}/health")
    def health() -> dict[str, Any]:
        # Read each time: an operator may change the epoch (restore from backup) while running.
        with db.read_tx(engine) as conn:
            epoch = db.get_meta(conn)["epoch"]
        return {"status": "ok", "epoch": epoch, "protocol": PROTOCOL_VERSION,
                "version": __version__}

    def _own_device(device_id: str, user_id: str) -> bool:
        """May the user push under ``device_id``? (``db.claim_device``; read-only when the
        device is already the user's.)"""
        with db.read_tx(engine) as conn:
            if db.device_owner(conn, device_id) == user_id:
                return True
        with db.write_tx(engine) as conn:
            return db.claim_device(conn, device_id, user_id, int(time.time()))

    @app.post(f"{API_PREFIX}/auth/login")
    def login(body: LoginBody) -> dict[str, Any]:
        with db.write_tx(engine) as conn:
            result = auth.login(conn, body.username, body.password, body.device_id)
            if result["user"]["role"] not in SYNC_ROLES:
                # Raised inside the transaction: the tokens just issued are rolled back.
                raise ApiError(403, "forbidden", "This role may not use the desk API.")
            if body.device_id and not db.claim_device(conn, body.device_id,
                                                      result["user"]["id"], int(time.time()),
                                                      login=True):
                raise _device_mismatch()
            return result

    @app.post(f"{API_PREFIX}/auth/refresh")
    def refresh(body: RefreshBody) -> dict[str, Any]:
        return auth.refresh_in_tx(engine, body.refresh_token)

    @app.post(f"{API_PREFIX}/auth/logout")
    def logout(body: RefreshBody) -> dict[str, Any]:
        with db.write_tx(engine) as conn:
            auth.logout(conn, body.refresh_token)
        return {}

    @app.get(f"{API_PREFIX}/me")
    def me(who: Who) -> dict[str, Any]:
        return auth.user_info(who)

    @app.get(f"{API_PREFIX}/sync/changes", response_class=Response,
             responses={200: {"content": {"application/json": {}},
                              "description": "A gzip-encoded ChangesPage"}})
    def changes(who: Who, cursor: Annotated[str | None, Query(max_length=8192)] = None,
                max_bytes: Annotated[int | None, Query(ge=0, le=2**40)] = None,
                device_id: Annotated[str | None, Query(max_length=100)] = None) -> Response:
        if device_id is not None and "\x00" in device_id:
            raise ApiError(422, "invalid_input", "Invalid input: device_id")
        try:
            page = feed.read_page(engine, who, cursor, max_bytes, device_id)
        except feed.ResetRequired as exc:
            raise ApiError(409, "reset_required", str(exc)) from exc
        return Response(content=page.body, media_type="application/json",
                        headers={"Content-Encoding": "gzip"})

    def _gzip_json(text: str) -> Response:
        return Response(content=gzip.compress(text.encode("utf-8"), compresslevel=5),
                        media_type="application/json", headers={"Content-Encoding": "gzip"})

    def _verify(fn: Any, *args: Any) -> Response:
        try:
            result = fn(engine, *args)
        except feed.ResetRequired as exc:
            raise ApiError(409, "reset_required", str(exc)) from exc
        if isinstance(result, str):
            return _gzip_json(result)
        return _gzip_json(json.dumps(result, ensure_ascii=False, separators=(",", ":")))

    @app.get(f"{API_PREFIX}/sync/checksums", response_class=Response,
             responses={200: {"content": {"application/json": {}},
                              "description": "Checksums (gzip)"}})
    def sync_checksums(who: Who,
                       cursor: Annotated[str | None, Query(max_length=8192)] = None) -> Response:
        return _verify(checksums.checksums, who, cursor)

    @app.post(f"{API_PREFIX}/sync/listing", response_class=Response,
              responses={200: {"content": {"application/json": {}},
                               "description": "Listing (gzip)"}})
    def sync_listing(who: Who, body: ListingBody) -> Response:
        return _verify(checksums.listing, who, body.cursor, body.buckets)

    @app.post(f"{API_PREFIX}/sync/fetch", response_class=Response,
              responses={200: {"content": {"application/json": {}},
                               "description": "A ChangesPage of the asked ids (gzip)"}})
    def sync_fetch(who: Who, body: FetchBody) -> Response:
        return _verify(checksums.fetch, who, body.cursor, body.ids)

    @app.post(f"{API_PREFIX}/sync/push", response_class=Response, openapi_extra={
        "requestBody": {"required": True, "content": {
            "application/json": {"schema": PushBody.model_json_schema()}}}},
        responses={200: {"content": {"application/json": {}},
                         "description": "A PushResponse (gzip when accepted)"}})
    async def push(request: Request, who: Who) -> Response:
        raw = await _read_capped(request, MAX_PUSH_BYTES)
        try:
            body = PushBody.model_validate_json(raw)
        except ValidationError as exc:
            where = ", ".join(".".join(str(p) for p in e.get("loc", ()))
                              for e in exc.errors()[:5])
            raise ApiError(422, "invalid_input", f"Invalid input: {where or 'body'}") from None
        if not await run_in_threadpool(_own_device, body.device_id, who.user_id):
            raise _device_mismatch()
        try:
            result = await run_in_threadpool(commands.push, engine, who, body.device_id,
                                             list(body.commands))
        except commands.DeviceMismatch:
            raise _device_mismatch() from None
        payload = json.dumps({"outcomes": result.outcomes, "next_seq": result.next_seq},
                             ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        headers = {}
        if "gzip" in request.headers.get("accept-encoding", "") and len(payload) > 1024:
            payload = gzip.compress(payload, compresslevel=5)
            headers["Content-Encoding"] = "gzip"
        return Response(payload, media_type="application/json", headers=headers)

    # ---------------------------------------------------------------- attachments

    @app.post(f"{API_PREFIX}/attachments/uploads")
    def create_upload(body: UploadBody, who: Who) -> dict[str, Any]:
        with db.write_tx(engine) as conn:
            return blobs.create_upload(conn, who, body.sha256, body.size)

    @app.get(f"{API_PREFIX}/attachments/uploads/{{upload_id}}")
    def upload_state(upload_id: Annotated[str, Path(max_length=36)],
                     who: Who) -> dict[str, Any]:
        with db.read_tx(engine) as conn:
            return blobs.upload_state(conn, who, upload_id)

    @app.put(f"{API_PREFIX}/attachments/uploads/{{upload_id}}")
    async def upload_chunk(request: Request, upload_id: Annotated[str, Path(max_length=36)],
                           offset: Annotated[int, Query(ge=0, le=2**40)],
                           who: Who) -> dict[str, Any]:
        data = await _read_capped(request, MAX_UPLOAD_CHUNK_BYTES)

        def store() -> dict[str, Any]:
            with db.write_tx(engine) as conn:
                return blobs.put_chunk(conn, who, upload_id, offset, data)

        return await run_in_threadpool(store)

    @app.post(f"{API_PREFIX}/attachments/uploads/{{upload_id}}/complete")
    def complete_upload(upload_id: Annotated[str, Path(max_length=36)],
                        who: Who) -> dict[str, Any]:
        for attempt in range(2):
            try:
                with db.write_tx(engine) as conn:
                    return blobs.complete_upload(conn, who, upload_id)
            except IntegrityError:
                # Another session finished the same content at the same moment (PostgreSQL):
                # the second try finds the blob and dedupes.
                if attempt:
                    raise
            except blobs.BlobError as exc:
                if exc.code != "hash_mismatch":
                    raise
                break
        # A bad upload is discarded (its own transaction) so the client can start again.
        with db.write_tx(engine) as conn:
            conn.execute(db.blob_chunks.delete().where(db.blob_chunks.c.owner == upload_id))
            conn.execute(db.uploads.delete().where(db.uploads.c.id == upload_id))
        raise blobs.BlobError(422, "hash_mismatch",
                              "The uploaded bytes do not match the SHA-256; upload again.")

    @app.get(f"{API_PREFIX}/attachments/{{attachment_id}}/content", response_class=Response,
             responses={200: {"content": {"application/octet-stream": {}}},
                        206: {"content": {"application/octet-stream": {}}}})
    def attachment_content(request: Request,
                           attachment_id: Annotated[str, Path(max_length=36)],
                           who: Who) -> Response:
        with db.read_tx(engine) as conn:
            plan = blobs.plan_download(conn, who, attachment_id, request.headers.get("range"))
            data = blobs.read_range(conn, plan.sha256, plan.start, plan.end)
        headers = {"Accept-Ranges": "bytes", "ETag": f'"{plan.sha256}"',
                   "X-Content-SHA256": plan.sha256}
        if plan.partial:
            headers["Content-Range"] = f"bytes {plan.start}-{plan.end}/{plan.size}"
        # Always octet-stream: the stored mime type is client-supplied display data.
        return Response(data, status_code=206 if plan.partial else 200,
                        media_type="application/octet-stream", headers=headers)

    return app

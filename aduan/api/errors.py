"""One error body for every error of the server.

``/open311/...`` answers as GeoReport v2 does (a missing or unknown key is 403 there, 401
elsewhere): ``[{"code": 400, "description": "..."}]``, or
``<errors><error>`` when an ``.xml`` URL was asked for.
Everything else (``/api/v1``, unknown paths): ``{"error": {"code": "...", "message": "..."}}``.
Messages are Indonesian (bot/texts/integrations.py); codes are stable identifiers for programs.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from bot import texts
from bot.render.errors import domain_error
from bot.render.labels import shorten
from complaints.errors import DomainError, StorageUnavailable

from . import xml
from .schemas import ErrorBody, Open311Error

log = logging.getLogger(__name__)

OPEN311_PREFIX = "/open311/"
MAX_NAMED_FIELDS = 5  # an error message names at most this many fields
METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")
_HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid_request",
    429: "rate_limited",
    500: "internal_error",
    503: "unavailable",
}


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status, self.code, self.message, self.headers = status, code, message, headers


def rate_limited(wait_seconds: float) -> ApiError:
    seconds = max(1, math.ceil(wait_seconds))
    return ApiError(429, "rate_limited", texts.API_RATE_LIMITED.format(seconds=seconds), {"Retry-After": str(seconds)})


def from_domain(error: DomainError) -> ApiError:
    """The same refusals as the chat and the command line, with an HTTP status."""
    p = error.params
    if error.code == "not_found":
        return ApiError(404, "not_found", texts.API_COMPLAINT_NOT_FOUND.format(code=p.get("code", "")))
    if error.code in ("not_authorised", "not_disposed"):
        return ApiError(403, error.code, domain_error(error))
    if error.code == "note_required":
        return ApiError(422, "note_required", texts.API_NOTE_REQUIRED.format(target=p.get("target", "")))
    if error.code == "bad_unit":
        return ApiError(422, "bad_unit", texts.API_BAD_UNIT.format(unit=p.get("unit", "")))
    if error.code == "merge_self":  # the request names one complaint twice
        return ApiError(422, error.code, domain_error(error))
    return ApiError(409, error.code, domain_error(error))


def error_body(path: str, status: int, code: str, message: str) -> Any:
    """The error body for a request to ``path``: GeoReport v2's list on /open311/, ours elsewhere."""
    if path.startswith(OPEN311_PREFIX):
        return [Open311Error(code=status, description=message).model_dump()]
    return ErrorBody.of(code, message).model_dump()


def error_response(request: Request, status: int, code: str, message: str,
                   headers: Mapping[str, str] | None = None) -> Response:
    return error_response_at(request.url.path, status, code, message, headers)


def error_response_at(path: str, status: int, code: str, message: str,
                      headers: Mapping[str, str] | None = None) -> Response:
    """The error response to a request for ``path``: on /open311/ GeoReport v2's error list,
    in XML when an .xml URL was asked for (``<errors><error><code/><description/>``)."""
    if path.startswith(OPEN311_PREFIX):
        return open311_error(path, status, message, headers)
    return JSONResponse(error_body(path, status, code, message), status_code=status, headers=headers)


def open311_error(path: str, status: int, message: str, headers: Mapping[str, str] | None = None) -> Response:
    body = [Open311Error(code=status, description=message)]
    fmt: xml.Format = "xml" if path.endswith(".xml") else "json"
    return xml.respond(fmt, body, xml.errors, status_code=status, headers=headers)


def allowed_methods(request: Request) -> str:
    """The methods some route of the app answers at this path (a 405's ``Allow``). The
    router names only the first route that matched the path, and a path may have several
    (Open311's requests.json: GET and POST), so each method is tried on a fresh scope."""
    routes = request.app.router.routes
    allowed = []
    for method in METHODS:
        probe = {"type": "http", "method": method, "path": request.scope["path"],
                 "root_path": request.scope.get("root_path", ""), "headers": [], "query_string": b""}
        if any(route.matches(probe)[0] is Match.FULL for route in routes):
            allowed.append(method)
    return ", ".join(allowed)


def _field_names(error: RequestValidationError) -> str:
    names = []
    for problem in error.errors():
        if problem.get("type") == "json_invalid":  # its location is a position in the text
            names.append("body (JSON)")
            continue
        location = [str(part) for part in problem.get("loc", ()) if part not in ("body", "query", "path", "header")]
        names.append(shorten(".".join(location), 40) or "body")
    unique = list(dict.fromkeys(names))
    if len(unique) > MAX_NAMED_FIELDS:  # never the body again: a few names, then how many more
        unique = [*unique[:MAX_NAMED_FIELDS], texts.API_MORE_FIELDS.format(count=len(unique) - MAX_NAMED_FIELDS)]
    return ", ".join(unique) or "body"


def install(api: FastAPI) -> None:
    async def api_error(request: Request, error: Exception) -> Response:
        assert isinstance(error, ApiError)
        status = error.status
        if status == 401 and request.url.path.startswith(OPEN311_PREFIX):
            status = 403  # GeoReport v2: a missing or unknown api_key is 403 (/api/v1 keeps 401)
        return error_response(request, status, error.code, error.message, error.headers)

    async def http_error(request: Request, error: Exception) -> Response:
        assert isinstance(error, StarletteHTTPException)
        status = error.status_code
        if status == 404:
            message = texts.API_NOT_FOUND
        elif status == 405:
            message = texts.API_METHOD_NOT_ALLOWED.format(method=shorten(request.method, 20))
            headers = {**(error.headers or {}), "Allow": allowed_methods(request)}
            return error_response(request, status, _HTTP_CODES[status], message, headers)
        elif status == 400:  # FastAPI could not parse the body
            message = texts.API_UNREADABLE_BODY
        else:
            message = str(error.detail)
        return error_response(request, status, _HTTP_CODES.get(status, "error"), message, error.headers)

    async def invalid(request: Request, error: Exception) -> Response:
        assert isinstance(error, RequestValidationError)
        message = texts.API_INVALID_REQUEST.format(fields=_field_names(error))
        # GeoReport v2 reports every bad parameter as 400
        status = 400 if request.url.path.startswith(OPEN311_PREFIX) else 422
        return error_response(request, status, _HTTP_CODES[status], message)

    async def unavailable(request: Request, error: Exception) -> Response:
        log.warning("an API request failed, the database is unavailable: %s", error)
        return error_response(request, 503, "unavailable", texts.API_UNAVAILABLE)

    async def crashed(request: Request, error: Exception) -> Response:
        return error_response(request, 500, "internal_error", texts.API_INTERNAL_ERROR)

    api.add_exception_handler(ApiError, api_error)
    api.add_exception_handler(StarletteHTTPException, http_error)
    api.add_exception_handler(RequestValidationError, invalid)
    api.add_exception_handler(StorageUnavailable, unavailable)
    api.add_exception_handler(Exception, crashed)  # logged and re-raised by Starlette

"""The JSON API, version 1: one NinjaAPI object mounted at /api/v1/.

Errors are RFC 9457 problem details, reads carry an ETag (answered with 304 when it
matches If-None-Match), public reads allow any origin (CORS) and keyed ones none.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_vary_headers
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from askdesk.api import integrations, public
from askdesk.api import webhooks as webhooks_api
from askdesk.api.auth import PUBLIC
from askdesk.api.problems import (
    INVALID_INPUT,
    PROBLEM_CONTENT_TYPE,
    REFUSED,
    ApiProblem,
    Problem,
    field_errors,
    problem,
)

DESCRIPTION = """\
askdesk's JSON API: published answers for live pages and apps (no key needed), and, with a
newsroom's API key (`Authorization: Bearer KEY`), the desk's integrations: import stories,
open and close call-outs, triage and export questions, publish answers, register webhooks.

* Lists are paged with cursors: pass `next_cursor` as `?cursor=` until it is null.
* Reads carry an `ETag`; send it back in `If-None-Match` to get `304 Not Modified`.
* Errors are `application/problem+json` (RFC 9457); bad input lists each field in `errors`.
* Requests are rate-limited per key (public endpoints: per client address): `429` with `Retry-After`.
* Readers' contact details are never sent, whatever the key.
"""


class AskdeskApi(NinjaAPI):
    def create_response(
        self,
        request: HttpRequest,
        data: Any,
        *,
        status: int | None = None,
        temporal_response: HttpResponse | None = None,
    ) -> HttpResponse:
        response = super().create_response(request, data, status=status, temporal_response=temporal_response)
        return finish(request, response)

    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: Any = None) -> Any:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        return with_problems(schema)


def finish(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Problem content type, ETag and 304, caching and CORS headers: one place for every response."""
    public = getattr(request, "auth", None) == PUBLIC
    if response.status_code >= 400:
        response["Content-Type"] = PROBLEM_CONTENT_TYPE
    elif request.method in {"GET", "HEAD"} and response.status_code == 200 and not response.streaming:
        etag = '"' + hashlib.sha256(response.content).hexdigest()[:32] + '"'
        response["ETag"] = etag
        if etag_matches(request.headers.get("If-None-Match", ""), etag):
            response = HttpResponseNotModified()
            response["ETag"] = etag
        response["Cache-Control"] = "public, max-age=30" if public else "private, no-cache"
    if public:
        response["Access-Control-Allow-Origin"] = "*"
        response["Access-Control-Expose-Headers"] = "ETag, Retry-After"
    else:
        patch_vary_headers(response, ["Authorization"])
    return response


def etag_matches(header: str, etag: str) -> bool:
    tags = [tag.strip().removeprefix("W/") for tag in header.split(",")]
    return "*" in tags or etag in tags


api = AskdeskApi(
    title="askdesk API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    docs_url="/docs",
    openapi_url="/openapi.json",
)


def _respond(
    request: HttpRequest, status: int, body: dict[str, Any], headers: dict[str, str] | None = None
) -> HttpResponse:
    response: HttpResponse = api.create_response(request, body, status=status)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


@api.exception_handler(ApiProblem)
def _api_problem(request: HttpRequest, exc: ApiProblem) -> HttpResponse:
    return _respond(request, exc.status, problem(exc.status, exc.detail, type=exc.type, errors=exc.errors), exc.headers)


@api.exception_handler(NinjaValidationError)
def _invalid(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors = field_errors(exc.errors)
    return _respond(request, 422, problem(422, "The request has invalid fields.", type=INVALID_INPUT, errors=errors))


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    body = problem(401, "Send an API key as 'Authorization: Bearer KEY'.")
    return _respond(request, 401, body, {"WWW-Authenticate": 'Bearer realm="askdesk"'})


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return _respond(request, exc.status_code, problem(exc.status_code, str(exc)))


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _respond(request, 404, problem(404, str(exc) or "Not found."))


@api.exception_handler(RequestDataTooBig)
def _too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return _respond(request, 413, problem(413, "The request body is too large."))


@api.exception_handler(DjangoValidationError)
def _refused(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    # Services refuse actions the object's state does not allow (QuestionRefused): nothing changed.
    return _respond(request, 409, problem(409, " ".join(exc.messages), type=REFUSED))


def not_found_view(request: HttpRequest, rest: str = "") -> HttpResponse:
    """Any other path under /api/: a problem, not the HTML 404 page."""
    response = HttpResponse(
        api.renderer.render(request, problem(404, "No such API endpoint."), response_status=404), status=404
    )
    return finish(request, response)


# --- the schema ------------------------------------------------------------------------------

COMMON_PROBLEMS = {
    "400": "Bad request (e.g. a cursor this API did not give out).",
    "404": "No such object, or not one of the key's newsroom.",
    "422": "Invalid input: `errors` names each field.",
    "429": "Rate limited: retry after `Retry-After` seconds.",
}
KEY_PROBLEMS = {"401": "No key, or a key that is not valid.", "403": "The key lacks the scope."}
WRITE_PROBLEMS = {
    "409": "The object's state does not allow this action now; nothing changed.",
    "413": "The request body is too large.",
}


def with_problems(schema: Any) -> Any:
    """Declare the problem responses every operation can give, as application/problem+json."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    problem_schema = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
    components.update(problem_schema.pop("$defs", {}))
    components["Problem"] = problem_schema
    ref = {"$ref": "#/components/schemas/Problem"}
    for operations in schema.get("paths", {}).values():
        for method, operation in operations.items():
            responses = {str(code): value for code, value in operation.get("responses", {}).items()}
            operation["responses"] = responses
            wanted = dict(COMMON_PROBLEMS)
            if operation.get("security"):
                wanted.update(KEY_PROBLEMS)
            if method in {"post", "put", "patch", "delete"}:
                wanted.update(WRITE_PROBLEMS)
            for code, description in wanted.items():
                responses.setdefault(code, {"description": description})
            for code, response in responses.items():
                if code.isdigit() and int(code) >= 400:
                    response["content"] = {PROBLEM_CONTENT_TYPE: {"schema": ref}}
            if "429" in responses:
                responses["429"]["headers"] = {
                    "Retry-After": {"description": "Seconds to wait.", "schema": {"type": "integer"}}
                }
            if method == "get":
                responses.setdefault("304", {"description": "Not modified: the ETag in If-None-Match is current."})
    return schema


api.add_router("", public.router)
api.add_router("", integrations.router)
api.add_router("", webhooks_api.router)

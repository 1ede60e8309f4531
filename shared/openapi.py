"""Each service's JSON API, described as it is registered: a route is added to Flask and
to the OpenAPI 3.1 document in one call (``ApiBlueprint.operation``), with request and response
bodies generated from the same marshmallow schemas that validate them (apispec). So the
description cannot drift from the code; each service serves it at ``/openapi.json``.
Operations live in module-level ``ApiBlueprint``s; ``JsonApi`` registers them.

Every error a JSON client gets is a problem document (RFC 9457,
``application/problem+json``: type, title, status, detail, and ``fields`` for
validation errors), and every operation lists the errors it can give.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from functools import wraps
from http import HTTPStatus
from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import Blueprint, Flask, Response, abort, g, jsonify, request
from marshmallow import Schema, ValidationError
from marshmallow import fields as f

from shared import fastjson, i18n
from shared.catalogue import locales

PROBLEM = "application/problem+json"


class ProblemSchema(Schema):
    """RFC 9457 problem details."""
    type = f.String(metadata={"description": "A URI naming the kind of problem; about:blank here"})
    title = f.String(required=True)
    status = f.Integer(required=True)
    detail = f.String()
    field_errors = f.Dict(data_key="fields", metadata={"description": "Validation errors, by field (422 only)"})


class ApiBlueprint(Blueprint):
    """A blueprint of JSON operations, each described as it is declared
    (``@bp.operation(...)``); ``JsonApi`` registers it and adds the descriptions to the
    app's OpenAPI document."""

    def __init__(self, name: str, import_name: str, **options: Any):
        super().__init__(name, import_name, **options)
        self.operations: list[tuple[str, str, dict[str, Any]]] = []   # (OpenAPI path, method, operation)

    def operation(self, rule: str, method: str, summary: str, *, body: type[Schema] | None = None,
                  query: list[dict] | None = None, ok: dict[int, Any] | None = None, role: str | None = None,
                  errors: tuple[int, ...] = ()) -> Callable:
        """Register a view for ``method rule`` and describe it.

        ``ok`` maps success codes to a response schema (a marshmallow class or a JSON
        Schema), to ``{media type: schema}``, or to None for no body; ``errors`` adds codes
        the view itself gives (404, 409 …) to those every such operation can give
        (400/413/422 with a body, 401/403 with a role, 429, 503 while Redis is away)."""
        path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule)
        self.operations.append((path, method.lower(), _described(path, summary, body, query, ok, role, errors)))
        known = {q["name"] for q in query or []}

        def register(view: Callable) -> Callable:
            @wraps(view)
            def only_known_parameters(*args, **kwargs):
                # A misspelt parameter (?fromat=csv) is refused, not silently ignored.
                unknown = sorted(set(request.args) - known)
                if unknown:
                    return unprocessable({name: ["Unknown parameter."] for name in unknown})
                return view(*args, **kwargs)
            self.add_url_rule(rule, view_func=only_known_parameters, methods=[method.upper()])
            return view
        return register


class JsonApi:
    """A service's OpenAPI 3.1 document, served at ``/openapi.json`` (and ``also_at``),
    built from the operations of the ``ApiBlueprint``s it registers."""

    def __init__(self, title: str, description: str, blueprints: tuple[ApiBlueprint, ...],
                 also_at: tuple[str, ...] = ()):
        self.title, self.description, self.blueprints, self.also_at = title, description, blueprints, also_at

    def init_app(self, app: Flask) -> APISpec:
        spec = APISpec(title=self.title, version="1", openapi_version="3.1.0", plugins=[MarshmallowPlugin()],
                       info={"description": self.description})
        spec.components.schema("Problem", schema=ProblemSchema)
        spec.components.security_scheme("staffToken", {"type": "http", "scheme": "bearer"})
        for bp in self.blueprints:
            app.register_blueprint(bp)
            for path, method, operation in bp.operations:
                spec.path(path=path, operations={method: operation})
        document = spec.to_dict()
        for i, rule in enumerate(("/openapi.json", *self.also_at)):
            app.add_url_rule(rule, "openapi" if i == 0 else f"openapi_{i}", lambda: jsonify(document))
        return spec


def _described(path: str, summary: str, body: type[Schema] | None, query: list[dict] | None,
               ok: dict[int, Any] | None, role: str | None, errors: tuple[int, ...]) -> dict[str, Any]:
    responses: dict[str, Any] = {str(code): _success(code, what) for code, what in (ok or {200: None}).items()}
    codes = set(errors) | {429, 503}
    if body is not None:
        codes |= {400, 413, 422}
    if role is not None:
        codes |= {401, 403}
    codes.add(422)   # an unknown query parameter, at least
    for code in sorted(codes):
        responses[str(code)] = {"description": HTTPStatus(code).phrase, "content": {PROBLEM: {"schema": "Problem"}}}
    operation: dict[str, Any] = {"summary": summary, "responses": responses,
                                 "parameters": [{"name": name, "in": "path", "required": True,
                                                 "schema": {"type": "string", "minLength": 1}}
                                                for name in re.findall(r"\{(\w+)\}", path)] + (query or [])}
    if body is not None:
        operation["requestBody"] = {"required": True, "content": {"application/json": {"schema": body}}}
    if role is not None:
        operation["security"] = [{"staffToken": []}]
        operation["description"] = f"Needs a staff token with the {role} role."
    return operation


_NOT_READ = object()


def json_payload() -> Any:
    """The request's JSON body, parsed once per request (the rate limiter and the
    operation both read it), or ``None`` when it is not JSON. Parsed by orjson, which,
    unlike Flask's reader, refuses an unpaired surrogate escape such as ``"\\ud800"``:
    such a text cannot be stored or sent on as UTF-8, so it is refused here, at the edge,
    with a 400, not as a 500 deep inside."""
    payload = g.get("_json_payload", _NOT_READ)
    if payload is _NOT_READ:
        payload = None
        if request.is_json:
            try:
                payload = fastjson.loads(request.get_data(cache=True))
            except fastjson.JSONDecodeError as exc:
                g._json_error = str(exc)
        g._json_payload = payload
    return payload


def json_body(schema: Schema) -> dict:
    """The request's JSON object, loaded by ``schema``: 400 when the body is not a JSON
    object, 422 with the messages by field when the schema refuses it."""
    payload = json_payload()
    if not isinstance(payload, dict):
        error = g.get("_json_error")
        abort(400, description=f"The body is not valid JSON in UTF-8: {error}." if error
              else "Send a JSON object with Content-Type: application/json.")
    try:
        return schema.load(payload)
    except ValidationError as exc:
        abort(unprocessable(exc.normalized_messages()))


def problem(status: int, detail: str = "", locale: str | None = None, **extensions) -> Response:
    """An RFC 9457 problem document (``application/problem+json``); ``locale``: the language
    its words were said in, sent as ``Content-Language``."""
    body = {"type": "about:blank", "title": HTTPStatus(status).phrase, "status": status, **extensions}
    if detail:
        body["detail"] = detail
    response = jsonify(body)
    response.status_code = status
    response.mimetype = PROBLEM
    if locale:
        response.headers["Content-Language"] = locale
    return response


def page_locale() -> str:
    """The reader's language, for a page or a JSON answer: ?lang= (or a form's own field),
    else the best match of the Accept-Language header; English when none fits."""
    chosen = request.values.get("lang", "")
    return chosen if chosen in locales() else i18n.best_locale(request.headers.get("Accept-Language", ""))


def unprocessable(fields: dict) -> Response:
    """422 with the validation errors by field, in the reader's language (``page_locale``)
    where the catalogues have the message; one they lack (the staff API's own) as written."""
    locale = page_locale()
    return problem(422, i18n.t("fields_invalid", locale), locale, fields=i18n.errors_in(fields, locale))


def _success(code: int, what: Any) -> dict:
    described: dict[str, Any] = {"description": HTTPStatus(code).phrase}
    if isinstance(what, dict) and what and all("/" in key for key in what):   # media type → schema
        described["content"] = {media: {"schema": schema} for media, schema in what.items()}
    elif what is not None:
        described["content"] = {"application/json": {"schema": what}}
    return described

"""A JSON answer against the response schema its service's /openapi.json gives for it:
the integration tests check every answer with real data this way (schemathesis checks
them too, but mostly against an empty store)."""
from __future__ import annotations

import re

from jsonschema import Draft202012Validator  # type: ignore[import-untyped]


class Contract:
    def __init__(self, document: dict):
        self._doc = document
        self._paths = [(re.compile("^" + re.sub(r"\{\w+\}", "[^/]+", t) + "$"), t) for t in document["paths"]]

    def check(self, method: str, path: str, status: int, body) -> None:
        """Raise ``AssertionError`` naming the first difference when ``body`` is not what
        the description says ``method path`` answers with ``status``."""
        bare = path.split("?", 1)[0]
        template = next((t for pattern, t in self._paths if pattern.match(bare)), None)
        assert template is not None, f"{method} {bare} is not in the description"
        operation = self._doc["paths"][template][method.lower()]
        described = operation["responses"].get(str(status))
        assert described is not None, f"{method} {template} does not describe a {status}"
        content = described.get("content", {})
        schema = (content.get("application/json") or content.get("application/problem+json") or {}).get("schema")
        assert schema is not None, f"{method} {template} {status} has no JSON body described"
        validator = Draft202012Validator({**schema, "components": self._doc["components"]})
        error = next(iter(validator.iter_errors(body)), None)
        assert error is None, f"{method} {template} {status}: {error.message} at {list(error.absolute_path)}"


_described: dict[str, Contract] = {}


def check_answer(base_url: str, method: str, path: str, status: int, body) -> None:
    """``Contract.check`` against the /openapi.json of the service at ``base_url`` (fetched once)."""
    if base_url not in _described:
        import json
        import urllib.request
        with urllib.request.urlopen(base_url + "/openapi.json", timeout=30) as r:
            _described[base_url] = Contract(json.load(r))
    _described[base_url].check(method, path, status, body)

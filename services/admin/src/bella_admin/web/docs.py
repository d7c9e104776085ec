"""/docs: the REST API's OpenAPI document rendered on the server.

Swagger UI would need scripts from a CDN or inline, both refused by the
dashboard's CSP; this page lists the same operations from the same
document, and /openapi.json serves it for tools.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from bella_admin.web.common import TEMPLATES

router = APIRouter(include_in_schema=False)


def _schema_name(schema: dict[str, Any]) -> str:
    if "$ref" in schema:
        return str(schema["$ref"]).rsplit("/", 1)[-1]
    if "anyOf" in schema:
        return " | ".join(_schema_name(s) for s in schema["anyOf"])
    if schema.get("type") == "array":
        return f"array of {_schema_name(schema.get('items', {}))}"
    fmt = schema.get("format")
    return f"{schema.get('type', 'object')}{f' ({fmt})' if fmt else ''}"


@router.get("/docs")
async def docs(request: Request) -> Response:
    spec = request.app.openapi()
    operations = []
    for path, methods in spec.get("paths", {}).items():
        for method, op in methods.items():
            params = [
                {"name": p["name"], "in": p["in"], "required": p.get("required", False),
                 "type": _schema_name(p.get("schema", {})),
                 "description": p.get("description", "")}
                for p in op.get("parameters", [])
            ]
            responses = [
                {"status": status, "description": r.get("description", ""),
                 "schema": _schema_name(
                     r.get("content", {}).get("application/json", {}).get("schema", {})
                 ) if r.get("content") else ""}
                for status, r in op.get("responses", {}).items()
            ]
            operations.append({"method": method.upper(), "path": path,
                               "summary": op.get("summary", ""),
                               "description": op.get("description", ""),
                               "params": params, "responses": responses})
    schemas = {
        name: [
            {"name": prop, "type": _schema_name(value),
             "description": value.get("description", "")}
            for prop, value in body.get("properties", {}).items()
        ]
        for name, body in spec.get("components", {}).get("schemas", {}).items()
        if not name.startswith(("HTTPValidationError", "ValidationError"))
    }
    return TEMPLATES.TemplateResponse(
        request, "docs.html",
        {"spec": spec, "operations": operations, "schemas": schemas, "s": None},
    )

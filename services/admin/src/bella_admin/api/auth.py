"""Bearer-token authentication and roles for /api/v1."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from bella_admin.audit import Actor
from bella_admin.web.common import DepsDep, client_ip

bearer = HTTPBearer(auto_error=False, description="A token from the dashboard's API tokens page")
UNAUTHORIZED = {"WWW-Authenticate": 'Bearer realm="bella-admin"'}


async def token_actor(
    request: Request,
    deps: DepsDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Actor:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise HTTPException(401, "A bearer token is required.", headers=UNAUTHORIZED)
    identity = await deps.tokens.resolve(credentials.credentials)
    if identity is None:
        deps.metrics.security("invalid_token")
        raise HTTPException(401, "The bearer token is not valid.", headers=UNAUTHORIZED)
    return Actor(
        clinic_id=identity.clinic_id, actor_id=f"token:{identity.token_id}"[:64],
        name=f"token:{identity.prefix}", role=identity.role,
        client_ip=client_ip(request, deps),
    )


TokenActor = Annotated[Actor, Depends(token_actor)]


async def admin_actor(actor: TokenActor, deps: DepsDep) -> Actor:
    if actor.role != "admin":
        deps.metrics.security("forbidden")
        raise HTTPException(403, "This endpoint needs a token with the admin role.")
    return actor


AdminActor = Annotated[Actor, Depends(admin_actor)]

ERRORS: dict[int | str, dict[str, object]] = {
    401: {"description": "No bearer token, or not a valid one"},
    422: {"description": "A parameter is malformed"},
    503: {"description": "Booking or voice is not answering"},
}

"""GET /api/v1/calls and /api/v1/calls/{id}"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path, Query

from bella_admin.api import resources, schemas
from bella_admin.api.auth import ERRORS, TokenActor
from bella_admin.labels import OUTCOME_BY_NAME
from bella_admin.web.common import DepsDep

router = APIRouter(prefix="/calls", tags=["calls"], responses=ERRORS)


@router.get("", response_model=schemas.CallPage, summary="List calls")
async def list_calls(
    actor: TokenActor,
    deps: DepsDep,
    date_from: Annotated[date | None, Query(description="First day (clinic time)")] = None,
    date_to: Annotated[date | None, Query(description="Last day (clinic time), inclusive")] = None,
    outcome: Annotated[schemas.OutcomeName | None, Query()] = None,
    page_size: Annotated[int, Query(ge=1, le=200)] = 50,
    page_token: Annotated[str, Query(max_length=500)] = "",
) -> schemas.CallPage:
    """Calls, newest first, with outcome, duration and number of turns."""
    clinic = await deps.backends.booking.get_clinic(actor.clinic_id)
    start, end = resources.bounds(date_from, date_to, clinic.time_zone)
    resp = await deps.backends.calls.list_calls(
        actor.clinic_id, start=start, end=end,
        outcomes=[OUTCOME_BY_NAME[outcome]] if outcome in OUTCOME_BY_NAME else [],
        in_progress_only=outcome == "in_progress", page_size=page_size, page_token=page_token,
    )
    return schemas.CallPage(
        items=[schemas.Call(**resources.call(c, clinic.time_zone)) for c in resp.calls],
        next_page_token=resp.next_page_token, total=resp.total,
    )


@router.get(
    "/{call_id}", response_model=schemas.CallDetail, summary="One call with its transcript",
    responses={404: {"description": "No such call in the token's clinic"}},
)
async def get_call(
    actor: TokenActor, deps: DepsDep,
    call_id: Annotated[str, Path(max_length=64, description="Call id or Twilio CallSid")],
) -> schemas.CallDetail:
    """A call and what was heard, understood and said on each turn (audited)."""
    clinic = await deps.backends.booking.get_clinic(actor.clinic_id)
    call = await deps.backends.calls.get_call(actor.clinic_id, call_id)
    await deps.audit.record(actor, "call.transcript.view", target_type="call", target_id=call.id)
    return schemas.CallDetail(
        **resources.call(call, clinic.time_zone),
        transcript=[resources.turn(t, clinic.time_zone) for t in call.turns],
    )

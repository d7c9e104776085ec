"""GET /api/v1/appointments"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from bella_admin.api import resources, schemas
from bella_admin.api.auth import ERRORS, TokenActor
from bella_admin.labels import STATUS_BY_NAME
from bella_admin.timefmt import clean_query
from bella_admin.web.common import DepsDep

router = APIRouter(prefix="/appointments", tags=["appointments"], responses=ERRORS)


@router.get("", response_model=schemas.AppointmentPage, summary="List appointments")
async def list_appointments(
    actor: TokenActor,
    deps: DepsDep,
    phone: Annotated[str | None, Query(max_length=32, description="Exact phone (E.164)")] = None,
    date_from: Annotated[date | None, Query(description="First day (clinic time), YYYY-MM-DD")]
    = None,
    date_to: Annotated[date | None, Query(description="Last day (clinic time), inclusive")] = None,
    status: Annotated[schemas.AppointmentStatusName | None, Query()] = None,
    service: Annotated[str | None, Query(max_length=64)] = None,
    q: Annotated[str | None, Query(max_length=100, description="Name or phone fragment")] = None,
    page_size: Annotated[int, Query(ge=1, le=200)] = 50,
    page_token: Annotated[str, Query(max_length=500)] = "",
) -> schemas.AppointmentPage:
    """A clinic's appointments, earliest first, in the token's clinic only."""
    clinic = await deps.backends.booking.get_clinic(actor.clinic_id)
    zone = clinic.time_zone
    start, end = resources.bounds(date_from, date_to, zone)
    resp = await deps.backends.booking.list_appointments(
        actor.clinic_id, start=start, end=end,
        statuses=[STATUS_BY_NAME[status]] if status else [],
        services=[service] if service else [], query=clean_query(q),
        phone=resources.e164(phone) if phone else "", page_size=page_size, page_token=page_token,
    )
    await deps.audit.record(actor, "api.appointments.list", target_type="appointment",
                            count=len(resp.appointments))
    return schemas.AppointmentPage(
        items=[resources.appointment(a, zone) for a in resp.appointments],
        next_page_token=resp.next_page_token, total=resp.total,
    )

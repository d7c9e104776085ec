"""GET /api/v1/kpis and the admin-only GET /api/v1/audit"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query

from bella_admin.api import schemas
from bella_admin.api.auth import ERRORS, AdminActor, TokenActor
from bella_admin.api.resources import check_date
from bella_admin.timefmt import range_bounds, today
from bella_admin.web.common import DepsDep

router = APIRouter(tags=["kpis"], responses=ERRORS)
audit_router = APIRouter(tags=["audit"], responses=ERRORS)


@router.get("/kpis", response_model=schemas.Kpis, summary="Call and booking KPIs over a range")
async def kpis(
    actor: TokenActor,
    deps: DepsDep,
    date_from: Annotated[date | None, Query(description="Default: 6 days before date_to")] = None,
    date_to: Annotated[date | None, Query(description="Default: today (clinic time)")] = None,
) -> schemas.Kpis:
    check_date(date_from, "date_from")
    check_date(date_to, "date_to")
    clinic = await deps.backends.booking.get_clinic(actor.clinic_id)
    last = date_to or today(clinic.time_zone)
    first = date_from or last - timedelta(days=6)
    if first > last:
        raise HTTPException(422, "date_to: must not be before date_from.")
    if (last - first).days > 366:
        raise HTTPException(422, "date_from: the range may span at most 367 days.")
    start, end = range_bounds(first, last, clinic.time_zone)
    s = await deps.backends.calls.stats(actor.clinic_id, start, end)
    return schemas.Kpis(
        date_from=first.isoformat(), date_to=last.isoformat(), calls=s.calls,
        bookings=s.bookings, transfers=s.transfers, callbacks=s.callbacks,
        conversion_rate=round(s.conversion_rate, 4),
        avg_understanding_confidence=round(s.avg_nlp_confidence, 4),
        avg_asr_confidence=round(s.avg_asr_confidence, 4),
        avg_turn_latency_ms=round(s.avg_turn_latency_ms, 1),
        days=[schemas.DayKpis(
            date=d.date, calls=d.calls, bookings=d.bookings, transfers=d.transfers,
            avg_turn_latency_ms=round(d.avg_turn_latency_ms, 1) if d.turns else None,
            avg_understanding_confidence=(
                round(d.avg_nlp_confidence, 4) if d.avg_nlp_confidence > 0 else None),
        ) for d in s.days],
    )


@audit_router.get(
    "/audit", response_model=schemas.AuditPage, summary="The audit log (admin tokens only)",
    responses={403: {"description": "The token's role is not admin"}},
)
async def audit(
    actor: AdminActor,
    deps: DepsDep,
    action: Annotated[str, Query(max_length=64, description="Action prefix, e.g. export")] = "",
    before_id: Annotated[int | None, Query(ge=1)] = None,
) -> schemas.AuditPage:
    entries = await deps.audit.page(actor.clinic_id, action=action, before_id=before_id)
    return schemas.AuditPage(items=[
        schemas.AuditItem(
            id=e.id, at=e.at.isoformat(), actor=e.actor, action=e.action,
            target_type=e.target_type, target_id=e.target_id, client_ip=e.client_ip,
            outcome=e.outcome,
        ) for e in entries
    ])

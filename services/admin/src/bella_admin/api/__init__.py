"""The REST API under /api/v1: one router per resource."""

from fastapi import APIRouter

from bella_admin.api import appointments, calls, kpis

router = APIRouter(prefix="/api/v1")
router.include_router(appointments.router)
router.include_router(calls.router)
router.include_router(kpis.router)
router.include_router(kpis.audit_router)

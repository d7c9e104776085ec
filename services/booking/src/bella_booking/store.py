"""The booking store: every read and write of clinics, patients and appointments.

Double booking is prevented by PostgreSQL (the ``appointments_no_overlap``
exclusion constraint), never by a check-then-insert here: a booking simply
tries the insert and turns SQLSTATE 23P01 into :class:`SlotTaken` with
alternatives. Each write is one transaction; a failed booking leaves nothing
behind (not even a new patient).
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import time
import uuid
import zlib
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import asyncpg
import structlog
from opentelemetry import trace
from sqlalchemy import and_, case, func, or_, select, text, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.engine import Row
from sqlalchemy.exc import DBAPIError, IntegrityError, InterfaceError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bella_booking.config import ClinicConfig
from bella_booking.errors import InvalidArgument, NotFound, RuleViolation, SlotTaken, Unavailable
from bella_booking.metrics import BookingMetrics
from bella_booking.phone import to_e164
from bella_booking.rules import Chair, Clinic, clinic_from_config
from bella_booking.slots import (
    Busy,
    Preference,
    SlotCandidate,
    search_days,
    start_search,
    window_bounds,
)
from bella_booking.tables import (
    NO_OVERLAP_CONSTRAINT,
    appointments,
    calendar_outbox,
    chairs,
    clinics,
    patients,
)

log = structlog.get_logger(__name__)

# SQLSTATEs meaning "the database is not reachable right now" rather than "your request is bad".
_UNAVAILABLE_STATES = ("08", "57P01", "57P02", "57P03", "53300", "57014", "40001", "40P01")
MAX_PAGE = 500
_CHAIR_DAY_LOCK_NAMESPACE = 0x0B00
DEFAULT_PAGE = 50
# Days fetched per slot-search query: the first window almost always has enough slots.
FIRST_WINDOW_DAYS = 7
NEXT_WINDOW_DAYS = 28


@dataclass(frozen=True)
class AppointmentView:
    id: str
    clinic_id: str
    patient_id: str
    patient_name: str
    patient_phone: str
    service: str
    chair_code: str
    chair_name: str
    start: datetime
    end: datetime
    status: str
    source: str
    created_at: datetime
    updated_at: datetime
    call_id: str
    notes: str


@dataclass(frozen=True)
class PatientView:
    id: str
    clinic_id: str
    name: str
    phone: str
    created_at: datetime
    updated_at: datetime
    appointments: Sequence[AppointmentView] = field(default_factory=tuple)


@dataclass(frozen=True)
class BookCommand:
    clinic_id: str
    idempotency_key: str
    service: str
    start: datetime
    patient_id: str = ""
    patient_name: str = ""
    patient_phone: str = ""
    chair_code: str = ""
    source: str = "phone"
    call_id: str = ""
    notes: str = ""
    now: datetime | None = None


@dataclass(frozen=True)
class AppointmentFilter:
    clinic_id: str
    start: datetime | None = None
    end: datetime | None = None
    statuses: Sequence[str] = ()
    services: Sequence[str] = ()
    query: str = ""
    phone: str = ""
    patient_id: str = ""
    page_size: int = DEFAULT_PAGE
    page_token: str = ""


def utcnow() -> datetime:
    return datetime.now(UTC)


def sqlstate(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None)
    return str(getattr(orig, "sqlstate", "") or "")


def _constraint(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None)
    cause = getattr(orig, "__cause__", None)
    return str(getattr(cause, "constraint_name", "") or "")


def is_unavailable(exc: BaseException) -> bool:
    """True when ``exc`` means PostgreSQL could not be reached or dropped the connection."""
    if isinstance(exc, (OSError, ConnectionError, asyncio.TimeoutError, PoolTimeoutError)):
        return True
    if isinstance(exc, DBAPIError):
        if exc.connection_invalidated or isinstance(exc, InterfaceError):
            return True
        state = sqlstate(exc)
        return any(state.startswith(s) for s in _UNAVAILABLE_STATES)
    # While a pool reconnects, asyncpg's own errors (e.g. CannotConnectNowError while the
    # server is starting up) reach us unwrapped by SQLAlchemy.
    if isinstance(exc, asyncpg.exceptions.ConnectionDoesNotExistError):
        return True
    if isinstance(exc, asyncpg.PostgresError):
        state = str(getattr(exc, "sqlstate", "") or "")
        return any(state.startswith(s) for s in _UNAVAILABLE_STATES)
    return False


def encode_page_token(offset: int) -> str:
    return base64.urlsafe_b64encode(f"o:{offset}".encode()).decode().rstrip("=")


def decode_page_token(token: str) -> int:
    if not token:
        return 0
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
        if not raw.startswith("o:"):
            raise ValueError(raw)
        offset = int(raw[2:])
        if offset < 0:
            raise ValueError(raw)
        return offset
    except (ValueError, UnicodeDecodeError):
        raise InvalidArgument(
            "page_token is not one this service issued; start again without it."
        ) from None


def _valid_uuid(value: str, what: str) -> str:
    try:
        return str(uuid.UUID(value))
    except (ValueError, AttributeError, TypeError):
        raise InvalidArgument(f"{what} {value!r} is not a valid id.") from None


class BookingStore:
    def __init__(
        self,
        engine: AsyncEngine,
        metrics: BookingMetrics,
        *,
        clinic_cache_seconds: float = 30.0,
        calendar_clinics: frozenset[str] = frozenset(),
        tracer: trace.Tracer | None = None,
    ) -> None:
        self.engine = engine
        # Reads run without BEGIN/ROLLBACK round trips (single statements need no transaction).
        self.reader = engine.execution_options(isolation_level="AUTOCOMMIT")
        # SQL spans of their own: opentelemetry-instrumentation-sqlalchemy refuses SQLAlchemy 2.1.
        self.tracer = tracer or trace.get_tracer("bella.booking")
        self.metrics = metrics
        self.clinic_cache_seconds = clinic_cache_seconds
        self.calendar_clinics = calendar_clinics
        self._clinics: dict[str, Clinic] = {}
        self._clinics_loaded_at = -1e18
        self._clinics_lock = asyncio.Lock()

    # --- plumbing -------------------------------------------------------------------------

    @asynccontextmanager
    async def _db(self, operation: str) -> AsyncIterator[None]:
        """Time one database operation and turn connection failures into :class:`Unavailable`."""
        started = time.perf_counter()
        outcome = "ok"
        span = self.tracer.start_span(
            f"booking.db {operation}",
            kind=trace.SpanKind.CLIENT,
            attributes={"db.system": "postgresql", "db.operation": operation},
        )
        try:
            with trace.use_span(span, end_on_exit=False):
                yield
        except (InvalidArgument, RuleViolation, NotFound, SlotTaken) as exc:
            outcome = type(exc).__name__.lower()
            raise
        except Exception as exc:
            if is_unavailable(exc):
                outcome = "unavailable"
                self.metrics.db_error(operation, "unavailable")
                log.warning("booking.db_unavailable", operation=operation, error=type(exc).__name__)
                raise Unavailable(
                    "The booking database is unreachable right now; please try again shortly."
                ) from exc
            outcome = "error"
            self.metrics.db_error(operation, type(exc).__name__)
            raise
        finally:
            span.set_attribute("outcome", outcome)
            if outcome in ("unavailable", "error"):
                span.set_status(trace.StatusCode.ERROR)
            span.end()
            self.metrics.record_db(operation, outcome, (time.perf_counter() - started) * 1000)

    # --- clinics --------------------------------------------------------------------------

    async def _load_clinics(self) -> dict[str, Clinic]:
        if time.monotonic() - self._clinics_loaded_at < self.clinic_cache_seconds:
            return self._clinics
        # One loader at a time: a burst of requests on a cold cache must not take the whole pool.
        async with self._clinics_lock:
            if time.monotonic() - self._clinics_loaded_at < self.clinic_cache_seconds:
                return self._clinics
            return await self._reload_clinics()

    async def _reload_clinics(self) -> dict[str, Clinic]:
        async with self._db("load_clinics"), self.reader.connect() as conn:
            clinic_rows = (await conn.execute(select(clinics.c.id, clinics.c.config))).all()
            chair_rows = (
                await conn.execute(
                    select(chairs.c.clinic_id, chairs.c.code, chairs.c.id).where(chairs.c.active)
                )
            ).all()
        chair_ids: dict[str, dict[str, int]] = {}
        for clinic_id, code, chair_id in chair_rows:
            chair_ids.setdefault(clinic_id, {})[code] = chair_id
        loaded = {}
        for clinic_id, config in clinic_rows:
            parsed = ClinicConfig.model_validate(config)
            loaded[clinic_id] = clinic_from_config(parsed, chair_ids.get(clinic_id, {}))
        self._clinics = loaded
        self._clinics_loaded_at = time.monotonic()
        return loaded

    def invalidate_clinics(self) -> None:
        self._clinics_loaded_at = -1e18

    async def clinic(self, clinic_id: str) -> Clinic:
        if not clinic_id:
            raise InvalidArgument("clinic_id is required.")
        found = (await self._load_clinics()).get(clinic_id)
        if found is None:
            self.invalidate_clinics()
            found = (await self._load_clinics()).get(clinic_id)
        if found is None:
            raise InvalidArgument(f"Unknown clinic {clinic_id!r}.")
        return found

    async def list_clinics(self) -> list[Clinic]:
        return sorted((await self._load_clinics()).values(), key=lambda c: c.id)

    async def resolve_clinic(self, phone_number: str) -> Clinic:
        number = to_e164(phone_number)
        for clinic in await self.list_clinics():
            if clinic.phone_number == number:
                return clinic
        self.invalidate_clinics()
        for clinic in await self.list_clinics():
            if clinic.phone_number == number:
                return clinic
        raise NotFound("No clinic answers that number.")

    # --- slots ----------------------------------------------------------------------------

    async def _busy(
        self,
        conn: AsyncConnection,
        clinic: Clinic,
        chair_ids: Sequence[int],
        start: datetime,
        end: datetime,
    ) -> list[Busy]:
        rows = await conn.execute(
            select(
                appointments.c.chair_id, appointments.c.start_at, appointments.c.blocked_until
            ).where(
                appointments.c.clinic_id == clinic.id,
                appointments.c.status == "booked",
                appointments.c.chair_id.in_(chair_ids),
                appointments.c.start_at < end,
                # Nothing is longer than a day: bound the index scan from below as well.
                appointments.c.start_at >= start - timedelta(days=1),
                appointments.c.blocked_until > start,
            )
        )
        return [Busy(r[0], r[1], r[2]) for r in rows]

    async def find_slots(
        self,
        clinic_id: str,
        service_code: str,
        preference: Preference,
        now: datetime | None = None,
        limit: int = 2,
        conn: AsyncConnection | None = None,
    ) -> tuple[list[SlotCandidate], str]:
        clinic = await self.clinic(clinic_id)
        service = clinic.service(service_code)
        search = start_search(clinic, service, preference, now or utcnow(), limit or 2)
        chair_ids = [c.id for c in clinic.chairs_for(service.code)]
        if search.first_day > search.last_day:
            return search.result()
        async with self._db("find_slots"), _maybe_connect(self.reader, conn) as c:
            for relaxed in (False, True):
                if relaxed:
                    if search.found or not search.strict or not preference.part_of_day:
                        break
                    search.strict = False
                day = search.first_day
                span = FIRST_WINDOW_DAYS
                while day <= search.last_day and not search.done:
                    last = min(day + timedelta(days=span - 1), search.last_day)
                    lo, hi = window_bounds(clinic, day, last)
                    busy = await self._busy(c, clinic, chair_ids, lo, hi)
                    days = [day + timedelta(days=i) for i in range((last - day).days + 1)]
                    search_days(search, days, busy)
                    day = last + timedelta(days=1)
                    span = NEXT_WINDOW_DAYS
        return search.result()

    # --- patients -------------------------------------------------------------------------

    async def _upsert_patient(
        self, conn: AsyncConnection, clinic_id: str, name: str, phone: str
    ) -> Row:  # type: ignore[type-arg]
        """The clinic's patient with this phone, created with ``name`` if new (one statement).

        An existing patient keeps their name: a name heard over the phone does not overwrite
        the one on file (only an empty one is filled in).
        """
        name = " ".join(name.split())
        if len(name) > 200:
            raise InvalidArgument("The patient's name is too long (200 characters at most).")
        if not name:
            existing = (
                await conn.execute(
                    select(patients).where(
                        patients.c.clinic_id == clinic_id, patients.c.phone == phone
                    )
                )
            ).first()
            if existing is None:
                raise InvalidArgument("The patient's name is required to register a new patient.")
            return existing
        stmt = insert(patients).values(
            id=str(uuid.uuid4()), clinic_id=clinic_id, name=name, phone=phone
        )
        fill_empty = case((patients.c.name == "", stmt.excluded.name), else_=patients.c.name)
        upsert = stmt.on_conflict_do_update(
            constraint="patients_clinic_phone_key",
            set_={
                "name": fill_empty,
                "updated_at": case(
                    (patients.c.name == "", func.now()), else_=patients.c.updated_at
                ),
            },
        ).returning(patients)
        return (await conn.execute(upsert)).one()

    async def find_or_create_patient(self, clinic_id: str, name: str, phone: str) -> PatientView:
        await self.clinic(clinic_id)
        number = to_e164(phone)
        async with self._db("find_or_create_patient"), self.engine.begin() as conn:
            row = await self._upsert_patient(conn, clinic_id, name, number)
        return _patient_view(row)

    async def get_patient(self, clinic_id: str, patient_id: str) -> PatientView:
        await self.clinic(clinic_id)
        pid = _valid_uuid(patient_id, "patient_id")
        async with self._db("get_patient"), self.reader.connect() as conn:
            row = (
                await conn.execute(
                    select(patients).where(patients.c.clinic_id == clinic_id, patients.c.id == pid)
                )
            ).first()
            if row is None:
                raise NotFound(f"No patient {patient_id} in this clinic.")
            history = (
                await conn.execute(
                    _appointment_select()
                    .where(appointments.c.clinic_id == clinic_id, appointments.c.patient_id == pid)
                    .order_by(appointments.c.start_at.desc())
                    .limit(200)
                )
            ).all()
        return _patient_view(row, [_appointment_view(r) for r in history])

    async def list_patients(
        self, clinic_id: str, query: str = "", page_size: int = 0, page_token: str = ""
    ) -> tuple[list[PatientView], str, int]:
        await self.clinic(clinic_id)
        size = _page_size(page_size)
        offset = decode_page_token(page_token)
        cond = [patients.c.clinic_id == clinic_id]
        if query.strip():
            cond.append(_patient_match(query))
        async with self._db("list_patients"), self.reader.connect() as conn:
            total = (
                await conn.execute(select(func.count()).select_from(patients).where(*cond))
            ).scalar_one()
            rows = (
                await conn.execute(
                    select(patients)
                    .where(*cond)
                    .order_by(patients.c.name, patients.c.id)
                    .offset(offset)
                    .limit(size)
                )
            ).all()
        next_token = encode_page_token(offset + size) if offset + size < total else ""
        return [_patient_view(r) for r in rows], next_token, int(total)

    # --- appointments: reads --------------------------------------------------------------

    async def get_appointment(self, clinic_id: str, appointment_id: str) -> AppointmentView:
        await self.clinic(clinic_id)
        aid = _valid_uuid(appointment_id, "appointment_id")
        async with self._db("get_appointment"), self.reader.connect() as conn:
            return await self._read_appointment(conn, clinic_id, aid)

    async def _read_appointment(
        self, conn: AsyncConnection, clinic_id: str, appointment_id: str
    ) -> AppointmentView:
        row = (
            await conn.execute(
                _appointment_select().where(
                    appointments.c.clinic_id == clinic_id, appointments.c.id == appointment_id
                )
            )
        ).first()
        if row is None:
            raise NotFound(f"No appointment {appointment_id} in this clinic.")
        return _appointment_view(row)

    async def list_appointments(
        self, flt: AppointmentFilter
    ) -> tuple[list[AppointmentView], str, int]:
        clinic = await self.clinic(flt.clinic_id)
        for code in flt.services:
            clinic.service(code)
        if flt.start and flt.end and flt.end <= flt.start:
            raise InvalidArgument("The range ends before it starts.")
        size = _page_size(flt.page_size)
        offset = decode_page_token(flt.page_token)
        cond = [appointments.c.clinic_id == flt.clinic_id]
        if flt.start:
            cond.append(appointments.c.start_at >= flt.start)
        if flt.end:
            cond.append(appointments.c.start_at < flt.end)
        if flt.statuses:
            cond.append(appointments.c.status.in_(list(flt.statuses)))
        if flt.services:
            cond.append(appointments.c.service.in_(list(flt.services)))
        if flt.phone:
            cond.append(patients.c.phone == to_e164(flt.phone))
        if flt.patient_id:
            cond.append(appointments.c.patient_id == _valid_uuid(flt.patient_id, "patient_id"))
        if flt.query.strip():
            cond.append(_patient_match(flt.query))
        async with self._db("list_appointments"), self.reader.connect() as conn:
            total = (
                await conn.execute(
                    select(func.count()).select_from(appointments.join(patients)).where(*cond)
                )
            ).scalar_one()
            rows = (
                await conn.execute(
                    _appointment_select()
                    .where(*cond)
                    .order_by(appointments.c.start_at, appointments.c.id)
                    .offset(offset)
                    .limit(size)
                )
            ).all()
        next_token = encode_page_token(offset + size) if offset + size < total else ""
        return [_appointment_view(r) for r in rows], next_token, int(total)

    async def find_patient_appointments(
        self, clinic_id: str, phone: str, upcoming_only: bool, now: datetime | None = None
    ) -> list[AppointmentView]:
        await self.clinic(clinic_id)
        number = to_e164(phone)
        cond = [appointments.c.clinic_id == clinic_id, patients.c.phone == number]
        if upcoming_only:
            cond += [
                appointments.c.status == "booked",
                appointments.c.start_at >= (now or utcnow()),
            ]
        async with self._db("find_patient_appointments"), self.reader.connect() as conn:
            rows = (
                await conn.execute(
                    _appointment_select().where(*cond).order_by(appointments.c.start_at).limit(100)
                )
            ).all()
        return [_appointment_view(r) for r in rows]

    async def appointments_between(
        self, clinic_id: str, start: datetime, end: datetime
    ) -> list[AppointmentView]:
        if end <= start:
            raise InvalidArgument("The range ends before it starts.")
        if end - start > timedelta(days=366):
            raise InvalidArgument("The range is longer than a year; export a shorter one.")
        await self.clinic(clinic_id)
        async with self._db("export_ics"), self.reader.connect() as conn:
            rows = (
                await conn.execute(
                    _appointment_select()
                    .where(
                        appointments.c.clinic_id == clinic_id,
                        appointments.c.start_at >= start,
                        appointments.c.start_at < end,
                        appointments.c.status.in_(["booked", "completed"]),
                    )
                    .order_by(appointments.c.start_at)
                )
            ).all()
        return [_appointment_view(r) for r in rows]

    # --- appointments: writes -------------------------------------------------------------

    async def book(self, cmd: BookCommand) -> AppointmentView:
        """Book one appointment. Same idempotency key, same parameters: the same appointment."""
        clinic = await self.clinic(cmd.clinic_id)
        if not cmd.idempotency_key.strip():
            raise InvalidArgument("idempotency_key is required (one per booking attempt).")
        if len(cmd.idempotency_key) > 200:
            raise InvalidArgument("idempotency_key is too long (200 characters at most).")
        service = clinic.service(cmd.service)
        candidates = self._chairs(clinic, service.code, cmd.chair_code)
        if cmd.source not in ("phone", "admin"):
            raise InvalidArgument(f"Unknown booking source {cmd.source!r}.")
        patient_id = _valid_uuid(cmd.patient_id, "patient_id") if cmd.patient_id else ""
        phone = "" if patient_id else to_e164(cmd.patient_phone)
        start = cmd.start.astimezone(UTC)
        fingerprint = _fingerprint(
            clinic.id, patient_id or phone, service.code, start.isoformat(), cmd.chair_code
        )
        now = cmd.now or utcnow()
        async with self._db("book"), self.engine.connect() as conn:
            async with conn.begin() as tx:
                replay = await self._replay(conn, clinic.id, cmd.idempotency_key, fingerprint)
                if replay is not None:
                    return replay
                try:
                    end = clinic.check_bookable(service, start, now)
                except RuleViolation as exc:
                    self.metrics.rule_violation(exc.rule, clinic.id)
                    raise
                if patient_id:
                    patient = (
                        await conn.execute(
                            select(patients).where(
                                patients.c.clinic_id == clinic.id, patients.c.id == patient_id
                            )
                        )
                    ).first()
                    if patient is None:
                        raise NotFound(f"No patient {patient_id} in this clinic.")
                else:
                    patient = await self._upsert_patient(conn, clinic.id, cmd.patient_name, phone)
                values = {
                    "id": str(uuid.uuid4()),
                    "clinic_id": clinic.id,
                    "patient_id": str(patient.id),
                    "service": service.code,
                    "start_at": start,
                    "end_at": end,
                    "blocked_until": end + clinic.buffer,
                    "status": "booked",
                    "source": cmd.source,
                    "idempotency_key": cmd.idempotency_key,
                    "request_hash": fingerprint,
                    "call_id": cmd.call_id[:100],
                    "notes": cmd.notes[:2000],
                }
                await self._lock_chairs(conn, clinic, candidates, start)
                outcome, chair, stamps = await self._insert_on_some_chair(conn, values, candidates)
                if outcome != "ok":
                    await tx.rollback()
                else:
                    assert chair is not None and stamps is not None
                    await self._enqueue_calendar(conn, clinic.id, str(values["id"]))
                    await tx.commit()
                    self.metrics.booking("book", "booked", clinic.id)
                    return AppointmentView(
                        id=str(values["id"]),
                        clinic_id=clinic.id,
                        patient_id=str(patient.id),
                        patient_name=patient.name,
                        patient_phone=patient.phone,
                        service=service.code,
                        chair_code=chair.code,
                        chair_name=chair.name,
                        start=start,
                        end=end,
                        status="booked",
                        source=cmd.source,
                        created_at=stamps[0],
                        updated_at=stamps[1],
                        call_id=str(values["call_id"]),
                        notes=str(values["notes"]),
                    )
            # Lost a race: either a concurrent retry of this very request won (replay it), or
            # another booking took the slot.
            async with conn.begin():
                replay = await self._replay(conn, clinic.id, cmd.idempotency_key, fingerprint)
            if replay is not None:
                return replay
        self.metrics.booking("book", "conflict", clinic.id)
        raise await self._slot_taken(clinic.id, service.code, start, now)

    async def _replay(
        self, conn: AsyncConnection, clinic_id: str, key: str, fingerprint: str
    ) -> AppointmentView | None:
        """The appointment an earlier call with this key made, or None (Stripe-style keys)."""
        row = (
            await conn.execute(
                select(appointments.c.id, appointments.c.request_hash).where(
                    appointments.c.clinic_id == clinic_id,
                    appointments.c.idempotency_key == key,
                )
            )
        ).first()
        if row is None:
            return None
        if row.request_hash != fingerprint:
            raise InvalidArgument(
                "This idempotency_key was already used for a different booking; "
                "use a new key for a new booking."
            )
        view = await self._read_appointment(conn, clinic_id, str(row.id))
        self.metrics.booking("book", "replayed", clinic_id)
        return view

    async def _lock_chairs(
        self, conn: AsyncConnection, clinic: Clinic, chairs: Sequence[Chair], start: datetime
    ) -> None:
        """Queue the writers of the same chair and local day behind each other until commit.

        The exclusion constraint alone already forbids overlaps, but two transactions that
        insert overlapping rows at the same moment each wait for the other's row, and one of
        them dies as a deadlock after PostgreSQL's deadlock_timeout (1 s). Taking
        transaction-scoped advisory locks on every candidate chair-day first turns that into
        a short queue, and the loser gets a clean 23P01 against a committed row. The keys are
        taken in one statement in ascending order, after any row lock (patient upsert,
        appointment FOR UPDATE) and before any insert, so the locks cannot deadlock each other.
        """
        day = clinic.local_date(start).isoformat()
        keys = sorted({_int32(zlib.crc32(f"{chair.id}:{day}".encode())) for chair in chairs})
        await conn.execute(
            text(
                "SELECT count(pg_advisory_xact_lock(:ns, k)) FROM unnest(CAST(:keys AS int[])) AS k"
            ),
            {"ns": _CHAIR_DAY_LOCK_NAMESPACE, "keys": keys},
        )

    def _chairs(self, clinic: Clinic, service_code: str, chair_code: str) -> list[Chair]:
        if chair_code:
            chair = clinic.chair_by_code(chair_code)
            if service_code not in chair.services:
                raise InvalidArgument(
                    f"{chair.name} ({chair.code}) does not do {service_code}; choose another "
                    "chair or leave chair_id empty."
                )
            return [chair]
        return clinic.chairs_for(service_code)

    async def _insert_on_some_chair(
        self, conn: AsyncConnection, values: dict[str, object], candidates: Sequence[Chair]
    ) -> tuple[str, Chair | None, tuple[datetime, datetime] | None]:
        """Insert on the first chair the database accepts.

        Returns ('ok', chair, (created_at, updated_at)), ('taken', None, None) or
        ('duplicate_key', None, None). With one candidate no savepoint is needed: a refusal
        aborts the transaction, which the caller rolls back anyway.
        """
        insert_stmt = appointments.insert().returning(
            appointments.c.created_at, appointments.c.updated_at
        )
        for chair in candidates:
            savepoint = await conn.begin_nested() if len(candidates) > 1 else None
            try:
                row = (await conn.execute(insert_stmt.values(**values, chair_id=chair.id))).one()
            except IntegrityError as exc:
                if savepoint is not None:
                    await savepoint.rollback()
                if _constraint(exc) == NO_OVERLAP_CONSTRAINT or sqlstate(exc) == "23P01":
                    continue
                if _constraint(exc) == "appointments_idempotency_key":
                    return "duplicate_key", None, None
                raise
            if savepoint is not None:
                await savepoint.commit()
            return "ok", chair, (row.created_at, row.updated_at)
        return "taken", None, None

    async def _slot_taken(
        self, clinic_id: str, service: str, start: datetime, now: datetime
    ) -> SlotTaken:
        clinic = await self.clinic(clinic_id)
        local = clinic.local(start)
        try:
            alternatives, _ = await self.find_slots(
                clinic_id,
                service,
                Preference(day=local.date(), time=local.time().replace(second=0, microsecond=0)),
                now,
                limit=3,
            )
        except Unavailable:
            alternatives = []
        return SlotTaken(
            f"{clinic.describe(start)} was just taken"
            + ("; here are the nearest openings." if alternatives else "; nothing else is free."),
            alternatives,
        )

    async def cancel(
        self, clinic_id: str, appointment_id: str, reason: str = ""
    ) -> AppointmentView:
        await self.clinic(clinic_id)
        aid = _valid_uuid(appointment_id, "appointment_id")
        async with self._db("cancel"), self.engine.begin() as conn:
            current = await self._read_appointment(conn, clinic_id, aid)
            if current.status == "cancelled":
                return current  # cancelling twice is a no-op, so retries are safe
            if current.status != "booked":
                raise RuleViolation(
                    "not_booked",
                    f"This appointment is already {current.status.replace('_', ' ')}; "
                    "it cannot be cancelled.",
                )
            await conn.execute(
                update(appointments)
                .where(appointments.c.id == aid)
                .values(status="cancelled", cancel_reason=reason[:500], updated_at=func.now())
            )
            await self._enqueue_calendar(conn, clinic_id, aid)
            view = await self._read_appointment(conn, clinic_id, aid)
        self.metrics.booking("cancel", "cancelled", clinic_id)
        return view

    async def reschedule(
        self,
        clinic_id: str,
        appointment_id: str,
        new_start: datetime,
        chair_code: str = "",
        idempotency_key: str = "",
        now: datetime | None = None,
    ) -> AppointmentView:
        """Move a booking in one UPDATE: the old slot is freed only if the new one is taken."""
        clinic = await self.clinic(clinic_id)
        aid = _valid_uuid(appointment_id, "appointment_id")
        start = new_start.astimezone(UTC)
        now = now or utcnow()
        async with self._db("reschedule"), self.engine.connect() as conn:
            async with conn.begin() as tx:
                current = (
                    await conn.execute(
                        select(appointments)
                        .where(appointments.c.clinic_id == clinic_id, appointments.c.id == aid)
                        .with_for_update()
                    )
                ).first()
                if current is None:
                    raise NotFound(f"No appointment {appointment_id} in this clinic.")
                if idempotency_key and current.last_change_key == idempotency_key:
                    view = await self._read_appointment(conn, clinic_id, aid)
                    self.metrics.booking("reschedule", "replayed", clinic_id)
                    return view
                if current.status != "booked":
                    raise RuleViolation(
                        "not_booked",
                        f"This appointment is {current.status.replace('_', ' ')}; only a booked "
                        "appointment can be moved.",
                    )
                service = clinic.service(current.service)
                try:
                    end = clinic.check_bookable(service, start, now)
                except RuleViolation as exc:
                    self.metrics.rule_violation(exc.rule, clinic.id)
                    raise
                candidates = self._chairs(clinic, service.code, chair_code)
                await self._lock_chairs(conn, clinic, candidates, start)
                # Prefer keeping the patient with the same chair/provider.
                candidates.sort(key=lambda c: c.id != current.chair_id)
                moved = False
                for chair in candidates:
                    savepoint = await conn.begin_nested()
                    try:
                        await conn.execute(
                            update(appointments)
                            .where(appointments.c.id == aid)
                            .values(
                                start_at=start,
                                end_at=end,
                                blocked_until=end + clinic.buffer,
                                chair_id=chair.id,
                                last_change_key=idempotency_key or None,
                                updated_at=func.now(),
                            )
                        )
                    except IntegrityError as exc:
                        await savepoint.rollback()
                        if _constraint(exc) == NO_OVERLAP_CONSTRAINT or sqlstate(exc) == "23P01":
                            continue
                        raise
                    await savepoint.commit()
                    moved = True
                    break
                if moved:
                    await self._enqueue_calendar(conn, clinic_id, aid)
                    view = await self._read_appointment(conn, clinic_id, aid)
                    await tx.commit()
                    self.metrics.booking("reschedule", "rescheduled", clinic_id)
                    return view
                await tx.rollback()
        self.metrics.booking("reschedule", "conflict", clinic_id)
        raise await self._slot_taken(clinic_id, service.code, start, now)

    async def _enqueue_calendar(
        self, conn: AsyncConnection, clinic_id: str, appointment_id: str
    ) -> None:
        if clinic_id in self.calendar_clinics:
            await conn.execute(
                calendar_outbox.insert().values(clinic_id=clinic_id, appointment_id=appointment_id)
            )

    async def ping(self) -> None:
        async with self._db("ping"), self.reader.connect() as conn:
            await conn.execute(text("SELECT 1"))


@asynccontextmanager
async def _maybe_connect(
    engine: AsyncEngine, conn: AsyncConnection | None
) -> AsyncIterator[AsyncConnection]:
    if conn is not None:
        yield conn
        return
    async with engine.connect() as fresh:
        yield fresh


def _int32(value: int) -> int:
    return value - (1 << 32) if value >= (1 << 31) else value


def _page_size(requested: int) -> int:
    if requested < 0:
        raise InvalidArgument("page_size cannot be negative.")
    return min(requested or DEFAULT_PAGE, MAX_PAGE)


def _fingerprint(*parts: str) -> str:
    return hashlib.sha256(json.dumps(parts).encode()).hexdigest()


def _like(fragment: str) -> str:
    escaped = fragment.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _patient_match(query: str):  # type: ignore[no-untyped-def]
    q = query.strip()
    digits = "".join(ch for ch in q if ch.isdigit())
    conds = [patients.c.name.ilike(_like(q))]
    if len(digits) >= 3:
        conds.append(patients.c.phone.like(_like(digits)))
    return or_(*conds)


def _appointment_select():  # type: ignore[no-untyped-def]
    return select(
        appointments,
        patients.c.name.label("patient_name"),
        patients.c.phone.label("patient_phone"),
        chairs.c.code.label("chair_code"),
        chairs.c.name.label("chair_name"),
    ).select_from(
        appointments.join(patients, patients.c.id == appointments.c.patient_id).join(
            chairs, and_(chairs.c.id == appointments.c.chair_id)
        )
    )


def _appointment_view(row: Row) -> AppointmentView:  # type: ignore[type-arg]
    return AppointmentView(
        id=str(row.id),
        clinic_id=row.clinic_id,
        patient_id=str(row.patient_id),
        patient_name=row.patient_name,
        patient_phone=row.patient_phone,
        service=row.service,
        chair_code=row.chair_code,
        chair_name=row.chair_name,
        start=row.start_at,
        end=row.end_at,
        status=row.status,
        source=row.source,
        created_at=row.created_at,
        updated_at=row.updated_at,
        call_id=row.call_id,
        notes=row.notes,
    )


def _patient_view(row: Row, history: Sequence[AppointmentView] = ()) -> PatientView:  # type: ignore[type-arg]
    return PatientView(
        id=str(row.id),
        clinic_id=row.clinic_id,
        name=row.name,
        phone=row.phone,
        created_at=row.created_at,
        updated_at=row.updated_at,
        appointments=tuple(history),
    )

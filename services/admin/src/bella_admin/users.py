"""Staff accounts: creation, password checks with lock-out, roles, TOTP."""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import Enum

import pyotp
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bella_admin.models import User
from bella_admin.passwords import (
    check_policy,
    generate_password,
    hash_password,
    needs_rehash,
    verify_password,
)
from bella_admin.throttle import LoginThrottle


# argon2 takes ~0.1 s of CPU and 64 MiB: off the event loop, so sign-ins never stall pages.
async def _hash(password: str) -> str:
    return await asyncio.to_thread(hash_password, password)


async def _verify(password_hash: str | None, password: str) -> bool:
    return await asyncio.to_thread(verify_password, password_hash, password)

ROLES = ("admin", "staff")
TOTP_ISSUER = "Bella Admin"


class UserError(ValueError):
    pass


class LoginOutcome(Enum):
    OK = "success"
    TOTP_REQUIRED = "totp_required"
    BAD_CREDENTIALS = "failure"
    LOCKED = "locked"


@dataclass(frozen=True)
class LoginResult:
    outcome: LoginOutcome
    user: User | None = None
    newly_locked: bool = False


def normalise_email(email: str) -> str:
    email = email.strip().lower()
    if "@" not in email or len(email) > 254 or email.startswith("@") or email.endswith("@"):
        raise UserError("Enter a valid email address.")
    return email


class Users:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        throttle: LoginThrottle,
        *,
        lock_minutes: int,
    ) -> None:
        self.db = sessions
        self.throttle = throttle
        self.lock_minutes = lock_minutes

    async def create(
        self, *, clinic_id: str, email: str, role: str, password: str,
        must_change_password: bool = False,
    ) -> User:
        email = normalise_email(email)
        if role not in ROLES:
            raise UserError("Role must be admin or staff.")
        check_policy(password, email=email)
        user = User(
            id=str(uuid.uuid4()), clinic_id=clinic_id, email=email, role=role,
            password_hash=await _hash(password), must_change_password=must_change_password,
            failed_count=0, disabled=False,
        )
        async with self.db() as db:
            db.add(user)
            try:
                await db.commit()
            except IntegrityError:
                raise UserError("A user with that email already exists.") from None
        return user

    async def get(self, user_id: str, clinic_id: str | None = None) -> User | None:
        try:
            uuid.UUID(user_id)
        except ValueError:
            return None
        async with self.db() as db:
            user = await db.get(User, user_id)
        if user is None or (clinic_id is not None and user.clinic_id != clinic_id):
            return None
        return user

    async def by_email(self, email: str) -> User | None:
        async with self.db() as db:
            result = await db.execute(
                select(User).where(func.lower(User.email) == email.strip().lower())
            )
            return result.scalar_one_or_none()

    async def list(self, clinic_id: str) -> list[User]:
        async with self.db() as db:
            result = await db.execute(
                select(User).where(User.clinic_id == clinic_id).order_by(User.email)
            )
            return list(result.scalars())

    async def authenticate(self, email: str, password: str, ip: str) -> LoginResult:
        email = email.strip().lower()[:254]
        now = datetime.now(UTC)
        if await self.throttle.locked(email, ip):
            # Still spend the hashing time: a locked account answers as slowly as any other.
            await _verify(None, password)
            return LoginResult(LoginOutcome.LOCKED)
        user = await self.by_email(email) if "@" in email else None
        locked_in_db = bool(user and user.locked_until and user.locked_until > now)
        ok = await _verify(user.password_hash if user else None, password)
        if user is not None and ok and not user.disabled and not locked_in_db:
            await self.throttle.clear_account(email)
            async with self.db() as db:
                values: dict[str, object] = {
                    "failed_count": 0, "locked_until": None, "last_login_at": now,
                }
                if needs_rehash(user.password_hash):
                    values["password_hash"] = await _hash(password)
                await db.execute(update(User).where(User.id == user.id).values(**values))
                await db.commit()
            outcome = LoginOutcome.TOTP_REQUIRED if user.totp_secret else LoginOutcome.OK
            return LoginResult(outcome, user)
        if locked_in_db:
            return LoginResult(LoginOutcome.LOCKED)
        account_locked, ip_locked = await self.throttle.record_failure(email, ip)
        if user is not None:
            async with self.db() as db:
                values = {"failed_count": User.failed_count + 1}
                if account_locked:
                    values["locked_until"] = now + timedelta(minutes=self.lock_minutes)
                await db.execute(update(User).where(User.id == user.id).values(**values))
                await db.commit()
        if account_locked or ip_locked:
            return LoginResult(LoginOutcome.LOCKED, newly_locked=True)
        return LoginResult(LoginOutcome.BAD_CREDENTIALS)

    async def verify_totp(self, user_id: str, code: str) -> bool:
        """Check a TOTP code (±1 step of drift), refusing any step already used."""
        user = await self.get(user_id)
        if user is None or not user.totp_secret:
            return False
        code = code.strip().replace(" ", "")
        if not code.isdigit() or len(code) != 6:
            return False
        totp = pyotp.TOTP(user.totp_secret)
        now = datetime.now(UTC)
        for drift in (0, -1, 1):
            at = now + timedelta(seconds=30 * drift)
            if totp.verify(code, for_time=at, valid_window=0):
                step = int(at.timestamp()) // 30
                if user.totp_last_step is not None and step <= user.totp_last_step:
                    return False
                async with self.db() as db:
                    await db.execute(
                        update(User).where(User.id == user.id).values(totp_last_step=step)
                    )
                    await db.commit()
                return True
        return False

    async def set_password(self, user_id: str, password: str, *, must_change: bool) -> None:
        user = await self.get(user_id)
        if user is None:
            raise UserError("No such user.")
        check_policy(password, email=user.email)
        await self._update(
            user_id, password_hash=await _hash(password), must_change_password=must_change,
            failed_count=0, locked_until=None,
        )
        await self.throttle.clear_account(user.email)

    async def reset_password(self, user_id: str) -> str:
        """Set a temporary password the user must change at next login; returns it."""
        temporary = generate_password()
        await self.set_password(user_id, temporary, must_change=True)
        return temporary

    async def set_role(self, user_id: str, role: str) -> None:
        if role not in ROLES:
            raise UserError("Role must be admin or staff.")
        await self._update(user_id, role=role)

    async def set_disabled(self, user_id: str, disabled: bool) -> None:
        await self._update(user_id, disabled=disabled)

    async def unlock(self, user_id: str) -> None:
        user = await self.get(user_id)
        if user is not None:
            await self._update(user_id, failed_count=0, locked_until=None)
            await self.throttle.clear_account(user.email)

    async def enable_totp(self, user_id: str, secret: str, code: str) -> bool:
        """Turn TOTP on once the user proves the authenticator holds ``secret``."""
        if not pyotp.TOTP(secret).verify(code.strip(), valid_window=1):
            return False
        step = int(datetime.now(UTC).timestamp()) // 30
        await self._update(user_id, totp_secret=secret, totp_last_step=step)
        return True

    async def disable_totp(self, user_id: str) -> None:
        await self._update(user_id, totp_secret=None, totp_last_step=None)

    async def check_password(self, user_id: str, password: str) -> bool:
        """Re-check a signed-in user's password (changing it, turning TOTP off)."""
        user = await self.get(user_id)
        return bool(user) and await _verify(user.password_hash if user else None, password)

    async def _update(self, user_id: str, **values: object) -> None:
        async with self.db() as db:
            await db.execute(
                update(User).where(User.id == user_id).values(**values, updated_at=func.now())
            )
            await db.commit()


def new_totp_secret() -> str:
    return pyotp.random_base32()


def totp_uri(secret: str, email: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=TOTP_ISSUER)

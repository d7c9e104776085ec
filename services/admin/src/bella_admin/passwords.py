"""Password hashing (argon2id) and the password policy.

argon2-cffi's default profile is RFC 9106's low-memory one: argon2id, t=3,
m=64 MiB, p=4, stronger than ASVS 5.0 11.4.2's minimum (t=2, m=19 MiB, p=1).
The policy follows ASVS 6.2: a length floor, a generous ceiling, no
composition rules, and a refusal of well-known passwords.
"""

from __future__ import annotations

import secrets
import string

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from argon2.profiles import RFC_9106_LOW_MEMORY

MIN_LENGTH = 12
MAX_LENGTH = 128

_hasher = PasswordHasher.from_parameters(RFC_9106_LOW_MEMORY)
# Verified against when the email is unknown, so a miss costs as much as a wrong password.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))

# A few of the most-used passwords of at least 12 characters (breach corpora): refused outright.
COMMON = frozenset(
    {
        "123456789012", "1234567890123", "qwertyuiopas", "password1234", "password12345",
        "passwordpassword", "qwerty123456", "123456123456", "iloveyou1234", "111111111111",
        "000000000000", "abcdefghijkl", "abc123abc123", "123123123123", "welcome12345",
        "letmein12345", "administrator", "adminadmin123", "changeme1234", "dentist12345",
        "qwertyqwerty", "1q2w3e4r5t6y", "zaq12wsxcde3", "passw0rd1234", "football1234",
    }
)


class PasswordPolicyError(ValueError):
    pass


def check_policy(password: str, *, email: str = "") -> None:
    """Raise PasswordPolicyError with a message a user can act on."""
    if len(password) < MIN_LENGTH:
        raise PasswordPolicyError(f"Use at least {MIN_LENGTH} characters.")
    if len(password) > MAX_LENGTH:
        raise PasswordPolicyError(f"Use at most {MAX_LENGTH} characters.")
    lowered = password.lower()
    if lowered in COMMON or len(set(lowered)) < 4:
        raise PasswordPolicyError("That password is too common; choose another.")
    local = email.split("@", 1)[0].lower()
    if local and len(local) >= 4 and local in lowered:
        raise PasswordPolicyError("The password must not contain your email name.")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Constant work whether or not there is a hash to check against."""
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and bool(password_hash)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


def generate_password(length: int = 16) -> str:
    """A temporary password for resets: unambiguous characters, ~95 bits."""
    alphabet = "".join(c for c in string.ascii_letters + string.digits if c not in "0O1lI")
    while True:
        candidate = "".join(secrets.choice(alphabet) for _ in range(length))
        try:
            check_policy(candidate)
        except PasswordPolicyError:
            continue
        return candidate

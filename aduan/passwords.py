"""Officers' console passwords: complaints.signin.PasswordHasher with argon2id (argon2-cffi's
default parameters), for the web console and ``aduan officer set-password``."""

from __future__ import annotations

from argon2 import PasswordHasher as Argon2
from argon2.exceptions import Argon2Error, InvalidHashError


class Argon2Hasher:
    def __init__(self) -> None:
        self._argon2 = Argon2()

    def hash(self, password: str) -> str:
        return self._argon2.hash(password)

    def verify(self, hashed: str, password: str) -> bool:
        try:
            return self._argon2.verify(hashed, password)
        except (Argon2Error, InvalidHashError):
            return False

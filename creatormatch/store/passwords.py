"""Password hashes: scrypt from the standard library (n=2**14, r=8, p=1, 16-byte random salt).

A hash reads `scrypt$<n>$<r>$<p>$<salt, base64>$<key, base64>`, so a hash made with other
parameters still verifies after the defaults change. Verifying compares in constant time.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

N, R, P = 2**14, 8, 1
SALT_BYTES, KEY_BYTES = 16, 32
# 128 · r · n bytes (16 MiB here) plus headroom; OpenSSL refuses more than `maxmem`.
_MAXMEM = 64 * 1024 * 1024


def _derive(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(
        password.encode(), salt=salt, n=n, r=r, p=p, maxmem=_MAXMEM, dklen=KEY_BYTES
    )


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(SALT_BYTES)
    key = _derive(password, salt, N, R, P)
    encoded = [base64.b64encode(part).decode() for part in (salt, key)]
    return "$".join(["scrypt", str(N), str(R), str(P), *encoded])


def verify_password(password: str, stored: str) -> bool:
    """Whether `password` hashes to `stored`; a malformed `stored` never matches."""
    parts = stored.split("$")
    if len(parts) != 6 or parts[0] != "scrypt" or not all(p.isdigit() for p in parts[1:4]):
        return False
    n, r, p = (int(x) for x in parts[1:4])
    salt, key = base64.b64decode(parts[4]), base64.b64decode(parts[5])
    return hmac.compare_digest(_derive(password, salt, n, r, p), key)

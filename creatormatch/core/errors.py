"""The one exception tree of creatormatch, with the HTTP status the API answers each with.

    CreatorMatchError               500  base; raised bare it is a bug
    ├── InvalidInput                422  bad data or request: what was expected, what arrived
    │   ├── InvalidRecords          422  some records of a batch failed validation
    │   └── PayloadTooLarge         413  a request body over the size cap
    ├── NotFound                    404  no such creator, brief or model (or another tenant's)
    ├── Unauthorized                401  no API key, or one that is unknown or revoked
    ├── Forbidden                   403  a valid key whose scope does not allow this request
    ├── Throttled                   503  come back in `retry_after` seconds (Retry-After)
    │   ├── RateLimited             429  a key, or an address sending bad keys, over its rate
    │   └── Overloaded              503  the server has as many requests in flight as it allows
    ├── ArtifactError               503  a model or index file is missing, corrupt or mismatched
    │   └── IntegrityError          503  a file's sha256 differs from its manifest, or the
    │                                    manifest's signature is missing or does not match
    ├── NotReady                    503  the service has nothing to answer with yet
    └── NotFitted                   500  a model used before `fit` or `load`: a programming
                                         error, logged and answered as an internal error

Domain code raises these; `serving.errors` maps them to HTTP in one handler (the statuses above)
and the CLI prints them.
"""

from __future__ import annotations


class CreatorMatchError(Exception):
    """Base of every error creatormatch raises on purpose."""


class InvalidInput(CreatorMatchError):
    """The caller sent data that cannot be used: says what was expected and what arrived."""


class InvalidRecords(InvalidInput):
    """Some records failed validation; `problems` lists one line per problem."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(f"{len(problems)} invalid record(s): " + "; ".join(problems[:5]))
        self.problems = problems


class PayloadTooLarge(InvalidInput):
    """The request body is larger than the configured cap."""


class NotFound(CreatorMatchError):
    """The thing asked for does not exist (or belongs to another tenant)."""


class Unauthorized(CreatorMatchError):
    """No `Authorization: Bearer <key>` header, or a key that is unknown or revoked."""


class Forbidden(CreatorMatchError):
    """The key is valid, but its scope does not allow this request (see `creatormatch keys`)."""


class Throttled(CreatorMatchError):
    """Too many requests for now; `retry_after` (seconds) says when to come back."""

    def __init__(self, message: str, *, retry_after: float) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class RateLimited(Throttled):
    """This key sent more requests than its rate allows, or this address sent too many bad keys."""


class Overloaded(Throttled):
    """The server has as many requests in flight as it allows."""


class ArtifactError(CreatorMatchError):
    """A model or index artifact is missing, unreadable or built for something else."""


class IntegrityError(ArtifactError):
    """An artifact's bytes do not match the sha256 recorded in its manifest, or the manifest
    is not signed with its home's key (altered, copied from another home, or published before
    artifacts were signed)."""


class NotReady(CreatorMatchError):
    """The service has no data or artifacts to answer with yet."""


class NotFitted(CreatorMatchError):
    """A model was asked to predict, explain or save before it was fitted or loaded."""

"""The one exception tree of creatormatch.

    CreatorMatchError
    ├── InvalidInput          bad data or request (HTTP 422)
    │   └── InvalidRecords    some records of a batch failed validation
    ├── NotFound              no such creator, brief or model (HTTP 404)
    ├── ArtifactError         a model or index file is missing, corrupt or mismatched (HTTP 503)
    │   └── IntegrityError    a file's sha256 differs from its manifest
    └── NotReady              the service has nothing to answer with yet (HTTP 503)

Domain code raises these; `serving` maps them to HTTP in one handler and the CLI prints them.
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


class NotFound(CreatorMatchError):
    """The thing asked for does not exist (or belongs to another tenant)."""


class ArtifactError(CreatorMatchError):
    """A model or index artifact is missing, unreadable or built for something else."""


class IntegrityError(ArtifactError):
    """An artifact's bytes do not match the sha256 recorded in its manifest."""


class NotReady(CreatorMatchError):
    """The service has no data or artifacts to answer with yet."""

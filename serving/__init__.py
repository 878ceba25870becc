"""The HTTP API: an app factory over the creatormatch service layer."""

from creatormatch.serving.app import create_app
from creatormatch.serving.errors import install, status_of
from creatormatch.serving.limits import FAILED_AUTH_BURST, ConcurrencyLimit, RateLimiter
from creatormatch.serving.process import limit_library_threads, run
from creatormatch.serving.state import CANARY

__all__ = [
    "CANARY",
    "FAILED_AUTH_BURST",
    "ConcurrencyLimit",
    "RateLimiter",
    "create_app",
    "install",
    "limit_library_threads",
    "run",
    "status_of",
]

"""The HTTP API: an app factory over the creatormatch service layer."""

from creatormatch.serving.app import create_app
from creatormatch.serving.limits import Limits

__all__ = ["Limits", "create_app"]

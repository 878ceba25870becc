"""The HTTP API: an app factory over the creatormatch service layer."""

from serving.app import create_app
from serving.limits import Limits

__all__ = ["Limits", "create_app"]

"""The HTTP API: an app factory over the creatormatch service layer."""

from creatormatch.serving.app import create_app

__all__ = ["create_app"]

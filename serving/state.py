"""What the running service holds: the bundle it loaded, or why it could not load one."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from creatormatch.bundle import Bundle, load_bundle
from creatormatch.errors import CreatorMatchError, NotReady
from creatormatch.settings import Home, Settings
from creatormatch.shortlisting import shortlist
from features import Brief, load_embedder

log = logging.getLogger("creatormatch.serving")

CANARY = Brief(text="fitness creator sharing home workouts and healthy recipes", k=1)


@dataclass
class ServiceState:
    settings: Settings
    bundle: Bundle | None
    problem: str | None

    @classmethod
    def start(cls, settings: Settings) -> ServiceState:
        """Load and verify the artifacts, then run a canary shortlist; failures keep us unready."""
        try:
            bundle = load_bundle(Home(settings.home), embedder=load_embedder(settings.embedder))
            shortlist(bundle, CANARY)
        except CreatorMatchError as error:
            log.error("not ready: %s", error)
            return cls(settings, None, str(error))
        return cls(settings, bundle, None)

    def require(self) -> Bundle:
        if self.bundle is None:
            raise NotReady(f"the service is not ready: {self.problem}")
        return self.bundle

    def close(self) -> None:
        if self.bundle is not None:
            self.bundle.catalog.close()

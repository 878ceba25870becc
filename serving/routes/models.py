"""What is being served: each artifact's version, metrics and the data it was built from."""

from __future__ import annotations

import math
import re
from typing import Any

from fastapi import APIRouter

from creatormatch.serving.auth import Caller, State
from creatormatch.serving.routes.common import errors
from creatormatch.serving.schemas import ArtifactInfo, ModelsResponse
from creatormatch.training import headline

router = APIRouter(prefix="/v1", tags=["models"])


HASH = re.compile(r"[0-9a-f]{16,128}")


def _metrics(manifest: dict[str, Any]) -> dict[str, float]:
    metrics = manifest.get("metrics") or {}
    return {
        str(k): float(v)
        for k, v in metrics.items()
        if isinstance(v, int | float) and math.isfinite(v)
    }


def _data_hash(manifest: dict[str, Any]) -> str | None:
    """The manifest's data hash when it is one; anything else (the account model records the
    directory of its training sets) would show a host path, so it is not shown."""
    value = manifest.get("data_hash")
    return value if isinstance(value, str) and HASH.fullmatch(value) else None


def _registry_version(manifest: dict[str, Any]) -> str | None:
    number = manifest.get("registry_version")
    return f"v{number}" if isinstance(number, int) else None


def _lineage(manifest: dict[str, Any]) -> dict[str, str | int | None]:
    lineage = manifest.get("lineage")
    if not isinstance(lineage, dict):
        return {}
    return {str(k): v for k, v in lineage.items() if v is None or isinstance(v, str | int)}


@router.get("/models", response_model=ModelsResponse, responses=errors())
async def served_models(state: State, _: Caller) -> ModelsResponse:
    """What answers now: each artifact's id (sha256 prefix), registry version, headline metrics
    (the model's own, on its evaluation set), all metrics, data hash and lineage."""
    snapshot = state.require()
    manifests = dict(snapshot.bundle.manifests)
    if snapshot.account_manifest:
        manifests["account"] = snapshot.account_manifest
    versions = snapshot.versions()
    artifacts = [
        ArtifactInfo(
            name=name,
            version=versions[name],
            data_hash=_data_hash(manifest),
            embedding_model=manifest.get("embedding_model"),
            count=manifest.get("count"),
            metrics=_metrics(manifest),
            registry_version=_registry_version(manifest),
            headline_metrics=headline(name, _metrics(manifest)),
            lineage=_lineage(manifest),
        )
        for name, manifest in sorted(manifests.items())
    ]
    return ModelsResponse(
        artifacts=artifacts,
        degraded=snapshot.degraded,
        loaded_at=snapshot.loaded_at,
        reload_error=state.reload_error,
    )

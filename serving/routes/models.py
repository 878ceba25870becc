"""What is being served: each artifact's version, metrics and the data it was built from."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from creatormatch.serving.auth import Caller, State
from creatormatch.serving.routes.common import errors
from creatormatch.serving.schemas import ArtifactInfo, ModelsResponse

router = APIRouter(prefix="/v1", tags=["models"])


def _metrics(manifest: dict[str, Any]) -> dict[str, float]:
    metrics = manifest.get("metrics") or {}
    return {str(k): float(v) for k, v in metrics.items() if isinstance(v, int | float)}


@router.get("/models", response_model=ModelsResponse, responses=errors())
def served_models(state: State, _: Caller) -> ModelsResponse:
    """Versions (sha256 prefix of the artifact), metrics and data hash of what answers now."""
    snapshot = state.require()
    manifests = dict(snapshot.bundle.manifests)
    if snapshot.account_manifest:
        manifests["account"] = snapshot.account_manifest
    versions = snapshot.versions()
    artifacts = [
        ArtifactInfo(
            name=name,
            version=versions[name],
            data_hash=manifest.get("data_hash"),
            embedding_model=manifest.get("embedding_model"),
            count=manifest.get("count"),
            metrics=_metrics(manifest),
        )
        for name, manifest in sorted(manifests.items())
    ]
    return ModelsResponse(
        artifacts=artifacts,
        degraded=snapshot.bundle.degraded,
        loaded_at=snapshot.loaded_at,
        reload_error=state.reload_error,
    )

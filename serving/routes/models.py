"""What is being served: each artifact's version, metrics and the data it was built from."""

from __future__ import annotations

import math
import re
from typing import Any

from fastapi import APIRouter

from creatormatch.serving.auth import Caller, State
from creatormatch.serving.routes.common import errors
from creatormatch.serving.schemas import ArtifactInfo, ModelsResponse

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


@router.get("/models", response_model=ModelsResponse, responses=errors())
async def served_models(state: State, _: Caller) -> ModelsResponse:
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
            data_hash=_data_hash(manifest),
            embedding_model=manifest.get("embedding_model"),
            count=manifest.get("count"),
            metrics=_metrics(manifest),
        )
        for name, manifest in sorted(manifests.items())
    ]
    return ModelsResponse(
        artifacts=artifacts,
        degraded=snapshot.degraded,
        loaded_at=snapshot.loaded_at,
        reload_error=state.reload_error,
    )

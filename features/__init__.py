"""Input records and every feature computed from them, for training and serving alike."""

from creatormatch.features.accounts import account_features, from_sampled
from creatormatch.features.audience import AUDIENCE_DIM, audience_vectors, target_vector
from creatormatch.features.audience_quality import (
    AudienceQuality,
    audience_quality,
    audience_quality_frame,
)
from creatormatch.features.brief import Brief
from creatormatch.features.embed import (
    Embeddings,
    TextEmbedder,
    load_embedder,
    load_query_embedder,
)
from creatormatch.features.engagement import EngagementBenchmark
from creatormatch.features.fraud_signals import (
    Evidence,
    benchmark_frame,
    fraud_evidence,
    fraud_signal_frame,
)
from creatormatch.features.pairs import pair_frame
from creatormatch.features.reading import RecordBatch, Rejection, read_records
from creatormatch.features.records import CampaignOutcome, CreatorRecord, FraudLabel, Post
from creatormatch.features.tabular import tabular_frame
from creatormatch.features.taxonomy import tier_of
from creatormatch.features.text import brief_vectors, content_hash, content_text

__all__ = [
    "AUDIENCE_DIM",
    "AudienceQuality",
    "Brief",
    "CampaignOutcome",
    "CreatorRecord",
    "Embeddings",
    "EngagementBenchmark",
    "Evidence",
    "FraudLabel",
    "Post",
    "RecordBatch",
    "Rejection",
    "TextEmbedder",
    "account_features",
    "audience_quality",
    "audience_quality_frame",
    "audience_vectors",
    "benchmark_frame",
    "brief_vectors",
    "content_hash",
    "content_text",
    "fraud_evidence",
    "fraud_signal_frame",
    "from_sampled",
    "load_embedder",
    "load_query_embedder",
    "pair_frame",
    "read_records",
    "tabular_frame",
    "target_vector",
    "tier_of",
]

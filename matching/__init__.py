"""Joint creator/brief vectors, the FAISS creator index, and shortlist assembly."""

from creatormatch.matching.assemble import Candidates, assemble
from creatormatch.matching.explain import (
    audience_reason,
    content_reason,
    conversion_reason,
    fraud_reason,
)
from creatormatch.matching.filters import Filters
from creatormatch.matching.index import CreatorIndex, Hit
from creatormatch.matching.vectors import VectorWeights, joint_vectors, query_vector

__all__ = [
    "Candidates",
    "CreatorIndex",
    "Filters",
    "Hit",
    "VectorWeights",
    "assemble",
    "audience_reason",
    "content_reason",
    "conversion_reason",
    "fraud_reason",
    "joint_vectors",
    "query_vector",
]

"""Joint creator/brief vectors, the FAISS creator index, and shortlist assembly."""

from matching.assemble import Candidates, assemble
from matching.explain import audience_reason, content_reason, conversion_reason, fraud_reason
from matching.filters import Filters
from matching.index import CreatorIndex, Hit
from matching.vectors import VectorWeights, joint_vectors, query_vector

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

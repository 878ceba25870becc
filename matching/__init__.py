"""Joint creator/brief vectors, the FAISS creator index, and shortlist assembly."""

from creatormatch.matching.assemble import Candidates, assemble, fit_budget, mmr_order
from creatormatch.matching.batch import ScoreSummary, score_file
from creatormatch.matching.bundle import NO_ACCOUNT, Bundle, load_bundle, settle
from creatormatch.matching.candidates import FEATURE_COLUMNS, CandidateTable
from creatormatch.matching.consistency import Checkup, Finding, check_home, repair_home
from creatormatch.matching.creators import delete_creator, get_creator, upsert_creators
from creatormatch.matching.distributed import dask_client
from creatormatch.matching.distributed_index import add_ivf_on
from creatormatch.matching.distributed_ingest import ingest_on_cluster
from creatormatch.matching.explain import (
    audience_reason,
    content_reason,
    conversion_reason,
    fraud_reason,
)
from creatormatch.matching.filters import FilterColumns, Filters, attribute_frame, selection_mask
from creatormatch.matching.index import CreatorIndex, Hit
from creatormatch.matching.indexing import build_index, creator_vectors
from creatormatch.matching.ingest import ingest_file, ingest_records
from creatormatch.matching.relevance import content_score, topic_agreement, topical
from creatormatch.matching.shortlist import (
    CANDIDATES,
    POOL,
    Shortlist,
    expanded_from,
    filters_of,
    gather,
    pool_content,
    read_catalog,
    retrieve,
    shortlist,
    similar,
)
from creatormatch.matching.side_tables import (
    SideTableReport,
    check_header,
    ingest_labels,
    ingest_outcomes,
)
from creatormatch.matching.sources import input_source, local_file
from creatormatch.matching.vectors import VectorWeights, joint_vectors, query_vector

__all__ = [
    "CANDIDATES",
    "FEATURE_COLUMNS",
    "NO_ACCOUNT",
    "POOL",
    "Bundle",
    "CandidateTable",
    "Candidates",
    "Checkup",
    "CreatorIndex",
    "FilterColumns",
    "Filters",
    "Finding",
    "Hit",
    "ScoreSummary",
    "Shortlist",
    "SideTableReport",
    "VectorWeights",
    "add_ivf_on",
    "assemble",
    "attribute_frame",
    "audience_reason",
    "build_index",
    "check_header",
    "check_home",
    "content_reason",
    "content_score",
    "conversion_reason",
    "creator_vectors",
    "dask_client",
    "delete_creator",
    "expanded_from",
    "filters_of",
    "fit_budget",
    "fraud_reason",
    "gather",
    "get_creator",
    "ingest_file",
    "ingest_labels",
    "ingest_on_cluster",
    "ingest_outcomes",
    "ingest_records",
    "input_source",
    "joint_vectors",
    "load_bundle",
    "local_file",
    "mmr_order",
    "pool_content",
    "query_vector",
    "read_catalog",
    "repair_home",
    "retrieve",
    "score_file",
    "selection_mask",
    "settle",
    "shortlist",
    "similar",
    "topic_agreement",
    "topical",
    "upsert_creators",
]

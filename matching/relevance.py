"""Is a candidate on the brief's topic? A probability from content alone, before any value model.

Two content signals, both cosine-like in [-1, 1]:
- `similarity`: the brief's vector against the creator's content vector (MiniLM);
- `topic agreement`: both mapped onto the content taxonomy of `features.topics` (zero-shot
  labels, moved toward the catalog's own creators when its index is built: docs/decisions/0031),
  the probability that they share a topic.

The content score c = similarity + TOPIC_WEIGHT · agreement is compared with a threshold relative
to the best candidate's: τ = best − MARGIN, and log-odds(on topic) = (c − τ) / SPREAD. Relative,
because cosine levels differ by brief style and domain (a brief in a marketer's words may have
no creator above any absolute bar, yet its best matches are on topic), while the gap between the
on-topic creators and the rest is similar. The constants were chosen on development sets only
(docs/decisions/0016).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from creatormatch.features import brief_topics

TOPIC_WEIGHT = 1.0
MARGIN = 0.15
SPREAD = 0.03

Floats = npt.NDArray[np.float64]
Vectors = npt.NDArray[np.float32]


def topic_agreement(
    brief: Vectors,
    profiles: npt.NDArray[np.float32],
    topic_vectors: Vectors,
    anchors: Vectors,
    pitch: Vectors,
    product: int | None = None,
) -> npt.NDArray[np.float32]:
    """(n,) probability that the brief (dim,) and each creator share a topic; `profiles`: the
    creators' topic profiles (n, topics), `topic_profiles` of their content on the catalog's
    `anchors`; `topic_vectors`: the labels; `pitch`: what every product pitch shares
    (`features.pitch_vector`), left out of the brief's reading; `product`: the topic the
    brief's product names (`features.product_topic`), if any."""
    wanted = brief_topics(brief, topic_vectors, anchors, pitch, product)  # (topics,)
    return profiles @ wanted


def content_score(
    similarity: npt.NDArray[np.floating], agreement: npt.NDArray[np.floating]
) -> Floats:
    """(n,) the content evidence that a creator fits the brief: cosine plus topic agreement."""
    return similarity.astype(np.float64) + TOPIC_WEIGHT * agreement.astype(np.float64)


def topical(score: Floats) -> Floats:
    """(n,) log-odds that each candidate is on the brief's topic, from content scores `score`
    of the whole candidate pool: 0 at the threshold, SPREAD of score per unit."""
    if not len(score):
        return np.zeros(0)
    return (score - (float(score.max()) - MARGIN)) / SPREAD

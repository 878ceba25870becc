"""The comment sample: up to COMMENTS_PER_POST comments on each of the latest COMMENTED_POSTS.

Slot kinds: genuine (niche-specific), generic, emoji, pod, bot. Genuine fans are many and varied
and comment hours after posting; pods are the same 4-5 accounts on most posts within minutes; bots
repeat a few generic texts from a shared pool of bot accounts.
"""

from __future__ import annotations

import numpy as np

from creatormatch.world.creators import Columns
from creatormatch.world.params import COMMENTED_POSTS, COMMENTS_PER_POST

GENUINE, GENERIC, EMOJI, POD, BOT = range(5)
BOT_POOL = 5_000


def draw_comments(rng: np.random.Generator, cols: Columns, s: float) -> None:
    n, p, c = cols["niche"].shape[0], COMMENTED_POSTS, COMMENTS_PER_POST
    shape = (n, p, c)
    u = rng.random(shape)
    kind = np.select([u < 0.55, u < 0.85], [GENUINE, GENERIC], EMOJI)
    bot = rng.random(shape) < cols["bot_share"][:, None, None]
    kind = np.where(bot, BOT, kind)
    covered = rng.random((n, p, 1)) < cols["pod_cover"][:, None, None]
    pod_size = rng.integers(4, c + 1, (n, 1, 1))
    in_pod = covered & (np.arange(c)[None, None, :] < pod_size)
    kind = np.where(in_pod, POD, kind)
    commenter = rng.integers(0, 2**62, shape, dtype=np.int64)
    pod_ids = cols["text_seed"][:, None, None] + 1 + np.arange(c)[None, None, :]
    commenter = np.where(in_pod, pod_ids, commenter)
    commenter = np.where(kind == BOT, rng.integers(0, BOT_POOL, shape), commenter)
    lag = rng.lognormal(np.log(240), 1.2, shape)
    lag = np.where(kind == POD, rng.uniform(1, 10 / min(s, 1.0), shape), lag)
    lag = np.where(kind == BOT, rng.uniform(0, 30, shape), lag)
    pod_posts = cols["comments"][:, :p]
    pod_posts += (in_pod.sum(axis=2) * 3) * (pod_posts < 3 * in_pod.sum(axis=2))
    visible = np.arange(c)[None, None, :] < cols["comments"][:, :p, None]
    cols["c_kind"] = np.where(visible | in_pod, kind, -1)
    cols["c_commenter"] = commenter
    cols["c_lag"] = lag.astype(np.float32)
    cols["c_text"] = rng.integers(0, 2**31, shape, dtype=np.int32)
    cols["bot_texts"] = rng.integers(0, 2**31, (n, 3))

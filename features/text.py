"""The text a creator is embedded from, and its cache key. Pure functions, no model.

MiniLM reads at most 256 word pieces, so `content_text` puts the densest signal first: the bio,
then the creator's hashtags (de-duplicated, most used first), then captions newest first, and
stops at a character budget. URLs, @mentions and emojis are dropped: they carry no topic for
MiniLM (emojis are [UNK] in its vocabulary) and use up the budget.

Hashtags run words together ("interiordesign"), which MiniLM cuts into poor word pieces
("interior", "##des", "##ign"); `hashtag_words` splits them into common English words. A brief
is embedded clause by clause (`brief_vectors`): one vector of a whole pitch blurs the topics it
lists. Both measured on the Kim et al. development briefs in docs/decisions/0006. A product's
noun modifier ("dog" in "dog food") is added when it names a topic clearly (docs/decisions/0030).
"""

from __future__ import annotations

import functools
import hashlib
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from itertools import chain
from typing import TYPE_CHECKING

import numpy as np

from creatormatch.features.embed import once_per_model
from creatormatch.features.products import NAME_WORDS, name_topic
from creatormatch.features.records import CreatorRecord, Post
from creatormatch.features.stopwords import is_filler
from creatormatch.features.topics import embedded_topics, topic_profiles

if TYPE_CHECKING:
    from creatormatch.features.embed import Embeddings, TextEmbedder

# ~256 word pieces of English is ~1,000-1,200 characters; the rest would be truncated unseen.
MAX_CHARS = 1_000
MAX_HASHTAGS = 30

_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_MENTION = re.compile(r"(?<![\w@])@[\w.]+")
_HASHTAG = re.compile(r"(?<![\w#])#(\w+)")
_SPACE = re.compile(r"\s+")
# Emojis and pictographs (So), skin tones (Sk), joiners (Cf), keycaps (Me), private use (Co).
_SYMBOL_CATEGORIES = frozenset({"So", "Sk", "Cf", "Me", "Co", "Cs"})
_VARIATION_SELECTORS = range(0xFE00, 0xFE10)
# Short hashtag pieces are mostly noise ("instafood" must not become "ins ta food"): a piece of
# two letters or less must be one of these words, one of three letters a common word (the word
# list's rare three-letter words are fragments: "thi", "sis", "ger").
_SHORT_WORDS = frozenset(
    {"a", "an", "as", "at", "be", "by", "do", "go", "i", "in", "is", "it", "la", "me", "my", "no",
     "ny", "of", "on", "so", "to", "tv", "uk", "up", "us", "we"}
)  # fmt: skip
_MIN_THREE_LETTER_FREQUENCY = 1e-5
# Cost of each extra word in a split: a hashtag is split only when its pieces are common words.
_WORD_PENALTY = 3.0
_CLAUSE_BREAK = re.compile(r"[.:;!?,()]\s*|\s+(?:and|or)\s+")
# How a marketer opens a brief, not what it is about: "We're launching a", "Looking for creators
# to try our". Embedded, the frame pulls every brief toward the same place ("creators" reads as
# Arts and Crafts, "launching" as product reviews), so it is cut from a clause's start.
_PITCH_FRAME = re.compile(
    r"^(?:(?:we(?:'re|’re| are| will be|'ll be)?|i'm|i am)\s+)?"
    r"(?:(?:now\s+)?(?:launching|introducing|releasing|promoting|looking for|searching for"
    r"|seeking|want|need)\s+)?"
    r"(?:(?:content\s+)?(?:creators?|influencers?|youtubers?|streamers?|channels?|bloggers?"
    r"|vloggers?)\s+(?:to|who|that|for)\s+)?"
    r"(?:(?:try|test|review|show off|show|style|feature|promote|showcase|use|unbox)\s+)?"
    r"(?:(?:our|a|an|the|some)\s+)?(?:new\s+)?",
    re.IGNORECASE,
)
# A clause that only limits the campaign ("UK only", "budget around $3k") names no topic; the
# API takes countries and budget as fields. Embedded, "Canada only" reads as travel.
_ASIDE = re.compile(
    r"^(?:(?:[\w'’.-]+\s+){0,2}[\w'’.-]+\s+only"
    r"|budget\s+(?:(?:of|around|about|is|up to|under)\s+)?[$€£]?\s?\d.*)$",
    re.IGNORECASE,
)
# A clause that sets off what the brand does not want ("silly skits, not product reviews")
# names a topic the shortlist must not lean toward; embedded, it pulls toward that very topic.
# Only "not": "no annual fee" or "no fillers" describe the product, and say its niche.
_REFUSAL = re.compile(r"^not\s", re.IGNORECASE)
# A product phrase ends where its first preposition or relative clause begins.
_PHRASE_END = re.compile(
    r"\s+(?:for|with|that|which|who|without|made|from|using|featuring|in|to)\s", re.IGNORECASE
)
# Words that open a description of the product itself ("that handles pet hair", "with travel
# points"), not of its buyer ("for new parents"), place or field ("in portrait drawing"): such a
# phrase speaks at ATTRIBUTE_WEIGHT of a clause, since the product names the niche and the
# attribute often names another one (docs/decisions/0030).
_ATTRIBUTE_OPENERS = frozenset(
    {"with", "that", "which", "without", "made", "from", "using", "featuring"}
)
ATTRIBUTE_WEIGHT = 0.25
# A longer first clause is prose or a creator's own text, where "with" opens anything: kept whole.
_ATTRIBUTE_CLAUSE_WORDS = 12
_PHRASE_WORD = re.compile(r"[\w'’-]+")
# Word endings of English adjectives: "grain-free", "organic", "scented" narrow no niche.
_ADJECTIVE = re.compile(r"(?:ed|ic|less|free|able|ible|ous|ful|ive)$", re.IGNORECASE)
# The modifier joins the clauses at half a clause's weight, and only when its topic profile is
# this peaked: "dog" is Pets 0.83, "premium" or "night" no topic (docs/decisions/0030).
MODIFIER_WEIGHT = 0.5
MODIFIER_PEAK = 0.6
# Every word of a brief's clauses that names a topic on its own ("newborn": Family, "league":
# Sports, "savings": Personal Finance, with a label probability of TOPIC_WORD_PEAK or more)
# joins the brief at TOPIC_WORD_WEIGHT: a niche said once, in a modifier or after "for", then
# speaks as loud as the product's own noun (docs/decisions/0030). Not when `features.products`
# lists the product: its niche is then known, and such words mostly describe the product
# ("vegan leather boots", "organic baby food") (docs/decisions/0033).
TOPIC_WORD_WEIGHT = 0.5
TOPIC_WORD_PEAK = 0.8
# Product pitches with no product in them: what every brief shares, whatever it sells. Their mean
# vector is read out of a brief before its topics are (`pitch_vector`, `features.brief_topics`).
PITCHES = ("A new product.", "A brand looking for creators.")


def _drop_symbols(text: str) -> str:
    # Letters of every script and their combining marks stay; only symbols go.
    return "".join(
        ch
        for ch in text
        if unicodedata.category(ch) not in _SYMBOL_CATEGORIES
        and ord(ch) not in _VARIATION_SELECTORS
    )


def clean(text: str | None) -> str:
    """Text without URLs, @mentions, hashtags and emojis, on one line."""
    if not text:
        return ""
    text = _HASHTAG.sub(" ", _MENTION.sub(" ", _URL.sub(" ", text)))
    return _SPACE.sub(" ", _drop_symbols(text)).strip()


def _tags_of(post: Post) -> list[str]:
    inline = _HASHTAG.findall(post.caption or "")
    stripped = [t.lstrip("#") for t in (*(post.hashtags or ()), *inline)]
    return [t.lower() for t in stripped if t]


@functools.cache
def _word_costs() -> dict[str, float]:
    """English words and their cost, the negative log of their frequency.

    From wordfreq's "small" English list (words used at least once per million, counted over
    Wikipedia, subtitles, news, books, the web, Twitter and Reddit): it knows the words of
    social media ("instagram", "workout", "foodie") that BERT's vocabulary lacks.
    """
    import wordfreq

    return {
        word: -math.log(frequency)
        for word, frequency in wordfreq.get_frequency_dict("en", wordlist="small").items()
        if word.isascii()
        and word.isalpha()
        and (
            len(word) > 3
            or word in _SHORT_WORDS
            or (len(word) == 3 and frequency >= _MIN_THREE_LETTER_FREQUENCY)
        )
    }


@functools.lru_cache(maxsize=1 << 16)
def _split_word(word: str) -> str:
    """The cheapest split of `word` into vocabulary words (Viterbi); `word` itself when none."""
    costs = _word_costs()
    longest = min(len(word), 20)
    best = [0.0] + [math.inf] * len(word)  # best[j]: cheapest split of word[:j]
    start = [0] * (len(word) + 1)
    for end in range(1, len(word) + 1):
        for begin in range(max(0, end - longest), end):
            cost = best[begin] + costs.get(word[begin:end], math.inf) + _WORD_PENALTY
            if cost < best[end]:
                best[end], start[end] = cost, begin
    if math.isinf(best[-1]):
        return word
    words, end = [], len(word)
    while end > 0:
        words.append(word[start[end] : end])
        end = start[end]
    return " ".join(reversed(words))


def hashtag_words(tag: str) -> str:
    """A lower-case hashtag as words: "momlife" → "mom life", "outfit_of_the_day" alike."""
    return " ".join(_split_word(part) for part in tag.split("_") if part)


def hashtags(posts: Iterable[Post]) -> list[str]:
    """The creator's hashtags, lower-cased, de-duplicated, most used first (ties: first seen)."""
    counts = Counter(chain.from_iterable(map(_tags_of, posts)))
    return [tag for tag, _ in counts.most_common(MAX_HASHTAGS)]


def _newest_first(posts: Iterable[Post]) -> list[Post]:
    # Undated posts go after the dated ones in their given order (the sort is stable);
    # timestamp() compares naive and timezone-aware datetimes alike.
    return sorted(
        posts,
        key=lambda p: (p.posted_at is not None, p.posted_at.timestamp() if p.posted_at else 0.0),
        reverse=True,
    )


def _budgeted(parts: Iterable[str], budget: int) -> str:
    text = " | ".join(p for p in parts if p)
    if len(text) <= budget:
        return text
    cut = text[:budget]
    return cut[: cut.rfind(" ")] if " " in cut else cut


def content_text(record: CreatorRecord, *, budget: int = MAX_CHARS) -> str:
    """One text for the creator: bio, hashtags, captions newest first; at most `budget` chars."""
    posts = _newest_first(record.posts)
    tags = " ".join(hashtag_words(tag) for tag in hashtags(posts))
    return _budgeted([clean(record.bio), tags, *(clean(p.caption) for p in posts)], budget)


def post_texts(record: CreatorRecord, *, budget: int = MAX_CHARS) -> list[str]:
    """One text per post (caption prose, then its hashtags), newest first; empty posts dropped."""
    texts = (
        _budgeted(
            [clean(p.caption), " ".join(map(hashtag_words, dict.fromkeys(_tags_of(p))))], budget
        )
        for p in _newest_first(record.posts)
    )
    return [t for t in texts if t]


def brief_clauses(text: str) -> list[str]:
    """The clauses of a brief: split at punctuation, "and" and "or", each without its pitch
    frame ("We're launching a", "Looking for creators to try our") and without asides on
    where or how much ("UK only", "budget $10k") and contrasts ("not product reviews"); the text
    when none is left."""
    clauses = [part.strip() for part in _CLAUSE_BREAK.split(text)]
    clauses = [
        _PITCH_FRAME.sub("", c, count=1)
        for c in clauses
        if not (_ASIDE.match(c) or _REFUSAL.match(c))
    ]
    return [c for c in clauses if len(c) > 2] or [text]


def product_modifier(text: str) -> str | None:
    """The word of a brief's product name that says whose product it is: "dog" in "Premium dog
    food with real salmon", "basketball" in "Basketball shoes"; None when there is none.

    English compounds end in their head, which names a kind of product many niches share (food,
    shoes, boxes); the word before it narrows it to one. The product name is the first clause up
    to a preposition or relative ("for", "with", "that"…), filler words left out; it must have 2
    to `features.products.NAME_WORDS` words. The modifier is its first word before the head that
    does not end like an adjective.
    """
    return _modifier(product_name(text))


def product_name(text: str) -> list[str]:
    """The words of a brief's product name: "Vegan leather ankle boots with a chunky sole" →
    ["Vegan", "leather", "ankle", "boots"]; see `product_modifier`."""
    return _product_name(brief_clauses(text)[0])


def product_topic(text: str) -> int | None:
    """The topic (index into `features.TOPICS`) whose creators promote the product a brief
    `text` names, as `features.products` lists it (`name_topic`); None when it is not listed."""
    return name_topic(product_name(text))


def _product_name(first_clause: str) -> list[str]:
    """The words of a brief's product name: its first clause up to a preposition or relative,
    filler words left out."""
    name = _PHRASE_END.split(first_clause, maxsplit=1)[0]
    return [w for w in _PHRASE_WORD.findall(name) if not is_filler(w.strip("'’"), language="en")]


def _modifier(name: list[str]) -> str | None:
    """`product_modifier` of a product name's words."""
    if not 2 <= len(name) <= NAME_WORDS:
        return None
    return next((w for w in name[:-1] if not _ADJECTIVE.search(w)), None)


def product_attribute(clause: str) -> tuple[str, str] | None:
    """(product, attribute) of a clause whose product phrase is followed by a description of
    the product: ("Robot vacuum", "handles pet hair") for "Robot vacuum that handles pet hair";
    None when the phrase ends at "for", "in", "to" or "who", or does not end, and for a clause
    of more than _ATTRIBUTE_CLAUSE_WORDS words."""
    if len(clause.split()) > _ATTRIBUTE_CLAUSE_WORDS:
        return None
    found = _PHRASE_END.search(clause)
    if found is None or found.group(0).strip().lower() not in _ATTRIBUTE_OPENERS:
        return None
    product, attribute = clause[: found.start()].strip(), clause[found.end() :].strip()
    return (product, attribute) if product and attribute else None


def _topic_words(clauses: Sequence[str], name: list[str], modifier: str | None) -> list[str]:
    """The words of a brief's `clauses` that may name a topic alone: lower case, letters only,
    three or more, not filler, once each. Left out: the `modifier` (weighed on its own), the
    head of a compound product `name` ("food" of "dog food": a kind of product many niches
    share), and clauses of more than _ATTRIBUTE_CLAUSE_WORDS words (prose, or a creator's own
    text, whose every topic is already in its vector)."""
    skip = {(modifier or "").lower(), name[-1].lower() if len(name) >= 2 else ""}
    words = {
        w.lower()
        for clause in clauses
        if len(clause.split()) <= _ATTRIBUTE_CLAUSE_WORDS
        for w in _PHRASE_WORD.findall(clause)
        if len(w) > 2 and w.isalpha() and not is_filler(w, language="en")
    }
    return sorted(words - skip)


def brief_vectors(embedder: TextEmbedder, texts: Sequence[str]) -> Embeddings:
    """(n, dim) unit vectors of briefs: the normalised sum of each brief's clause vectors; the
    first clause's product attribute at ATTRIBUTE_WEIGHT; at MODIFIER_WEIGHT, the product
    modifier's vector when that names a topic clearly; and at TOPIC_WORD_WEIGHT each, the words
    of the clauses (the attribute's left out) that name a topic on their own, unless
    `features.products` lists the product."""
    whole = [brief_clauses(text) for text in texts]
    split = [product_attribute(group[0]) for group in whole]
    clauses = [
        group if parts is None else [parts[0], *group[1:]]
        for group, parts in zip(whole, split, strict=True)
    ]
    attributes = [(i, parts[1]) for i, parts in enumerate(split) if parts is not None]
    names = [_product_name(group[0]) for group in whole]
    modifiers = [_modifier(name) for name in names]
    named = [(i, m) for i, m in enumerate(modifiers) if m is not None]
    words = [
        [] if name_topic(name) is not None else _topic_words(group, name, modifier)
        for group, name, modifier in zip(clauses, names, modifiers, strict=True)
    ]
    flat = embedder.encode(
        [c for group in clauses for c in group]
        + [m for _, m in named]
        + [a for _, a in attributes]
        + [w for group in words for w in group]
    )  # (clauses + modifiers + attributes + words, dim)
    owner = np.repeat(np.arange(len(texts)), [len(group) for group in clauses])
    sums = np.zeros((len(texts), embedder.dimension), dtype=np.float32)
    np.add.at(sums, owner, flat[: len(owner)])
    at = len(owner)
    if named:
        vectors = flat[at : at + len(named)]  # (m, dim)
        peak = topic_profiles(vectors, embedded_topics(embedder)).max(axis=1)  # (m,)
        sums[[i for i, _ in named]] += MODIFIER_WEIGHT * vectors * (peak >= MODIFIER_PEAK)[:, None]
    at += len(named)
    if attributes:
        sums[[i for i, _ in attributes]] += ATTRIBUTE_WEIGHT * flat[at : at + len(attributes)]
    at += len(attributes)
    if any(words):
        vectors = flat[at:]  # (words, dim)
        sure = topic_profiles(vectors, embedded_topics(embedder)).max(axis=1) >= TOPIC_WORD_PEAK
        word_owner = np.repeat(np.arange(len(texts)), [len(group) for group in words])
        np.add.at(sums, word_owner[sure], TOPIC_WORD_WEIGHT * vectors[sure])
    return (sums / np.linalg.norm(sums, axis=1, keepdims=True)).astype(np.float32)


def pitch_vector(embedder: TextEmbedder) -> Embeddings:
    """(dim,) the mean brief vector of PITCHES, once per model and process: the direction of a
    product pitch as such, which pulls every brief toward labels like Shopping (docs/decisions/
    0032)."""
    return once_per_model(
        "pitch", embedder, lambda: brief_vectors(embedder, list(PITCHES)).mean(axis=0)
    )


def content_hash(text: str, model_id: str) -> str:
    """sha256 of (model id, text): the embedding cache key; another model never hits it."""
    return hashlib.sha256(f"{model_id}\x00{text}".encode()).hexdigest()

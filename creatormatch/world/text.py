"""Render text from integer seeds: handles, usernames, bios, captions, hashtags, comments.

Generation draws one 62-bit seed per item (vectorised); rendering slices it into indices, so the
text is a pure function of the seed and files are byte-identical across runs.
"""

from __future__ import annotations

from creatormatch.features import INTERESTS
from creatormatch.world.languages import LOCAL
from creatormatch.world.lexicon import EMOJI_COMMENTS, GENERIC_COMMENTS, LEXICON, POD_COMMENTS

SYLLABLES = [
    "la",
    "ma",
    "ri",
    "na",
    "to",
    "ka",
    "li",
    "so",
    "mi",
    "ra",
    "el",
    "an",
    "jo",
    "be",
    "lu",
    "ne",
    "da",
    "vi",
    "co",
    "sa",
    "ya",
    "ti",
    "ko",
    "mo",
    "ju",
    "ha",
    "ze",
    "lo",
    "ki",
    "ar",
    "en",
    "in",
    "on",
    "us",
    "am",
    "em",
    "ol",
    "is",
    "ca",
    "fe",
    "ro",
    "ni",
    "va",
]
HANDLE_SUFFIX = {
    "beauty": "beauty|glow|makeup", "fashion": "style|wears|closet", "fitness": "fit|lifts|runs",
    "food": "eats|kitchen|bakes", "travel": "travels|roams|abroad", "family": "mama|family|home",
    "home": "home|interiors|nest", "pets": "paws|pup|cats", "tech": "tech|codes|gadgets",
    "gaming": "plays|gg|gaming", "music": "music|sings|beats", "sports": "sport|ball|team",
    "finance": "money|invests|cents", "outdoors": "wild|trails|hikes", "wellness": "yoga|calm|well",
    "art": "art|draws|studio",
}  # fmt: skip


def _take(seed: int, shift: int, size: int) -> int:
    return (seed >> shift) % size


BOUGHT: tuple[str, ...] = (*GENERIC_COMMENTS, *EMOJI_COMMENTS)
PAIRS = tuple(a + b for a in SYLLABLES for b in SYLLABLES)


def name(seed: int, parts: int = 2) -> str:
    """A pronounceable name of 1-3 syllables (two at a time from a lookup table: hot path)."""
    pair = PAIRS[seed % len(PAIRS)]
    if parts == 2:
        return pair
    return pair + SYLLABLES[(seed >> 12) % len(SYLLABLES)] if parts == 3 else pair[:2]


def username(seed: int, *, fake: bool) -> str:
    if fake:
        return name(seed, 2) + str(1_000 + _take(seed, 20, 9_999_000))
    base = name(seed, 2 + _take(seed, 40, 2))
    sep = ("", ".", "_")[_take(seed, 44, 3)]
    digits = str(_take(seed, 47, 99)) if _take(seed, 54, 4) == 0 else ""
    return f"{base}{sep}{name(seed >> 12, 1)}{digits}"


def handle(seed: int, niche: int) -> str:
    suffixes = HANDLE_SUFFIX[INTERESTS[niche]].split("|")
    sep = ("", ".", "_", "")[_take(seed, 30, 4)]
    return f"{name(seed, 2)}{sep}{suffixes[_take(seed, 33, len(suffixes))]}"


def bio(seed: int, niche: int, language: str, city: str) -> str:
    words = LEXICON[INTERESTS[niche]]
    emoji = words["emoji"][_take(seed, 8, len(words["emoji"]))]
    if language in LOCAL and _take(seed, 12, 3) != 0:
        local = LOCAL[language]
        lead = local["bio"][_take(seed, 14, len(local["bio"]))]
        return f"{lead} {local['words'][niche]} {emoji} 📍{city}"
    return f"{words['bio'][_take(seed, 16, len(words['bio']))]} {emoji} 📍{city}"


def hashtags(seed: int, niche: int, count: int) -> list[str]:
    pool = LEXICON[INTERESTS[niche]]["tags"]
    start, step = _take(seed, 20, len(pool)), 1 + _take(seed, 25, 3)
    return list(dict.fromkeys(pool[(start + i * step) % len(pool)] for i in range(count)))


def caption(seed: int, niche: int, language: str | None, tags: list[str]) -> str:
    words = LEXICON[INTERESTS[niche]]
    emoji = words["emoji"][_take(seed, 0, len(words["emoji"]))] * (1 + _take(seed, 4, 2))
    tail = " ".join(f"#{t}" for t in tags)
    if language in LOCAL:
        local = LOCAL[language]
        opener = local["open"][_take(seed, 6, len(local["open"]))]
        close = local["close"][_take(seed, 10, len(local["close"]))]
        return f"{opener} {local['words'][niche]} {emoji} {close}\n{tail}".strip()
    first = words["phrases"][_take(seed, 14, len(words["phrases"]))]
    second = words["phrases"][_take(seed, 18, len(words["phrases"]))]
    body = f"{first.capitalize()} {emoji}"
    if _take(seed, 22, 2):
        body += f" {second}."
    return f"{body}\n{tail}".strip()


def comment(kind: int, seed: int, niche: int, language: str | None) -> str:
    if kind == 0:
        if language in LOCAL and seed % 2:
            pool = LOCAL[language]["comments"]
        else:
            pool = LEXICON[INTERESTS[niche]]["comments"]
        return pool[_take(seed, 1, len(pool))]
    if kind == 3:
        return POD_COMMENTS[_take(seed, 1, len(POD_COMMENTS))]
    if kind == 2:
        return EMOJI_COMMENTS[_take(seed, 1, len(EMOJI_COMMENTS))]
    return BOUGHT[seed % len(BOUGHT)]

"""A shortlist item's content reason quotes topic words or phrases of the creator's own content
that the brief also uses: never filler, in English, French or any other listed language."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from creatormatch.core import Home
from creatormatch.features import (
    Brief,
    ContentTerms,
    CreatorRecord,
    brief_stems,
    content_terms,
    content_text,
    hashtag_words,
    hashtags,
    is_filler,
    load_embedder,
)
from creatormatch.matching import (
    Bundle,
    build_index,
    content_reason,
    ingest_records,
    load_bundle,
    shortlist,
    similar,
)
from creatormatch.store import Catalog

README_BRIEF = (
    "We sell plant-based protein powder for women who work out at home. Looking for creators "
    "who share home workouts, healthy meal prep and honest supplement reviews."
)
FILLER = {"running, over", "work, home", "over", "work", "done", "routine", "before"}
FRENCH_FILLER = {"pour", "merci", "votre", "soutien", "vous"}


def _record(
    creator_id: str, bio: str, *captions: str, tags: tuple[str, ...] = (), language: str = "en"
) -> CreatorRecord:
    posts = [
        {"post_id": f"{creator_id}-{i}", "caption": caption, "hashtags": list(tags)}
        for i, caption in enumerate(captions)
    ]
    return CreatorRecord.model_validate(
        {"creator_id": creator_id, "bio": bio, "language": language, "posts": posts}
    )


def _terms(record: CreatorRecord, brief_text: str) -> list[str]:
    stored = ContentTerms.from_json(content_terms(record).to_json())
    reason = content_reason(stored, Brief(text=brief_text), 0.5)
    _, _, terms = reason.partition(": ")
    return terms.split(", ") if terms else []


FITNESS = _record(
    "fit",
    "Home workouts done right. Protein recipes for busy women",
    "Quick home workout before work, done in 20 minutes",
    "My morning routine: squats, lunges and a protein shake",
    "Healthy meal prep for the week, work out done",
    tags=("homeworkout", "protein", "mealprep"),
)
MAKEUP = _record(
    "glam",
    "Makeup artist. Before and after looks",
    "Before and after: my makeup routine, done in five minutes",
    "Evening skincare routine before bed, done",
    "Glowy base routine done before work",
    tags=("makeup", "beauty", "skincare"),
)
FRENCH_YOGA = _record(
    "yogi",
    "Prof de yoga à Lyon",
    "Merci pour votre soutien, vous êtes géniaux ! Nouvelle séance de yoga",
    "Merci à vous pour votre soutien, yoga du soir",
    "Yoga doux pour le dos, merci pour votre soutien",
    tags=("yoga", "yogafrance"),
    language="fr",
)
JAPANESE_SAVER = _record(
    "saver",
    "日常と 節約 東京",
    "良い週末を！今月の節約のコツ、どう思いますか？",
    "いつもありがとう。みなさんにシェアします #budget",
    "日曜日の家計簿チェック、新しいアプリで",
    tags=("personalfinance", "budget", "savings"),
    language="ja",
)
RUNNER = _record(
    "runner",
    "Marathon runner and coach",
    "Running over the hills again, over 20 km today",
    "Long run over the weekend: running shoes review",
    "Trail running over rocks",
    tags=("running",),
)


def test_the_readme_brief_is_explained_by_phrases_of_the_creator_not_by_work_and_home() -> None:
    terms = _terms(FITNESS, README_BRIEF)
    assert {"home workouts", "meal prep", "protein"} <= set(terms)
    assert not FILLER & set(terms)


def test_a_running_brief_quotes_running_never_over() -> None:
    terms = _terms(RUNNER, "Running shoes for people who run over 20 km a week.")
    assert terms[0] == "running shoes" and "over" not in terms
    assert "running" in " ".join(terms)


def test_french_thanks_for_your_support_is_never_a_reason_yoga_is() -> None:
    brief = "Merci pour votre soutien ! Un tapis de yoga pour vous"
    terms = _terms(FRENCH_YOGA, brief)
    assert terms == ["yoga"]
    lookalike = _terms(FRENCH_YOGA, content_text(FRENCH_YOGA))
    words = set(" ".join(lookalike).split())
    assert "yoga" in words and not FRENCH_FILLER & words and "êtes" not in words


def test_a_japanese_lookalike_is_explained_by_its_topic_words_never_by_runs_of_kana() -> None:
    # A run of Japanese letters is no word: "良い週末を" (have a good weekend) is a greeting, and
    # without a word segmenter a run of kana and kanji cannot be told apart from one.
    terms = _terms(JAPANESE_SAVER, content_text(JAPANESE_SAVER))
    words = set(" ".join(terms).split())
    assert {"budget", "savings"} <= words
    assert all(word.isascii() for word in words), terms
    assert _terms(JAPANESE_SAVER, "良い週末を！節約アプリ") == []


def test_a_fitness_lookalike_brief_shares_no_reason_with_a_makeup_creator() -> None:
    # `similar` briefs are the creator's own content as text; the filler they share is no reason
    assert _terms(MAKEUP, content_text(FITNESS)) == []


def test_plurals_and_ing_forms_meet_and_the_creator_spelling_is_quoted() -> None:
    cook = _record("cook", "Cooking for two", "Cooking pasta tonight", "Smoothies and cookies")
    assert _terms(cook, "a cook who bakes a smoothie") == ["cooking", "smoothies"]
    lifter = _record("lift", "Workouts and yoga", "New workouts every week", "Yoga flow")
    assert _terms(lifter, "a yoga workout") == ["workouts", "yoga"]


def test_phrases_come_first_then_words_most_used_first_at_most_five() -> None:
    record = _record(
        "many",
        "vegan recipes",
        "vegan baking",
        "vegan dinner",
        "vegan snacks and pasta",
        "pasta night",
        "protein bars, granola",
        "kale salad",
    )
    brief = "vegan recipes with pasta, protein bars, granola, kale, baking, snacks and dinner"
    # "vegan" is quoted once, in the first phrase; "pasta" (twice) before words used once
    assert _terms(record, brief) == ["vegan recipes", "protein bars", "pasta", "baking", "dinner"]


def test_neighbouring_hashtags_do_not_make_a_phrase_but_one_split_hashtag_does() -> None:
    record = _record("tags", "", "#protein #yoga every day", "post", tags=("mealprep",))
    terms = _terms(record, "protein and yoga for meal prep")
    assert "meal prep" in terms and "protein yoga" not in terms
    assert {"protein", "yoga"} <= set(terms)


WORDS = (
    "the over work done routine before pour merci votre soutien vous und för yang protein yoga "
    "home workouts workout cooking recipes vegan skin care serum running shoes , . #mealprep"
).split()
TEXTS = st.lists(st.sampled_from(WORDS), max_size=12).map(" ".join)


@settings(max_examples=200, deadline=None)
@given(bio=TEXTS, captions=st.lists(TEXTS, max_size=4), brief=TEXTS.filter(str.strip))
def test_every_quoted_term_is_the_creators_own_text_and_holds_no_filler(
    bio: str, captions: list[str], brief: str
) -> None:
    record = _record("any", bio, *captions, tags=("mealprep",))
    terms = _terms(record, brief)
    content = " ".join([bio, *captions, "meal prep"]).lower()
    assert len(terms) <= 5 and len(set(terms)) == len(terms)
    for term in terms:
        assert term in content
        assert not any(is_filler(word) for word in term.split()), term


# Words that differ from the brief's only by case, an ending or a mark, and marks that do or do
# not join two words into a phrase.
NEAR = (
    "workout workouts working worker homework home-workouts Home HOME homes run running runner "
    "re-run puppy puppies Puppy-love cook cooking cookie Cafe CAFE café cafés serum serums skin "
    "skincare skin-care 5k covid19 vegan vegans VEGAN-friendly protein proteins , . ; - | -- "
    "#homeworkout @home http://home.example/run İstanbul ΟΔΟΣ the for"
).split()
NEAR_TEXTS = st.lists(st.sampled_from(NEAR), max_size=16).map(" ".join)
WORD = re.compile(r"[^\W\d_]+")


def _every_word(record: CreatorRecord, brief: str) -> list[str]:
    """The reasons' definition, read word by word: runs of the brief's stems in one text with
    only spaces or one hyphen between, each run of 2-4 a phrase; phrases first, most used."""
    wanted = brief_stems(brief)
    prose = re.sub(
        r"(?:https?://|www\.)\S+|[@#][\w.]+",
        "|",
        " | ".join([record.bio or "", *(p.caption or "" for p in record.posts)]),
    )
    tags = Counter(re.findall(r"#(\w+)", (record.bio or "").lower()))
    tags.update(tag for post in record.posts for tag in hashtags([post]))
    counts: Counter[tuple[str, ...]] = Counter()
    spelled: dict[tuple[str, ...], Counter[str]] = {}
    for text, times in [(prose, 1), *((hashtag_words(t), n) for t, n in tags.items())]:
        runs: list[list[re.Match[str]]] = []
        for word in WORD.finditer(text):
            stems = brief_stems(word.group())
            if not stems or not stems <= wanted:
                runs.append([])
                continue
            gap = text[runs[-1][-1].end() : word.start()] if runs and runs[-1] else None
            if gap is None or (gap != "-" and gap.strip(" \t")):
                runs.append([])
            runs[-1].append(word)
        for run in filter(None, runs):
            for part in [[w] for w in run] + ([run] if 2 <= len(run) <= 4 else []):
                key = tuple(next(iter(brief_stems(w.group()))) for w in part)
                counts[key] += times
                spelling = text[part[0].start() : part[-1].end()].lower()
                spelled.setdefault(key, Counter())[spelling] += times
    chosen, quoted = [], set()
    for key in sorted(counts, key=lambda k: (len(k) == 1, -counts[k])):
        if quoted.isdisjoint(key):
            chosen.append(spelled[key].most_common(1)[0][0])
            quoted.update(key)
    return chosen[:5]


@settings(max_examples=300, deadline=None)
@given(bio=NEAR_TEXTS, captions=st.lists(NEAR_TEXTS, max_size=4), brief=NEAR_TEXTS)
def test_the_indexed_terms_quote_what_reading_every_word_does(
    bio: str, captions: list[str], brief: str
) -> None:
    brief = brief + " home workouts running puppy cafe skin vegan"
    record = _record("any", bio, *captions, tags=("homeworkout", "SkinCare"))
    assert _terms(record, brief) == _every_word(record, brief)


def test_a_hashtag_is_quoted_from_a_post_whose_caption_says_nothing_of_the_brief() -> None:
    listed = _record("a", "", "Sunday vibes", "Sunday again", tags=("DogTraining", "sunday"))
    inline = _record("b", "", "Sunday vibes #DogTraining", "Lazy day #DogTraining")
    for record in (listed, inline):
        assert _terms(record, "Training treats your dog will love") == ["dog training"]


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Bundle:
    """A home of the creators above and a few more of each kind, indexed by the hashing model."""
    home = Home(Path(tmp_path_factory.mktemp("reasons"))).ensure()
    more = [
        _record(f"{r.creator_id}{i}", r.bio or "", *(p.caption or "" for p in r.posts))
        for r in (FITNESS, MAKEUP, FRENCH_YOGA, RUNNER)
        for i in range(3)
    ]
    embedder = load_embedder("hashing")
    catalog = Catalog(home.catalog)
    ingest_records(catalog, [FITNESS, MAKEUP, FRENCH_YOGA, RUNNER, *more], embedder=embedder)
    build_index(home, catalog, embedder)
    catalog.close()
    return load_bundle(home, embedder=embedder)


def _content_terms(reason: str) -> set[str]:
    assert reason.startswith("content match ")
    return set(reason.partition(": ")[2].replace(",", " ").split())


@pytest.mark.parametrize("creator_id", ["fit", "glam", "yogi", "runner"])
def test_no_reason_of_a_similar_shortlist_is_filler(bundle: Bundle, creator_id: str) -> None:
    result = similar(bundle, creator_id, Brief(text=creator_id, k=16))
    assert result.items
    for item in result.items:
        terms = _content_terms(item.reasons[0])
        assert not terms & (FILLER | FRENCH_FILLER), (item.creator_id, item.reasons[0])


def test_a_shortlist_for_the_readme_brief_quotes_home_workouts(bundle: Bundle) -> None:
    result = shortlist(bundle, Brief(text=README_BRIEF, k=16))
    reasons = {item.creator_id: item.reasons[0] for item in result.items}
    assert "home workouts" in reasons["fit"]
    assert all(not _content_terms(reason) & FILLER for reason in reasons.values())

"""Filler words of every language creators write in, and of social media and briefs; topic words
are never filler, in any language's list."""

from __future__ import annotations

import pytest

from creatormatch.features import is_filler

FUNCTION_WORDS = {
    "en": "the and before over done",
    "fr": "pour votre vous avec êtes",
    "es": "para pero también nosotros",
    "de": "nicht oder wieder zwischen",
    "it": "della perché questo sono",
    "pt": "você não também muito",
    "pl": "się jest bardzo przez",
    "nl": "niet maar ook zijn",
    "sv": "och inte mycket eller",
    "tr": "için değil çünkü gibi",
    "id": "yang untuk dengan tidak",
}
TOPICS = (
    "protein yoga skincare makeup running recipe workout sneakers coffee travel home gaming "
    "serum lipstick stroller denim"
)
# Function words of one language that are topic words in English stay out of every list.
ENGLISH_TOPICS_SPELLED_LIKE_FUNCTION_WORDS = "hat war car plus solo door van tot ale pod dig agar"


@pytest.mark.parametrize(("language", "words"), sorted(FUNCTION_WORDS.items()))
def test_each_language_has_its_function_words_as_filler(language: str, words: str) -> None:
    for word in words.split():
        assert is_filler(word, language=language), (language, word)
        assert is_filler(word), word


def test_french_thanks_for_your_support_is_filler_in_french_only() -> None:
    words = "merci pour votre soutien vous".split()
    assert all(is_filler(word, language="fr") for word in words)
    assert not any(is_filler(word, language="de") for word in ("pour", "votre", "soutien"))


@pytest.mark.parametrize("language", [None, "en", "fr", "pl", "ko"])
def test_social_and_brief_filler_is_filler_in_every_language(language: str | None) -> None:
    for word in "love thanks today new link bio follow post video guys brand creators".split():
        assert is_filler(word, language=language), (language, word)
    for word in "looking launch campaign want routine".split():
        assert is_filler(word, language=language), (language, word)


@pytest.mark.parametrize(
    "word", (TOPICS + " " + ENGLISH_TOPICS_SPELLED_LIKE_FUNCTION_WORDS).split()
)
def test_topic_words_are_filler_in_no_language(word: str) -> None:
    assert not is_filler(word)


def test_case_and_region_tags_do_not_matter_and_an_unlisted_language_has_only_generic_filler() -> (
    None
):
    assert is_filler("The") and is_filler("VOUS", language="FR")
    assert is_filler("você", language="pt-BR") and is_filler("você", language="pt_BR")
    assert not is_filler("och", language="en") and is_filler("och", language="sv")
    assert not is_filler("och", language="ko") and is_filler("follow", language="ko")

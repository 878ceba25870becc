import numpy as np
import pytest

from creatormatch.features import (
    AUDIENCE_DIM,
    BLOCK_WEIGHTS,
    Audience,
    Brief,
    audience_vector,
    audience_vectors,
    neutral_audience,
    target_vector,
)
from creatormatch.matching import VectorWeights, joint_vectors, query_vector

FITNESS_WOMEN_US = Audience(
    countries={"US": 0.7, "CA": 0.1, "GB": 0.1},
    ages={"18-24": 0.3, "25-34": 0.5, "35-44": 0.2},
    genders={"female": 0.8, "male": 0.2},
    interests={"fitness": 0.6, "wellness": 0.2, "food": 0.1},
)
GAMING_MEN_IN = Audience(
    countries={"IN": 0.8, "ID": 0.1},
    ages={"13-17": 0.4, "18-24": 0.5},
    genders={"male": 0.9, "female": 0.1},
    interests={"gaming": 0.7, "tech": 0.3},
)
BRIEF = Brief(
    text="Protein bars for women who train",
    countries={"US": 1.0},
    ages=["25-34"],
    genders=["female"],
    interests=["fitness"],
)


def unit(x: np.ndarray) -> np.ndarray:
    return x / np.linalg.norm(x, axis=-1, keepdims=True)


def test_audience_vector_is_finite_float32_with_unit_norm_when_every_block_is_known():
    vector = audience_vector(FITNESS_WOMEN_US)
    assert vector.shape == (AUDIENCE_DIM,) == (46,)
    assert vector.dtype == np.float32
    assert np.isfinite(vector).all()
    assert np.linalg.norm(vector) == pytest.approx(1.0, abs=1e-6)


def test_brief_for_us_women_25_34_in_fitness_is_closer_to_a_matching_audience():
    target, known = target_vector(BRIEF)
    assert known
    matching = float(target @ audience_vector(FITNESS_WOMEN_US))
    mismatching = float(target @ audience_vector(GAMING_MEN_IN))
    assert matching > 0.6
    assert mismatching < 0.1


def test_each_block_counts_with_its_weight():
    only_countries = Audience(countries={"US": 1.0})
    target, _ = target_vector(BRIEF)
    assert float(target @ audience_vector(only_countries)) == pytest.approx(
        BLOCK_WEIGHTS["countries"], abs=1e-6
    )


def test_unknown_and_empty_audiences_are_zero_and_flagged_unknown():
    vectors, known = audience_vectors([None, Audience(), FITNESS_WOMEN_US])
    assert vectors.shape == (3, AUDIENCE_DIM)
    assert known.tolist() == [False, False, True]
    assert not vectors[:2].any()


def test_countries_outside_the_taxonomy_share_the_other_slot():
    south_africa = audience_vector(Audience(countries={"ZA": 1.0}))
    argentina = audience_vector(Audience(countries={"AR": 1.0}))
    assert np.array_equal(south_africa, argentina)
    assert south_africa.any()


def test_brief_without_audience_targets_is_unknown():
    target, known = target_vector(Brief(text="anything"))
    assert not known
    assert not target.any()


def test_joint_inner_product_is_weighted_sum_of_the_two_cosines():
    rng = np.random.default_rng(0)
    content = rng.normal(size=(2, 8)).astype(np.float32)
    audience = np.abs(rng.normal(size=(2, AUDIENCE_DIM))).astype(np.float32)
    weights = VectorWeights(w_text=0.9, w_aud=0.4)
    joint = joint_vectors(content, audience, np.array([True, True]), weights=weights)
    cos_text = float(unit(content[0]) @ unit(content[1]))
    cos_aud = float(unit(audience[0]) @ unit(audience[1]))
    assert joint.shape == (2, 8 + AUDIENCE_DIM)
    assert float(joint[0] @ joint[1]) == pytest.approx(0.81 * cos_text + 0.16 * cos_aud, abs=1e-5)


def test_joint_vectors_ignore_the_scale_of_their_inputs():
    rng = np.random.default_rng(1)
    content = rng.normal(size=(3, 8)).astype(np.float32)
    audience = np.abs(rng.normal(size=(3, AUDIENCE_DIM))).astype(np.float32)
    known = np.ones(3, dtype=bool)
    np.testing.assert_allclose(
        joint_vectors(content, audience, known),
        joint_vectors(5 * content, audience / 3, known),
        rtol=1e-6,
    )


def _scores(audiences: list[Audience | None], brief: Brief) -> np.ndarray:
    content = np.tile(np.float32([1.0, 0.0, 0.0, 0.0]), (len(audiences), 1))
    vectors, known = audience_vectors(audiences)
    creators = joint_vectors(content, vectors, known)
    target, target_known = target_vector(brief)
    return creators @ query_vector(np.float32([1.0, 0.0, 0.0, 0.0]), target, target_known)


def test_unknown_audience_ranks_between_matching_and_mismatching_audiences():
    matching, unknown, mismatching = _scores([FITNESS_WOMEN_US, None, GAMING_MEN_IN], BRIEF)
    assert matching > unknown > mismatching


def test_unknown_audience_is_not_penalised_when_the_brief_has_no_audience_target():
    scores = _scores([FITNESS_WOMEN_US, None, GAMING_MEN_IN], Brief(text="protein bars"))
    np.testing.assert_allclose(scores, VectorWeights().w_text ** 2, rtol=1e-6)


def test_unknown_audience_gets_the_neutral_prior():
    joint = joint_vectors(np.ones((1, 4), np.float32), np.zeros((1, AUDIENCE_DIM), np.float32),
                          np.array([False]))  # fmt: skip
    np.testing.assert_allclose(joint[0, 4:], VectorWeights().w_aud * unit(neutral_audience()))


def test_joint_vectors_refuse_an_audience_of_the_wrong_width():
    with pytest.raises(ValueError, match=r"expected audience of shape \(3, 46\), got \(3, 40\)"):
        joint_vectors(np.ones((3, 8), np.float32), np.ones((3, 40), np.float32), np.ones(3, bool))


def test_joint_vectors_refuse_nan_content():
    content = np.full((1, 4), np.nan, dtype=np.float32)
    with pytest.raises(ValueError, match="expected finite content"):
        joint_vectors(content, np.ones((1, AUDIENCE_DIM), np.float32), np.ones(1, bool))


def test_query_vector_refuses_a_target_of_the_wrong_width():
    with pytest.raises(ValueError, match=r"expected target of shape \(1, 46\), got \(1, 10\)"):
        query_vector(np.ones(8, np.float32), np.ones(10, np.float32), True)


def test_negative_weights_are_refused():
    with pytest.raises(ValueError, match="expected non-negative weights"):
        VectorWeights(w_text=-1.0)

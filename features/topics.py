"""A content taxonomy for zero-shot topics: briefs and creators mapped onto the same labels.

The labels are nodes of the IAB Tech Lab Content Taxonomy 3.0 (tier 1, split at tier 2 where a
tier-1 node holds several creator niches, e.g. Style & Fashion → Beauty, Women's Fashion), each
described by the names of its published sub-categories. A brief says "cat litter that does not
smell" and a creator posts about "my two cats"; neither names the topic, but both are close to
"Pets: cats, dogs, pet supplies…". Matching on the topic distribution bridges a marketer's
product words and a creator's vocabulary (docs/decisions/0016).

A catalog moves each label toward its own creators (`catalog_topics`): creators who caption in
Korean, or in a niche's jargon, can sit far from an English label but close to the creators the
label places most surely (docs/decisions/0031, with its measurements and limits).

A brief is read without what every product pitch shares (`brief_topics`): on its own, "a new
product" is closest to Shopping, so every brief leaned there whatever it sold. Creators are read
without what every creator of the catalog shares, its mean content vector (`creator_topics`)
(docs/decisions/0032). A product the brief names, as `features.products` lists it, gets a share
of the brief's reading (docs/decisions/0033).

Pure data and pure functions, and `embedded_topics`: `TOPIC_TEXTS` embedded once per model.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

import numpy as np
import numpy.typing as npt

from creatormatch.features.embed import once_per_model

if TYPE_CHECKING:
    from creatormatch.features.embed import TextEmbedder

# label → sub-categories, as the taxonomy names them (lightly shortened).
TAXONOMY: Final[dict[str, str]] = {
    "Automotive": "cars, car culture, motorcycles, auto parts, auto repair, auto buying and "
    "selling, auto shows, electric vehicles, car reviews, driving",
    "Books and Literature": "fiction, poetry, biographies, comics and graphic novels, "
    "children's literature, book reviews, reading",
    "Business and Finance": "business, economy, entrepreneurship, marketing, startups, "
    "industries, business news",
    "Careers": "career advice, career planning, job search, remote working, interviews",
    "Education": "language learning, online education, homework and study, college education, "
    "primary and secondary education, teaching, lectures, exams",
    "Events and Attractions": "amusement and theme parks, awards shows, concerts and music "
    "events, fan conventions, festivals, museums and galleries, zoos, nightlife",
    "Family and Relationships": "parenting, babies and toddlers, parenting children, "
    "pregnancy, motherhood, fatherhood, family life, kids",
    "Dating and Relationships": "dating, marriage, weddings, couples, romance",
    "Fine Art": "painting, drawing, design, digital arts, fine art photography, modern art, "
    "sculpture, dance, theater",
    "Arts and Crafts": "arts and crafts, needlework, sewing, knitting, jewelry making, "
    "woodworking, scrapbooking, DIY projects",
    "Food and Drink": "cooking, recipes, desserts and baking, dining out, restaurants, "
    "healthy cooking and eating, vegan diets, world cuisines, coffee, wine and cocktails",
    "Fitness and Exercise": "fitness and exercise, workouts, gym, running and jogging, "
    "weightlifting, yoga, pilates, training, bodybuilding",
    "Wellness": "wellness, nutrition, weight loss, mental health, meditation, sleep, "
    "self-care, alternative medicine",
    "Home and Garden": "interior decorating, home improvement, furniture, remodeling, "
    "gardening, smart home, home appliances, landscaping, house plants",
    "Movies": "movies, film, cinema, movie trailers, animation movies, documentary, "
    "film reviews, anime",
    "Television": "television, reality TV, drama TV, comedy TV, talk shows, variety shows, "
    "TV series, celebrities",
    "Music and Audio": "music, songs, singers, bands, pop, hip hop, rock, K-pop, music "
    "videos, live performances, musical instruments",
    "Comedy": "humor and satire, comedy, sketches, pranks, parody, stand-up, memes",
    "News and Politics": "news, politics, elections, international news, local news, "
    "crime, law, disasters, weather, journalism",
    "Personal Finance": "personal finance, investing, saving money, budgeting, banking, "
    "insurance, credit, taxes, retirement, frugal living",
    "Pets": "pets, cats, dogs, puppies, kittens, fish and aquariums, reptiles, birds, pet "
    "supplies, veterinary care, animals",
    "Science": "science, space and astronomy, physics, chemistry, biology, environment, "
    "experiments",
    "Shopping": "shopping, sales and promotions, hauls, gifts, unboxing, deals",
    "Sports": "sports, soccer, football, basketball, baseball, tennis, golf, cycling, "
    "boxing, martial arts, motorsport, olympic sports, athletes, matches",
    "Outdoor Recreation": "hiking, camping, climbing, fishing, skiing, surfing, nature, "
    "mountains, trails, outdoor adventure",
    "Beauty": "beauty, makeup, skin care, hair care, nail care, perfume and fragrance, "
    "cosmetics, natural and organic beauty",
    "Fashion": "fashion, style, women's fashion, men's fashion, clothing, shoes and "
    "footwear, accessories, jewelry, handbags, street style, outfits",
    "Technology and Computing": "technology, consumer electronics, smartphones, laptops, "
    "computers, gadgets, software and apps, wearable technology, cameras, programming, AI",
    "Travel": "travel, travel destinations, hotels, air travel, beach travel, road trips, "
    "adventure travel, cruises, travel tips, luggage",
    "Video Gaming": "video games, gaming, console games, PC games, mobile games, esports, "
    "game streaming, let's play",
    "Vlogs and Daily Life": "vlogs, daily life, lifestyle, personal stories, day in my life, "
    "routines",
}
TOPICS: Final = tuple(TAXONOMY)
TOPIC_TEXTS: Final = tuple(f"{label}: {subs}" for label, subs in TAXONOMY.items())
# Softmax temperature over cosines: MiniLM cosines of a text to its topic's description and to
# an unrelated one differ by ~0.1-0.3, so a temperature of ~0.05 makes that a clear preference.
TEMPERATURE: Final = 0.05
# A catalog's anchors (`catalog_topics`): each label plus, at PULL times its members' mean
# probability, the centred centroid of its MEMBERS most probable creators. Chosen on the development
# sets only (docs/decisions/0031).
MEMBERS: Final = 50
PULL: Final = 3.0
# How much of the product pitch's own vector a brief is read without (`brief_topics`): contextual
# calibration of a zero-shot reading (Zhao et al., 2021), half of it, chosen on the development
# sets only (docs/decisions/0032).
CALIBRATION: Final = 0.5
# The share of a brief's reading given to the topic its product names in `features.products`
# ("Scented candles" → Home and Garden), chosen on the development sets only (docs/decisions/
# 0033).
PRODUCT_WEIGHT: Final = 0.4
# Creators profiled at once: the softmax's temporaries for 1M creators would be ~0.5 GB.
BLOCK: Final = 65_536

Vectors = npt.NDArray[np.float32]


def embedded_topics(embedder: TextEmbedder) -> Vectors:
    """(topics, dim) `TOPIC_TEXTS` embedded by `embedder`, once per model and process."""
    return once_per_model("topics", embedder, lambda: embedder.encode(list(TOPIC_TEXTS)))


def topic_profiles(
    vectors: Vectors, topic_vectors: Vectors, *, without: Vectors | None = None
) -> npt.NDArray[np.float32]:
    """(n, topics) distributions of unit `vectors` (n, dim) over the topics (topics, dim); with
    `without` (dim,), of each vector less it (block by block, never an (n, dim) copy)."""
    if len(vectors) > BLOCK:
        return np.concatenate(
            [
                topic_profiles(vectors[at : at + BLOCK], topic_vectors, without=without)
                for at in range(0, len(vectors), BLOCK)
            ]
        )
    cosines = vectors @ topic_vectors.T  # (n, topics)
    if without is not None:
        cosines -= topic_vectors @ without
    logits = cosines / TEMPERATURE
    logits -= logits.max(axis=1, keepdims=True)
    weights = np.exp(logits)
    return (weights / weights.sum(axis=1, keepdims=True)).astype(np.float32)


def catalog_topics(content: Vectors, topic_vectors: Vectors) -> Vectors:
    """(topics, dim) unit anchors of the topics in a catalog of creators with unit `content`
    (n, dim): each label of `topic_vectors` moved toward what sets the MEMBERS creators it is
    surest of apart from the catalog's mean (what every creator shares would move every label).

    The pull is scaled by how sure the label is of them, so a topic that no creator of the
    catalog covers keeps (almost) its label instead of borrowing another topic's creators.
    """
    profiles = topic_profiles(content, topic_vectors)  # (n, topics)
    members = min(MEMBERS, len(content))
    anchors = topic_vectors.astype(np.float32)  # a copy
    middle = content.mean(axis=0) if members else np.zeros(content.shape[1], np.float32)
    for topic in range(len(topic_vectors) if members else 0):
        column = profiles[:, topic]
        top = np.argpartition(-column, members - 1)[:members]
        sureness = column[top]  # (members,)
        centroid = sureness @ (content[top] - middle)  # (dim,)
        norm = float(np.linalg.norm(centroid))
        if norm > 0:
            anchors[topic] += PULL * float(sureness.mean()) * centroid / norm
    return anchors / np.linalg.norm(anchors, axis=1, keepdims=True)


def creator_topics(content: Vectors, anchors: Vectors, middle: Vectors) -> Vectors:
    """(n, topics) topic profiles of creators with unit `content` (n, dim), read on the catalog's
    `anchors` without `middle` (dim,), the catalog's mean content vector: what every creator of
    the catalog shares ("Vlogs and Daily Life" on Instagram) is no one's topic, as a product
    pitch is no brief's (docs/decisions/0032)."""
    return topic_profiles(content, anchors, without=middle)


def brief_topics(
    brief: Vectors,
    topic_vectors: Vectors,
    anchors: Vectors,
    pitch: Vectors,
    product: int | None = None,
) -> Vectors:
    """(topics,) the topic distribution of a unit `brief` vector (dim,), read without CALIBRATION
    times `pitch` (dim,), the vector every product pitch shares: on the labels as far as they
    are sure of it, on the catalog's `anchors` for the rest; with `product`, the topic its
    product names (`features.product_topic`), PRODUCT_WEIGHT of it.

    A brief the taxonomy reads clearly ("dog food" → Pets) keeps that reading even where the
    catalog's cooks post the brief's other words ("salmon", "grain"); a plain brief the labels
    cannot place is read in the catalog's own vocabulary. Without the pitch, "Gold-plated hoop
    earrings under $50" is read on what it sells, not on the fact that it sells (Shopping).
    """
    brief, shift = brief[None, :], CALIBRATION * pitch  # (1, dim), (dim,)
    on_labels = topic_profiles(brief, topic_vectors, without=shift)[0]  # (topics,)
    sure = float(on_labels.max())
    read = sure * on_labels + (1 - sure) * topic_profiles(brief, anchors, without=shift)[0]
    if product is None:
        return read
    named = np.zeros_like(read)
    named[product] = 1.0
    return (1 - PRODUCT_WEIGHT) * read + PRODUCT_WEIGHT * named

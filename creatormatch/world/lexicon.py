"""English vocabularies per niche: caption phrases, hashtags, emojis, bios, brand products.

Written for this project to resemble the style of real creator captions (short phrases, emojis,
long hashtag tails); no real caption or username is copied. Fields are "|"-separated.
"""

from __future__ import annotations

from typing import Final

from creatormatch.world.lexicon_more import MORE

_RAW: Final = {
    "beauty": dict(
        phrases=(
            "get ready with me for a glowy look|my everyday makeup in 5 minutes|"
            "new skincare routine is finally here|this lip combo is everything|"
            "soft glam for the weekend|swatching the new eyeshadow palette|"
            "no makeup makeup look today|skin prep before foundation|"
            "the serum that saved my dry skin|bold liner kind of day|"
            "nails done for the season|trying a viral mascara so you don't have to"
        ),
        tags=(
            "makeup|beauty|skincare|mua|makeuptutorial|glowyskin|lipstick|motd|eyeshadow|"
            "nails|skincareroutine|beautyblogger|makeupartist|glam"
        ),
        emoji="💄✨💅🌸💋🧴😍💖",
        bio="makeup artist & skincare lover|beauty tips, honest reviews|glow is my love language",
        products=(
            "vegan lipstick line|fragrance-free moisturiser|long-wear foundation|vitamin C serum"
        ),
        customers=(
            "women in their twenties who care about skincare|"
            "busy professionals who want a five-minute makeup routine|"
            "teens discovering makeup for the first time"
        ),
        content=(
            "share makeup tutorials and honest skincare reviews|"
            "post get-ready-with-me videos and product swatches"
        ),
        comments=(
            "what foundation shade is this?|your skin is glowing|need this palette|"
            "tutorial please!|which serum do you use"
        ),
    ),
    "fashion": dict(
        phrases=(
            "outfit of the day|styling one blazer three ways|thrifted this whole look|"
            "summer linen and sandals|new in from my favourite brand|cozy knits are back|"
            "denim on denim kind of mood|street style in the city|"
            "capsule wardrobe essentials|dressing up for date night|"
            "this coat was worth the wait|monochrome look for the office"
        ),
        tags=(
            "ootd|fashion|style|outfit|streetstyle|fashionblogger|lookoftheday|wiw|"
            "outfitinspo|fashionista|instafashion|whatiwore|styleinspo|thrifted"
        ),
        emoji="👗👠👜🕶️✨🖤🤍💫",
        bio="style diary|fashion, travel & coffee|everyday outfits for real bodies",
        products=(
            "sustainable denim label|minimalist leather handbags|affordable workwear|"
            "sneaker collection"
        ),
        customers=(
            "style-conscious women aged 20 to 35|young men building a capsule wardrobe|"
            "office workers who want smart casual outfits"
        ),
        content="post daily outfits and styling ideas|share try-on hauls and thrifted looks",
        comments=(
            "where is the jacket from?|obsessed with this look|link to the dress please|"
            "you always look so good|love the colours"
        ),
    ),
    "fitness": dict(
        phrases=(
            "leg day done|full body workout you can do at home|progress over perfection|"
            "early morning run before work|new PR on deadlifts today|20 minute HIIT session|"
            "core burner with no equipment|rest day stretching routine|"
            "training for my first half marathon|protein packed post workout snack|"
            "stay consistent and trust the process|gym motivation for monday"
        ),
        tags=(
            "fitness|workout|gym|fitfam|fitnessmotivation|homeworkout|training|legday|hiit|"
            "strong|running|healthylifestyle|fitspo|personaltrainer"
        ),
        emoji="💪🏋️‍♀️🔥🏃‍♂️🥗💦⚡",
        bio="personal trainer|home workouts & healthy habits|coach, runner, coffee addict",
        products=(
            "plant-based protein powder|adjustable dumbbells|running shoes|fitness tracking app"
        ),
        customers=(
            "women who work out at home|beginners who want to get stronger|"
            "runners training for races"
        ),
        content=(
            "share home workouts and training plans|post gym routines and honest supplement reviews"
        ),
        comments=(
            "saving this workout|how many sets?|goals!|what protein do you use|"
            "this killed me in a good way"
        ),
    ),
    "food": dict(
        phrases=(
            "homemade pasta night|easy weeknight dinner in 20 minutes|"
            "brunch goals this sunday|best ramen in town|baking sourdough again|"
            "healthy meal prep for the week|chocolate cake recipe is up|street food tour|"
            "trying the new cafe downtown|comfort food for rainy days|"
            "vegan tacos that everyone loves|fresh from the farmers market"
        ),
        tags=(
            "food|foodie|foodporn|instafood|recipe|homemade|yummy|delicious|foodstagram|"
            "baking|vegan|healthyfood|brunch|foodblogger"
        ),
        emoji="🍝🥑🍰🍜🌮☕😋🍳",
        bio=(
            "home cook sharing easy recipes|food lover & recipe developer|"
            "eating my way around the city"
        ),
        products=(
            "meal kit delivery service|cold-pressed olive oil|plant-based snack bars|"
            "non-stick cookware set"
        ),
        customers=(
            "busy parents who cook at home|"
            "young professionals who want quick healthy dinners|home bakers"
        ),
        content=(
            "share simple recipes and restaurant reviews|post cooking videos and meal prep ideas"
        ),
        comments=(
            "recipe please!|this looks so good|making this tonight|where is this place?|"
            "yum 😋 need to try"
        ),
    ),
    "travel": dict(
        phrases=(
            "sunset from the rooftop|lost in the streets of the old town|"
            "island hopping this week|hidden beach you need to visit|"
            "weekend getaway to the mountains|road trip diaries day 3|best view of the trip|"
            "exploring local markets|passport ready for the next adventure|"
            "hotel with the dreamiest pool|backpacking on a budget|chasing waterfalls"
        ),
        tags=(
            "travel|wanderlust|travelgram|instatravel|travelphotography|explore|adventure|"
            "vacation|beach|roadtrip|travelblogger|traveltheworld|holiday|nature"
        ),
        emoji="✈️🌍🏝️🌅🗺️🧳⛰️📸",
        bio="travel blogger|exploring the world one city at a time|30 countries and counting",
        products="boutique hotel chain|travel insurance|carry-on luggage|language learning app",
        customers=(
            "young couples who travel on weekends|backpackers on a budget|"
            "families planning summer holidays"
        ),
        content="post travel guides and hotel reviews|share road trips and hidden places",
        comments="adding this to my list|where is this?|dream destination|so jealous|amazing shot",
    ),
    "family": dict(
        phrases=(
            "sunday with my little ones|mom life is never boring|first day of school|"
            "baby giggles are the best|family picnic in the park|toddler approved snacks|"
            "our bedtime routine|bump update at 30 weeks|lazy morning cuddles|"
            "crafts for rainy afternoons|sibling love|weekend adventures with the kids"
        ),
        tags=(
            "family|momlife|motherhood|parenting|kids|baby|momblogger|toddler|familytime|"
            "mumlife|dadlife|newborn|pregnancy|love"
        ),
        emoji="👶👨‍👩‍👧❤️🍼🧸🌈😊",
        bio="mum of two|real parenting, no filters|family, food and chaos",
        products="organic baby food|eco-friendly diapers|family car seat|educational toys",
        customers=(
            "new parents with babies under two|mothers of toddlers|families with school-age kids"
        ),
        content=(
            "share everyday family life and parenting tips|post honest reviews of baby products"
        ),
        comments=(
            "so cute!|my toddler does the same|what a beautiful family|"
            "which stroller is that?|love this moment"
        ),
    ),
    "home": dict(
        phrases=(
            "living room makeover is done|cozy corner for reading|plants everywhere|"
            "small kitchen big ideas|bedroom refresh on a budget|scandinavian vibes|"
            "diy shelf project|new rug changed everything|styling my coffee table|"
            "before and after renovation|neutral tones and natural light|home office setup"
        ),
        tags=(
            "interior|interiordesign|homedecor|home|decor|interiors|diy|livingroom|"
            "scandinavian|homesweethome|renovation|plants|cozyhome|myhome"
        ),
        emoji="🏡🪴🛋️🕯️✨🤍🖼️",
        bio="interior lover|small flat, big dreams|diy and home decor",
        products="modular sofa brand|smart lighting kit|handmade ceramics|paint for renters",
        customers=(
            "first-time home owners|renters who want to decorate on a budget|"
            "couples furnishing a new flat"
        ),
        content="share home makeovers and decor tips|post diy projects and room tours",
        comments="where is the lamp from?|so cozy|love your home|the colours!|need this rug",
    ),
    "pets": dict(
        phrases=(
            "meet my new best friend|walkies in the park|sleepy puppy sunday|"
            "cat judging me again|treat time|adopt don't shop|grooming day|"
            "zoomies after the bath|first birthday of this good boy|pet friendly cafe found|"
            "training tricks with treats|cuddles with my fur baby"
        ),
        tags=(
            "dog|dogsofinstagram|cat|catsofinstagram|pets|puppy|petstagram|dogs|cats|kitten|"
            "instadog|doglover|adoptdontshop|furbaby"
        ),
        emoji="🐶🐱🐾❤️🦴😻🐕",
        bio="life with two rescue dogs|cat mom|paws and adventures",
        products="grain-free dog food|cat litter subscription|pet insurance|durable dog toys",
        customers="dog owners in cities|cat lovers|people who just adopted a pet",
        content="share daily life with their pets and care tips|post pet product reviews",
        comments=(
            "what a good boy|so fluffy|my cat does this too|cuteness overload|"
            "give him a hug from me"
        ),
    ),
    **MORE,
}

LEXICON: Final = {
    niche: {field: text.split("|") if field != "emoji" else list(text) for field, text in v.items()}
    for niche, v in _RAW.items()
}
# Emoji strings may hold joiners: keep whole clusters by splitting on known sequences.
for _niche, _fields in LEXICON.items():
    _fields["emoji"] = [e for e in _fields["emoji"] if e not in ("\u200d", "\ufe0f")]

GENERIC_COMMENTS: Final = (
    "nice pic", "great post", "love it", "amazing", "awesome", "wow", "beautiful", "so cute",
    "nice", "cool", "perfect", "great content", "love this", "fire", "goals", "super",
    "follow me", "check my page", "dm for collab", "nice feed",
)  # fmt: skip
EMOJI_COMMENTS: Final = (
    "🔥🔥🔥",
    "😍😍",
    "👏👏👏",
    "❤️❤️❤️",
    "💯",
    "🙌🙌",
    "😍🔥",
    "👍",
    "💖💖",
    "🔥",
)
POD_COMMENTS: Final = (
    "great post!", "love this 🔥", "so inspiring", "amazing content", "yes!!", "this is gold",
    "beautiful 😍", "needed this", "killing it", "so good",
)  # fmt: skip
# Niches whose followers overlap (used for audience interests and content fit).
RELATED: Final = {
    "beauty": ("fashion", "wellness"), "fashion": ("beauty", "travel"),
    "fitness": ("wellness", "food", "sports"), "food": ("travel", "family", "wellness"),
    "travel": ("outdoors", "food", "fashion"), "family": ("home", "food", "pets"),
    "home": ("family", "art"), "pets": ("family", "outdoors"), "tech": ("gaming", "finance"),
    "gaming": ("tech", "music"), "music": ("art", "gaming"), "sports": ("fitness", "outdoors"),
    "finance": ("tech",), "outdoors": ("travel", "sports", "fitness"),
    "wellness": ("fitness", "beauty", "food"), "art": ("home", "music"),
}  # fmt: skip

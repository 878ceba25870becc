"""English vocabularies of the eight non-lifestyle niches (tech … art); see `lexicon.py`."""

from __future__ import annotations

from typing import Final

MORE: Final = {
    "tech": dict(
        phrases=(
            "my desk setup for 2024|unboxing the new phone|is this laptop worth it|"
            "best budget earbuds|tech that changed my workflow|coding late tonight|"
            "smart home upgrades|camera gear for beginners|battery test after one week|"
            "comparing the two flagships|my favourite productivity apps|"
            "mechanical keyboard sound test"
        ),
        tags=(
            "tech|gadgets|technology|setup|unboxing|smartphone|desksetup|apple|android|"
            "coding|review|techreview|laptop|innovation"
        ),
        emoji="💻📱⌨️🎧🔋🖥️⚡",
        bio="tech reviews|gadgets, code and coffee|honest reviews of the latest devices",
        products=(
            "noise-cancelling headphones|productivity software|smartphone accessories|"
            "password manager"
        ),
        customers=(
            "students who need a laptop|developers and designers|"
            "gadget lovers who upgrade every year"
        ),
        content="post honest gadget reviews and unboxings|share desk setups and productivity tips",
        comments=(
            "which keyboard is that?|great review|worth the upgrade?|nice setup|"
            "what about battery life"
        ),
    ),
    "gaming": dict(
        phrases=(
            "late night ranked grind|new game day|clutch of the week|live on stream tonight|"
            "my gaming setup tour|speedrun attempt|squad wins again|"
            "first impressions of the update|retro games collection|controller or keyboard|"
            "boss fight finally done|cosplay for the convention"
        ),
        tags=(
            "gaming|gamer|videogames|twitch|ps5|xbox|pcgaming|esports|streamer|fortnite|"
            "nintendo|gamingsetup|gameplay|retrogaming"
        ),
        emoji="🎮🕹️👾🔥🏆💥",
        bio="streamer & gamer|fps and coffee|live most nights",
        products="gaming headset|energy drink|ergonomic gaming chair|cloud gaming subscription",
        customers=(
            "young men who play competitive shooters|casual gamers on console|"
            "teenagers who watch streams"
        ),
        content="stream gameplay and review new releases|post gaming clips and setup tours",
        comments="insane clutch|what rank are you?|gg|what headset do you use|let's play sometime",
    ),
    "music": dict(
        phrases=(
            "new single out now|studio session all night|acoustic cover of a favourite|"
            "tour dates announced|rehearsal before the show|writing songs in the kitchen|"
            "live at the festival|vinyl collection update|guitar practice daily|"
            "thank you for an amazing crowd|behind the scenes of the video|piano and rain"
        ),
        tags=(
            "music|musician|singer|newmusic|guitar|livemusic|songwriter|cover|studio|concert|"
            "piano|hiphop|producer|band"
        ),
        emoji="🎵🎸🎤🎹🎧🔥",
        bio="singer-songwriter|new music every friday|producer and dj",
        products=(
            "music streaming app|studio headphones|concert ticket platform|beginner guitar course"
        ),
        customers="music fans aged 18 to 30|aspiring musicians|people who go to festivals",
        content="post covers and studio sessions|share live performances and new releases",
        comments="your voice 😍|on repeat|when is the tour?|chills|drop the full song",
    ),
    "sports": dict(
        phrases=(
            "match day|training with the team|what a goal|game day ready|recovery session|"
            "championship weekend|pre season starts now|on the court again|"
            "cycling through the hills|surf session at dawn|proud of this team|"
            "highlights from last night"
        ),
        tags=(
            "sports|football|soccer|basketball|athlete|training|cycling|tennis|matchday|team|"
            "surf|running|sport|champion"
        ),
        emoji="⚽🏀🎾🚴‍♂️🏆🔥💪",
        bio="professional athlete|football is life|coach and player",
        products="sports drink|football boots|cycling apparel|sports betting-free fan app",
        customers="amateur football players|young athletes|weekend cyclists",
        content="share training sessions and match highlights|post sports gear reviews",
        comments="what a game|legend|great goal|let's go!|see you at the match",
    ),
    "finance": dict(
        phrases=(
            "how I saved my first 10k|budgeting tips for beginners|index funds explained|"
            "side hustle update|paying off debt month 6|money mistakes in my twenties|"
            "investing on a small salary|financial freedom plan|my monthly budget breakdown|"
            "stocks vs real estate|frugal living hacks|retirement savings basics"
        ),
        tags=(
            "finance|money|investing|personalfinance|budget|stocks|savings|financialfreedom|"
            "entrepreneur|crypto|wealth|sidehustle|frugal|business"
        ),
        emoji="💰📈💸🏦📊✅",
        bio="personal finance made simple|investing for beginners|helping you budget better",
        products=(
            "budgeting app|low-fee investing platform|credit card with cashback|"
            "online accounting software"
        ),
        customers=(
            "young professionals starting to invest|people paying off debt|"
            "freelancers managing their money"
        ),
        content="explain investing and budgeting in plain words|share side hustles and money tips",
        comments=(
            "great tips|this is so helpful|what app do you use?|saving this|"
            "more posts like this please"
        ),
    ),
    "outdoors": dict(
        phrases=(
            "summit reached at sunrise|camping under the stars|trail running in the forest|"
            "fishing trip with friends|kayaking the lake|first snow in the mountains|"
            "wild swimming season|gear check before the hike|climbing day|"
            "van life chronicles|leave no trace|foggy morning hike"
        ),
        tags=(
            "hiking|outdoors|camping|mountains|nature|adventure|climbing|trailrunning|"
            "vanlife|getoutside|fishing|optoutside|wilderness|backpacking"
        ),
        emoji="🏔️⛺🌲🥾🎣🛶🌄",
        bio="hiker and camper|mountains are calling|outdoor guide",
        products="lightweight tent|hiking boots|outdoor jacket|water filter bottle",
        customers="weekend hikers|campers and van lifers|people who love the mountains",
        content=(
            "share hikes, camping trips and gear reviews|post outdoor adventures and trail guides"
        ),
        comments="which trail is this?|epic view|what tent is that|bucket list|so peaceful",
    ),
    "wellness": dict(
        phrases=(
            "morning routine for a calm mind|yoga flow for beginners|self care sunday|"
            "journaling prompts for the week|meditation changed my life|slow living|"
            "sleep better with this tip|mindful breathing|gratitude list|"
            "green smoothie to start the day|digital detox weekend|healing is not linear"
        ),
        tags=(
            "wellness|selfcare|yoga|meditation|mindfulness|mentalhealth|wellbeing|healthy|"
            "selflove|holistichealth|yogi|slowliving|mindset|health"
        ),
        emoji="🧘‍♀️🌿☀️🍵💚🕊️✨",
        bio="yoga teacher|mindful living & self care|wellness coach",
        products="meditation app|herbal tea blend|yoga mats|sleep supplement",
        customers=(
            "stressed professionals who want to relax|women interested in yoga|"
            "people improving their sleep"
        ),
        content=(
            "share yoga flows and self care routines|post mindfulness tips and wellness reviews"
        ),
        comments=(
            "needed this today|thank you for sharing|so calming|what mat is that?|love this energy"
        ),
    ),
    "art": dict(
        phrases=(
            "work in progress|new painting finished|sketchbook pages|watercolor study|"
            "commission for a client|ink and coffee|digital illustration process|"
            "pottery wheel practice|art supplies haul|portrait from life|"
            "art market this weekend|colour palette for the series"
        ),
        tags=(
            "art|artist|drawing|painting|illustration|sketch|artwork|watercolor|digitalart|"
            "creative|design|pottery|artistsoninstagram|instaart"
        ),
        emoji="🎨🖌️✏️🖼️✨🌈",
        bio="illustrator|painter based in the city|commissions open",
        products="art supply store|drawing tablet|online art classes|print-on-demand service",
        customers="hobby painters|art students|people who buy prints for their home",
        content=(
            "share their artistic process and finished pieces|post tutorials and art supply reviews"
        ),
        comments=(
            "so talented|what brushes do you use?|love the colours|is this for sale?|beautiful work"
        ),
    ),
}

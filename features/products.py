"""Product nouns and the niche whose creators promote them: a brief's product read by name.

MiniLM places many product nouns on no topic, or on the wrong one: "Scented candles" reads
Beauty, "Modular sofa" Pets, "Dutch oven" Fine Art, "Nappies" Pets; and a modifier can mislead
it ("travel stroller" reads Travel, "car seat" Automotive). PRODUCTS names, for each label of
`features.topics`, products its creators promote: by who buys and uses them, not by the shelf
they are sold from (a protein powder is Fitness, a chef's knife Food). Heads that many niches
share (kit, set, app, service, box, bag, software, insurance) are left out; a pair that narrows
one ("yoga mat", "dog bed", "pet insurance") is in.

Written from general knowledge by a contributor who had read none of the brief sets, before any
of them was run with it; the weight a match gets was chosen on the development sets only
(docs/decisions/0033).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final

from creatormatch.features.topics import TOPICS

# label → its products, lower case, singular, as people name them.
PRODUCTS: Final[dict[str, str]] = {
    "Automotive": (
        "car, vehicle, suv, truck, pickup truck, sedan, hatchback, minivan, electric car, "
        "electric vehicle, ev, motorcycle, motorbike, moped, dirt bike, atv, motorcycle helmet, "
        "tyre, tire, alloy wheel, steering wheel, car wax, car polish, car shampoo, car wash, "
        "ceramic coating, dash cam, dashcam, car mount, jump starter, tire inflator, tyre "
        "inflator, car jack, seat cover, car mat, car cover, car vacuum, trunk organizer, engine "
        "oil, motor oil, coolant, antifreeze, brake pad, spark plug, car battery, wiper blade, "
        "windshield, windscreen, exhaust, roof rack, roof box, tow hitch, towbar, car stereo, car "
        "audio, sat nav, satnav, obd scanner, ev charger, car insurance, car lease"
    ),
    "Books and Literature": (
        "novel, novella, light novel, graphic novel, comic book, manga, paperback, hardcover, "
        "hardback, first edition, signed copy, audiobook, ebook, e-book, e-reader, ereader, "
        "kindle, memoir, biography, anthology, short story, poetry book, self-help book, "
        "bestseller, book club, bookmark, book light, bookend, book stand, book sleeve, book "
        "nook, reading journal"
    ),
    "Business and Finance": (
        "crm, erp, accounting software, bookkeeping software, invoicing software, payroll "
        "software, business loan, business account, business insurance, merchant account, pos "
        "system, payment gateway, payment processing, ecommerce platform, coworking space, office "
        "space, business card"
    ),
    "Careers": (
        "resume builder, resume template, cv builder, cv template, cover letter, job board, job "
        "site, career coaching, interview coaching, recruitment agency"
    ),
    "Education": (
        "online course, language course, coding course, coding bootcamp, language app, "
        "educational app, e-learning, tutoring, test prep, exam prep, textbook, workbook, study "
        "guide, flashcard, dictionary, calculator, scientific calculator, pencil case, student "
        "planner, school supply"
    ),
    "Events and Attractions": (
        "concert ticket, festival ticket, festival pass, event ticket, theater ticket, theatre "
        "ticket, museum pass, theme park, amusement park, water park, trampoline park, escape "
        "room, zoo"
    ),
    "Family and Relationships": (
        "diaper, nappy, baby wipe, diaper bag, nappy bag, changing bag, changing table, changing "
        "mat, stroller, pram, pushchair, car seat, booster seat, baby carrier, baby sling, baby "
        "monitor, crib, cot, bassinet, moses basket, toddler bed, high chair, highchair, baby "
        "bottle, sippy cup, pacifier, teether, bib, breast pump, nursing bra, nursing pillow, "
        "pregnancy pillow, maternity pillow, maternity dress, maternity wear, prenatal vitamin, "
        "pregnancy test, ovulation test, baby formula, infant formula, baby food, baby shampoo, "
        "baby bath, baby blanket, onesie, babygrow, sleepsuit, sleep sack, sleepsack, swaddle, "
        "baby swing, baby bouncer, baby walker, baby gate, playpen, play mat, playmat, potty, "
        "baby toy, educational toy, building block, teddy bear, stuffed animal, doll, dollhouse, "
        "balance bike, tricycle, trampoline, kids tablet, picture book, children's book, lunch "
        "box, lunchbox"
    ),
    "Dating and Relationships": (
        "engagement ring, wedding ring, dating app, sex toy, vibrator, condom, lube"
    ),
    "Fine Art": (
        "art print, canvas print, artwork, original artwork, oil painting, sculpture, statue, "
        "lithograph, giclee, art commission"
    ),
    "Arts and Crafts": (
        "yarn, knitting needle, crochet hook, sewing machine, sewing pattern, fabric, embroidery "
        "hoop, embroidery floss, cross stitch, pin cushion, rotary cutter, cutting mat, cutting "
        "machine, vinyl cutter, glue gun, washi tape, scrapbook, cardstock, craft paper, origami "
        "paper, sketchbook, colored pencil, coloured pencil, coloring book, colouring book, "
        "alcohol marker, paint marker, paintbrush, paint brush, acrylic paint, oil paint, "
        "watercolor, watercolour, gouache, canvas, easel, calligraphy pen, fountain pen, brush "
        "pen, stencil, rubber stamp, clay, polymer clay, pottery wheel, kiln, resin, epoxy resin, "
        "bead, macrame, loom, spinning wheel, diamond painting, drawing tablet, craft supply"
    ),
    "Food and Drink": (
        "chef's knife, chef knife, kitchen knife, knife sharpener, cutting board, chopping board, "
        "charcuterie board, dutch oven, frying pan, pan, grill pan, skillet, saucepan, stockpot, "
        "wok, casserole, cookware, bakeware, baking sheet, baking tray, air fryer, blender, "
        "immersion blender, hand blender, food processor, stand mixer, hand mixer, juicer, coffee "
        "maker, coffee machine, espresso machine, french press, coffee grinder, milk frother, "
        "kettle, toaster, toaster oven, oven, microwave, slow cooker, pressure cooker, instant "
        "pot, rice cooker, sous vide, waffle maker, grill, griddle, barbecue, bbq, smoker, pizza "
        "oven, meat thermometer, kitchen scale, spatula, whisk, ladle, colander, grater, peeler, "
        "mandoline, rolling pin, measuring cup, mixing bowl, salad spinner, spice rack, pepper "
        "grinder, apron, cutlery, flatware, dinnerware, tableware, glassware, wine glass, mug, "
        "teapot, chopstick, bento box, decanter, corkscrew, wine opener, cocktail shaker, "
        "cookbook, meal kit, spice, seasoning, sauce, hot sauce, olive oil, vinegar, honey, jam, "
        "peanut butter, nut butter, cheese, steak, jerky, pasta, flour, cake mix, sourdough "
        "starter, snack, chocolate, candy, cookie, biscuit, pretzel, popcorn, ice cream, cereal, "
        "granola, granola bar, oat milk, coffee, coffee bean, coffee pod, tea, matcha, juice, "
        "smoothie, soda, sparkling water, seltzer, hard seltzer, kombucha, mocktail, cocktail, "
        "wine, beer, cider, whiskey, whisky, vodka, gin, rum, tequila, liquor"
    ),
    "Fitness and Exercise": (
        "protein powder, protein bar, protein shake, whey, whey protein, mass gainer, creatine, "
        "pre-workout, preworkout, bcaa, electrolyte, energy gel, shaker, shaker bottle, dumbbell, "
        "barbell, kettlebell, weight plate, weight bench, power rack, squat rack, home gym, "
        "resistance band, yoga mat, yoga block, yoga strap, yoga wheel, yoga ball, exercise ball, "
        "medicine ball, ab roller, pull-up bar, jump rope, skipping rope, foam roller, massage "
        "gun, treadmill, exercise bike, stationary bike, spin bike, rowing machine, rower, "
        "elliptical, stepper, vibration plate, balance board, pilates reformer, reformer, ankle "
        "weight, weighted vest, lifting belt, lifting strap, gym glove, gym bag, gym membership, "
        "gym, personal trainer, running shoe, sports bra, leggings, yoga pants, activewear, "
        "gymwear, workout clothes, fitness tracker, running watch"
    ),
    "Wellness": (
        "multivitamin, vitamin, vitamin d, supplement, probiotic, prebiotic, collagen, magnesium, "
        "melatonin, ashwagandha, adaptogen, nootropic, turmeric, elderberry, omega-3, fish oil, "
        "greens powder, superfood, mushroom coffee, herbal tea, cbd, cbd oil, essential oil, "
        "aromatherapy, bath salt, epsom salt, pillow spray, weighted blanket, sleep mask, eye "
        "mask, sound machine, earplug, ear plug, sunrise alarm, sad lamp, sleep aid, sleep "
        "tracker, smart ring, glucose monitor, nasal strip, mouth tape, posture corrector, "
        "acupressure mat, massager, massage chair, heating pad, sauna, infrared sauna, cold "
        "plunge, ice bath, meditation app, meditation cushion, gratitude journal, therapy app, "
        "online therapy, menstrual cup, period underwear, tampon, sanitary pad, toothbrush, "
        "electric toothbrush, toothpaste, water flosser, tongue scraper, hearing aid"
    ),
    "Home and Garden": (
        "sofa, couch, sofa bed, futon, armchair, recliner, ottoman, pouf, bean bag, bed, bed "
        "frame, headboard, mattress, mattress topper, duvet, duvet cover, comforter, quilt, "
        "pillow, pillowcase, throw pillow, cushion, bedding, bed linen, bed sheet, blanket, throw "
        "blanket, towel, bath mat, rug, carpet, curtain, drape, roller blind, lamp, floor lamp, "
        "chandelier, light bulb, fairy light, string light, candle, diffuser, reed diffuser, air "
        "freshener, vase, mirror, wall art, picture frame, wall clock, wallpaper, wall paint, "
        "bookshelf, bookcase, shelf, dresser, wardrobe, cabinet, nightstand, bedside table, side "
        "table, coffee table, dining table, dining chair, office chair, desk, standing desk, shoe "
        "rack, coat rack, hanger, closet organizer, doormat, shower curtain, shower head, faucet, "
        "bathtub, toilet, bidet, tile, flooring, countertop, vacuum, vacuum cleaner, hoover, "
        "robot vacuum, mop, steam mop, air purifier, humidifier, dehumidifier, air conditioner, "
        "space heater, ceiling fan, radiator, boiler, heat pump, solar panel, water softener, "
        "thermostat, smart thermostat, smart lock, video doorbell, doorbell, security camera, "
        "smoke detector, washing machine, tumble dryer, dishwasher, refrigerator, fridge, "
        "freezer, steam iron, garment steamer, ironing board, laundry detergent, detergent, dish "
        "soap, washing-up liquid, trash can, trash bag, bin bag, paper towel, toilet paper, power "
        "drill, drill, screwdriver, toolbox, ladder, lawn mower, lawnmower, leaf blower, hedge "
        "trimmer, strimmer, pressure washer, garden hose, sprinkler, planter, plant pot, flower "
        "pot, houseplant, succulent, grow light, compost, composter, fertilizer, fertiliser, weed "
        "killer, raised bed, greenhouse, shed, gazebo, pergola, patio furniture, garden "
        "furniture, outdoor furniture, patio heater, fire pit, hot tub, bird feeder, garden bench"
    ),
    "Movies": ("movie, feature film, movie ticket, cinema ticket, blu-ray, dvd, movie poster"),
    "Television": (
        "tv show, tv series, miniseries, sitcom, docuseries, reality show, tv channel, cable tv"
    ),
    "Music and Audio": (
        "guitar, electric guitar, acoustic guitar, bass guitar, ukulele, banjo, mandolin, piano, "
        "digital piano, synthesizer, synth, drum, drum kit, drum machine, violin, viola, cello, "
        "harp, flute, clarinet, saxophone, trumpet, trombone, harmonica, accordion, microphone, "
        "mic, audio interface, studio monitor, studio headphone, midi controller, dj controller, "
        "turntable, record player, vinyl, vinyl record, cassette, amplifier, guitar amp, guitar "
        "pedal, effects pedal, guitar string, guitar pick, capo, metronome, guitar tuner, sheet "
        "music, boombox, karaoke machine, hifi, hi-fi"
    ),
    "Comedy": ("comedy special, stand-up special, comedy show, comedy club, improv class"),
    "News and Politics": ("newspaper, news app, news subscription, news magazine"),
    "Personal Finance": (
        "credit card, debit card, prepaid card, savings account, checking account, current "
        "account, bank account, neobank, budgeting app, budget app, budget planner, savings app, "
        "cashback app, investing app, investment app, trading app, brokerage, brokerage account, "
        "robo-advisor, robo advisor, financial advisor, index fund, etf, mutual fund, ira, roth "
        "ira, 401k, pension, retirement account, isa, lifetime isa, annuity, cryptocurrency, "
        "crypto, bitcoin, crypto wallet, crypto exchange, credit report, credit monitoring, "
        "credit builder, personal loan, student loan, debt consolidation, mortgage, life "
        "insurance, home insurance, renters insurance, health insurance, tax software, money "
        "transfer, bnpl"
    ),
    "Pets": (
        "cat food, dog food, pet food, fish food, bird seed, kibble, dog treat, cat treat, pet "
        "treat, dog chew, dental chew, bully stick, rawhide, catnip, cat grass, dog toy, cat toy, "
        "chew toy, cat wand, cat tree, cat tower, scratching post, cat scratcher, litter box, "
        "litter tray, cat litter, litter, leash, dog lead, dog collar, flea collar, dog harness, "
        "muzzle, dog bed, cat bed, pet bed, dog crate, kennel, dog door, cat flap, pet gate, dog "
        "ramp, pet carrier, cat carrier, pet stroller, dog bowl, cat bowl, slow feeder, pet "
        "feeder, automatic feeder, pet fountain, poop bag, puppy pad, pee pad, dog shampoo, pet "
        "shampoo, dog brush, flea treatment, dewormer, pet supplement, dog coat, pet insurance, "
        "pet camera, pet tracker, dog whistle, aquarium, fish tank, bird cage, birdcage, hamster "
        "cage, hamster wheel, rabbit hutch, hutch"
    ),
    "Science": (
        "telescope, microscope, chemistry set, bunsen burner, weather station, fossil, meteorite, "
        "dna test"
    ),
    "Shopping": (
        "promo code, discount code, coupon, coupon code, voucher, gift card, shopping app, price "
        "tracker, mystery box, department store, thrift store"
    ),
    "Sports": (
        "football, soccer ball, rugby ball, basketball, basketball hoop, volleyball, baseball, "
        "baseball bat, baseball glove, softball, golf club, golf ball, golf bag, golf shoe, golf "
        "glove, golf simulator, rangefinder, tennis racket, tennis racquet, racket, racquet, "
        "tennis ball, padel racket, pickleball, pickleball paddle, cricket bat, hockey stick, "
        "lacrosse stick, ice skate, roller skate, skateboard, boxing glove, punching bag, "
        "mouthguard, shin guard, football boot, cleat, goalkeeper glove, jersey, football shirt, "
        "season ticket, dartboard, bowling ball, swim goggles, swim cap, bicycle, road bike, "
        "cycling jersey, cycling shoe, bike helmet, cycling helmet, turbo trainer, sports drink"
    ),
    "Outdoor Recreation": (
        "tent, rooftop tent, sleeping bag, sleeping pad, camping stove, camp stove, camping "
        "chair, camp chair, hammock, tarp, cooler, cool box, lantern, headlamp, head torch, "
        "flashlight, hiking boot, hiking shoe, hiking backpack, rucksack, daypack, trekking pole, "
        "hiking pole, rain jacket, down jacket, anorak, compass, binoculars, trail camera, pocket "
        "knife, multitool, multi-tool, fire starter, firestarter, bear spray, dry bag, hydration "
        "pack, water bladder, carabiner, climbing shoe, climbing harness, climbing rope, chalk "
        "bag, crash pad, ice axe, crampon, snowshoe, avalanche beacon, fishing rod, fishing reel, "
        "fishing lure, lure, bait, tackle box, waders, ski, ski boot, ski pole, ski jacket, ski "
        "goggles, ski helmet, snowboard, surfboard, wetsuit, paddleboard, paddle board, kayak, "
        "canoe, life jacket, mountain bike"
    ),
    "Beauty": (
        "mascara, lipstick, lip gloss, lip balm, lip liner, lip oil, lip tint, concealer, "
        "eyeliner, eyeshadow, eye shadow, blush, bronzer, setting spray, setting powder, face "
        "powder, bb cream, cc cream, tinted moisturizer, serum, moisturizer, moisturiser, "
        "cleanser, face wash, micellar water, makeup remover, sunscreen, sunblock, sun cream, "
        "spf, retinol, exfoliator, exfoliant, face cream, night cream, eye cream, hand cream, "
        "face oil, sheet mask, clay mask, led mask, pimple patch, acne patch, jade roller, gua "
        "sha, face roller, shampoo, conditioner, dry shampoo, hair oil, hair mask, hair dye, "
        "hairspray, hair gel, pomade, heat protectant, hair dryer, hairdryer, hair straightener, "
        "straightener, flat iron, curling iron, curling wand, hair curler, hairbrush, hair brush, "
        "wig, hair extension, nail polish, nail varnish, gel polish, press-on nail, false nail, "
        "cuticle oil, perfume, fragrance, cologne, body mist, makeup brush, makeup sponge, beauty "
        "blender, eyelash, false lash, lash serum, brow gel, brow pencil, makeup, cosmetic, "
        "skincare, razor, shaver, beard trimmer, beard oil, shaving cream, aftershave, deodorant, "
        "body lotion, body wash, shower gel, body scrub, bath bomb, self tanner, fake tan, "
        "epilator, wax strip, whitening strip, cotton pad"
    ),
    "Fashion": (
        "dress, sundress, gown, wedding dress, skirt, jeans, trousers, chino, t-shirt, tshirt, "
        "shirt, blouse, tank top, crop top, hoodie, sweatshirt, sweater, jumper, cardigan, "
        "jacket, coat, blazer, suit, tuxedo, waistcoat, trench coat, raincoat, puffer jacket, "
        "leather jacket, denim, jumpsuit, romper, shoe, sneaker, trainer, boot, ankle boot, "
        "chelsea boot, heel, high heel, stiletto, ballet flat, sandal, loafer, flip flop, "
        "espadrille, slipper, handbag, purse, tote bag, crossbody bag, wallet, belt, scarf, hat, "
        "beanie, bucket hat, baseball cap, beret, fedora, sunglasses, eyeglasses, watch, "
        "wristwatch, jewelry, jewellery, earring, necklace, pendant, bracelet, anklet, brooch, "
        "signet ring, cufflink, tie, bow tie, scrunchie, lingerie, bra, underwear, shapewear, "
        "corset, bodysuit, camisole, sock, tights, swimsuit, swimwear, bikini, pajama, pyjama, "
        "loungewear, bathrobe, dressing gown, tracksuit, streetwear, apparel, clothing, outfit, "
        "hijab, abaya, saree"
    ),
    "Technology and Computing": (
        "laptop, computer, chromebook, tablet, smartphone, phone, mobile phone, cell phone, phone "
        "case, screen protector, charger, wireless charger, power bank, portable charger, "
        "charging cable, usb cable, hdmi cable, smartwatch, smart watch, headphone, earbud, "
        "earphone, bluetooth speaker, smart speaker, smart display, soundbar, smart tv, streaming "
        "stick, projector, webcam, computer monitor, portable monitor, monitor arm, mechanical "
        "keyboard, mouse, mouse pad, mousepad, trackpad, stylus, laptop stand, laptop bag, "
        "docking station, usb hub, router, wifi router, mesh wifi, wifi extender, modem, hard "
        "drive, external drive, ssd, usb drive, flash drive, memory card, sd card, nas, graphics "
        "card, gpu, cpu, motherboard, printer, 3d printer, scanner, drone, camera, action camera, "
        "instant camera, dslr, mirrorless camera, camera lens, tripod, gimbal, selfie stick, ring "
        "light, smart plug, smart bulb, smart glasses, bluetooth tracker, vpn, antivirus, "
        "password manager, cloud storage, web hosting, domain name, website builder, chatbot"
    ),
    "Travel": (
        "suitcase, luggage, carry-on, carry on, travel backpack, duffel bag, duffle bag, "
        "weekender bag, toiletry bag, wash bag, packing cube, travel pillow, neck pillow, "
        "passport holder, passport cover, travel wallet, money belt, luggage tag, luggage scale, "
        "travel adapter, plug adapter, travel insurance, esim, travel sim, flight, airfare, plane "
        "ticket, train ticket, rail pass, airport lounge, lounge pass, hotel, hostel, resort, "
        "cruise, vacation rental, holiday rental, rental car, car hire, campervan, camper van, "
        "guidebook, travel guide, phrasebook"
    ),
    "Video Gaming": (
        "video game, mobile game, pc game, console game, console, game console, gaming console, "
        "handheld console, retro console, playstation, ps5, xbox, nintendo switch, steam deck, "
        "controller, game controller, gaming controller, gamepad, joystick, fight stick, arcade "
        "stick, racing wheel, gaming pc, gaming laptop, gaming monitor, gaming mouse, gaming "
        "keyboard, gaming headset, gaming chair, gaming desk, gaming glasses, capture card, "
        "stream deck, vr headset, battle pass, arcade machine, pinball machine"
    ),
}
_WORD = re.compile(r"[a-z][a-z'’-]*")
# A product's name has at most this many words; more make a sentence ("we are launching…") or a
# list of keywords ("hiit squats protein workout pasta recipe"), of which only the end is read.
NAME_WORDS: Final = 3


def _singular(word: str) -> str:
    """`word` in lower case without a plural ending or a possessive: the lexicon's and the
    brief's words meet in this form ("candles", "candle" → "candle"; "chef's" → "chef")."""
    word = word.lower().removesuffix("'s").removesuffix("’s")
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "sses", "xes", "zes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 3:
        return word[:-1]
    return word


def _key(phrase: str) -> str:
    return " ".join(_singular(w) for w in _WORD.findall(phrase.lower()))


NICHES: Final[dict[str, int]] = {
    _key(noun): TOPICS.index(label)
    for label, nouns in PRODUCTS.items()
    for noun in nouns.split(", ")
}


def name_topic(name: Sequence[str]) -> int | None:
    """The topic (index into `TOPICS`) whose creators promote the product whose name has the
    words `name` (`features.product_name`): of its last NAME_WORDS words, the last two, else the
    last one, looked up in PRODUCTS, and so on from the end, so that a head PRODUCTS leaves out
    ("Resistance band set", "Sourdough starter kit") or a word after the product ("Wool rugs
    handwoven") leaves the product before it; None when no word is there."""
    words = [_singular(w) for w in name if _WORD.fullmatch(w.lower())][-NAME_WORDS:]
    keys = (
        key
        for end in range(len(words), 0, -1)
        for key in (" ".join(words[max(end - 2, 0) : end]), words[end - 1])
    )
    return next((NICHES[key] for key in keys if key in NICHES), None)

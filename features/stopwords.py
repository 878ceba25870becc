"""Filler words: what a reason or a keyword match must never rest on.

Three kinds, each a sorted, whitespace-separated list:

- function words of the languages creators write in (pronouns, articles, prepositions,
  conjunctions, auxiliaries, common adverbs), with that language's "thanks", "new" and "support"
  (a French creator's "merci pour votre soutien" is no topic);
- social-media filler, written in English wherever creators post ("follow", "link", "video");
- the marketing filler of briefs ("brand", "creators", "looking", "campaign").

Words are compared in lower case, accents kept. A function word that is also a common English
topic word is left out of its language's list, since a reason tests "filler in any language":
de "hat" and "war", fr "car" and "plus", es "solo", nl "door", "van" and "tot", pl "ale" and
"pod", sv "dig", id "agar", it "chi", "son" of fr and es. Written from knowledge of each language;
nothing is downloaded.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

_FUNCTION_WORDS: Final = {
    "en": """
    a about above across actually after afterwards again against ago ain all almost alone along
    already also although always am among an and another any anybody anyone anything anyway
    anywhere are aren around as at away back basically be became because become becomes been before
    behind being below beside besides between beyond bit both but by came can cannot change changed
    changes come comes coming could couldn daily day days definitely did didn do does doesn doing
    don done down during each eight either else elsewhere enough etc even ever every everybody
    everyday everyone everything everywhere except far few finally first five for four friday from
    further gave get gets getting give gives giving go goes going gone got gotten had hadn has hasn
    have haven having he her here hers herself him himself his hour hours how however hundred i if
    in indeed instead into is isn it its itself just keep keeps kept kind knew know known least
    less let lets like literally look looks lot lots made make makes making many may maybe me might
    mine minute minutes monday month months more most much must my myself near nearly need needed
    needs neither never next nine no nobody none nor not nothing now of off often okay on once one
    only onto or other others otherwise ought our ours ourselves out over own per perhaps please
    probably put quite rather ready really said same saturday saw say says second see seen seven
    shall she should shouldn simply since six so some somebody someone something sometimes
    somewhere soon sort still stuff such sunday take takes taking ten than that the their theirs
    them themselves then there therefore these they thing things think third this those though
    thought thousand three through throughout thursday thus till time times to together tomorrow
    tonight too took totally toward towards tried try trying tuesday two under until up upon us use
    used uses using usually very via was wasn way ways we wednesday week weekend weekends weeks
    well went were weren what whatever when whenever where whereas wherever whether which while who
    whoever whole whom whose why will with within without won would wouldn yeah year years yes
    yesterday yet you your yours yourself yourselves
    """,
    "fr": """
    abonne abonnez abonnées abonnés adore ai alors as au aujourd aurait aussi autre autres aux
    avaient avais avait avec avez avoir avons beau belle bien bisous bonjour ce ceci cela celle
    celles celui ces cet cette ceux chaque chez comme comment commentaire commentaires coucou cœur
    dans de des deux dimanche dites donc dont du déjà elle elles en encore end ensemble entre es
    est et eu faire fais fait faites ferai font génial géniale géniaux hui ici il ils jamais je
    jour journée jours la le les leur leurs lien lui là ma magnifique mais me merci mes moi mon
    même ne ni nos notre nous nouveau nouvelle nouvelles on ont ou où par parce partage partagez
    pas passionné passionnée pensez peu peut pour pourquoi quand que quel quelle quelles quels qui
    quoi rien sa salut sans se semaine sera serai serait ses si sommes sont sous soutien sublime
    suis super sur ta te tes toi ton toujours tous tout toute toutes très tu un une vers vidéo
    vidéos voici voilà vos votre vous week étaient était été êtes être
    """,
    "es": """
    al algo algunos amante amar amo ante antes apoyo aquí así bien bonita bonito cada comentarios
    como comparto con contra cual cuando de del desde domingo donde durante día el ella ellas ellos
    en encanta enlace entre era eres es esa esas ese eso esos esta estar estas este esto estos
    estoy está están fin fue fueron genial gracias ha hace han hasta hay hermosa hermoso hoy
    increíble la las le leo les lo los me mi mis mucho muy más nada ni no nos nosotros nuestra
    nuestro nueva nuevo opinan otra otro para pero poco por porque que quien qué se semana ser si
    siempre sin sobre su sus sí sígueme también tan tanto te tengo tiene tienen toca todo todos tu
    tus tú un una uno unos usted ustedes vosotros vídeo ya yo él
    """,
    "de": """
    aber alle allem allen aller alles als also am an andere anderen auch auf aus bei beim bin bis
    bist da damit danke dann das dass dein deine dem den denn der des dich die dies diese diesem
    diesen dieser dir doch dort du durch ein eine einem einen einer eines er es etwas euch euer
    euren für gegen habe haben hast hatte heute hier hin hinter ich ihm ihn ihr ihre im in ist ja
    jede jedem jeden jeder jetzt kann kein keine kommentare können liebe man mega mein meine meint
    mich mir mit muss nach neue neuen neues nicht nichts noch nun nur ob oder ohne schon schreibt
    schönes sehr sein seine sich sie sind so soll sonntag support tag teile toll um und uns unser
    unsere unter viel vom von vor waren was weil wenn wer werden wie wieder wir wird wo wochenende
    wunderschön zu zum zur zwischen über
    """,
    "it": """
    ad adoro al alla alle anche ancora appassionata appassionato bella bellissima bellissimo bello
    buon che ci come commenti con condivido cosa così cuore da dal dalla dei del della delle dello
    di domenica dove ed era giorno gli grazie ha hai hanno ho il in io la le lei li lo loro lui ma
    mi mia mie miei mio molto ne nei nel nella noi non nostra nostro nuova nuovo oggi ogni pensate
    per perché più poi quale quando quella quello questa questi questo scrivetemi se sei sempre
    senza si sia siamo sono stupendo su sua sue sui sul sulla suo tra tu tua tuo tutti tutto un una
    uno voi vostro weekend è
    """,
    "pt": """
    acharam amei ao aos apaixonada apaixonado apoio aquela aquele aqui as até bom carinho com
    comentários como compartilhando contem da das de dela dele deles dia dicas do domingo dos ela
    elas ele eles em entre era essa esse esta este está estão eu fim foi foram hoje isso isto já
    lhe linda lindo mais maravilhosa mas me meu minha muito na nas nem no nos nossa nosso nova novo
    num numa não nós obrigada obrigado os ou para pela pelo perfeita por porque quando que quem se
    sem semana ser seu seus sua suas só também te tem tu tua tudo têm um uma você vocês é
    """,
    "pl": """
    aby ani bardzo bez być był była było co czy dajcie dla do dzielę dzień dzisiaj dzięki dziękuję
    dziś gdy gdzie go ich ile im jak jaki jako je jego jej jest jestem już każdy kiedy komentarzach
    kto która które który lub ma mam mi miłego mnie moja może myślicie mój na nad nam nas nasz
    nasza nic nich nie niedziela nim niż nowa nowy od oraz pięknie po przed przez przy się sobie
    super są tak także tam tego tej ten też to tu tylko tym uwielbiam wami we weekendu więc
    wsparcie wszystko za ze znać że
    """,
    "nl": """
    aan al alle alles als altijd andere bedankt ben bij comments dag dan dank dat de deel der deze
    die dit doch doen dus een eens en er fijn geen geweest geweldig haar had heb hebben heeft hem
    het hier hij hoe hun iemand iets ik in is ja je jij jou jouw jullie kan kon kunnen laat maar me
    meer men met mij mijn moet mooi na naar niet niets nieuw nieuwe nog nu of om omdat ons onze ook
    op prachtig te tegen toch toen u uit uw vandaag veel vinden voor want was wat we weekend weer
    wel werd weten wie wij wil worden wordt zal ze zelf zich zij zijn zo zondag zonder zou
    """,
    "sv": """
    alla allt att av bara blev bli blir dag de delar dem den denna deras dess det detta din dina
    ditt du där efter eller en er ett från för genom ha hade han hans har helg henne hennes hon
    honom hur här icke idag ingen inom inte jag ju kan kommentarerna kunde man med mellan men mig
    min mina mitt mot mycket ni nu nya när någon något några och om oss på samma sedan sig sin sina
    själv skriv skulle som stöd så sådan söndag tack till trevlig tycker underbart upp ut utan vad
    var vara varför varit vi vid vilka vilken vill älskar än är även
    """,
    "tr": """
    acaba ama ancak artık aslında bana bayıldım bayıldığım bazı belki ben benden beni benim bile
    bir biraz biri birkaç birçok biz bize bizi bizim bu bugün buluşalım buna bunda bundan bunu
    bunun da daha de desteğiniz değil diye diğer düşünüyorsunuz en gibi göre gün güzel hafta harika
    hem hep hepsi her hiç ile ise iyi için işte kadar keyfi ki kim kimi mi mu mü mı nasıl ne neden
    nerede niye olan olarak oldu olduğu olmak olsun ona ondan onlar onu onun paylaşıyorum pazar siz
    sizinle sonları süper takip teşekkür teşekkürler ve veya ya yani yeni yorumlarda çok çünkü şey
    şimdi şu
    """,
    "id": """
    ada adalah akan aku anda apa atau bagi bahwa banget banyak baru belum berakhir berbagi bisa
    buat bukan cantik dalam dan dari dengan di dia dua gimana hari ini itu jadi jangan juga kak
    kalau kalian kami kamu karena kasih ke keren kita kolom komentar lagi lebih mantap mau menurut
    mereka minggu nya oleh pada para pekan rutinitas saja sama sangat santai satu saya sebagai
    sedang sekali selamat semua semuanya sendiri seperti share sudah suka supaya tapi telah tentang
    terima tersebut tidak tiga tulis untuk ya yang
    """,
}

_SOCIAL: Final = """
amazing awesome beautiful bio blogger bloggers channel check checking click comment comments
content dm dms enjoy enjoyed episode everyone excited fav fave favorite favourite favs follow
followed follower followers following follows foryou foryoupage friends fyp giveaway guys haha
hello hey honest idea ideas inspo insta instagram just life link links lol love loved lovely lover
lovers loves loving new omg page part pls post posted posting posts reel reels repost review
reviews routine routines share shared shares sharing soon stay stories story subscribe subscribed
support supported supporting swipe tap thank thanks tiktok tip tips today tuned ty update updates
vibe vibes video videos viral vlog vlogs welcome work working works wow yay youtube
"""

_BRIEF: Final = """
ambassador ambassadors audience audiences authentic based brand brands campaign campaigns collab
collaborate collaboration collabs companies company creator creators customer customers engage
engagement find genuine help ideal influencer influencers interested launch launches launching
looking marketing men offer offers partner partners partnership people perfect premium product
products promote promoting promotion quality range reach seek seeking sell selling sells sponsor
sponsored target targeting ugc upcoming want wanted wants women
"""

_GENERIC: Final = frozenset(_SOCIAL.split()) | frozenset(_BRIEF.split())
_FILLER: Final[Mapping[str, frozenset[str]]] = {
    language: frozenset(words.split()) | _GENERIC for language, words in _FUNCTION_WORDS.items()
}
_ANY: Final = frozenset().union(*_FILLER.values())


def is_filler(word: str, *, language: str | None = None) -> bool:
    """Whether `word` is filler: in `language` (an ISO 639-1 code; "pt-BR" reads as "pt"), or in
    any language when None. A language without a list has only the generic (social and brief)
    filler.
    """
    word = word.lower()
    if language is None:
        return word in _ANY
    code = language.lower().replace("_", "-").partition("-")[0]
    return word in _FILLER.get(code, _GENERIC)

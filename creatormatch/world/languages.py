"""Countries, their cities and languages, and per-language caption and comment phrases.

Non-English captions mix a local opener, a local niche word, an emoji and hashtags (often English,
as real captions do). Niche words follow the order of `features.taxonomy.INTERESTS`.
"""

from __future__ import annotations

from typing import Final

from creatormatch.features import COUNTRIES, INTERESTS

# Country weights of the creator population (the largest creator markets are weighted up).
COUNTRY_WEIGHT: Final = {
    "US": 22, "GB": 6, "CA": 3, "AU": 2.5, "IN": 9, "BR": 8, "MX": 4, "ES": 3.5, "FR": 4, "DE": 4,
    "IT": 3.5, "NL": 1.5, "SE": 1, "PL": 1.5, "TR": 3, "ID": 7, "PH": 3, "JP": 4, "KR": 4, "NG": 2,
}  # fmt: skip
LANGUAGE: Final = {
    "US": "en", "GB": "en", "CA": "en", "AU": "en", "IN": "en", "BR": "pt", "MX": "es", "ES": "es",
    "FR": "fr", "DE": "de", "IT": "it", "NL": "nl", "SE": "sv", "PL": "pl", "TR": "tr", "ID": "id",
    "PH": "en", "JP": "ja", "KR": "ko", "NG": "en",
}  # fmt: skip
# Share of a local creator's captions written in the local language (the rest are English).
LOCAL_SHARE: Final = {"nl": 0.4, "sv": 0.4, "pl": 0.5}
CITIES: Final = {
    "US": "New York|Los Angeles|Chicago|Austin|Miami", "GB": "London|Manchester|Bristol",
    "CA": "Toronto|Vancouver|Montreal", "AU": "Sydney|Melbourne|Brisbane",
    "IN": "Mumbai|Delhi|Bengaluru", "BR": "São Paulo|Rio de Janeiro|Belo Horizonte",
    "MX": "Ciudad de México|Guadalajara|Monterrey", "ES": "Madrid|Barcelona|Valencia",
    "FR": "Paris|Lyon|Marseille", "DE": "Berlin|München|Hamburg", "IT": "Milano|Roma|Napoli",
    "NL": "Amsterdam|Rotterdam", "SE": "Stockholm|Göteborg", "PL": "Warszawa|Kraków",
    "TR": "İstanbul|Ankara|İzmir", "ID": "Jakarta|Bandung|Surabaya", "PH": "Manila|Cebu",
    "JP": "東京|大阪|福岡", "KR": "서울|부산", "NG": "Lagos|Abuja",
}  # fmt: skip
COUNTRY_NAME: Final = {
    "US": "the United States", "GB": "the UK", "CA": "Canada", "AU": "Australia", "IN": "India",
    "BR": "Brazil", "MX": "Mexico", "ES": "Spain", "FR": "France", "DE": "Germany", "IT": "Italy",
    "NL": "the Netherlands", "SE": "Sweden", "PL": "Poland", "TR": "Turkey", "ID": "Indonesia",
    "PH": "the Philippines", "JP": "Japan", "KR": "South Korea", "NG": "Nigeria",
}  # fmt: skip
# Countries whose audiences spill into each other (shared language or region).
NEIGHBOURS: Final = {
    "US": "CA|GB|MX", "GB": "US|IE|AU", "CA": "US|GB", "AU": "GB|US", "IN": "US|GB",
    "BR": "US|MX", "MX": "US|ES", "ES": "MX|FR", "FR": "ES|DE|IT", "DE": "NL|PL|FR",
    "IT": "FR|DE|ES", "NL": "DE|GB", "SE": "DE|GB", "PL": "DE|GB", "TR": "DE|NL", "ID": "PH|JP",
    "PH": "US|ID", "JP": "KR|US", "KR": "JP|US", "NG": "GB|US",
}  # fmt: skip

_LOCAL: Final = {
    "es": dict(
        open=(
            "Hoy toca|Mi nuevo|Feliz domingo con|Les comparto|Un día más de|No puedo dejar de amar"
        ),
        close="¿Qué opinan?|¡Los leo en comentarios!|Buen fin de semana|Gracias por estar aquí",
        words=(
            "maquillaje|moda|entrenamiento|receta|viaje|familia|hogar|mascota|tecnología|"
            "videojuegos|música|fútbol|ahorro|montaña|bienestar|arte"
        ),
        comments="me encanta|qué bonito|increíble|hermosa|¿dónde es?",
        bio="Amante de|Creadora de contenido sobre|Comparto todo sobre",
    ),
    "pt": dict(
        open=(
            "Hoje é dia de|Meu novo|Domingo com|Compartilhando com vocês|Mais um dia de|"
            "Apaixonada por"
        ),
        close="O que acharam?|Me contem nos comentários|Bom fim de semana|Obrigada pelo carinho",
        words=(
            "maquiagem|moda|treino|receita|viagem|família|casa|pet|tecnologia|games|música|"
            "futebol|finanças|trilha|bem-estar|arte"
        ),
        comments="amei|que lindo|perfeita|maravilhosa|onde é?",
        bio="Apaixonada por|Criadora de conteúdo de|Dicas de",
    ),
    "fr": dict(
        open=(
            "Aujourd'hui c'est|Mon nouveau|Dimanche avec|Je vous partage|"
            "Encore une journée de|Coup de cœur pour"
        ),
        close=(
            "Vous en pensez quoi ?|Dites-moi en commentaire|Bon week-end|Merci pour votre soutien"
        ),
        words=(
            "maquillage|mode|entraînement|recette|voyage|famille|maison|chat|technologie|"
            "jeux vidéo|musique|football|épargne|randonnée|bien-être|art"
        ),
        comments="j'adore|trop beau|magnifique|sublime|c'est où ?",
        bio="Passionnée de|Créatrice de contenu|Tout sur",
    ),
    "de": dict(
        open=(
            "Heute gibt es|Mein neues|Sonntag mit|Ich teile mit euch|Noch ein Tag voller|"
            "Verliebt in"
        ),
        close=(
            "Was meint ihr?|Schreibt es in die Kommentare|Schönes Wochenende|"
            "Danke für euren Support"
        ),
        words=(
            "Schminke|Mode|Training|Rezept|Reise|Familie|Zuhause|Hund|Technik|Gaming|Musik|"
            "Fußball|Sparen|Wandern|Wohlbefinden|Kunst"
        ),
        comments="wunderschön|mega|toll|liebe es|wo ist das?",
        bio="Liebe für|Content Creator für|Alles über",
    ),
    "it": dict(
        open=(
            "Oggi si parla di|Il mio nuovo|Domenica con|Vi condivido|Un altro giorno di|"
            "Innamorata di"
        ),
        close="Che ne pensate?|Scrivetemi nei commenti|Buon weekend|Grazie di cuore",
        words=(
            "trucco|moda|allenamento|ricetta|viaggio|famiglia|casa|cane|tecnologia|"
            "videogiochi|musica|calcio|risparmio|montagna|benessere|arte"
        ),
        comments="bellissima|che bello|stupendo|adoro|dove si trova?",
        bio="Appassionata di|Content creator di|Tutto su",
    ),
    "id": dict(
        open=(
            "Hari ini|Rutinitas baru|Minggu santai dengan|Mau share|Satu hari lagi dengan|"
            "Suka banget sama"
        ),
        close=(
            "Gimana menurut kalian?|Tulis di kolom komentar ya|Selamat berakhir pekan|"
            "Terima kasih semuanya"
        ),
        words=(
            "makeup|fashion|olahraga|resep|jalan-jalan|keluarga|rumah|kucing|teknologi|game|"
            "musik|sepak bola|keuangan|mendaki|kesehatan|seni"
        ),
        comments="cantik banget|keren|mantap|suka|ini dimana kak?",
        bio="Pecinta|Konten kreator|Berbagi tentang",
    ),
    "ja": dict(
        open="今日は|新しい|日曜日の|みなさんにシェア|毎日の|大好きな",
        close="どう思いますか？|コメントで教えてね|良い週末を|いつもありがとう",
        words="メイク|ファッション|筋トレ|レシピ|旅行|家族|インテリア|犬|ガジェット|ゲーム|音楽|サッカー|節約|登山|健康|アート",
        comments="かわいい|素敵|最高|いいね|どこですか？",
        bio="好きなもの:|発信中:|日常と",
    ),
    "ko": dict(
        open="오늘은|새로운|일요일의|여러분과 공유하는|매일의|너무 좋아하는",
        close="어떻게 생각하세요?|댓글로 알려주세요|좋은 주말 보내세요|항상 감사합니다",
        words="메이크업|패션|운동|레시피|여행|가족|인테리어|강아지|테크|게임|음악|축구|재테크|등산|건강|그림",
        comments="예뻐요|대박|멋져요|좋아요|어디예요?",
        bio="좋아하는 것:|일상 공유:|매일",
    ),
    "tr": dict(
        open="Bugün|Yeni|Pazar keyfi ile|Sizinle paylaşıyorum|Bir gün daha|Bayıldığım",
        close=(
            "Siz ne düşünüyorsunuz?|Yorumlarda buluşalım|İyi hafta sonları|"
            "Desteğiniz için teşekkürler"
        ),
        words=(
            "makyaj|moda|antrenman|tarif|seyahat|aile|ev|kedi|teknoloji|oyun|müzik|futbol|"
            "birikim|doğa|sağlık|sanat"
        ),
        comments="çok güzel|harika|bayıldım|süper|burası neresi?",
        bio="Tutkunu|İçerik üreticisi|Her şey",
    ),
    "nl": dict(
        open="Vandaag|Mijn nieuwe|Zondag met|Ik deel met jullie|Weer een dag vol|Verliefd op",
        close="Wat vinden jullie?|Laat het weten in de comments|Fijn weekend|Dank jullie wel",
        words=(
            "make-up|mode|training|recept|reizen|familie|interieur|hond|techniek|gaming|"
            "muziek|voetbal|sparen|wandelen|welzijn|kunst"
        ),
        comments="prachtig|zo mooi|geweldig|top|waar is dit?",
        bio="Liefde voor|Content creator|Alles over",
    ),
    "sv": dict(
        open="Idag|Min nya|Söndag med|Delar med er|Ännu en dag med|Kär i",
        close="Vad tycker ni?|Skriv i kommentarerna|Trevlig helg|Tack för allt stöd",
        words=(
            "smink|mode|träning|recept|resa|familj|inredning|hund|teknik|gaming|musik|"
            "fotboll|sparande|vandring|välmående|konst"
        ),
        comments="så fint|underbart|snyggt|älskar|var är detta?",
        bio="Kärlek till|Kreatör inom|Allt om",
    ),
    "pl": dict(
        open="Dzisiaj|Mój nowy|Niedziela z|Dzielę się z wami|Kolejny dzień|Zakochana w",
        close="Co myślicie?|Dajcie znać w komentarzach|Miłego weekendu|Dziękuję za wsparcie",
        words=(
            "makijaż|moda|trening|przepis|podróż|rodzina|dom|pies|technologia|gry|muzyka|"
            "piłka nożna|oszczędzanie|góry|zdrowie|sztuka"
        ),
        comments="pięknie|super|cudowne|uwielbiam|gdzie to jest?",
        bio="Miłośniczka|Twórczyni treści o|Wszystko o",
    ),
}
LOCAL: Final = {
    lang: {k: v.split("|") for k, v in fields.items()} for lang, fields in _LOCAL.items()
}
NICHE_INDEX: Final = {niche: i for i, niche in enumerate(INTERESTS)}
COUNTRY_INDEX: Final = {country: i for i, country in enumerate(COUNTRIES)}

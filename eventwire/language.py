"""A cheap, dependency-free language check: is this article English, and if not, what is it?

It runs on every article before any NLP, so it must cost well under a millisecond on a typical
article. Two signals, both computed from one regex pass over a sample of the text:

* the writing system: a text written mostly in Arabic, Cyrillic, Han, Devanagari, ... script is
  not English whatever its words are;
* for Latin-script text, the share of tokens that are function words ("stop words") of each of a
  few dozen languages. English prose runs at 35-50% English function words; other languages share
  few of them, and hit their own list instead.

The detector only says "another language" on positive evidence (another script, or another
language's function words). Telegraphic English (headlines, name lists) has few function words of
any language and comes out as ``"xx"`` with low confidence, which callers should not refuse.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

__all__ = [
    "LANGUAGE_NAMES",
    "UNKNOWN",
    "LanguageGuess",
    "detect_language",
    "guess_language",
    "language_name",
]

#: code returned for Latin-script text that matches no known function-word list
UNKNOWN = "xx"

LANGUAGE_NAMES: dict[str, str] = {
    "en": "English",
    "fr": "French",
    "es": "Spanish",
    "pt": "Portuguese",
    "it": "Italian",
    "de": "German",
    "nl": "Dutch",
    "id": "Indonesian/Malay",
    "tr": "Turkish",
    "sv": "Swedish",
    "da": "Danish",
    "no": "Norwegian",
    "pl": "Polish",
    "cs": "Czech",
    "ro": "Romanian",
    "hu": "Hungarian",
    "fi": "Finnish",
    "sh": "Serbo-Croatian",
    "sw": "Swahili",
    "tl": "Tagalog",
    "vi": "Vietnamese",
    "so": "Somali",
    "ha": "Hausa",
    "ar": "Arabic",
    "fa": "Persian",
    "ur": "Urdu",
    "ps": "Pashto",
    "ru": "Russian",
    "uk": "Ukrainian",
    "bg": "Bulgarian",
    "sr": "Serbian",
    "el": "Greek",
    "he": "Hebrew",
    "hy": "Armenian",
    "ka": "Georgian",
    "syr": "Syriac",
    "dv": "Dhivehi",
    "hi": "Hindi",
    "bn": "Bengali",
    "pa": "Punjabi",
    "gu": "Gujarati",
    "or": "Odia",
    "ta": "Tamil",
    "te": "Telugu",
    "kn": "Kannada",
    "ml": "Malayalam",
    "si": "Sinhala",
    "th": "Thai",
    "lo": "Lao",
    "bo": "Tibetan",
    "my": "Burmese",
    "km": "Khmer",
    "am": "Amharic",
    "mn": "Mongolian",
    "ko": "Korean",
    "ja": "Japanese",
    "zh": "Chinese",
    UNKNOWN: "an unrecognized language",
}


def language_name(code: str | None) -> str:
    """The English name of a language code ("French" for "fr"); the code itself when unknown."""
    if code is None:
        return "an undetermined language"
    return LANGUAGE_NAMES.get(code, code)


# --- function words -------------------------------------------------------------------------

_ENGLISH_WORDS = """
the of and to a in is that for it as was with be by on not he i this are or his from at which but
have an had they you were their one all we can her has there been if more when will would who so
no she other its may these what them than some him only could into then do any now such my our out
up about also after before over under between against during since while where said says told did
does being how why because those each most many much both few further here just me us own same
should through until very off down again once whom whose yet still even though although however
among around near across without within upon am don t s ve ll re another every including according
whether despite amid toward towards must might shall having your itself himself herself themselves
thus either neither nor unless whereas become became get got made make well like back mr ms mrs
what whatever whenever which whichever onto along beyond throughout later earlier already
"""

# Other Latin-script languages: frequent function words. A word on k lists counts 1/k for each, so
# shared words ("a", "no", "de") are weak evidence and each language's own words decide.
_LATIN_STOPWORDS: dict[str, str] = {
    "fr": """le la les des du de un une et est dans pour que qui sur pas par au aux avec ce cette
        ces il elle ils elles sont été être mais ou où leur leurs plus ont l d qu n se sa son ses
        lui nous vous selon après entre contre lors sans sous comme aussi très tout tous dont y
        avait été était fait chez depuis déjà encore ainsi cela en ne""",
    "es": """el la los las de del y que en un una por con para es se su sus al lo como más pero fue
        ha han este esta entre sin sobre también según tras ya muy cuando donde hasta desde porque
        ser son está están le les fueron había otros otras dijo durante hay sido cual esto""",
    "pt": """o os as de do da dos das e em no na nos nas um uma que por para com não se ao aos mais
        mas foi é são está pelo pela seu sua também como ele ela entre disse sobre após ou já até
        quando onde muito isso este esta pelos pelas foram tem ser seus suas num numa segundo""",
    "it": """il lo la i gli le di del della dei delle degli e è che un una uno per con non si da dal
        dalla al alla ai nel nella sono ha hanno come più ma anche questo questa essere stato
        stata sul sulla tra fra dopo ed cui quando dove ancora già dell all sull nell contro
        detto secondo loro suo sua negli nelle alle agli""",
    "de": """der die das und ist nicht ein eine einer einen dem den des zu mit sich auf für von im
        auch es sie er wir wurde wurden werden hat haben sind war aus bei nach wie oder aber noch
        um über vor durch zum zur dass am als nur sei sagte gegen seit ihre sein seine ihr ihren
        einem eines bereits sowie wird""",
    "nl": """de het een en van dat die niet zijn op te met voor er aan ook als bij door maar om ze
        hij zij wordt werd worden uit nog naar dan of geen heeft hebben tot al wel deze dit zou
        kan moet zei volgens na tegen waren meer""",
    "id": """yang dan di ke dari ini itu dengan untuk tidak dalam akan pada juga adalah oleh atau
        ada bahwa karena kata telah sudah mereka kami kita saya tersebut setelah para sebagai bisa
        lebih hanya seperti antara serta namun masih belum ialah kerana bagi sejak""",
    "tr": """ve bir bu da de için ile olarak olan çok daha gibi en ne ama kadar sonra ise ancak veya
        şu her mi değil oldu olduğu dedi ki tarafından üzerine göre yılında olduğunu bin nın nin
        nun nün ın un ün bunu bunun buna diye çünkü hem hiç artık kendi tüm bütün ayrıca yine
        beri etti eden edildi yaptı söyledi açıkladı bildirdi""",
    "sv": """och att det som en på är av för med till den har de inte om ett han var men vid från
        sig så kan efter hade detta eller också mot sina sitt enligt""",
    "da": """og det som en på er af med til den har de ikke om et han var men ved fra sig så kan
        efter havde eller også mod sine sit ifølge""",
    "no": """og det som en på er av med til den har de ikke om et han var men ved fra seg så kan
        etter hadde eller også mot sine sitt ifølge""",
    "pl": """i w na z się nie do to że jest o jak po co od za przez ale są jego tym oraz czy już
        było był została także przy dla ze pod tak które który która jej ich""",
    "cs": """a v se na je že z do o to jako ale by za k po pro jsou byl byla bylo které který která
        také jeho při od aby však jen už""",
    "ro": """și şi în de la a cu pe din că nu se o un care mai pentru este au fost sunt ca sau prin
        după fi acest această lui ei dar despre între într unei unui asupra iar fără până când
        potrivit""",
    "hu": """a az és hogy nem is egy meg van volt de el ki már csak még mint azt ez ezt aki amely
        után szerint között pedig lesz sem""",
    "fi": """ja on ei että oli se hän joka ovat mutta myös kun tai kuin sen ole jo nyt vain mukaan
        jälkeen sekä olla voi""",
    "sh": """i u je na se da za su od sa koji koja koje to ne kao iz ali bio bila te o što još nakon
        prema""",
    "sw": """na ya wa za kwa la katika ni kuwa hiyo huo hii cha vya pia lakini kama baada wakati
        alisema amesema hadi zaidi juu bila mwa kwenye wenye ambao ambaye hao yake wake zake
        kwamba hata sana tu hivyo pamoja kutoka""",
    "tl": """ang ng sa na at mga ay si ni ito kay para hindi siya nang may pero dahil kung din rin
        lamang po""",
    "vi": """của và các là có trong được cho những với không này người một đã để khi từ về cũng tại
        theo năm đến ra nhưng sau""",
    "so": """iyo ka ku oo in waxaa ayaa uu u ah la kale ee soo ay wuxuu waxay kala""",
    "ha": """da a na ta ya ba ne wani kuma cikin sun su an ga daga wanda amma za ce""",
}

# Non-Latin scripts shared by several languages: a few words tell them apart.
_SCRIPT_STOPWORDS: dict[str, str] = {
    "ar": "في من على إلى أن التي الذي عن مع هذا هذه كان قد وقال ما بين",
    "fa": "و در به از که این را با است برای آن شد می یک",
    "ur": "کے میں کی ہے اور سے کو نے کہ یہ تھا ہیں",
    "ps": "د په او له چې دې ته دا وو",
    "ru": "и в не на что с по это как из к для он его был была были также",
    "uk": "і та в не на що з до як це у від для його був була також",
    "bg": "и в на от за да се е че са с по не като това",
    "sr": "и у на је да се за од са су који која",
}

_ENGLISH_SET = frozenset(_ENGLISH_WORDS.split())


def _build_index() -> dict[str, tuple[str, ...]]:
    index: dict[str, list[str]] = {w: ["en"] for w in _ENGLISH_SET}
    for code, words in (_LATIN_STOPWORDS | _SCRIPT_STOPWORDS).items():
        for word in set(words.split()):
            index.setdefault(word, []).append(code)
    return {w: tuple(codes) for w, codes in index.items()}


#: word -> the languages it is a function word of
_INDEX = _build_index()
_LATIN_CODES = ("en", *_LATIN_STOPWORDS)

# (first code point, script) sorted; a code point belongs to the last range starting at or
# below it, and ranges not listed are "Other".
_SCRIPT_RANGES: tuple[tuple[int, str], ...] = (
    (0x0000, "Latin"),
    (0x0250, "Other"),
    (0x0370, "Greek"),
    (0x0400, "Cyrillic"),
    (0x0530, "Armenian"),
    (0x0590, "Hebrew"),
    (0x0600, "Arabic"),
    (0x0700, "Syriac"),
    (0x0750, "Arabic"),
    (0x0780, "Thaana"),
    (0x07C0, "Other"),
    (0x08A0, "Arabic"),
    (0x0900, "Devanagari"),
    (0x0980, "Bengali"),
    (0x0A00, "Gurmukhi"),
    (0x0A80, "Gujarati"),
    (0x0B00, "Oriya"),
    (0x0B80, "Tamil"),
    (0x0C00, "Telugu"),
    (0x0C80, "Kannada"),
    (0x0D00, "Malayalam"),
    (0x0D80, "Sinhala"),
    (0x0E00, "Thai"),
    (0x0E80, "Lao"),
    (0x0F00, "Tibetan"),
    (0x1000, "Myanmar"),
    (0x10A0, "Georgian"),
    (0x1100, "Hangul"),
    (0x1200, "Ethiopic"),
    (0x13A0, "Other"),
    (0x1780, "Khmer"),
    (0x1800, "Mongolian"),
    (0x18B0, "Other"),
    (0x1C80, "Cyrillic"),
    (0x1C90, "Georgian"),
    (0x1CC0, "Other"),
    (0x1E00, "Latin"),
    (0x1F00, "Greek"),
    (0x2000, "Other"),
    (0x2C60, "Latin"),
    (0x2C80, "Other"),
    (0x2DE0, "Cyrillic"),
    (0x2E00, "Other"),
    (0x3040, "Kana"),
    (0x3100, "Other"),
    (0x3130, "Hangul"),
    (0x3190, "Other"),
    (0x31F0, "Kana"),
    (0x3200, "Other"),
    (0x3400, "Han"),
    (0x4DC0, "Other"),
    (0x4E00, "Han"),
    (0xA000, "Other"),
    (0xA640, "Cyrillic"),
    (0xA6A0, "Other"),
    (0xA720, "Latin"),
    (0xA800, "Other"),
    (0xAC00, "Hangul"),
    (0xD7B0, "Other"),
    (0xF900, "Han"),
    (0xFB00, "Latin"),
    (0xFB1D, "Hebrew"),
    (0xFB50, "Arabic"),
    (0xFE00, "Other"),
    (0xFE70, "Arabic"),
    (0xFF00, "Other"),
    (0xFF21, "Latin"),
    (0xFF5B, "Other"),
    (0xFF66, "Kana"),
    (0xFFA0, "Other"),
    (0x20000, "Han"),
    (0x30000, "Other"),
)
_RANGE_STARTS = tuple(start for start, _ in _SCRIPT_RANGES)

_SCRIPT_LANGUAGE: dict[str, str] = {
    "Greek": "el",
    "Cyrillic": "ru",
    "Armenian": "hy",
    "Hebrew": "he",
    "Arabic": "ar",
    "Syriac": "syr",
    "Thaana": "dv",
    "Devanagari": "hi",
    "Bengali": "bn",
    "Gurmukhi": "pa",
    "Gujarati": "gu",
    "Oriya": "or",
    "Tamil": "ta",
    "Telugu": "te",
    "Kannada": "kn",
    "Malayalam": "ml",
    "Sinhala": "si",
    "Thai": "th",
    "Lao": "lo",
    "Tibetan": "bo",
    "Myanmar": "my",
    "Georgian": "ka",
    "Hangul": "ko",
    "Ethiopic": "am",
    "Khmer": "km",
    "Mongolian": "mn",
    "Han": "zh",
}
#: languages told apart by function words within one script
_SCRIPT_CANDIDATES: dict[str, tuple[str, ...]] = {
    "Arabic": ("ar", "fa", "ur", "ps"),
    "Cyrillic": ("ru", "uk", "bg", "sr"),
}
#: scripts written without spaces between words: a "token" is a phrase
_UNSPACED = frozenset({"Han", "Kana", "Thai", "Lao", "Khmer", "Myanmar", "Tibetan"})

# Apostrophes split tokens, so "l'armée" gives "l" + "armée" and "Iraq's" gives "iraq" + "s".
_WORD = re.compile(r"[^\W\d_]+")
_KANA = re.compile(r"[\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f]")

#: characters of a long text that are looked at: its start, middle and end
_SAMPLE_CHARS = 12_000
#: a function-word share at or above this is full-strength evidence for a language
_FULL_SHARE = 0.15
#: below this share on every list, the language is not recognized
_MIN_SHARE = 0.03


@dataclass(frozen=True, slots=True)
class LanguageGuess:
    """What ``guess_language`` found: a code ("en", "fr", "xx") or None, and how sure it is."""

    code: str | None
    confidence: float
    #: the main writing system: "Latin", "Arabic", "Cyrillic", "Han", ... ("" when no words)
    script: str
    #: words looked at (phrases of unspaced scripts count by length)
    words: int

    @property
    def name(self) -> str:
        name = language_name(self.code)
        if self.script not in ("", "Latin") and self.script != name:
            # "Russian (Cyrillic script)": the script is certain, the language a best guess.
            return f"{name} ({self.script} script)"
        return name


def _script_of(ch: str) -> str:
    return _SCRIPT_RANGES[bisect_right(_RANGE_STARTS, ord(ch)) - 1][1]


def _sample(text: str) -> str:
    if len(text) <= _SAMPLE_CHARS:
        return text
    # Start, middle and end: boilerplate at either end of a page does not decide alone.
    third = _SAMPLE_CHARS // 3
    mid = len(text) // 2
    return "\n".join(
        (text[: third * 2], text[mid - third // 2 : mid + third // 2], text[-third // 2 :])
    )


def guess_language(text: str, min_words: int = 12) -> LanguageGuess:
    """Guess the language of ``text``; ``code`` is None when it has fewer than ``min_words`` words.

    ``code`` is "en", another language's code (ISO 639-1 where there is one), or "xx" for
    Latin-script text whose function words match no known list. ``confidence`` is in [0, 1].
    """
    tokens = _WORD.findall(_sample(text).lower())
    letters: dict[str, int] = {}
    scripts: list[str] = []
    words = 0
    for tok in tokens:
        # One script per token, from its first letter: tokens rarely mix scripts.
        script = "Latin" if tok.isascii() else _script_of(tok[0])
        scripts.append(script)
        if script in ("Han", "Kana"):
            # Japanese runs kanji and kana together in one token: count both.
            kana = len(_KANA.findall(tok))
            letters["Kana"] = letters.get("Kana", 0) + kana
            letters["Han"] = letters.get("Han", 0) + len(tok) - kana
        else:
            letters[script] = letters.get(script, 0) + len(tok)
        words += max(1, len(tok) // 2) if script in _UNSPACED else 1
    if words < min_words or not letters:
        return LanguageGuess(None, 0.0, "", words)

    total = sum(letters.values())
    cjk = letters.get("Han", 0) + letters.get("Kana", 0)
    grouped = {s: n for s, n in letters.items() if s not in ("Han", "Kana", "Other")}
    if cjk:
        grouped["Han"] = cjk
    top = max(grouped, key=grouped.__getitem__) if grouped else "Other"
    if top == "Latin" or top == "Other":
        latin_share = letters.get("Latin", 0) / total
        latin = [t for t, s in zip(tokens, scripts, strict=True) if s == "Latin"]
        return _by_function_words(latin, latin_share, words)

    share = grouped[top] / total
    if top == "Han":
        code = "ja" if letters.get("Kana", 0) >= 0.1 * cjk else "zh"
        return LanguageGuess(code, round(share, 2), "Han" if code == "zh" else "Han/Kana", words)
    code = _SCRIPT_LANGUAGE.get(top, UNKNOWN)
    candidates = _SCRIPT_CANDIDATES.get(top)
    if candidates:
        counts = dict.fromkeys(candidates, 0)
        for tok, script in zip(tokens, scripts, strict=True):
            if script == top:
                for lang in _INDEX.get(tok, ()):
                    if lang in counts:
                        counts[lang] += 1
        best = max(candidates, key=counts.__getitem__)  # ties keep the script's main language
        if counts[best] > 0:
            return LanguageGuess(best, round(share, 2), top, words)
    return LanguageGuess(code, round(share, 2), top, words)


def _by_function_words(tokens: list[str], latin_share: float, words: int) -> LanguageGuess:
    counts = dict.fromkeys(_LATIN_CODES, 0.0)
    for tok in tokens:
        langs = _INDEX.get(tok)
        if langs:
            weight = 1.0 / len(langs)
            for lang in langs:
                if lang in counts:
                    counts[lang] += weight
    n = max(1, len(tokens))
    # English first: a tie (a text of shared words only) goes to English.
    ranked = sorted(_LATIN_CODES, key=lambda c: -counts[c])
    best, second = ranked[0], ranked[1]
    s_best, s_second = counts[best] / n, counts[second] / n
    if s_best < _MIN_SHARE:
        # No list matches: confidence that this is no known language grows with the evidence.
        return LanguageGuess(UNKNOWN, round(min(1.0, n / 100) * latin_share, 2), "Latin", words)
    strength = min(1.0, s_best / _FULL_SHARE)
    # For English, how far ahead of the runner-up; for another language, how far ahead of English:
    # callers ask "English or not", and Romance languages sharing words must not hide that.
    rival = s_second if best == "en" else counts["en"] / n
    margin = (s_best - rival) / s_best
    return LanguageGuess(best, round(strength * margin * latin_share, 2), "Latin", words)


def detect_language(text: str, min_words: int = 12) -> tuple[str | None, float]:
    """``("en", 0.93)``, ``("fr", 0.85)``, ``("xx", 0.4)``, or ``(None, 0.0)`` for too few words."""
    guess = guess_language(text, min_words)
    return guess.code, guess.confidence

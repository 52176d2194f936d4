"""Language identification by function-word profile: enough to keep English
or Arabic pages away from the French extractors, with no model to download."""
from __future__ import annotations

import re
from collections import Counter

PROFILES = {
    # elided articles count: "l'usine" reads as "l" and "usine"
    "fr": {"le", "la", "les", "des", "du", "de", "et", "est", "une", "un", "dans", "pour", "qui", "que",
           "sur", "au", "aux", "par", "avec", "ce", "cette", "sont", "ont", "été", "plus", "il", "elle",
           "l", "d", "qu", "à", "ne", "pas", "mais", "ou", "leur", "leurs", "ses", "son", "sa", "nous", "ils",
           "aussi", "selon", "dont", "ainsi", "lors", "après", "depuis", "millions", "milliards"},
    "en": {"the", "and", "of", "to", "in", "is", "for", "that", "with", "on", "was", "are", "by", "this",
           "be", "has", "have", "from", "at", "it", "as", "which", "were", "its", "an"},
    # the words each language shares with French count for it too ("de", "la", "un")
    "es": {"el", "los", "las", "del", "y", "en", "que", "por", "con", "para", "una", "es", "se", "al", "lo",
           "de", "la", "un", "su", "sus", "como", "más", "pero", "este", "esta", "fue", "han", "muy", "sobre",
           "también", "sin", "según", "millones", "año"},
    "it": {"il", "la", "le", "un", "di", "che", "e", "per", "una", "del", "della", "dei", "degli", "con", "non",
           "sono", "nel", "nella", "alla", "anche", "più", "come", "ha", "hanno", "gli", "da"},
    "pt": {"o", "os", "as", "de", "que", "se", "do", "da", "dos", "das", "em", "um", "uma", "para", "com", "não",
           "por", "no", "na", "ao", "foi", "também", "seu", "sua", "milhões", "são"},
    "de": {"der", "die", "das", "und", "ist", "nicht", "mit", "den", "dem", "von", "zu", "ein", "eine",
           "auch", "sich", "auf", "für", "im", "wird", "werden", "hat", "haben", "bei", "nach"},
    "nl": {"de", "het", "een", "van", "en", "is", "op", "dat", "die", "te", "voor", "met", "zijn", "niet", "door",
           "werd", "worden", "aan", "ook", "bij", "naar", "om", "heeft", "als", "maar", "uit", "over", "deze",
           "nog", "volgens", "miljoen", "miljard", "jaar"},
}
WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
LETTER = re.compile(r"[^\W\d_]")
ARABIC = re.compile(r"[\u0600-\u06ff]")


def mostly_arabic(text: str) -> bool:
    """More than half of the letters in Arabic script (counted only when some are: a regex
    count, not a loop over characters)."""
    if not ARABIC.search(text):
        return False
    letters = LETTER.subn("", text)[1]
    return bool(letters) and ARABIC.subn("", text)[1] / letters > 0.5


def detect_language(text: str) -> str:
    """ISO 639-1 code, 'ar' for Arabic script, 'und' when too little to tell."""
    sample = text[:2000]
    if mostly_arabic(sample):
        return "ar"
    words = WORD.findall(sample.lower())
    if len(words) < 8:
        return "und"
    counts = Counter(words)  # once, then a few dozen lookups per language
    scores = {lang: sum(counts[w] for w in prof if w in counts) / len(words) for lang, prof in PROFILES.items()}
    best = max(scores, key=scores.get)
    return best if scores[best] >= 0.08 else "und"

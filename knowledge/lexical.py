"""A BM25 index for exact terms ("UPIC", "Form 2", "₹150") in Hindi, Hinglish and English.

Devanagari words are transliterated to Latin letters and every word is reduced to a rough
phonetic key, so "जन्म", "janm" and "janma" meet in one token space: a Hinglish question finds
a Hindi passage word for word.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from indic_transliteration import sanscript
from rank_bm25 import BM25Okapi

TOKEN = re.compile(r"[\u0900-\u097F]+|[A-Za-z]+|[0-9]+")
DEVANAGARI = re.compile(r"[\u0900-\u097F]")
ASPIRATE = re.compile(r"([kgcjtdpb])h+")
DOUBLE = re.compile(r"([a-z])\1+")
VOWELS = re.compile(r"[aeiou]")

# Words that say nothing about a topic, in the three ways citizens write.
# A word held by more than this share of passages is too common to show a passage answers.
COMMON_SHARE = 0.25

STOPWORDS_LATIN = """
a an the is are was be to of in on for by with and or at from as it this that what which
who how when where do does i my me we our you your can will should must have has get
ka ki ke hai hain me mein se ko aur ya par bhi kya kaise kitna kitni kitne kab kahan hota
hoti hote tha thi chahiye karna karne kar liye lie hum main mujhe mera meri mere apna
h kaha kare karein karen kon kaun sakte sakta sakti bhai ji please plz pls
""".split()
STOPWORDS_DEVANAGARI = """
का की के है हैं में से को और या पर भी क्या कैसे कितना कितनी कितने कब कहाँ कहां होता होती
होते था थी चाहिए करना करने कर लिए हम मैं मुझे मेरा मेरी मेरे अपना यह वह कौन कौनसे कौन-से
""".split()


@lru_cache(maxsize=65536)
def phonetic_key(word: str) -> str:
    """A word's key: Devanagari transliterated, spelling variants of Hinglish folded together."""
    if DEVANAGARI.search(word):
        word = sanscript.transliterate(word, sanscript.DEVANAGARI, sanscript.ITRANS)
        word = word.replace("M", "n").replace("~N", "n").replace(".N", "n").replace(".h", "")
    key = word.lower()
    for before, after in (
        ("aa", "a"),
        ("ee", "i"),
        ("ii", "i"),
        ("oo", "u"),
        ("uu", "u"),
        ("w", "v"),
        ("z", "j"),
        ("q", "k"),
        ("ph", "f"),
        ("sh", "s"),
        ("x", "ks"),
        ("y", "i"),
    ):
        key = key.replace(before, after)
    key = ASPIRATE.sub(r"\1", key)
    key = DOUBLE.sub(r"\1", key)
    # Hindi drops the final inherent vowel ("janma" is said "janm"); English plurals fold too.
    if len(key) > 3 and key[-1] in "as":
        key = key[:-1]
    return key


STOPWORDS = frozenset(phonetic_key(word) for word in STOPWORDS_LATIN + STOPWORDS_DEVANAGARI)


def tokenize(text: str) -> list[str]:
    """The keys of the words of a text, without stopwords."""
    keys = (phonetic_key(word) for word in TOKEN.findall(text))
    return [key for key in keys if key and key not in STOPWORDS]


def index_terms(keys: list[str]) -> list[str]:
    """Keys plus their consonant skeletons, which match vowel spellings ("janam", "janm")."""
    skeletons = [f"_{VOWELS.sub('', key)}" for key in keys if len(key) >= 4 and not key.isdigit()]
    return keys + [skeleton for skeleton in skeletons if len(skeleton) > 2]


class LexicalIndex:
    """BM25 over a fixed list of passages; rebuilt whenever the passages change."""

    def __init__(self, ids: Sequence[str], texts: Sequence[str]) -> None:
        self._ids = list(ids)
        keys = [tokenize(text) for text in texts]
        self._terms = {
            chunk_id: set(index_terms(words))
            for chunk_id, words in zip(self._ids, keys, strict=True)
        }
        # How many passages hold each key: a word in most passages ("delhi") says nothing.
        self._passages_with: dict[str, int] = {}
        for held in self._terms.values():
            for term in held:
                self._passages_with[term] = self._passages_with.get(term, 0) + 1
        # rank-bm25 divides by the average length and fails on an empty corpus.
        self._bm25 = BM25Okapi([index_terms(words) for words in keys]) if any(keys) else None

    def __len__(self) -> int:
        return len(self._ids)

    def search(
        self, query: str, limit: int, allowed: set[str] | None = None
    ) -> list[tuple[str, float]]:
        """(passage id, BM25 score) of the best matches with a positive score, best first."""
        terms = tokenize(query)
        if self._bm25 is None or not terms:
            return []
        scores = self._bm25.get_scores(index_terms(terms))
        ranked = sorted(
            (
                (self._ids[index], float(score))
                for index, score in enumerate(scores)
                if score > 0 and (allowed is None or self._ids[index] in allowed)
            ),
            key=lambda pair: pair[1],
            reverse=True,
        )
        return ranked[:limit]

    def coverage(self, query: str, chunk_id: str) -> tuple[int, float]:
        """How many of the query's telling words a passage holds, and what share of them.

        Words found in more than a quarter of the passages are not telling and do not count.
        """
        common = max(2, int(len(self._ids) * COMMON_SHARE))
        terms = {t for t in tokenize(query) if self._passages_with.get(t, 0) <= common}
        if not terms:
            return 0, 0.0
        held = self._terms.get(chunk_id, set())
        matched = sum(1 for term in terms if term in held or index_terms([term])[-1] in held)
        return matched, matched / len(terms)

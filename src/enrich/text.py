"""Text normalisation shared by every stage that compares titles."""

from __future__ import annotations

import re
import unicodedata

_GREEK_WORDS = {
    "μ": "mu",
    "µ": "mu",
    "α": "alpha",
    "β": "beta",
    "γ": "gamma",
    "δ": "delta",
    "ε": "epsilon",
    "λ": "lambda",
    "π": "pi",
    "σ": "sigma",
    "τ": "tau",
    "ω": "omega",
}
_LEADING_ARTICLE = re.compile(r"^(?:a|an|the)\s+")
_NOT_WORD = re.compile(r"[^a-z0-9]+")


def fold_to_ascii(text: str) -> str:
    """Drop accents and spell Greek letters out, so "Málaga" ~ "Malaga" and "μLayer" ~ "muLayer"."""
    spelled = "".join(_GREEK_WORDS.get(ch, ch) for ch in text.lower())
    decomposed = unicodedata.normalize("NFKD", spelled)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def normalize_title(title: str) -> str:
    """The comparable form of a title: ASCII lower-case words, no punctuation, no leading article.

    Two titles that differ only in case, punctuation, hyphens, quotes, accents or a
    leading "A"/"An"/"The" have the same normal form.
    """
    words = _NOT_WORD.sub(" ", fold_to_ascii(title)).strip()
    return _LEADING_ARTICLE.sub("", words)

"""Text normalisation shared by every stage that compares titles."""

from __future__ import annotations

import csv
import functools
import re
import unicodedata

from pylatexenc.latex2text import LatexNodes2Text

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
_LATIN_LETTERS = str.maketrans(
    {"ß": "ss", "ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i"}
)
"""Latin letters that are not a letter plus an accent, folded as their readers do."""
_GREEK = "\u0370-\u03ff\u1f00-\u1fff"
_LONE_GREEK_LETTER = re.compile(rf"(?<![{_GREEK}])[{''.join(_GREEK_WORDS)}](?![{_GREEK}])")
# "μs" as a unit (μs-scale, 10 μs) is the word "microsecond"; μ before other letters is a
# name prefix (μLayer, μSuite) and stays "mu".
_MICROSECOND = re.compile(r"[μµ]s(?![a-zA-Z])|\\mu\s*s(?![a-zA-Z])|\$\\mu\$\s*s(?![a-zA-Z])")
_LATEX_MU = re.compile(r"\$?\\mu\$?\s*")
_LATEX_ACCENT = re.compile(r"\\[\"'`^~=.uvHc]\s*\{?\s*([a-zA-Z])\s*\}?")
_LATEX_COMMAND = re.compile(r"\\[a-zA-Z]+\*?\s*")
_AMPERSAND = re.compile(r"\\?&")
_LEADING_ARTICLE = re.compile(r"^(?:a|an|the)\s+")
_NOT_WORD = re.compile(r"[^a-z0-9]+")
_MARKUP = re.compile(r"[\\{}$&]")
"""What LaTeX or "&" in a title starts with: a plain ASCII title has none."""


def fold_to_ascii(text: str) -> str:
    """Drop accents and spell Greek letters out, so "Málaga" ~ "Malaga" and "μLayer" ~ "muLayer".

    Only a lone Greek letter in other text is spelled out; Greek words stay Greek. Only
    Latin letters lose their marks ("ø", "ß", "ł" fold too): in other scripts a mark is
    part of the letter (Japanese が is not か, Hindi कि is not क), so those keep theirs.
    """
    lower = text.lower().translate(_LATIN_LETTERS)
    spelled = _LONE_GREEK_LETTER.sub(lambda m: _GREEK_WORDS[m.group()], lower)
    decomposed = unicodedata.normalize("NFKD", spelled)
    if decomposed.isascii():
        return decomposed
    kept: list[str] = []
    base_is_latin = False
    for ch in decomposed:
        if unicodedata.combining(ch):
            if not base_is_latin:
                kept.append(ch)
            continue
        base_is_latin = _is_latin(ch)
        kept.append(ch)
    return unicodedata.normalize("NFC", "".join(kept))


def _is_latin(ch: str) -> bool:
    """A letter of the Latin script (ASCII, Latin-1, Latin Extended)."""
    code = ord(ch)
    return code < 0x0250 or 0x1E00 <= code <= 0x1EFF or 0x2C60 <= code <= 0x2C7F


def _strip_latex(text: str) -> str:
    """LaTeX markup out of a title, for comparison only: {GPU}, \\emph{x}, \\"o, $\\mu$.

    Fast and rough; text to show a person goes through `latex_to_text` instead.
    """
    text = _LATEX_MU.sub("μ", text)
    text = _LATEX_ACCENT.sub(r"\1", text)
    text = _LATEX_COMMAND.sub("", text)
    return text.replace("{", "").replace("}", "").replace("$", "")


@functools.lru_cache(maxsize=16384)
def normalize_title(title: str) -> str:
    """The comparable form of a title: lower-case words, no punctuation, no leading article.

    Two titles that differ only in case, punctuation, hyphens, dashes, quotes, accents,
    LaTeX markup and braces, "&" for "and", a trailing period or a leading "A"/"An"/"The"
    have the same normal form. "μs" as a unit reads as "microsecond", so the list's
    "μs-scale Preemption" compares with the published "Microsecond-scale Preemption".
    Letters of every script are kept (CJK, Cyrillic, Arabic ...), so two different titles
    in Chinese or Russian never compare equal.
    """
    if title.isascii() and not _MARKUP.search(title):  # most titles: nothing to fold
        return _LEADING_ARTICLE.sub("", _NOT_WORD.sub(" ", title.lower()).strip())
    plain = _AMPERSAND.sub(" and ", _strip_latex(_MICROSECOND.sub("microsecond", title)))
    folded = fold_to_ascii(plain)
    if folded.isascii():
        words = _NOT_WORD.sub(" ", folded).strip()
    else:
        words = " ".join(_words_of_any_script(folded))
    return _LEADING_ARTICLE.sub("", words)


def _words_of_any_script(text: str) -> list[str]:
    """Words of letters, digits and the marks that belong to them, in any script."""
    spaced = "".join(ch if unicodedata.category(ch)[0] in "LNM" else " " for ch in text)
    return spaced.split()


_LATEX = LatexNodes2Text(math_mode="text", strict_latex_spaces=True)


_LATEX_MARKUP = re.compile(r"[\\$~%]|--|``|''")


def latex_to_text(value: str) -> str:
    """Plain Unicode from BibTeX markup: braces, accents, {\\mu} and \\& resolved.

    Most values (DBLP's `{SOSP} 2023`) hold only braces: those skip pylatexenc, which
    takes a millisecond a call and would be most of the time a warm run spends."""
    if not _LATEX_MARKUP.search(value):
        return " ".join(value.replace("{", "").replace("}", "").split())
    try:
        text = _LATEX.latex_to_text(value)
    except Exception:  # pylatexenc's own errors on malformed markup: keep the raw text
        text = value
    return " ".join(text.replace("{", "").replace("}", "").split())


_BIBTEX_NAME_SEPARATOR = re.compile(r"\s+and\s+", re.IGNORECASE)
_PAGE_DASHES = re.compile(r"\s*(?:-{1,3}|[\u2010-\u2015])\s*")


def bibtex_names(value: str) -> list[str]:
    """The names of a BibTeX author or editor list, LaTeX resolved: "A and B" -> [A, B]."""
    names = (latex_to_text(name) for name in _BIBTEX_NAME_SEPARATOR.split(value))
    return [name for name in names if name]


def page_range(value: str | None) -> str | None:
    """Pages in one spelling whatever the source wrote: "319--320", " 319 - 320 " -> "319-320"."""
    text = " ".join((value or "").split())
    return _PAGE_DASHES.sub("-", text) or None


CSV_FIELD_LIMIT = 16 * 2**20
"""Longest CSV cell read (a title with its abstract pasted in), far over csv's 128 KiB."""


def allow_long_csv_fields() -> None:
    """Raise the csv module's (process-wide) cell limit to CSV_FIELD_LIMIT, never lower it."""
    csv.field_size_limit(max(csv.field_size_limit(), CSV_FIELD_LIMIT))


_WHITESPACE = re.compile(r"\s+")
_PRINTABLE_ASCII = re.compile(r"[ -~]*")
"""Text without a control or an invisible mark: nothing for `clean_text` to take out."""


def _visible(char: str) -> str:
    category = unicodedata.category(char)
    if category in ("Cc", "Zl", "Zp"):  # controls, line and paragraph separators
        return " "
    if category == "Cf":  # invisible format marks (soft hyphen, RTL mark, joiners)
        return ""
    if category == "Cs":  # a lone surrogate cannot be encoded at all
        return "\ufffd"
    return char


def clean_text(text: str) -> str:
    """One line of text: line breaks and controls become single spaces, invisible marks
    (bidi overrides, zero-width characters) go. What every output and the terminal show of
    a value from a list or a service."""
    if _PRINTABLE_ASCII.fullmatch(text):
        return _WHITESPACE.sub(" ", text).strip()
    return _WHITESPACE.sub(" ", "".join(_visible(ch) for ch in text)).strip()

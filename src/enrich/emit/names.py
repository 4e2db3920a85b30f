"""Splitting a person's name into the parts bibliographies sort and print by."""

from __future__ import annotations

import re
from dataclasses import dataclass

from enrich.emit.latex import to_latex
from enrich.text import clean_text, fold_to_ascii

_DBLP_HOMONYM_NUMBER = re.compile(r"\s+\d{4}$")
_PARTICLES = frozenset(
    [
        "van",
        "von",
        "der",
        "den",
        "de",
        "del",
        "della",
        "di",
        "da",
        "du",
        "dos",
        "das",
        "do",
        "la",
        "le",
        "ter",
        "ten",
        "zu",
        "bin",
        "al",
    ]
)
_SUFFIXES = frozenset({"Jr.", "Jr", "Sr.", "Sr", "II", "III", "IV"})


@dataclass(frozen=True)
class PersonName:
    """A name as BibTeX and CSL see it: family (with particles), given, suffix."""

    family: str
    given: str = ""
    suffix: str = ""


def split_name(name: str) -> PersonName:
    """Split "Woosuk Kwon" / "Kwon, Woosuk" / "Wei Wang 0001" into its parts.

    The family name is the last word, with any lower-case particle before it
    ("Jan van der Berg" -> "van der Berg"); DBLP's homonym number is dropped.
    """
    text = _DBLP_HOMONYM_NUMBER.sub("", clean_text(name))
    if "," in text:
        family, _, given = text.partition(",")
        return PersonName(family=family.strip(), given=given.strip())
    words = text.split(" ")
    suffix = ""
    if len(words) > 2 and words[-1] in _SUFFIXES:
        suffix = words.pop()
    if len(words) == 1:
        return PersonName(family=words[0], suffix=suffix)
    start = len(words) - 1
    while start > 1 and words[start - 1] in _PARTICLES:
        start -= 1
    return PersonName(family=" ".join(words[start:]), given=" ".join(words[:start]), suffix=suffix)


def _bibtex_part(text: str) -> str:
    # A word "and" inside a name would split it into two authors; a comma would
    # move the parts around. Both are hidden in braces.
    words = []
    for word in to_latex(text).split(" "):
        if word.lower() == "and":
            word = "{" + word + "}"
        words.append(word.replace(",", "{,}"))
    return " ".join(words)


def bibtex_name(name: str) -> str:
    """One author as BibTeX wants it: "Family, Given" or "Family, Jr., Given"."""
    parts = split_name(name)
    pieces = [_bibtex_part(parts.family)]
    if parts.suffix:
        pieces.append(_bibtex_part(parts.suffix))
    if parts.given:
        pieces.append(_bibtex_part(parts.given))
    return ", ".join(pieces)


def family_for_key(name: str) -> str:
    """The family name in lower-case ASCII letters and digits, for citation keys."""
    family = split_name(name).family
    return re.sub(r"[^a-z0-9]", "", fold_to_ascii(family))

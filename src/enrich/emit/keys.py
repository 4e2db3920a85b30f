"""Citation keys: readable, ASCII, unique, and stable from one run to the next.

A key looks like kwon2023efficient (family name of the first author, year, first
significant title word). Once a paper has a key it keeps it: the previous run's
keys are looked up by the paper's identity, so adding papers above it, or a clash
appearing later, never renames it. A clash gives the newcomer a, b, ... suffixes.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Mapping, Sequence

from enrich.emit.names import family_for_key
from enrich.models import EnrichedRecord
from enrich.samerecord import paper_identities
from enrich.text import fold_to_ascii

_STOPWORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "on",
        "of",
        "for",
        "in",
        "to",
        "and",
        "or",
        "with",
        "without",
        "via",
        "by",
        "at",
        "from",
        "into",
        "towards",
        "toward",
        "is",
        "are",
        "be",
        "do",
        "does",
        "how",
        "what",
        "when",
        "why",
        "can",
        "we",
        "you",
        "your",
        "our",
        "its",
        "their",
        "this",
        "that",
        "these",
        "those",
        "using",
        "use",
        "under",
        "over",
        "beyond",
        "through",
    ]
)
_VALID_KEY = re.compile(r"^[A-Za-z0-9_:.+/@-]+$")


def keys_by_identity(records: Iterable[EnrichedRecord]) -> dict[str, str]:
    """The identity -> key map of the previous run's settled keys.

    A key is settled once its paper is matched (or pinned). A key made from the list's
    words alone (`anon2022achieving`, of a paper unmatched or not looked up yet) is not:
    it is made anew, from the record's authors, when the paper first gets a record.
    """
    mapping: dict[str, str] = {}
    for record in records:
        if record.key and record.match.status == "matched":
            for identity in paper_identities(record):
                mapping.setdefault(identity, record.key)
    return mapping


def _first_significant_word(title: str) -> str:
    words = re.sub(r"[^a-z0-9]+", " ", fold_to_ascii(title)).split()
    for word in words:
        if word not in _STOPWORDS:
            return word
    return words[0] if words else "untitled"


def base_key(record: EnrichedRecord) -> str:
    """The key a paper would get with no clash: family name + year + title word."""
    names = [a.name for a in record.authors] or list(record.entry.authors)
    family = family_for_key(names[0]) if names else ""
    year = record.year or record.entry.year
    word = _first_significant_word(record.title or record.entry.title)
    return f"{family or 'anon'}{year or ''}{word}"


def _suffixed(base: str, taken: set[str]) -> str:
    if base not in taken:
        return base
    for n in range(1, 10_000):
        letters = ""
        k = n
        while k:
            k, rem = divmod(k - 1, 26)
            letters = chr(ord("a") + rem) + letters
        if base + letters not in taken:
            return base + letters
    raise ValueError(f"no free key for {base}")


def assign_keys(
    records: Sequence[EnrichedRecord], previous: Mapping[str, str]
) -> list[EnrichedRecord]:
    """The records, in the same order, each with a unique key.

    Precedence: a key the input gave (a .bib key), then the key the paper had in
    the previous run (looked up by `paper_identities`), then the key the record
    already carries, then a new key. Keys claimed by an earlier rule are never
    reused, so a new paper cannot take an old paper's key.
    """
    chosen: list[str | None] = [None] * len(records)
    taken: set[str] = set()

    def claim(index: int, key: str | None) -> None:
        if chosen[index] is None and key and _VALID_KEY.match(key) and key not in taken:
            chosen[index] = key
            taken.add(key)

    for index, record in enumerate(records):
        claim(index, record.entry.key)
    for index, record in enumerate(records):
        for identity in paper_identities(record):
            claim(index, previous.get(identity))
    for index, record in enumerate(records):
        claim(index, record.key)
    for index, record in enumerate(records):
        if chosen[index] is None:
            claim(index, _suffixed(base_key(record), taken))
    return [
        dataclasses.replace(record, key=key) for record, key in zip(records, chosen, strict=True)
    ]

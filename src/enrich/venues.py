"""Venue aliases: the names the list, DBLP and Semantic Scholar give one venue.

A reading list writes "ATC", DBLP "USENIX Annual Technical Conference" (or "USENIX ATC"),
Semantic Scholar "USENIX Annual Technical Conference"; all three are one venue. Matching
compares canonical ids, so "NIPS" vs "NeurIPS" is agreement and needs no note.
"""

from __future__ import annotations

import re

from .text import fold_to_ascii

PREPRINT = "arxiv"
"""The canonical id of arXiv/CoRR; a label naming it asks for the preprint."""

_ALIASES: dict[str, tuple[str, ...]] = {
    "arxiv": (
        "arXiv",
        "CoRR",
        "arXiv.org",
        "ArXiv",
        "arXiv preprint",
        "Computing Research Repository",
    ),
    "asplos": (
        "ASPLOS",
        "International Conference on Architectural Support for Programming Languages and "
        "Operating Systems",
    ),
    "atc": (
        "ATC",
        "USENIX ATC",
        "USENIX Annual Technical Conference",
        "USENIX Annual Technical Conference, General Track",
    ),
    "eurosys": ("EuroSys", "European Conference on Computer Systems"),
    "hpca": ("HPCA", "International Symposium on High-Performance Computer Architecture"),
    "icml": ("ICML", "International Conference on Machine Learning"),
    "isca": ("ISCA", "International Symposium on Computer Architecture"),
    "micro": ("MICRO", "International Symposium on Microarchitecture"),
    "ieee-micro": ("IEEE Micro",),
    "mlsys": ("MLSys", "SysML", "Conference on Machine Learning and Systems"),
    "mobicom": (
        "MobiCom",
        "ACM/IEEE International Conference on Mobile Computing and Networking",
        "International Conference on Mobile Computing and Networking",
    ),
    "mobisys": (
        "MobiSys",
        "International Conference on Mobile Systems, Applications, and Services",
        "ACM SIGMOBILE International Conference on Mobile Systems, Applications, and Services",
    ),
    "neurips": ("NeurIPS", "NIPS", "Neural Information Processing Systems"),
    "nsdi": ("NSDI", "Symposium on Networked Systems Design and Implementation"),
    "osdi": ("OSDI", "USENIX Symposium on Operating Systems Design and Implementation"),
    "pldi": (
        "PLDI",
        "ACM-SIGPLAN Symposium on Programming Language Design and Implementation",
        "Programming Language Design and Implementation",
    ),
    "ppopp": (
        "PPoPP",
        "PPOPP",
        "ACM SIGPLAN Symposium on Principles & Practice of Parallel Programming",
        "Symposium on Principles and Practice of Parallel Programming",
    ),
    "rtss": ("RTSS", "Real-Time Systems Symposium", "IEEE Real-Time Systems Symposium"),
    "sc": (
        "SC",
        "Supercomputing",
        "International Conference for High Performance Computing, Networking, Storage and Analysis",
    ),
    "sigcomm": (
        "SIGCOMM",
        "Conference on Applications, Technologies, Architectures, and Protocols for Computer "
        "Communication",
    ),
    "socc": ("SoCC", "ACM Symposium on Cloud Computing"),
    "sosp": ("SOSP", "Symposium on Operating Systems Principles"),
    "vldb": (
        "VLDB",
        "PVLDB",
        "Proc. VLDB Endow.",
        "Proceedings of the VLDB Endowment",
    ),
    "vldb-journal": ("VLDB J.", "The VLDB Journal"),
    "sigmod": ("SIGMOD", "SIGMOD Conference", "Proc. ACM Manag. Data"),
    "kdd": ("KDD", "Knowledge Discovery and Data Mining"),
    "iclr": ("ICLR", "International Conference on Learning Representations"),
    "fast": ("FAST", "USENIX Conference on File and Storage Technologies"),
    "middleware": ("Middleware", "International Middleware Conference"),
    "hotos": ("HotOS", "Workshop on Hot Topics in Operating Systems"),
    "hotcloud": ("HotCloud", "USENIX Workshop on Hot Topics in Cloud Computing"),
}

_ACRONYMS = {"arxiv": "arXiv", "atc": "USENIX ATC", "vldb": "PVLDB", "sigmod": "SIGMOD"}
"""Where the acronym people cite a venue by is not the first alias above."""

_PARENTHESISED_PART = re.compile(r"\s*\((?:\d+|[ivx]+)\)\s*$")
_YEAR_OR_ORDINAL = re.compile(r"\b(?:19|20)\d{2}\b|'\d{2}\b|\b\d+(?:st|nd|rd|th)\b")
_NOT_WORD = re.compile(r"[^a-z0-9]+")


def _squash(name: str) -> str:
    folded = fold_to_ascii(_YEAR_OR_ORDINAL.sub(" ", _PARENTHESISED_PART.sub("", name)))
    return _NOT_WORD.sub(" ", folded).strip()


_CANONICAL: dict[str, str] = {
    _squash(alias): venue_id for venue_id, aliases in _ALIASES.items() for alias in aliases
}
_CANONICAL.update({venue_id: venue_id for venue_id in _ALIASES})


def canonical_venue(name: str | None) -> str | None:
    """The venue's canonical id ("atc" for "USENIX Annual Technical Conference"), or None.

    DBLP's volume suffixes ("ASPLOS (2)") and years ("SC '21") are ignored. A name not in
    the table gives None: matching then treats the venue as unknown, never as a disagreement.
    """
    if not name:
        return None
    squashed = _squash(name)
    if squashed in _CANONICAL:
        return _CANONICAL[squashed]
    for prefix in ("proceedings of the ", "proc ", "proceedings "):
        if squashed.startswith(prefix) and squashed[len(prefix) :] in _CANONICAL:
            return _CANONICAL[squashed[len(prefix) :]]
    return None


def is_preprint_venue(name: str | None) -> bool:
    """True when the name is arXiv/CoRR under any of its spellings."""
    return canonical_venue(name) == PREPRINT


def short_venue(name: str | None) -> str | None:
    """The acronym a venue is cited by: "PVLDB" for "Proc. VLDB Endow.", "ASPLOS" for
    DBLP's "ASPLOS (2)", "SOSP" for S2's "Symposium on Operating Systems Principles".

    A name not in the table keeps its own words, less DBLP's volume suffix.
    """
    if not name:
        return None
    venue_id = canonical_venue(name)
    if venue_id is None:
        return _PARENTHESISED_PART.sub("", name).strip() or None
    return _ACRONYMS.get(venue_id, _ALIASES[venue_id][0])


def venue_names(name: str | None) -> tuple[str, ...]:
    """Every name the table knows the venue by (acronyms and full names); () when unknown."""
    venue_id = canonical_venue(name)
    return _ALIASES[venue_id] if venue_id else ()

"""What the emulated DBLP and Semantic Scholar answer, as pure functions over a corpus.

The shapes are the recorded ones of apis.md: DBLP's all-string envelope (one author
sent as an object, no `hit` key on zero hits), its standard BibTeX export of a record
(dblp_export.py) and HTML 404 for an unknown key, S2's positional batch with nulls (and
its 400 "No valid paper ids given" for a batch it knows none of; `DBLP:` ids, which S2
does not resolve, are unknown ids, apis.md §2.3), its 404 "Title match not found" and
its `data`-less empty search. The matching is a
simple but honest imitation: DBLP ANDs case-insensitive word prefixes ('$' exact,
'|' or), folding accents unless the query itself holds one; S2 matches titles fuzzily.
"""

from __future__ import annotations

import bisect
import html
import json
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process

from enrich.emulator import dblp_export
from enrich.text import fold_to_ascii, normalize_title

CORPUS_FILE = Path(__file__).with_name("corpus.json")
BATCH_LIMIT = 500
S2_FIELDS = frozenset(
    {"paperId", "corpusId", "externalIds", "url", "title", "abstract", "venue", "year"}
    | {"citationCount", "openAccessPdf", "authors", "publicationVenue", "referenceCount"}
    | {"influentialCitationCount", "isOpenAccess", "fieldsOfStudy", "publicationTypes"}
    | {"publicationDate", "journal"}
)
_WORD_SPLIT = re.compile(r"[^\w]+|_")
_MATCH_THRESHOLD = 85.0
_EXTERNAL_IDS = {"DOI": "DOI", "ARXIV": "ArXiv"}
"""Batch id prefixes (upper case) and the externalIds field each names: not DBLP, which the
real S2 does not resolve although its records name a DBLP key (apis.md §2.3)."""
NO_VALID_IDS = {"error": "No valid paper ids given"}
"""S2's answer, a 400, to a batch none of whose ids it knows (apis.md §2.3)."""


@dataclass(frozen=True)
class Answer:
    """An HTTP answer: a JSON body, or text (DBLP's HTML error pages)."""

    status: int
    body: Any
    content_type: str = "application/json"
    headers: Mapping[str, str] = field(default_factory=dict)

    def payload(self) -> bytes:
        text = self.body if isinstance(self.body, str) else json.dumps(self.body)
        return text.encode("utf-8")


def _words(text: str, fold: bool = True) -> list[str]:
    return [w for w in _WORD_SPLIT.split(fold_to_ascii(text) if fold else text.lower()) if w]


@dataclass(frozen=True)
class Corpus:
    """DBLP `hit.info` records and S2 paper objects, exactly as the services send them.

    A DBLP record may also hold `export`, what its BibTeX export adds to the hit; the
    search never sends it.
    """

    dblp: Sequence[Mapping[str, Any]]
    s2: Sequence[Mapping[str, Any]]

    @classmethod
    def load(cls, path: Path = CORPUS_FILE) -> Corpus:
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(dblp=tuple(data["dblp"]), s2=tuple(data["s2"]))

    def extended(
        self, dblp: Sequence[Mapping[str, Any]], s2: Sequence[Mapping[str, Any]]
    ) -> Corpus:
        return Corpus(dblp=(*self.dblp, *dblp), s2=(*self.s2, *s2))

    @cached_property
    def index(self) -> CorpusIndex:
        """Built on first use, so a benchmark's corpus of thousands answers in milliseconds."""
        return CorpusIndex(self)


class CorpusIndex:
    """What every query would otherwise recompute for every record: folded words, normal
    titles, a sorted vocabulary for prefix lookups, and S2's records by identifier.

    Lookups only narrow the records a query is checked against; the rules that decide
    a match stay in the functions below, so an index can never change an answer.
    """

    def __init__(self, corpus: Corpus) -> None:
        self.dblp_words = [_words(_dblp_text(info)) for info in corpus.dblp]
        self.dblp_title_words = [_words(info.get("title", "")) for info in corpus.dblp]
        postings: defaultdict[str, set[int]] = defaultdict(set)
        for number, words in enumerate(self.dblp_words):
            for word in words:
                postings[word].add(number)
        self._postings = dict(postings)
        self._vocabulary = sorted(postings)
        self.dblp_by_key = {info["key"]: info for info in corpus.dblp if "key" in info}
        self.s2_titles = [normalize_title(paper["title"]) for paper in corpus.s2]
        self.s2_title_words = [set(_words(paper["title"])) for paper in corpus.s2]
        self.s2_by_id: dict[tuple[str, str], Mapping[str, Any]] = {}
        for paper in corpus.s2:
            ext = paper.get("externalIds") or {}
            keys = [("", paper["paperId"])]
            if paper.get("corpusId") is not None:
                keys.append(("CORPUSID", str(paper["corpusId"])))
            keys += [
                (kind, str(ext[name]).lower())
                for kind, name in _EXTERNAL_IDS.items()
                if ext.get(name)
            ]
            for key in keys:
                self.s2_by_id.setdefault(key, paper)

    def dblp_candidates(self, terms: Iterable[str]) -> set[int]:
        """Every record that may match all `terms` (folded ASCII queries): a superset."""
        found: set[int] | None = None
        for term in terms:
            matching: set[int] = set()
            for alternative in term.split("|"):
                parts = [p for p in _WORD_SPLIT.split(alternative.rstrip("$").lower()) if p]
                if parts:
                    matching |= set.intersection(*(self._with_prefix(p) for p in parts))
            found = matching if found is None else found & matching
            if not found:
                return set()
        return found or set()

    def _with_prefix(self, prefix: str) -> set[int]:
        numbers: set[int] = set()
        start = bisect.bisect_left(self._vocabulary, prefix)
        for word in self._vocabulary[start:]:
            if not word.startswith(prefix):
                break
            numbers |= self._postings[word]
        return numbers


def _dblp_text(info: Mapping[str, Any]) -> str:
    """Everything a DBLP query word can match: title, authors, venue, year."""
    authors = info.get("authors", {}).get("author", [])
    names = [a["text"] if isinstance(a, dict) else a for a in authors]
    return " ".join([info.get("title", ""), *names, info.get("venue", ""), info.get("year", "")])


def _term_matches(term: str, words: Sequence[str]) -> bool:
    """One query term: '|'-separated alternatives, each a prefix unless it ends in '$'."""
    for alternative in term.split("|"):
        exact = alternative.endswith("$")
        parts = [p for p in _WORD_SPLIT.split(alternative.rstrip("$").lower()) if p]
        if parts and all(any(w == p if exact else w.startswith(p) for w in words) for p in parts):
            return True
    return False


def dblp_search(corpus: Corpus, params: Mapping[str, str]) -> Answer:
    """GET /search/publ/api."""
    if params.get("format") != "json":
        return Answer(200, "<?xml version='1.0'?><result/>", "application/xml")
    query = params.get("q", "")
    hits_wanted = min(int(params.get("h", "30") or 30), 1000)
    first = int(params.get("f", "0") or 0)
    exact_words = not query.isascii()  # a diacritic switches DBLP to exact matching
    terms = [t if t.isascii() else t.lower() for t in query.split()]
    index = corpus.index
    numbers = range(len(corpus.dblp)) if exact_words else sorted(index.dblp_candidates(terms))
    matching = []
    for number in numbers:
        info = corpus.dblp[number]
        words = _words(_dblp_text(info), fold=False) if exact_words else index.dblp_words[number]
        if terms and all(_term_matches(t, words) for t in terms):
            in_title = sum(_term_matches(t, index.dblp_title_words[number]) for t in terms)
            matching.append((-in_title, -int(info.get("year", "0")), number, info))
    matching.sort(key=lambda item: item[:3])
    sent = matching[first : first + hits_wanted]
    hits: dict[str, Any] = {"@total": str(len(matching)), "@computed": str(min(len(matching), 100)),
                            "@sent": str(len(sent)), "@first": str(first)}  # fmt: skip
    if sent:
        hits["hit"] = [
            {"@score": str(-score), "@id": str(number), "info": _hit_info(info),
             "url": f"URL#{number}"}
            for score, _, number, info in sent
        ]  # fmt: skip
    result = {
        "query": " ".join(f"{t}*" for t in terms),
        "status": {"@code": "200", "text": "OK"},
        "time": {"@unit": "msecs", "text": "0.50"},
        "hits": hits,
    }
    return Answer(200, {"result": result})


def _hit_info(record: Mapping[str, Any]) -> Mapping[str, Any]:
    """The record as a hit: without its `export`, one author sent as an object."""
    info = {name: value for name, value in record.items() if name != "export"}
    authors = info.get("authors", {}).get("author")
    if isinstance(authors, list) and len(authors) == 1:
        return {**info, "authors": {"author": authors[0]}}
    return info


def dblp_record_export(corpus: Corpus, key: str, params: Mapping[str, str]) -> Answer:
    """GET /rec/{key}.bib: the standard export (param=1, also sent when param is missing).

    The condensed (0) and crossref (2) formats are not emulated: a 400 says so, rather
    than a body a client would take for them.
    """
    if params.get("param", "1") != "1":
        return Answer(400, "only the standard export (param=1) is emulated", "text/plain")
    info = corpus.index.dblp_by_key.get(key)
    if info is None:
        page = (
            "<html><head><title>404 Not Found</title></head><body><h1>Not Found</h1>"
            f"<p>No such record: {html.escape(key)}</p></body></html>"
        )
        return Answer(404, page, "text/html")
    return Answer(200, dblp_export.render(info), "text/x-bibtex")


def _fields(params: Mapping[str, str]) -> list[str] | Answer:
    wanted = [f for f in params.get("fields", "").split(",") if f]
    unknown = [f for f in wanted if f not in S2_FIELDS]
    if unknown:
        return Answer(400, {"error": f"Unrecognized or unsupported fields: [{', '.join(unknown)}]"})
    return wanted or ["title"]


def _shape(paper: Mapping[str, Any], fields: Sequence[str]) -> dict[str, Any]:
    """paperId always, then the fields asked for (null where the record has none)."""
    return {"paperId": paper["paperId"], **{f: paper.get(f) for f in fields if f != "paperId"}}


def _resolve(corpus: Corpus, paper_id: Any) -> Mapping[str, Any] | None:
    if not isinstance(paper_id, str):
        return None
    kind, colon, value = paper_id.partition(":")
    kind = kind.upper() if colon else ""
    if not colon and paper_id.startswith("10."):
        kind, value = "DOI", paper_id
    if not kind:
        return corpus.index.s2_by_id.get(("", paper_id))
    if kind == "CORPUSID":
        return corpus.index.s2_by_id.get((kind, value))
    if kind in _EXTERNAL_IDS:
        return corpus.index.s2_by_id.get((kind, value.lower()))
    return None


def s2_batch(corpus: Corpus, params: Mapping[str, str], body: Any) -> Answer:
    """POST /graph/v1/paper/batch: one entry per id, in order, null where unknown; a 400
    when every id is unknown."""
    fields = _fields(params)
    if isinstance(fields, Answer):
        return fields
    ids = body.get("ids") if isinstance(body, dict) else None
    if not isinstance(ids, list):
        return Answer(400, {"error": "Body must be a JSON object with an 'ids' list"})
    if len(ids) > BATCH_LIMIT:
        return Answer(400, {"error": f"Too many ids: {len(ids)} > {BATCH_LIMIT}"})
    papers = [_resolve(corpus, i) for i in ids]
    if not any(papers):
        return Answer(400, NO_VALID_IDS)
    return Answer(200, [_shape(p, fields) if p else None for p in papers])


def s2_match(corpus: Corpus, params: Mapping[str, str]) -> Answer:
    """GET /graph/v1/paper/search/match: the one closest title, or 404."""
    fields = _fields(params)
    if isinstance(fields, Answer):
        return fields
    query = normalize_title(params.get("query", ""))
    score, number = best_title(query, corpus.index.s2_titles)
    if number is None or score < _MATCH_THRESHOLD:
        return Answer(404, {"error": "Title match not found"})
    best = corpus.s2[number]
    return Answer(200, {"data": [{**_shape(best, fields), "matchScore": round(score * 1.7, 5)}]})


def _title_score(query: str, title: str) -> float:
    """Fuzzy and prefix-tolerant, like the recorded match of a partial title."""
    if query and len(query.split()) >= 4 and title.startswith(query):
        return 100.0
    return float(fuzz.ratio(query, title))


def best_title(query: str, titles: Sequence[str]) -> tuple[float, int | None]:
    """The highest _title_score over `titles`, and the first title that has it.

    The same answer as scoring every title in Python, at C speed: a benchmark's corpus of
    5,000 records would otherwise cost ~15 ms of the emulator's one GIL per match. A prefix
    match scores 100, which fuzz.ratio gives only to the title itself (a prefix match too),
    so the first prefix match is the best; else rapidfuzz's extractOne keeps, like max(),
    the first of equal scores.
    """
    if query and len(query.split()) >= 4:
        for number, title in enumerate(titles):
            if title.startswith(query):
                return 100.0, number
    found = process.extractOne(query, titles, scorer=fuzz.ratio, processor=None)
    return (float(found[1]), found[2]) if found is not None else (0.0, None)


def s2_search(corpus: Corpus, params: Mapping[str, str]) -> Answer:
    """GET /graph/v1/paper/search: papers holding most query words, best first."""
    fields = _fields(params)
    if isinstance(fields, Answer):
        return fields
    offset, limit = int(params.get("offset", "0") or 0), min(int(params.get("limit", "10")), 100)
    query = set(_words(params.get("query", "")))
    ranked = []
    for number, paper in enumerate(corpus.s2):
        share = len(query & corpus.index.s2_title_words[number]) / len(query) if query else 0.0
        if share >= 0.6:
            ranked.append((-share, number, paper))
    ranked.sort(key=lambda item: item[:2])
    if not ranked:
        return Answer(200, {"total": 0, "offset": 0})
    page = ranked[offset : offset + limit]
    answer: dict[str, Any] = {"total": len(ranked), "offset": offset}
    if offset + limit < len(ranked):
        answer["next"] = offset + limit
    answer["data"] = [_shape(paper, fields) for _, _, paper in page]
    return Answer(200, answer)

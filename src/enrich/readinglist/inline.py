"""Turning a bullet's markdown into plain text: links, emphasis and tags removed."""

from __future__ import annotations

import re

_LINK = re.compile(
    r"\[([^\[\]]*(?:\[[^\[\]]*\][^\[\]]*)*)\]\(\s*<?([^()\s<>]+(?:\([^()\s]*\)[^()\s<>]*)*)>?(?:\s+\"[^\"]*\")?\s*\)"
)
_AUTOLINK = re.compile(r"<(https?://[^>\s]+)>")
_BARE_URL = re.compile(r"(?<![\w(\[<])https?://[^\s<>()\[\]]+(?:\([^\s()]*\)[^\s<>()\[\]]*)*")
_HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")
_EMPHASIS = (
    re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"),
    re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])"),
    re.compile(r"(?<![\w_])_(?=\S)(.+?)(?<=\S)_(?![\w_])"),
    re.compile(r"~~(?=\S)(.+?)(?<=\S)~~"),
    re.compile(r"`([^`]+)`"),
)
LINK_WORDS = (
    r"pdf|papers?|link|code|arxiv|slides?|video|talk|website|project(?: page)?|html|doi|github"
    r"|gitlab|url|web|(?:personal |reading )?notes?|blog(?: post)?|poster|bib(?:tex)?|openreview"
    r"|demo|homepage|supplementary|appendix|repo(?:sitory)?|official code|dblp|s2"
    r"|semantic scholar|acm|ieee|course|lectures?|论文|代码|笔记"
)
"""What people put after a title to point at it: "[pdf]", "(paper)", "[Personal Notes]"."""
_LINK_WORD_ONLY = re.compile(rf"^\s*[\[(]?(?:{LINK_WORDS})[\])]?\s*$", re.I)
_TRAILING_LINK_WORD = re.compile(rf"\s*(?:\[(?:{LINK_WORDS})\]|\((?:{LINK_WORDS})\))\s*$", re.I)
_TRAILING_PUNCTUATION = " \t.,;:-–—|"


def strip_markdown(text: str) -> tuple[str, str | None]:
    """Plain text of a markdown fragment and the first link it held.

    Links keep their text ("[Title](url)" -> "Title") unless it only names the link
    ("[pdf](url)"); bare and angle-bracket URLs are removed; emphasis markers, inline
    code ticks and HTML tags go.
    """
    urls: list[tuple[int, str]] = []

    def keep_text(match: re.Match[str]) -> str:
        urls.append((match.start(), match.group(2)))
        return " " if _LINK_WORD_ONLY.match(match.group(1)) else match.group(1)

    def drop(match: re.Match[str]) -> str:
        url = match.group(match.lastindex or 0).rstrip(".,;:!?")
        urls.append((match.start(), url))
        return " "

    text = _LINK.sub(keep_text, text)
    text = _AUTOLINK.sub(drop, text)
    text = _BARE_URL.sub(drop, text)
    text = _HTML_TAG.sub(" ", text)
    for pattern in _EMPHASIS:
        text = pattern.sub(lambda m: m.group(m.lastindex or 0), text)
    first_url = min(urls)[1] if urls else None
    return " ".join(text.split()), first_url


def tidy_title(text: str) -> str:
    """A title without link words, stray emphasis or list punctuation around it.

    "?" and "!" stay: they belong to titles ("What Is ...?").
    """
    while True:
        shorter = _TRAILING_LINK_WORD.sub("", text)
        if shorter == text:
            break
        text = shorter
    text = text.strip(_TRAILING_PUNCTUATION + "*_~")
    return " ".join(text.split())

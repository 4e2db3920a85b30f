"""Plain text to LaTeX that both classic BibTeX (8-bit) and biber accept.

Every character that could end a field or stop pdflatex is replaced: the ten
LaTeX specials are escaped, braces and backslashes become text commands (classic
BibTeX counts every brace, even an escaped one, so a lone brace would end the
field), non-ASCII goes through pylatexenc, and what pylatexenc cannot spell
(emoji, Hebrew, ...) becomes a visible [U+XXXX] instead of an error.
"""

from __future__ import annotations

import re

from pylatexenc.latexencode import (
    RULE_DICT,
    UnicodeToLatexConversionRule,
    UnicodeToLatexEncoder,
)

from enrich.text import clean_text

_SPECIALS = {
    ord("{"): r"\textbraceleft",
    ord("}"): r"\textbraceright",
    ord("\\"): r"\textbackslash",
    ord("~"): r"\textasciitilde",
    ord("^"): r"\textasciicircum",
    ord("&"): r"\&",
    ord("%"): r"\%",
    ord("#"): r"\#",
    ord("_"): r"\_",
    ord("$"): r"\$",
}


def _unspellable(char: str) -> str:
    """A character LaTeX cannot typeset with pdflatex, shown as its code point."""
    return f"{{[U+{ord(char):04X}]}}"


_ENCODER = UnicodeToLatexEncoder(
    conversion_rules=[UnicodeToLatexConversionRule(RULE_DICT, _SPECIALS), "defaults"],
    non_ascii_only=False,
    replacement_latex_protection="braces-all",
    unknown_char_policy=_unspellable,
    unknown_char_warning=False,
)
# {\&} is valid but noisy; a bare \& needs no group.
_BRACED_SIMPLE_ESCAPE = re.compile(r"\{(\\[&%#_$])\}")
# pylatexenc writes Greek as \ensuremath{\mu}; "$\mu$" is what citation-js and Zotero
# read back as the Greek letter, and it prints the same.
_ENSUREMATH = re.compile(r"\\ensuremath\{(\\[A-Za-z]+)\}")
# pylatexenc accents a dotless i ({\"\i}); biber decodes that to a dotless i plus a combining
# diaeresis, which pdflatex cannot typeset. {\"i} decodes to the precomposed "ï".
_ACCENTED_DOTLESS = re.compile(r"(\\[\"'`^~=.uvH])\\([ij])(?![A-Za-z])")
_LEADING_NAME = re.compile(r"^(\w[\w.+\-]*):\s+")


_PLAIN = re.compile(r"[ !'()*+,\-./0-9:;=?@A-Z\[\]`a-z|]*")
"""Printable ASCII that pylatexenc gives back unchanged (no specials, quotes or < >)."""


def to_latex(text: str) -> str:
    """The LaTeX spelling of `text`, safe in any BibTeX field."""
    cleaned = clean_text(text)
    if _PLAIN.fullmatch(cleaned):
        return cleaned  # nothing to encode: pylatexenc would give it back unchanged
    encoded = _ENCODER.unicode_to_latex(cleaned)
    encoded = _BRACED_SIMPLE_ESCAPE.sub(r"\1", encoded)
    encoded = _ACCENTED_DOTLESS.sub(r"\1\2", encoded)
    return _ENSUREMATH.sub(r"$\1$", encoded)


def _needs_case_protection(chunk: str) -> bool:
    """True for acronyms and CamelCase names (DNN, GPUs, PagedAttention, 3D, I/O)."""
    letters = [ch for ch in chunk if ch.isalnum()]
    return any(ch.isupper() for ch in letters[1:])


def _protect(text: str) -> str:
    encoded = to_latex(text)
    # "{\" would make BibTeX treat the group as one accented letter and change its case.
    return "{{}" + encoded + "}" if encoded.startswith("\\") else "{" + encoded + "}"


def _word_to_latex(word: str) -> str:
    out = []
    for chunk in re.split(r"([-\u2010\u2013])", word):
        core = chunk.rstrip(":,.;?!")
        if _needs_case_protection(core):
            out.append(_protect(core) + to_latex(chunk[len(core) :]))
        else:
            out.append(to_latex(chunk))
    return "".join(out)


def title_to_latex(title: str) -> str:
    """A title in LaTeX with acronyms and proper names brace-protected from case changes.

    Classic styles (plain, IEEEtran) lower-case titles; {DNN}, {GPU} and
    {PagedAttention} keep their capitals. A one-word system name before the first
    colon ("Orca: ...") is a proper name and is protected too.
    """
    text = clean_text(title)
    leading = _LEADING_NAME.match(text)
    if leading and leading.group(1)[0].isupper():
        name = leading.group(1)
        return _protect(name) + to_latex(":") + " " + title_to_latex(text[leading.end() :])
    return " ".join(_word_to_latex(word) for word in text.split(" "))


def url_for_bibtex(url: str) -> str:
    """A URL or DOI kept verbatim except for what would end the field (braces, spaces)."""
    return (
        clean_text(url)
        .replace(" ", "%20")
        .replace("{", "%7B")
        .replace("}", "%7D")
        .replace("\\", "%5C")
    )

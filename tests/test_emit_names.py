"""Names split for BibTeX ("Family, Given"), CSL and citation keys."""

from __future__ import annotations

import pytest

from enrich.emit.names import PersonName, bibtex_name, family_for_key, split_name


@pytest.mark.parametrize(
    ("name", "parts", "bibtex", "key_part"),
    [
        ("Example Kwon", PersonName("Kwon", "Example"), "Kwon, Example", "kwon"),
        ("Ann Example 0001", PersonName("Example", "Ann"), "Example, Ann", "example"),
        ("Kwon, Example", PersonName("Kwon", "Example"), "Kwon, Example", "kwon"),
        (
            "Ann van der Example",
            PersonName("van der Example", "Ann"),
            "van der Example, Ann",
            "vanderexample",
        ),
        ("Ann Example Jr.", PersonName("Example", "Ann", "Jr."), "Example, Jr., Ann", "example"),
        ("Zoë Exämple", PersonName("Exämple", "Zoë"), r"Ex{\"a}mple, Zo{\"e}", "example"),
        ("Example", PersonName("Example"), "Example", "example"),
        ("Ann and Example", PersonName("Example", "Ann and"), "Example, Ann {and}", "example"),
    ],
)
def test_split_name(name: str, parts: PersonName, bibtex: str, key_part: str) -> None:
    assert split_name(name) == parts
    assert bibtex_name(name) == bibtex
    assert family_for_key(name) == key_part

"""The venue alias table: one canonical id per venue, whatever the spelling."""

from __future__ import annotations

import pytest

from enrich.venues import canonical_venue, is_preprint_venue, short_venue

SAME_VENUE = [
    ("NIPS", "NeurIPS"),
    ("NeurIPS", "Neural Information Processing Systems"),
    ("ATC", "USENIX ATC"),
    ("ATC", "USENIX Annual Technical Conference"),
    ("VLDB", "Proc. VLDB Endow."),
    ("PVLDB", "Proceedings of the VLDB Endowment"),
    ("MLSys", "SysML"),
    ("arXiv", "CoRR"),
    ("arXiv", "arXiv.org"),
    ("ASPLOS", "ASPLOS (2)"),
    ("SC", "SC '21"),
    ("OSDI", "USENIX Symposium on Operating Systems Design and Implementation"),
    ("SOSP", "Symposium on Operating Systems Principles"),
    ("EuroSys", "European Conference on Computer Systems"),
    ("PPoPP", "PPOPP"),
    ("MobiSys", "MobiSys"),
    ("MobiCom", "MobiCom"),
    ("HPCA", "HPCA"),
    ("ISCA", "ISCA"),
    ("MICRO", "MICRO"),
    ("PLDI", "PLDI"),
    ("SIGCOMM", "SIGCOMM"),
    ("RTSS", "RTSS"),
    ("ICML", "International Conference on Machine Learning"),
    ("NSDI", "NSDI"),
]


@pytest.mark.parametrize(("a", "b"), SAME_VENUE)
def test_aliases_share_an_id(a: str, b: str) -> None:
    assert canonical_venue(a) is not None
    assert canonical_venue(a) == canonical_venue(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [("MICRO", "IEEE Micro"), ("VLDB", "VLDB J."), ("NSDI", "OSDI"), ("SOSP", "SoCC")],
)
def test_different_venues_differ(a: str, b: str) -> None:
    assert canonical_venue(a) != canonical_venue(b)


@pytest.mark.parametrize("name", [None, "", "BigDataScience", "HCS"])
def test_unknown_venues_have_no_id(name: str | None) -> None:
    assert canonical_venue(name) is None


def test_preprint_venue() -> None:
    assert is_preprint_venue("CoRR") and is_preprint_venue("arXiv")
    assert not is_preprint_venue("OSDI") and not is_preprint_venue(None)


@pytest.mark.parametrize(
    ("name", "acronym"),
    [
        ("ASPLOS (2)", "ASPLOS"),  # DBLP's volume suffix
        ("Proc. VLDB Endow.", "PVLDB"),
        ("Proceedings of the VLDB Endowment", "PVLDB"),
        ("Symposium on Operating Systems Principles", "SOSP"),  # S2's venue name
        ("USENIX Annual Technical Conference", "USENIX ATC"),
        ("NIPS", "NeurIPS"),
        ("CoRR", "arXiv"),
        ("SIGMOD Conference", "SIGMOD"),
        ("IISWC", "IISWC"),  # not in the table: its own words
        ("HCS (1)", "HCS"),
        (None, None),
    ],
)
def test_short_venue_is_the_acronym_people_cite(name: str | None, acronym: str | None) -> None:
    assert short_venue(name) == acronym

"""The identifiers a link gives, and the author lists and venues an item's tail gives.

Real ids are the papers' own (tests/fixtures/papers_part1.json, the papers' arXiv pages);
"10.0000/..." and "0000.00001" are synthetic and look it.
"""

from __future__ import annotations

import pytest

from enrich.readinglist.linkids import LinkIds, agreed, identifiers_from_url, identifiers_in_text
from enrich.readinglist.metadata import peel, read_authors, read_metadata_line

# fmt: off
URLS = [
    ("https://arxiv.org/abs/1706.03762", LinkIds(arxiv="1706.03762")),
    ("https://arxiv.org/abs/1706.03762v5", LinkIds(arxiv="1706.03762")),
    ("http://arxiv.org/pdf/2309.06180v1.pdf", LinkIds(arxiv="2309.06180")),
    ("https://arxiv.org/pdf/2309.06180", LinkIds(arxiv="2309.06180")),
    ("https://www.arxiv.org/abs/2107.06925?context=cs", LinkIds(arxiv="2107.06925")),
    ("https://export.arxiv.org/abs/1612.03079", LinkIds(arxiv="1612.03079")),
    ("https://arxiv.org/html/2309.06180v1", LinkIds(arxiv="2309.06180")),
    ("https://arxiv.org/abs/cs/0000001v2", LinkIds(arxiv="cs/0000001")),
    ("https://huggingface.co/papers/2309.06180", LinkIds(arxiv="2309.06180")),
    ("https://doi.org/10.1145/3600006.3613165", LinkIds(doi="10.1145/3600006.3613165")),
    ("https://dx.doi.org/10.1109/ISCA45697.2020.00045", LinkIds(doi="10.1109/ISCA45697.2020.00045")),
    ("https://doi.org/10.1145%2F3458817.3476145", LinkIds(doi="10.1145/3458817.3476145")),
    ("https://doi.org/10.48550/arXiv.2309.06180", LinkIds(doi="10.48550/arXiv.2309.06180", arxiv="2309.06180")),
    ("https://dl.acm.org/doi/10.1145/3341301.3359642", LinkIds(doi="10.1145/3341301.3359642")),
    ("https://dl.acm.org/doi/pdf/10.1145/3552326.3567508", LinkIds(doi="10.1145/3552326.3567508")),
    ("https://dl.acm.org/doi/abs/10.1145/3302424.3303950", LinkIds(doi="10.1145/3302424.3303950")),
    ("https://dl.acm.org/doi/10.1145/3575693.3575712#sec-abstract", LinkIds(doi="10.1145/3575693.3575712")),
    ("https://link.springer.com/chapter/10.0000/example-1_2", LinkIds(doi="10.0000/example-1_2")),
    ("https://link.springer.com/content/pdf/10.0000/example.3.pdf", LinkIds(doi="10.0000/example.3")),
    ("https://doi.org/10.0000/example(1)", LinkIds(doi="10.0000/example(1)")),
    # Links that name no paper unambiguously give nothing.
    ("https://dl.acm.org/doi/proceedings/10.1145/3600006", LinkIds()),
    ("https://ieeexplore.ieee.org/document/0000001", LinkIds()),
    ("https://www.usenix.org/conference/osdi18/presentation/chen", LinkIds()),
    ("https://openreview.net/forum?id=example", LinkIds()),
    ("https://proceedings.mlr.press/v202/example.html", LinkIds()),
    ("https://arxiv.org/list/cs.DC/recent", LinkIds()),
    ("https://doi.org/not-a-doi", LinkIds()),
    ("https://github.com/vllm-project/vllm", LinkIds()),
    ("#contents", LinkIds()),
    ("http://[::1", LinkIds()),
    ("", LinkIds()),
]
# fmt: on


@pytest.mark.parametrize(("url", "ids"), URLS)
def test_identifiers_from_url(url, ids):
    assert identifiers_from_url(url) == ids


def test_identifiers_written_out_in_text():
    assert identifiers_in_text("arXiv preprint arXiv:1503.02531 (2015)") == LinkIds(
        arxiv="1503.02531"
    )
    assert identifiers_in_text("doi:10.1145/3600006.3613165.") == LinkIds(
        doi="10.1145/3600006.3613165"
    )
    assert identifiers_in_text("Graph Attention Networks. ICLR 2018") == LinkIds()


def test_links_that_disagree_give_no_identifier():
    paper = LinkIds(doi="10.1145/3600006.3613165", arxiv="2309.06180")
    assert agreed([paper, LinkIds(doi="10.1145/3600006.3613165"), LinkIds()]) == paper
    assert agreed([paper, LinkIds(arxiv="0000.00001")]) == LinkIds(doi=paper.doi)


# fmt: off
AUTHORS = [
    ("G. Hinton et al", True, ("G. Hinton",)),
    ("Chen, Tianqi, et al.", True, ("Chen, Tianqi",)),
    ("Reddi et al.", True, ("Reddi",)),
    ("G. Hinton, O. Vinyals, J. Dean", True, ("G. Hinton", "O. Vinyals", "J. Dean")),
    ("Hinton, G., Vinyals, O., & Dean, J.", True, ("Hinton, G.", "Vinyals, O.", "Dean, J.")),
    ("Hinton, Geoffrey, Oriol Vinyals, and Jeff Dean", False, ("Hinton, Geoffrey", "Oriol Vinyals", "Jeff Dean")),
    ("Shigang Li and Torsten Hoefler", False, ("Shigang Li", "Torsten Hoefler")),
    # Not author lists: a tail of a title must show it is one.
    ("Shigang Li and Torsten Hoefler", True, ()),
    ("High-Performance Deep Learning Library", True, ()),
    ("Just A Title", True, ()),
    ("Accurate Detection of Objects", False, ()),
    ("Horovod", False, ()),
]
# fmt: on


@pytest.mark.parametrize(("text", "strict", "names"), AUTHORS)
def test_read_authors(text, strict, names):
    assert read_authors(text, strict=strict) == names


# fmt: off
TAILS = [
    ("Distilling the knowledge in a neural network (2015), G. Hinton et al",
     "Distilling the knowledge in a neural network", "(2015)", None, 2015, ("G. Hinton",)),
    ("Graph Attention Networks. ICLR 2018.", "Graph Attention Networks", "ICLR 2018", "ICLR", 2018, ()),
    ("Attention Is All You Need, NeurIPS 2017 (Oral)", "Attention Is All You Need", "NeurIPS 2017", "NeurIPS", 2017, ()),
    ("PyTorch: An Imperative Style, High-Performance Deep Learning Library",
     "PyTorch: An Imperative Style, High-Performance Deep Learning Library", None, None, None, ()),
    ("Varuna: Scalable, Low-cost Training of Massive Deep Learning Models",
     "Varuna: Scalable, Low-cost Training of Massive Deep Learning Models", None, None, None, ()),
    ("MLPerf Inference Benchmark [pdf] [Slides]", "MLPerf Inference Benchmark", None, None, None, ()),
]
# fmt: on


@pytest.mark.parametrize(("text", "rest", "label", "venue", "year", "authors"), TAILS)
def test_peel_reads_the_tail_and_leaves_the_title(text, rest, label, venue, year, authors):
    left, meta = peel(text)
    assert (left, meta.label, meta.venue, meta.year, meta.authors) == (
        rest,
        label,
        venue,
        year,
        authors,
    )


def test_a_whole_line_of_metadata():
    line = read_metadata_line("Chen, Tianqi, et al. (OSDI 2018)")
    assert line is not None
    assert (line.venue, line.year, line.authors) == ("OSDI", 2018, ("Chen, Tianqi",))
    assert read_metadata_line("Authors: Shigang Li, Torsten Hoefler") is not None
    assert read_metadata_line("Large Scale Distributed Deep Networks") is None
    assert (
        read_metadata_line("Scaling Distributed Machine Learning with the Parameter Server") is None
    )

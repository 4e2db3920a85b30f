"""Titles to LaTeX: case protection where classic styles would lower-case, nothing lost."""

from __future__ import annotations

import pytest

from emit_support import HOSTILE_TITLES, as_latex_reads_it, decode_field
from enrich.emit.latex import title_to_latex, to_latex, url_for_bibtex


@pytest.mark.parametrize(
    ("title", "latex"),
    [
        (
            "Efficient Memory Management for Large Language Model Serving with PagedAttention",
            "Efficient Memory Management for Large Language Model Serving with {PagedAttention}",
        ),
        (
            "Orca: A Distributed Serving System for Transformer-Based Generative Models",
            "{Orca}: A Distributed Serving System for Transformer-Based Generative Models",
        ),
        (
            "Achieving μs-scale Preemption for Concurrent GPU-accelerated DNN Inferences",
            r"Achieving {$\mu$}s-scale Preemption for Concurrent {GPU}-accelerated"
            r" {DNN} Inferences",
        ),
        (
            "μLayer: Low Latency On-Device Inference",
            r"{{$\mu$}Layer}: Low Latency On-Device Inference",
        ),
        (
            "Optimus-CC: Efficient Large NLP Model Training with 3D Parallelism",
            "{Optimus-CC}: Efficient Large {NLP} Model Training with {3D} Parallelism",
        ),
        ("Fast Model Serving Using Multi-GPUs", "Fast Model Serving Using Multi-{GPUs}"),
        (
            "Horovod: fast and easy distributed deep learning in TensorFlow",
            "{Horovod}: fast and easy distributed deep learning in {TensorFlow}",
        ),
        ("Serving DNNs like Clockwork", "Serving {DNNs} like Clockwork"),
        ("Máquina", r"M{\'a}quina"),
    ],
)
def test_title_protects_acronyms_and_names(title: str, latex: str) -> None:
    assert title_to_latex(title) == latex


@pytest.mark.parametrize("title", HOSTILE_TITLES)
def test_hostile_text_decodes_back_and_is_balanced(title: str) -> None:
    for encoded in (title_to_latex(title), to_latex(title)):
        assert decode_field(encoded) == as_latex_reads_it(title)
        assert "\n" not in encoded
        assert all(ord(ch) < 128 for ch in encoded)
        depth = 0
        for ch in encoded:  # classic BibTeX counts every brace, escaped or not
            depth += {"{": 1, "}": -1}.get(ch, 0)
            assert depth >= 0
        assert depth == 0


def test_urls_stay_verbatim_except_what_ends_a_field() -> None:
    url = "https://example.org/a_b%20c#frag~x"
    assert url_for_bibtex(url) == url
    assert url_for_bibtex("https://example.org/{x}") == "https://example.org/%7Bx%7D"

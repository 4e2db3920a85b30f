"""Title normalisation: the differences that must not stop two titles from comparing equal."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from enrich.text import bibtex_names, fold_to_ascii, normalize_title, page_range

SAME_TITLE = [
    # (as one source writes it, as another does)
    (
        "PRETZEL: Opening the Black Box of Machine Learning Prediction Serving Systems.",
        "Pretzel: Opening the Black Box of Machine Learning Prediction Serving Systems",
    ),
    ("µLayer: Low Latency On-Device Inference", "μLayer: Low Latency On-Device Inference"),
    ("{$\\mu$Layer}: Low Latency On-Device Inference", "μLayer: Low Latency On-Device Inference"),
    (
        "The Architectural Implications of Facebook\u2019s DNN-based Personalized Recommendation",
        "Architectural Implications of Facebook's DNN-based Personalized Recommendation",
    ),
    (
        "Serving DNNs like Clockwork: Performance Predictability from the Bottom Up",
        "Serving {DNNs} like {Clockwork}: Performance Predictability from the Bottom Up",
    ),
    (
        "A Generic Communication Scheduler for Distributed DNN Training Acceleration",
        "Generic Communication Scheduler for Distributed DNN Training Acceleration",
    ),
    ("Spatio-Temporal Sharing", "Spatio\u2013Temporal Sharing"),
    (
        "INFaaS: Managed & Model-less Inference Serving",
        "INFaaS: Managed and Model-less Inference Serving",
    ),
    ("\\emph{Gist}: Efficient Data Encoding", "Gist: Efficient Data Encoding"),
    ("M\\\"alaga caf\\'e", "Málaga café"),
    ("Achieving μs-scale Preemption", "Achieving microsecond-scale preemption"),
    ("Achieving $\\mu$s-scale Preemption", "Achieving Microsecond-scale Preemption"),
]


@pytest.mark.parametrize(("a", "b"), SAME_TITLE)
def test_same_normal_form(a: str, b: str) -> None:
    assert normalize_title(a) == normalize_title(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Optimus: An Efficient Dynamic Resource Scheduler", "Optimus-CC: Efficient Large NLP"),
        ("μSuite: A Benchmark Suite", "microsecond Suite: A Benchmark Suite"),
    ],
)
def test_different_normal_form(a: str, b: str) -> None:
    assert normalize_title(a) != normalize_title(b)


def test_mu_as_a_name_prefix_stays_mu() -> None:
    assert normalize_title("μLayer") == "mulayer"
    assert fold_to_ascii("Málaga μ") == "malaga mu"


def test_latex_markup_does_not_change_the_normal_form() -> None:
    assert normalize_title("Horovod: fast and easy") == "horovod fast and easy"
    assert normalize_title("{GPU} \\textit{sharing}") == normalize_title("GPU sharing")


_ASCII_TITLE = st.text(
    alphabet=st.sampled_from(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 :-,.'"
    ),
    min_size=1,
    max_size=80,
)


@given(_ASCII_TITLE)
def test_case_quotes_dashes_and_trailing_period_never_matter(title: str) -> None:
    variant = title.upper().replace("'", "\u2019").replace("-", "\u2013") + "."
    assert normalize_title(variant) == normalize_title(title)


@pytest.mark.parametrize(
    ("pages", "expected"),
    [
        ("16639--16653", "16639-16653"),  # DBLP's export
        ("521-538", "521-538"),  # DBLP's search hit
        ("\n 1 - 20 ", "1-20"),  # S2's journal pages
        ("45:1-45:15", "45:1-45:15"),  # article numbers
        ("322\u2013337", "322-337"),  # an en dash
        ("1", "1"),
        ("", None),
        (None, None),
    ],
)
def test_page_range_has_one_spelling(pages: str | None, expected: str | None) -> None:
    assert page_range(pages) == expected


def test_bibtex_names_resolve_latex() -> None:
    names = "St{\\'{e}}phane Bressan and\n   Josef K{\\\"{u}}ng AND Gyeong{-}In Yu"
    assert bibtex_names(names) == ["Stéphane Bressan", "Josef Küng", "Gyeong-In Yu"]
    assert bibtex_names("") == []


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("深度学习系统", "机器学习系统"),  # Chinese: deep vs machine learning systems
        ("Глубокое обучение", "Машинное обучение"),  # Russian: the same two
        ("Βαθιά μάθηση", "Μηχανική μάθηση"),  # Greek
        ("التعلم العميق", "التعلم الآلي"),  # Arabic
        ("か", "が"),  # a Japanese voicing mark is part of the letter
        ("कि", "का"),  # Hindi vowel signs too
        ("BERT 深度", "BERT 机器"),  # mixed scripts
    ],
)
def test_titles_of_every_script_keep_their_letters(a, b):
    assert normalize_title(a) and normalize_title(b)
    assert normalize_title(a) != normalize_title(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Глубокое Обучение.", "глубокое обучение"),  # case and punctuation fold in Cyrillic
        ("深度学习：系统", "深度学习 系统"),  # a full-width colon is punctuation
        ("ＧＰＵ Sharing", "GPU sharing"),  # full-width Latin is Latin
        ("Straße København Łódź", "Strasse Kobenhavn Lodz"),  # Latin letters beyond accents
        ("Café — Résumé", "Cafe Resume"),
    ],
)
def test_case_width_and_punctuation_still_fold_in_every_script(a, b):
    assert normalize_title(a) == normalize_title(b)


def test_a_greek_word_stays_greek_and_a_lone_greek_letter_is_spelled_out():
    assert normalize_title("μάθηση") == "μάθηση"
    assert normalize_title("β-VAE") == "beta vae"

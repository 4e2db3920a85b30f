"""Citation keys: readable, unique, and stable when the list changes around a paper."""

from __future__ import annotations

import dataclasses

from emit_support import fact_records, mixed_records
from enrich.emit.keys import assign_keys, base_key, keys_by_identity
from enrich.samerecord import paper_identities


def _keys(records) -> list[str]:
    return [r.key for r in records]


def test_keys_follow_family_year_first_significant_word() -> None:
    keys = _keys(assign_keys(mixed_records(), {}))
    assert keys == [
        "kwon2023efficient",
        "sheng2023flexgen",
        "yu2022orca",
        "ng2023paella",
        "anon2022achieving",  # unmatched: no authors known
        "romero2021infaas",
        "reddi2020mlperf",
        "kim2019mulayer",  # μ spelled out in ASCII
        "li2021chimera",
        "park2020hetpipe",
        "sergeev2018horovod",
        "xiao2018gandiva",
    ]
    assert all(k.isascii() and k.isalnum() for k in keys)


def test_clash_gives_suffixes_and_first_keeps_plain_key() -> None:
    vllm = fact_records()[0]
    twins = [
        dataclasses.replace(vllm, entry=dataclasses.replace(vllm.entry, title=f"{t}"))
        for t in (vllm.entry.title, "Efficient Memory Two", "Efficient Memory Three")
    ]
    assert _keys(assign_keys(twins, {})) == [
        "kwon2023efficient",
        "kwon2023efficienta",
        "kwon2023efficientb",
    ]


def test_key_stays_when_a_clashing_paper_is_added_above() -> None:
    vllm = fact_records()[0]
    first_run = assign_keys([vllm], {})
    previous = keys_by_identity(first_run)
    newcomer_entry = dataclasses.replace(vllm.entry, title="Efficient Example Paper Added Above")
    newcomer = dataclasses.replace(
        vllm,
        entry=newcomer_entry,
        title=newcomer_entry.title,
        doi=None,
        ids=dataclasses.replace(vllm.ids, dblp="conf/sosp/Example23"),
    )
    second_run = assign_keys([newcomer, vllm], previous)
    assert second_run[1].key == first_run[0].key == "kwon2023efficient"
    assert second_run[0].key == "kwon2023efficienta"


def test_every_key_stays_when_papers_are_added_and_reordered() -> None:
    records = fact_records()
    previous = keys_by_identity(assign_keys(records[5:], {}))
    rerun = assign_keys(list(reversed(records)), previous)
    before = {r.entry.title: r.key for r in assign_keys(records[5:], {})}
    after = {r.entry.title: r.key for r in rerun}
    assert all(after[title] == key for title, key in before.items())
    assert len(set(after.values())) == len(records)


def test_key_found_by_doi_when_list_title_was_corrected() -> None:
    paella = fact_records()[3]
    previous = {"doi:10.1145/3600006.3613163": "ng2023paellaold"}
    fixed = dataclasses.replace(paella, entry=dataclasses.replace(paella.entry, title="Paella"))
    assert assign_keys([fixed], previous)[0].key == "ng2023paellaold"


def test_input_bib_key_is_kept_and_wins() -> None:
    records = fact_records()[:2]
    from_bib = dataclasses.replace(
        records[1], entry=dataclasses.replace(records[1].entry, key="kwon2023efficient")
    )
    keyed = assign_keys([records[0], from_bib], {})
    assert keyed[1].key == "kwon2023efficient"
    assert keyed[0].key == "kwon2023efficienta"


def test_unusable_bib_key_is_replaced() -> None:
    record = fact_records()[0]
    bad = dataclasses.replace(record, entry=dataclasses.replace(record.entry, key="has space,{"))
    assert assign_keys([bad], {})[0].key == base_key(record)


def test_identities_prefer_list_title_then_doi_then_dblp() -> None:
    assert paper_identities(fact_records()[0]) == (
        "list:efficient memory management for large language model serving with pagedattention",
        "doi:10.1145/3600006.3613165",
        "dblp:conf/sosp/KwonLZ0ZY0ZS23",
    )

"""Fetching the dump: resumed with a Range request, checked against the published MD5."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import requests
import responses

from enrich.sources.dblp.local.download import (
    DownloadError,
    download,
    partial_download,
)

URL = "https://dblp.example/xml/dblp.xml.gz"
BODY = bytes(range(256)) * 400


def md5(data: bytes) -> str:
    return hashlib.md5(data, usedforsecurity=False).hexdigest()


@responses.activate
def test_a_whole_download_is_checked_and_renamed_into_place(tmp_path):
    responses.get(URL, body=BODY, headers={"Content-Length": str(len(BODY))})
    responses.get(URL + ".md5", body=f"{md5(BODY)}  dblp.xml.gz\n")
    seen = []
    dest = download(URL, tmp_path / "dblp.xml.gz", progress=lambda d, t, s: seen.append((d, t)))
    assert dest.read_bytes() == BODY
    assert seen[-1] == (len(BODY), len(BODY))
    assert not partial_download(dest).exists()


@responses.activate
def test_an_interrupted_download_resumes_from_where_it_stopped(tmp_path):
    dest = tmp_path / "dblp.xml.gz"
    partial_download(dest).write_bytes(BODY[:1000])
    responses.get(URL, body=BODY[1000:], status=206)
    responses.get(URL + ".md5", body=md5(BODY))
    download(URL, dest)
    assert responses.calls[0].request.headers["Range"] == "bytes=1000-"
    assert dest.read_bytes() == BODY


@responses.activate
def test_a_server_ignoring_the_range_sends_it_all_again(tmp_path):
    dest = tmp_path / "dblp.xml.gz"
    partial_download(dest).write_bytes(b"stale bytes")
    responses.get(URL, body=BODY, status=200)
    responses.get(URL + ".md5", status=404)
    download(URL, dest)
    assert dest.read_bytes() == BODY


@responses.activate
def test_a_wrong_md5_deletes_the_download_and_says_so(tmp_path):
    responses.get(URL, body=BODY)
    responses.get(URL + ".md5", body="0" * 32 + "  dblp.xml.gz")
    with pytest.raises(DownloadError, match="MD5 differs"):
        download(URL, tmp_path / "dblp.xml.gz")
    assert list(tmp_path.iterdir()) == []


@responses.activate
def test_a_failed_request_keeps_what_was_had_for_the_next_try(tmp_path):
    dest = tmp_path / "dblp.xml.gz"
    partial_download(dest).write_bytes(BODY[:10])
    responses.get(URL, body=requests.ConnectionError("reset"))
    with pytest.raises(DownloadError, match="run again to resume"):
        download(URL, dest)
    assert partial_download(dest).read_bytes() == BODY[:10]
    responses.replace(responses.GET, URL, status=503)
    with pytest.raises(DownloadError, match="HTTP 503"):
        download(URL, dest)
    assert not Path(dest).exists()

"""The terminal shows titles, paths and messages as they are: markup in a title is text,
escape sequences are removed, "list.md:100:" is not an emoji code."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.console import Console

from enrich import cli
from enrich.console import plain, print_lines

HOSTILE = [
    ("rich markup closing nothing", "Sparse [/] Attention for Example Models", "[/]"),
    ("rich markup opening a style", "A [bold red]Loud[/bold red] Example Title", "[bold red]"),
    ("an ANSI escape", "An Example \x1b[31mRed\x1b[0m Title", "Red"),
    ("an emoji code", "Example :100: Percent Title", ":100:"),
]


@pytest.mark.parametrize(("case", "title", "shown"), HOSTILE)
def test_untrusted_text_is_printed_as_text(case: str, title: str, shown: str) -> None:
    console = Console(record=True, width=200, emoji=False, highlight=False)
    console.print(plain(title))
    output = console.export_text()
    assert shown in output, case
    assert "\x1b" not in output, case


def test_a_message_of_several_lines_is_printed_line_by_line() -> None:
    console = Console(record=True, width=200)
    print_lines(console, "one [/]\ntwo \x07bell")
    assert console.export_text().splitlines() == ["one [/]", "two bell"]


def test_parse_shows_hostile_titles_and_a_line_100_warning_verbatim(tmp_path: Path, capsys) -> None:
    lines = [f"- [OSDI '22] {title}" for _, title, _ in HOSTILE]
    padding = [""] * (99 - len(lines))
    path = tmp_path / "list.md"
    path.write_text("\n".join([*lines, *padding, lines[0]]) + "\n", encoding="utf-8")
    code = cli.main(["parse", str(path)])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert "Traceback" not in captured.err and "\x1b" not in captured.out
    assert f"{path}:100:" in captured.err.replace("\n", "")
    assert "💯" not in captured.err + captured.out
    for _, _, shown in HOSTILE:
        assert shown in captured.out.replace("\n", "")

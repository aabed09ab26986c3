"""The safe Markdown subset of deck text, read into styled spans: what a deck author writes and
what the learner then sees (the TUI only chooses how each style looks)."""

from __future__ import annotations

import pytest

from srs.model.markdown import Span, Style, parse

B, IT, C, M = Style.BOLD, Style.ITALIC, Style.CODE, Style.MARKER


def test_code_spans_bold_and_italics_are_read() -> None:
    assert parse("Run `chmod 755 x` **now**, *slowly*") == (
        Span("Run "),
        Span("chmod 755 x", C),
        Span(" "),
        Span("now", B),
        Span(", "),
        Span("slowly", IT),
    )


def test_underscores_emphasise_too_but_never_inside_a_word() -> None:
    assert parse("__bold__ _it_ snake_case_name") == (
        Span("bold", B),
        Span(" "),
        Span("it", IT),
        Span(" snake_case_name"),
    )


@pytest.mark.parametrize(
    "text",
    ["2 * 3 * 4", "*.yaml and *.yml", "a ** b", "unclosed **bold", "a `tick", "C:\\path"],
)
def test_text_that_only_looks_like_markdown_stays_as_written(text: str) -> None:
    assert parse(text) == (Span(text),)


def test_nested_and_combined_emphasis() -> None:
    assert parse("***both*** a **b *c* d**") == (
        Span("both", B | IT),
        Span(" a "),
        Span("b ", B),
        Span("c", B | IT),
        Span(" d", B),
    )


def test_a_code_span_keeps_stars_and_closes_only_at_a_run_of_its_length() -> None:
    assert parse("``a ` *b*`` and ` x `") == (Span("a ` *b*", C), Span(" and "), Span("x", C))


def test_a_backslash_shows_punctuation_as_written() -> None:
    assert parse(r"\*not italic\* \`x\`") == (Span("*not italic* `x`"),)


def test_fenced_code_block_lines_are_code_and_the_fences_take_no_line() -> None:
    text = "Make it executable:\n```sh\nchmod 755 *run*\n  ./run\n```\nThen run it."

    assert parse(text) == (
        Span("Make it executable:\n"),
        Span("chmod 755 *run*", C),
        Span("\n"),
        Span("  ./run", C),
        Span("\nThen run it."),
    )


def test_an_unclosed_fence_runs_to_the_end() -> None:
    assert parse("~~~\n**x**") == (Span("**x**", C),)


def test_list_items_get_a_bullet_or_keep_their_number_and_indentation() -> None:
    text = "- one\n* two **2**\n  + nested\n1. first\n10) tenth"

    assert parse(text) == (
        Span("• ", M),
        Span("one\n"),
        Span("• ", M),
        Span("two "),
        Span("2", B),
        Span("\n  "),
        Span("◦ ", M),
        Span("nested\n"),
        Span("1. ", M),
        Span("first\n"),
        Span("10) ", M),
        Span("tenth"),
    )


def test_every_line_break_and_blank_line_is_kept() -> None:
    assert parse("line 1\nline 2\n\nline 4") == (Span("line 1\nline 2\n\nline 4"),)


@pytest.mark.parametrize(
    "text",
    [
        "[a link](https://example.com)",
        "# not a heading",
        "<b>html</b>",
        "![image](x.png)",
        "[@click=app.quit]",
        "---",
        "-not a list",
    ],
)
def test_links_headings_html_and_markup_stay_the_characters_written(text: str) -> None:
    assert parse(text) == (Span(text),)

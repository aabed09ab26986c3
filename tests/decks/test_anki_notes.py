"""Anki notes to srs card texts: field HTML, cloze deletions, note types, the review log."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from srs.decks.anki.cloze import parse_cloze, shown
from srs.decks.anki.convert import card_key, deck_slug
from srs.decks.anki.fieldtext import field_text
from srs.decks.anki.model import NoteType, RevlogEntry, RevlogKind, Template
from srs.decks.anki.notes import CardText, Kind, Skip, plan_for
from srs.decks.anki.revlog import BEFORE_RESET, NOT_ANSWERS, PREVIEWS, memory_answers

# --- field HTML ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("Port <b>443</b><br>&amp; HTTPS", "Port 443\n& HTTPS"),
        ("<div>one</div><div>two</div>", "one\ntwo"),
        ("<div>one</div><div><br></div><div>two</div>", "one\n\ntwo"),
        ("<ul><li>a</li><li>b<ol><li>x</li><li>y</li></ol></li></ul>", "- a\n- b\n  1. x\n  2. y"),
        ("<style>.c { color: red }</style>Hi<script>alert(1)</script>", "Hi"),
        ("&lt;b&gt; &quot;q&quot; &#x41;&nbsp;&nbsp;B caf&eacute;", '<b> "q" A B café'),
        (
            "<table><tr><td>a</td><td>b</td></tr><tr><td>c</td><td>d</td></tr></table>",
            "a | b\nc | d",
        ),
        ("  spaced   out\n text ", "spaced out text"),
        ("<pre>keep  this\n  layout</pre>", "keep  this\n  layout"),
    ],
)
def test_field_html_becomes_plain_text_with_its_line_structure(html: str, text: str) -> None:
    assert field_text(html).text == text


def test_images_and_sounds_become_visible_names_and_are_counted() -> None:
    found = field_text('<img src="logo.png"> says [sound:hello.mp3] <audio src="b.ogg">')

    assert found.text == "[image: logo.png] says [sound: hello.mp3] [sound: b.ogg]"
    assert (found.images, found.sounds) == (1, 2)


def test_terminal_escapes_become_visible_and_markup_stays_text() -> None:
    found = field_text("x \x1b]52;c;aGk=\x07 [@click=app.quit]quit[/] \u202eevil")

    assert found.text == "x ␛]52;c;aGk=␇ [@click=app.quit]quit[/] \ufffdevil"
    assert found.controls


# --- cloze -----------------------------------------------------------------------------------


def test_a_cloze_is_shown_as_dots_with_its_hint_and_the_others_revealed() -> None:
    parts = parse_cloze("The {{c1::TCP::protocol}} port is {{c2::80}}.")

    assert shown(parts, 1) == "The [... protocol] port is 80."
    assert shown(parts, 2) == "The TCP port is [...]."


def test_nested_clozes_hide_with_their_outer_one() -> None:
    parts = parse_cloze("{{c1::a {{c2::b}} c}} d")

    assert shown(parts, 1) == "[...] d"
    assert shown(parts, 2) == "a [...] c d"


# --- note types ------------------------------------------------------------------------------

BASIC = NoteType(
    1,
    "Basic",
    False,
    ("Front", "Back"),
    (Template("Card 1", "{{Front}}", "{{FrontSide}}<hr id=answer>{{Back}}"),),
)
REVERSED = NoteType(
    2,
    "Basic (and reversed card)",
    False,
    ("Front", "Back"),
    (*BASIC.templates, Template("Card 2", "{{Back}}", "{{FrontSide}}<hr id=answer>{{Front}}")),
)
CLOZE = NoteType(
    3,
    "Cloze",
    True,
    ("Text", "Back Extra"),
    (Template("Cloze", "{{cloze:Text}}", "{{cloze:Text}}<br>\n{{Back Extra}}"),),
)
TYPING = NoteType(
    4,
    "Basic (type in the answer)",
    False,
    ("Front", "Back"),
    (Template("Card 1", "{{Front}}\n\n{{type:Back}}", "{{Front}}<hr id=answer>{{type:Back}}"),),
)
VOCABULARY = NoteType(
    5,
    "Vocabulary",
    False,
    ("Word", "Meaning", "Example", "Audio"),
    (Template("Card 1", "{{Word}}{{hint:Audio}}", "{{FrontSide}}<hr>{{Meaning}}<br>{{Example}}"),),
)


def choice_type(*fields: str) -> NoteType:
    front = "".join(f"{{{{{name}}}}}" for name in fields)
    return NoteType(6, "Choice", False, fields, (Template("Card 1", front, "{{FrontSide}}"),))


LETTERED = choice_type("Question", "A", "B", "C", "D", "Answer", "Explanation")
FLAGGED = choice_type("Question", "Q_1", "Q_2", "Q_3", "Q_4", "Answers", "Extra 1")


def test_basic_front_is_the_question_and_back_the_answer() -> None:
    card = plan_for(BASIC).card(["What is 2+2?", "4"], 0)

    assert card == CardText("What is 2+2?", ("4",), (), None, Kind.FREE_RECALL)


def test_basic_and_reversed_makes_a_card_each_way() -> None:
    plan = plan_for(REVERSED)

    assert plan.card(["IAM", "Identity"], 0)[:2] == ("IAM", ("Identity",))
    assert plan.card(["IAM", "Identity"], 1)[:2] == ("Identity", ("IAM",))


def test_typing_a_field_on_the_front_makes_it_the_answer() -> None:
    assert plan_for(TYPING).card(["List buckets", "aws s3 ls"], 0)[:2] == (
        "List buckets",
        ("aws s3 ls",),
    )


def test_another_note_type_answers_with_the_backs_first_field_and_explains_with_the_rest() -> None:
    card = plan_for(VOCABULARY).card(["el gato", "the cat", "El gato duerme.", "[sound: g.mp3]"], 0)

    assert card == CardText(
        "el gato", ("the cat",), (), "El gato duerme.\n\n[sound: g.mp3]", Kind.FREE_RECALL
    )


def test_a_card_with_nothing_on_the_back_is_skipped() -> None:
    assert plan_for(BASIC).card(["Question", ""], 0) == Skip("nothing on the back")


def test_a_cloze_note_makes_one_card_per_number() -> None:
    plan = plan_for(CLOZE)
    fields = ["{{c1::Shield::DDoS}} and {{c2::WAF}}", "See the docs."]

    first, second = plan.card(fields, 0), plan.card(fields, 1)

    assert first == CardText(
        "[... DDoS] and WAF", ("Shield",), (), "Shield and WAF\n\nSee the docs.", Kind.CLOZE
    )
    assert isinstance(second, CardText) and second.answers == ("WAF",)
    assert plan.card(fields, 2) == Skip("no cloze 3 in the note")


def test_an_image_occlusion_note_is_skipped() -> None:
    fields = ["{{c1::image-occlusion:rect:left=.1:top=.2:width=.3:height=.4}}", ""]

    assert plan_for(CLOZE).card(fields, 0) == Skip("image occlusion (shapes on an image)")


def test_a_hostile_depth_of_nested_clozes_converts_without_crashing() -> None:
    fields = ["{{c1::" * 5000 + "x" + "}}" * 5000, ""]

    card = plan_for(CLOZE).card(fields, 0)

    assert isinstance(card, CardText) and card.question.startswith("[...]")


@pytest.mark.parametrize("key", ["B", "b", "(B)", "2", "S3", "s3 ", "B) S3"])
def test_a_choice_note_type_answered_by_letter_number_or_text_is_multiple_choice(key: str) -> None:
    fields = ["Which stores objects?", "EBS", "S3", "EFS", "RDS", key, "Object storage."]

    card = plan_for(LETTERED).card(fields, 0)

    assert card == CardText(
        "Which stores objects?",
        ("S3",),
        ("EBS", "EFS", "RDS"),
        "Object storage.",
        Kind.MULTIPLE_CHOICE,
    )


def test_flags_naming_several_options_make_a_select_all_card() -> None:
    fields = ["Pillars?", "Cost", "Reliability", "Scale", "", "1 1 0 0", ""]

    card = plan_for(FLAGGED).card(fields, 0)

    assert isinstance(card, CardText)
    assert (card.answers, card.distractors, card.kind) == (
        ("Cost", "Reliability"),
        ("Scale",),
        Kind.SELECT_ALL,
    )


def test_an_answer_naming_no_option_becomes_free_recall_with_the_options_listed() -> None:
    fields = ["Cheapest region?", "us-east-1", "eu-west-1", "", "", "It depends", ""]

    card = plan_for(LETTERED).card(fields, 0)

    assert card == CardText(
        "Cheapest region?\nA. us-east-1\nB. eu-west-1",
        ("It depends",),
        (),
        None,
        Kind.UNRECOGNISED_CHOICE,
    )


def test_repeated_options_are_kept_once() -> None:
    fields = ["Pick S3", "S3", "EBS", "ebs", "s3", "A", ""]

    card = plan_for(LETTERED).card(fields, 0)

    assert isinstance(card, CardText)
    assert (card.answers, card.distractors) == (("S3",), ("EBS",))


def test_a_two_field_question_answer_type_is_not_mistaken_for_multiple_choice() -> None:
    qa = NoteType(7, "Q/A", False, ("Q", "A"), (Template("1", "{{Q}}", "{{A}}"),))

    assert plan_for(qa).card(["Capital of France?", "Paris"], 0)[:3] == (
        "Capital of France?",
        ("Paris",),
        (),
    )


# --- ids -------------------------------------------------------------------------------------


def test_card_ids_depend_only_on_the_note_guid_and_card_number() -> None:
    assert card_key("E:x:+O>w+*", 0) == card_key("E:x:+O>w+*", 0)
    assert card_key("E:x:+O>w+*", 0) != card_key("E:x:+O>w+*", 1)
    assert card_key("E:x:+O>w+*", 1).endswith("-2")
    assert card_key("a", 0) != card_key("b", 0)


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Security+", "security"),
        ("AWS Cloud Practitioner", "aws-cloud-practitioner"),
        ("Español B1", "espanol-b1"),
        ("日本語", "anki"),
        ("x" * 80, "x" * 64),
    ],
)
def test_deck_ids_are_slugs_of_the_deck_name(name: str, slug: str) -> None:
    assert deck_slug(name) == slug


# --- the review log --------------------------------------------------------------------------


def entry(at: int, ease: int, kind: RevlogKind, factor: int = 2500) -> RevlogEntry:
    return RevlogEntry(at, 1, ease, int(kind), factor, 5000)


def test_every_answer_of_a_plain_history_counts() -> None:
    log = [
        entry(1, 3, RevlogKind.Learning),
        entry(2, 3, RevlogKind.Learning),
        entry(3, 1, RevlogKind.Review),
        entry(4, 3, RevlogKind.Relearning),
        entry(5, 3, RevlogKind.Review),
    ]

    assert memory_answers(log) == (log, {})


def test_a_log_of_answers_only_keeps_what_the_rule_for_any_log_keeps() -> None:
    # A log with nothing but answers is read without the checks a mixed log needs: a due date
    # set at its end sends the same answers through those checks, and must change nothing.
    rng = random.Random(3)
    kinds = [RevlogKind.Learning, RevlogKind.Review, RevlogKind.Relearning]
    for _ in range(2_000):
        log = [entry(at, rng.randint(1, 4), rng.choice(kinds)) for at in range(rng.randint(0, 8))]
        due_set = entry(9, 0, RevlogKind.Manual)

        kept, skipped = memory_answers(log)

        assert memory_answers([*log, due_set]) == (kept, skipped + Counter({NOT_ANSWERS: 1}))


def test_answers_before_a_reset_and_changes_that_are_not_answers_are_left_out() -> None:
    before = [entry(1, 3, RevlogKind.Learning), entry(2, 3, RevlogKind.Review)]
    due_set = entry(3, 0, RevlogKind.Manual)
    reset = entry(4, 0, RevlogKind.Manual, factor=0)
    after = [entry(5, 1, RevlogKind.Learning), entry(6, 3, RevlogKind.Learning)]
    preview = entry(7, 3, RevlogKind.Filtered, factor=0)
    rescheduled = entry(8, 0, RevlogKind.Rescheduled)

    kept, skipped = memory_answers([*before, due_set, reset, *after, preview, rescheduled])

    assert kept == after
    assert skipped == {BEFORE_RESET: 2, NOT_ANSWERS: 3, PREVIEWS: 1}


def test_a_card_relearned_from_new_without_a_logged_reset_starts_at_its_last_learning() -> None:
    old = [entry(1, 3, RevlogKind.Learning), entry(2, 3, RevlogKind.Review)]
    again = [entry(3, 3, RevlogKind.Learning), entry(4, 4, RevlogKind.Review)]

    assert memory_answers([*old, *again]) == (again, {BEFORE_RESET: 2})

"""An id or a label that differs from another only by invisible characters around it (a
byte-order mark or a zero-width space pasted with the cell, which ``str.strip`` keeps) is
refused as one written two ways, with a fix that removes them: a speaker ``'\\ufeff01'``
beside ``'01'`` was two groups (one speaker on both sides of a split), a label
``'happy\\u200b'`` beside ``'happy'`` two classes, without a word (session 45 leftover)."""

from __future__ import annotations

import re

import pytest
from emofeat.classifiers import DataError, evaluate, train
from emofeat.classifiers.validation import _shown


@pytest.fixture(scope="module")
def table(ravdess_four_speakers_mfcc):
    return ravdess_four_speakers_mfcc


def _fix(message: str, t):
    """Run the fix the message gives (``table.index[...] = ...``) on ``t``."""
    column, code = re.search(r"e\.g\. table\.index\['(\w+)'\] = (.*)$", message).groups()
    t.index[column] = eval(code, {"table": t})  # the user's line, as printed


@pytest.mark.parametrize("mark", ["\ufeff", "\u200b", "\u2060"], ids=["bom", "zwsp", "wj"])
def test_a_speaker_with_an_invisible_mark_is_refused_and_the_fix_works(table, mark):
    t = table.select(rows=slice(None))
    assert t.index is not table.index
    first = t.index["speaker"].iloc[0]
    t.index.loc[t.index.index[::2], "speaker"] = mark + t.index["speaker"].iloc[::2]
    escaped = f"\\u{ord(mark):04x}"
    with pytest.raises(DataError, match=re.escape(
            f"column 'speaker' holds '{escaped}{first}' and '{first}', one id written two "
            "ways (spaces or invisible characters around it")) as caught:
        evaluate(t, "emotion", "speaker", "logreg")
    with pytest.raises(DataError, match="one id written two ways"):
        train(t, "emotion", "logreg", groups="speaker", standardize="group")
    _fix(str(caught.value), t)
    assert evaluate(t, "emotion", "speaker", "logreg").summary() == evaluate(
        table, "emotion", "speaker", "logreg").summary()


def test_a_label_with_a_trailing_zero_width_space_is_refused_and_the_fix_works(table):
    t = table.select(rows=slice(None))
    happy = t.index["emotion"] == "happy"
    t.index.loc[happy[happy].index[:3], "emotion"] = "happy\u200b \u200b"
    with pytest.raises(DataError, match=re.escape(
            "column 'emotion' holds 'happy' and 'happy\\u200b \\u200b', one label written "
            "two ways")) as caught:
        evaluate(t, "emotion", "speaker", "logreg")
    _fix(str(caught.value), t)
    assert set(t.index["emotion"]) == set(table.index["emotion"])


def test_an_emoji_sequence_beside_its_first_emoji_stays_two_classes(table):
    """Only marks around a value are stripped: a zero-width joiner inside an emoji sequence
    (woman scientist, U+1F469 U+200D U+1F52C) makes another label than its first emoji."""
    t = table.select(rows=slice(None))
    happy = (t.index["emotion"] == "happy").to_numpy()
    sad = (t.index["emotion"] == "sad").to_numpy()
    t.index.loc[happy, "emotion"] = "\U0001f469\u200d\U0001f52c"
    t.index.loc[sad, "emotion"] = "\U0001f469"
    res = evaluate(t, "emotion", "speaker", "logreg")
    assert len(res.labels) == t.index["emotion"].nunique()


@pytest.mark.parametrize("text", ["a", "\u200ba", "\u2764\ufe0f", "it's", "Jos\u00e9",
                                  " \t\n\r\x0b\x0c\ufeff", "\U000e0001x", 'a"b\\c'])
def test_shown_is_a_python_literal_of_the_text(text):
    """The message's values and fix are Python literals a user can paste: they evaluate to
    the text, invisible characters escaped (``repr`` printed U+FE0F as itself)."""
    import ast

    shown = _shown(text)
    assert ast.literal_eval(shown) == text
    assert all(c.isprintable() or c in " " for c in shown)


@pytest.mark.parametrize("pair", [
    ("\U0001F3F4\U000E0067\U000E0062\U000E0073\U000E0063\U000E0074\U000E007F",  # Scotland
     "\U0001F3F4\U000E0067\U000E0062\U000E0065\U000E006E\U000E0067\U000E007F"),  # England
    ("\u2764\ufe0f", "\u2764"),  # emoji and text presentation: a selector, not a format mark
], ids=["flags", "variation-selector"])
def test_tag_characters_and_variation_selectors_are_not_stripped(pair):
    # review 1 of e8ad6bb: the two flags were refused as one label, the fix merged them
    from emofeat.classifiers.validation import refuse_written_two_ways

    refuse_written_two_ways(list(pair), "emotion", "label")


def test_the_printed_fix_strips_a_no_break_space_beside_a_zero_width_one(table):
    # review 1 of e8ad6bb: strip(' \t\n\r\x0b\x0c\u200b') kept the no-break space, so the
    # two stayed two classes after the fix
    t = table.select(rows=slice(None))
    happy = t.index["emotion"] == "happy"
    t.index.loc[happy[happy].index[:3], "emotion"] = "\xa0happy\u200b"
    with pytest.raises(DataError, match=re.escape("'\\xa0happy\\u200b'")) as caught:
        evaluate(t, "emotion", "speaker", "logreg")
    _fix(str(caught.value), t)
    assert set(t.index["emotion"]) == set(table.index["emotion"])

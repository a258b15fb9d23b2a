"""emofeat's VADER against vaderSentiment 3.3.2 (the reference), text by text.

Tolerance: |difference| <= 1e-4 on neg, neu, pos and compound (the reference rounds to 3 and 4
decimals); the implementation aims at, and these tests also count, bit-identical rounded scores.
Runtime: the full corpora (81,929 texts) take ~10 s here, most of it in the reference.
"""

from __future__ import annotations

import random

import numpy as np
import pytest
from _text_data import all_texts
from conftest import SHARED_DATA
from emofeat.extractors._vader import (
    BOOSTERS,
    NEGATORS,
    SCORE_NAMES,
    Vader,
    _round_exact,
    read_vader_lexicon,
    strip_punctuation,
    vader_scores,
)

vs = pytest.importorskip("vaderSentiment.vaderSentiment", reason="reference: pip install vaderSentiment")

TOL = 1e-4


@pytest.fixture(scope="module")
def reference():
    return vs.SentimentIntensityAnalyzer()


@pytest.fixture(scope="module")
def vader():
    return Vader()


def ref_scores(analyzer, texts):
    return np.array([[d[k] for k in SCORE_NAMES] for d in map(analyzer.polarity_scores, texts)])


def compare(reference, vader, texts, label):
    ref = ref_scores(reference, texts)
    ours = vader.scores(texts)
    diff = np.abs(ref - ours).max(axis=1)
    worst = int(np.argmax(diff)) if len(texts) else 0
    assert diff.max(initial=0.0) <= TOL, (
        f"{label}: {(diff > TOL).sum()} of {len(texts)} texts differ by more than {TOL}; "
        f"worst {texts[worst]!r}: reference {ref[worst]}, emofeat {ours[worst]}")
    return int((diff > 0).sum())


TRICKY = [
    "VADER is smart, handsome, and funny.",
    "VADER is smart, handsome, and funny!",
    "VADER is very smart, handsome, and funny.",
    "VADER is VERY SMART, handsome, and FUNNY.",
    "VADER is VERY SMART, uber handsome, and FRIGGIN FUNNY!!!",
    "VADER is not smart, handsome, nor funny.",
    "At least it isn't a horrible book.",
    "The book was only kind of good.",
    "The plot was good, but the characters are uncompelling and the dialog is not great.",
    "Today SUX!", "Today only kinda sux! But I'll get by, lol",
    "Make sure you :) or :D today!", "Catch utf-8 emoji such as 💘 and 💋 and 😁",
    "Not bad at all", "Sentiment analysis has never been this good!",
    "With VADER, sentiment analysis is the shit!", "On the other hand, VADER is quite bad ass",
    "Without a doubt, excellent idea.", "Roger Dodger is one of the least compelling variations.",
    "Roger Dodger is at least compelling as a variation on the theme.",
    "no no good", "NO good at all", "no bad or ugly", "it is no good nor bad", "no",
    "good good but good good bad but great", "great but great great", "love hate but love hate",
    "so this so good", "you are the bomb kiss of death to die for", "yeah right, sort of good",
    "I just enough like it", "kind of great kind", "KIND of", "???", "good???", "bad????!!!!!",
    "good?? ok!", "", "   ", "😁", "😁😁x😁 good", "a😁b", "☺️ fine", "©®", "🔛 ON! 🆙 UP!",
    "GOOD", "GOOD bad", "good BAD", "SO good", "not VERY good", "not so very good",
    "can't stand it", "he didn't like it", "wasn't it lovely", "nothing is great",
    "never so happy", "never this sad", "without doubt great", "the least bad", "very least good",
    "at least good", "least", "\u00a0good\u2003bad\u3000", "GOOD, GREAT, NICE!", "ok,", ":( :)",
    "good\ud800bad", "İstanbul is GREAT", "ﬁne ÉNORME great",
]


def test_tricky_sentences(reference, vader):
    compare(reference, vader, TRICKY, "tricky sentences")


def test_random_rule_combinations(reference, vader):
    """3,000 random texts made of the words VADER's rules look at, in all cases and with
    punctuation and emoji, so that every rule and their interactions are exercised."""
    lexicon = read_vader_lexicon()
    rng = random.Random(14)
    lex_words = rng.sample(sorted(lexicon), 60)
    pieces = (lex_words + sorted(BOOSTERS)[:20] + sorted(NEGATORS)[:15] + [
        "no", "or", "nor", "kind", "of", "never", "so", "this", "without", "doubt", "least", "at",
        "very", "but", "BUT", "the", "shit", "bomb", "bad", "ass", "kiss", "death", "to", "die",
        "for", "yeah", "right", "sort", "just", "enough", "good", "great", "love", "hate",
        "!", "?", "!!", "??", ":)", ":(", "😁", "💔", "👍", "x", "a", "I", "...", ",", "n't",
    ])
    texts = []
    for _ in range(3000):
        n = rng.randint(0, 14)
        words = []
        for _ in range(n):
            w = rng.choice(pieces)
            r = rng.random()
            if r < 0.15:
                w = w.upper()
            elif r < 0.2:
                w = w.capitalize()
            elif r < 0.3:
                w = w + rng.choice([",", ".", "!", "?", "'"])
            words.append(w)
        texts.append(rng.choice([" ", " ", "  ", ""]).join(words))
    compare(reference, vader, texts, "random rule combinations")


@pytest.mark.parametrize("corpus", ["goemotions", "carer", "isear"])
def test_full_corpora_identical(reference, vader, corpus):
    """Every text of every split of the three corpora."""
    root = SHARED_DATA / "text"
    if not (root / corpus).exists():
        pytest.skip(f"real data not available: {root / corpus} (see ../shared/data/README.md)")
    for name, texts in all_texts(root).items():
        if name.startswith(corpus):
            n_not_bitwise = compare(reference, vader, texts, name)
            assert n_not_bitwise == 0, f"{name}: {n_not_bitwise} texts within {TOL} but not equal"


def test_missing_values_and_types(vader):
    out = vader.scores([None, float("nan"), "", "good"])
    assert np.all(out[:3] == 0.0)
    assert out[3, 3] > 0
    with pytest.raises(TypeError, match="text 1"):
        vader.scores(["ok", 3])
    with pytest.raises(TypeError):
        vader.scores("a single string")


def test_long_text_is_linear(vader, reference):
    text = " ".join(["this is good but that is bad, not great!"] * 2500)  # ~100,000 characters
    out = vader.scores([text])
    assert out.shape == (1, 4) and np.isfinite(out).all()
    short = text[:5000]
    compare(reference, vader, [short], "long text prefix")


def test_unrounded_rounds_to_rounded(vader):
    texts = TRICKY
    raw = vader.scores(texts, rounded=False)
    rounded = vader.scores(texts)
    for r, q in zip(raw, rounded, strict=True):
        assert [round(float(r[k]), 3) for k in range(3)] + [round(float(r[3]), 4)] == list(q)


def test_round_exact_matches_python():
    rng = np.random.default_rng(0)
    x = np.concatenate([rng.uniform(-1, 1, 20000), np.arange(-1000, 1001) / 2000.0,
                        np.arange(0, 200) * 0.0005 + 1e-17])
    for nd in (3, 4):
        got = _round_exact(x, nd)
        want = np.array([round(float(v), nd) for v in x])
        assert np.array_equal(got, want)


def test_strip_punctuation():
    assert strip_punctuation("good!!") == "good"
    assert strip_punctuation("ok,") == "ok,"  # two characters left: kept as is (emoticon rule)
    assert strip_punctuation(":)") == ":)"


def test_shared_scorer_and_dict(vader, reference):
    text = "VADER is VERY SMART, uber handsome, and FRIGGIN FUNNY!!!"
    assert vader.polarity_scores(text) == reference.polarity_scores(text)
    assert np.array_equal(vader_scores([text]), vader.scores([text]))

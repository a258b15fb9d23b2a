"""Why the ``arousal`` taxonomy leaves love, guilt and shame out (session 55, helper A,
leftover 2 of session 54): the evidence docs/classifiers.md gives, checked on the data.

ISEAR (guilt, shame) and CARER (love) carry these classes. The map keeps a label where the
NRC VAD lexicon's arousal rating (Mohammad 2018, 0..1) places it clearly on one side of the
midpoint, at least 0.2 from 0.5: every kept label does (sadness, the nearest, at 0.288), on
the side the map gives it, and love (0.519), guilt (0.567) and shame (0.670) do not. ISEAR's
own record of bodily activation (``ERGO``, ergotropic arousal symptoms 0-4 per situation)
does not separate even the map's own sides (joy and disgust, high, average less than sadness,
low), so it places none of the three either. Decision: they stay dropped; the test fails if
the map or the evidence changes.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
from conftest import shared_path
from emofeat.classifiers.label_maps import CANONICAL, TAXONOMIES, map_labels

MARGIN = 0.2  # distance from the midpoint 0.5 of a rating that places a label on a side


def _nrc_arousal() -> dict[str, float]:
    path = shared_path("lexicons", "nrc_vad", "NRC-VAD-Lexicon.txt")
    lex = pd.read_csv(path, sep="\t", header=None, names=["word", "v", "a", "d"],
                      keep_default_na=False)
    return dict(zip(lex.word, lex.a, strict=True))


def test_arousal_keeps_exactly_the_labels_the_ratings_place():
    arousal = _nrc_arousal()
    mapping = TAXONOMIES["arousal"]
    assert set(mapping) == set(CANONICAL)
    for label in CANONICAL:
        a = arousal[label]
        side = mapping[label]
        if side is None:
            assert abs(a - 0.5) < MARGIN, (label, a)
        else:
            assert abs(a - 0.5) >= MARGIN and side == ("high" if a > 0.5 else "low"), \
                (label, a, side)
    assert {k for k, v in mapping.items() if v is None} == {"love", "guilt", "shame"}
    # figures the docs quote
    assert (arousal["love"], arousal["guilt"], arousal["shame"]) == (0.519, 0.567, 0.670)


def test_isear_activation_reports_do_not_separate_the_map_sides():
    path = shared_path("text", "isear", "isear.csv")
    rows = []
    with open(path, encoding="latin-1") as f:
        head = f.readline().rstrip("\n").split("|")
        ergo, emotion = head.index("ERGO"), head.index("Field1")
        for line in f:
            # by position: 163 texts hold '|' (shared data README); ERGO and the label come
            # before the text
            parts = line.rstrip("\n").split("|")
            rows.append((parts[emotion], int(parts[ergo])))
    df = pd.DataFrame(rows, columns=["emotion", "ergo"])
    assert len(df) == 7666
    means = df.groupby("emotion")["ergo"].mean().round(2)
    # the docs' figures
    assert means.to_dict() == {"anger": 1.59, "disgust": 0.84, "fear": 1.98, "guilt": 0.82,
                               "joy": 0.79, "sadness": 0.92, "shame": 1.03}
    side = TAXONOMIES["arousal"]
    high = [means[e] for e in means.index if side[e] == "high"]
    low = [means[e] for e in means.index if side[e] == "low"]
    assert min(high) < max(low)  # joy and disgust below sadness: no threshold on ERGO
    # label_map="arousal" leaves ISEAR's guilt and shame rows out
    mapped = map_labels(df["emotion"], "arousal", corpus="isear")
    assert int(mapped.isna().sum()) == 2189 == int(df["emotion"].isin(["guilt", "shame"]).sum())
    assert set(mapped.dropna()) == {"high", "low"}
    assert np.all(map_labels(pd.Series(["love"]), "arousal", corpus="carer").isna())


def _drop_paragraph() -> str:
    docs = Path(__file__).resolve().parents[1] / "docs" / "classifiers.md"
    text = docs.read_text(encoding="utf-8")
    start = text.index("**Why `arousal` drops love, guilt and shame**")
    return text[start:text.index("\n\n", start)]


def test_docs_word_ratings_are_the_lexicon_s_and_say_which_side():
    """The paragraph said that the words of love, guilt and shame "fall on either side or
    near the middle (loving 0.612, guilty 0.770, ashamed 0.588)": all three above 0.5, on no
    two sides. Every "word 0.ddd" figure it quotes must be the NRC VAD arousal (exact, three
    decimals as the lexicon gives them), the love words it quotes must lie on both sides of
    0.5, and the guilt and shame words said to lean high must, most of them, lie above."""
    arousal = _nrc_arousal()
    para = " ".join(_drop_paragraph().split())
    current = para.split("(Until ")[0]  # the history quoted at the end is not a claim
    love = re.search(r"love's straddle 0\.5 \(([^)]*)\)", current)
    assert love, current
    values = [arousal[w] for w, _ in re.findall(r"([a-z]+) (0\.\d{3})", love.group(1))]
    assert min(values) < 0.5 < max(values), values
    # "love is 0.519": the word before "is"
    quoted = re.findall(r"\b([a-z]+) (?:is )?(0\.\d{3})\b", current)
    assert len(quoted) >= 10, quoted
    for word, value in quoted:
        assert arousal[word] == float(value), (word, value, arousal[word])
    high = re.search(r"guilt's and shame's lean high \(([^)]*)\)", current)
    assert high, current
    values = [arousal[w] for w in re.findall(r"([a-z]+) 0\.\d{3}", high.group(1))]
    assert len(values) >= 4 and all(v > 0.5 for v in values), values

"""NRC's earlier Affect Intensity Lexicon (v0.5) is read, or named where given as a user lexicon.

The real file here is version 1 (2020): ``NRC-Emotion-Intensity-Lexicon-v1.txt``, 8 emotions,
``word<TAB>emotion<TAB>score`` with no header. The release before it, the NRC Affect
Intensity Lexicon v0.5 (``NRC-AffectIntensity-Lexicon.txt``; its 4 emotions anger, fear,
sadness and joy as v1's README says), puts the score before the emotion, under a header line
``term<TAB>score<TAB>AffectDimension`` that follows a preamble of free text (the textdata R
package reads it with ``read_tsv(skip = 36)`` and the columns ``term``, ``score``,
``AffectDimension``; Python code reads its fields ``[1]`` as the score and ``[2]`` as the
emotion). Until session 55 ``("nrc_intensity", path)`` refused that file at the preamble's
first line ("expected 'word<TAB>category<TAB>score'"), or, cut to its rows, at line 2 ("score
'anger' is not a number", line 1 taken for a header): nothing said which layout it was.

The files here are written from the real v1 file's rows of those four emotions in v0.5's
layout (the preamble's text made up: only its place is known); they must give exactly the
columns of the same rows in v1's layout, on real texts.
"""

from __future__ import annotations

import numpy as np
import pytest
from _text_data import isear_texts
from conftest import shared_path
from emofeat.extractors import LexiconFeatures
from emofeat.extractors._lexicons import LexiconFormatError

INTENSITY = ("lexicons", "nrc_emotion_intensity", "NRC-Emotion-Intensity-Lexicon-v1.txt")
FOUR = ("anger", "fear", "sadness", "joy")


def _rows() -> list[tuple[str, str, str]]:
    """(word, emotion, score) of the real v1 file, its rows of v0.5's four emotions."""
    lines = shared_path(*INTENSITY).read_text(encoding="utf-8").splitlines()
    rows = [tuple(line.split("\t")) for line in lines if line]
    return [r for r in rows if r[1] in FOUR]


def _write(path, rows, *, v05: bool, header: bool = True, preamble: int = 36):
    text = ""
    if v05:
        if header:
            text += "".join(f"Line {k + 1} of the release's description, free text.\n"
                            for k in range(preamble))
            text += "term\tscore\tAffectDimension\n"
        text += "".join(f"{w}\t{s}\t{e}\n" for w, e, s in rows)
    else:
        text += "".join(f"{w}\t{e}\t{s}\n" for w, e, s in rows)
    path.write_text(text, encoding="utf-8")
    return path


def _columns(path, texts):
    lf = LexiconFeatures(lexicons=[("nrc_intensity", str(path))], style=False)
    X = np.asarray(lf.fit_transform(texts))
    return list(lf.get_feature_names_out()), X


@pytest.mark.parametrize("header, preamble", [(True, 36), (True, 0), (False, 0)],
                         ids=["as released", "header only", "rows only"])
def test_the_v05_file_reads_as_the_same_rows_in_v1_layout(tmp_path, header, preamble):
    rows = _rows()
    assert len({e for _, e, _ in rows}) == 4 and len(rows) > 4000
    texts = isear_texts(shared_path("text"))[:1500]
    v05 = _write(tmp_path / "NRC-AffectIntensity-Lexicon.txt", rows, v05=True, header=header,
                 preamble=preamble)
    v1 = _write(tmp_path / "v1.txt", rows, v05=False)
    names, got = _columns(v05, texts)
    want_names, want = _columns(v1, texts)
    assert names == want_names
    assert {n.split("_")[3] for n in names if n.endswith("_mean")} == set(FOUR)
    assert np.count_nonzero(want) > 1000  # the texts match many words: the point is exercised
    np.testing.assert_array_equal(got, want)  # tolerance: none, the same rows read


def test_the_v05_file_given_as_a_user_lexicon_is_named(tmp_path):
    rows = _rows()
    released = _write(tmp_path / "a.txt", rows, v05=True)
    with pytest.raises(LexiconFormatError,
                       match=r"a.txt, line 37: 'term<TAB>score<TAB>AffectDimension' is the "
                       r"header of NRC Affect Intensity v0.5 .*give the file as "
                       r"\('nrc_intensity', path\)"):
        LexiconFeatures(lexicons=[("user", str(released))]).fit([])
    cut = _write(tmp_path / "b.txt", rows, v05=True, header=False)
    word, emotion, score = rows[0]
    with pytest.raises(LexiconFormatError,
                       match=rf"b.txt, line 1: the second field '{score}' is a number and the "
                       rf"third '{emotion}' is not: the fields are in the order word, score, "
                       r"category .*\('nrc_intensity', path\)"):
        LexiconFeatures(lexicons=[("user", str(cut))]).fit([])

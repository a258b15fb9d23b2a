"""Pooled frame evaluation cuts the unscored utterances as it cuts the scored ones.

Review RA of session 52 (after 495bd99): with ``pool=`` and ``max_frames_per_unit`` /
``max_test_frames_per_unit``, the scored utterances were cut to N evenly spaced frames while
the utterances a label map leaves out (EmoDB's boredom under ``'ekman'``) joined their
speaker's statistics with all their frames, so an utterance's weight in its speaker's
statistics depended on which utterances carry a kept label: EmoDB half-second frames (3745),
leave one speaker out, at most 2 frames a file: UAR 0.652, 0.661 with boredom's frames cut
to 2 beforehand. The definition (a speaker's statistics are over the frames the evaluation
uses of each of its utterances, labelled or not) gives an invariance: cutting the unscored
utterances beforehand with the same rule (``spaced_rows``) changes no prediction and no
pooled probability (compared exactly, tolerance 0).
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from conftest import shared_path
from emofeat.classifiers import evaluate
from emofeat.classifiers.pooling import spaced_rows


@pytest.fixture(scope="module")
def frames():
    """paa frames (level 'lld') of two files of each emotion of EmoDB speakers 03, 08, 09
    (38 files, 3002 frames; boredom 6 files, 474 frames)."""
    import emofeat
    from emofeat.datasets import load_emodb

    man = load_emodb(shared_path("speech", "emodb"))
    man = man[man.speaker.isin(["03", "08", "09"])].groupby(["speaker", "emotion"]).head(2)
    return emofeat.extract(man, "paa", level="lld")


@pytest.mark.parametrize("protocol", ["loso", "trialwise"])
def test_unscored_utterances_weigh_as_the_scored_ones(frames, protocol):
    path = frames.index["path"].astype(str).to_numpy()
    emo = frames.index["emotion"].astype(str).to_numpy()
    codes = np.unique(path, return_inverse=True)[1]
    n = 2
    bored = np.flatnonzero(emo == "boredom")
    assert len(np.unique(path[bored])) == 6 and len(bored) > 6 * n
    cut = frames.select(rows=np.sort(np.concatenate(
        [np.flatnonzero(emo != "boredom"), spaced_rows(bored, codes, n)])))
    kw = dict(standardize="group", label_map="ekman", random_state=0, pool="path",
              max_frames_per_unit=n, max_test_frames_per_unit=n)
    if protocol == "trialwise":
        kw["n_splits"] = 3
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        whole = evaluate(frames, "emotion", "speaker", "svm", protocol, **kw)
        ref = evaluate(cut, "emotion", "speaker", "svm", protocol, **kw)
    a = whole.predictions.set_index("path")
    b = ref.predictions.set_index("path").loc[a.index]
    assert len(a) == 32  # boredom's 6 files are not scored
    assert (a["pred"].astype(str) == b["pred"].astype(str)).all()
    p = [c for c in a.columns if c.startswith("p_")]
    np.testing.assert_array_equal(a[p].to_numpy(float), b[p].to_numpy(float))

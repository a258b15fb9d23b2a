"""``evaluate``'s frame caps (``max_frames_per_unit``, ``max_test_frames_per_unit``) are
checked as its other counts are (``n_repeats``, ``n_splits``: an integer of at least 1,
a ``ValueError`` naming the parameter), on real frames (session 53, helper A).

Before: 2.5 and 2.0 failed inside ``spaced_rows`` with numpy's "'float' object cannot be
interpreted as an integer", ``"2"`` (a value read from a config file) with "'<' not
supported between instances of 'str' and 'int'", neither naming the parameter, and ``True``
ran as a cap of 1 frame (``settings`` said ``True``). Definition: scikit-learn's parameter
validation, which refuses a bool or a float where an int is documented.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from conftest import shared_path
from emofeat.classifiers import evaluate


@pytest.fixture(scope="module")
def frames():
    """``paa`` frames of one EmoDB file of each emotion of speakers 03 and 08 (14 files)."""
    import emofeat
    from emofeat.datasets import load_emodb

    man = load_emodb(shared_path("speech", "emodb"))
    man = man[man.speaker.isin(["03", "08"])].groupby(["speaker", "emotion"]).head(1)
    return emofeat.extract(man, "paa", level="lld")


@pytest.mark.parametrize("name", ["max_frames_per_unit", "max_test_frames_per_unit"])
@pytest.mark.parametrize("value", [2.5, 2.0, "2", True, 0])
def test_a_frame_cap_that_is_no_count_is_refused_naming_it(frames, name, value):
    with pytest.raises(ValueError, match=rf"^{name} must be an integer of at least 1 "
                                         rf"\(or None: every frame\), got {value!r}"):
        evaluate(frames, "emotion", "speaker", "logreg", "loso", pool="path",
                 **{name: value})


def test_integer_caps_of_numpy_run(frames):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = evaluate(frames, "emotion", "speaker", "logreg", "loso", pool="path",
                       max_frames_per_unit=np.int64(3), max_test_frames_per_unit=4)
    n_files = frames.index["path"].nunique()
    assert len(res.predictions) == n_files
    assert (res.predictions["n_frames"] <= 4).all()
    # every training fold: the other speaker's 7 files, 3 frames each
    assert res.settings["mean_train_frames"] == 3 * n_files / 2

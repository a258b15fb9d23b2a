"""A model trained with ``GroupStandardScaler(seen_groups="fit")`` at prediction time (session
54, helper A2, after review RA of 58c51d2).

Such a model stores every training speaker's statistics (``group_stats_``) and ``predict``
standardises the rows of an id seen in training with them, whatever rows of it the table
holds. ``predict``'s small-group warning said of such a speaker that "the model standardises
each speaker with the statistics of its own rows in the table", the opposite of what it does,
and ``train`` said nothing of the stored statistics (another corpus's speaker of the same id
is standardised as the training speaker was: EmoDB speaker 16 renamed ``03``, 16 of 71
predictions differ from a default scaler's). ``evaluate_cross_corpus`` sets such a scaler to
``"own"`` (7d1a4c1) and now says so.

Reference for what the warning may say: the predictions of 3 rows of a speaker seen in
training equal (exactly) those of the same rows predicted with all of that speaker's rows,
so their statistics are not those of the rows in the table; a speaker not seen in training,
and the same rows under a default (``"own"``) model, are still warned of.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from emofeat.classifiers import evaluate_cross_corpus, make_classifier, train


def _fit_model():
    return make_classifier("logreg", standardize="group").set_params(
        group_std__seen_groups="fit")


def _small_group_warnings(model, table):
    with warnings.catch_warnings(record=True) as got:
        warnings.simplefilter("always")
        out = model.predict(table)
    return out, [str(w.message) for w in got if "fewer than 10 rows" in str(w.message)]


@pytest.fixture(scope="module")
def split_emodb(emodb_mfcc):
    spk = emodb_mfcc.index["speaker"].astype(str).to_numpy()
    return emodb_mfcc, spk


def test_train_warns_and_predict_leaves_ids_with_stored_statistics_out(split_emodb):
    table, spk = split_emodb
    train_t = table.select(rows=spk != "16")
    with pytest.warns(UserWarning, match=r"seen_groups='fit': it keeps each training "
                                         r"speaker's statistics"):
        fit = train(train_t, "emotion", groups="speaker", model=_fit_model())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        own = train(train_t, "emotion", groups="speaker",
                    model=make_classifier("logreg", standardize="group"))
    # the default scaler keeps no statistics of its own and does not warn at training
    with warnings.catch_warnings(record=True) as got:
        warnings.simplefilter("always")
        train(train_t, "emotion", groups="speaker",
              model=make_classifier("logreg", standardize="group"))
    assert not [w for w in got if "seen_groups" in str(w.message)]

    of03 = np.flatnonzero(spk == "03")
    three = table.select(rows=np.r_[of03[:3], np.flatnonzero(spk == "16")[:3]])
    whole03 = table.select(rows=of03)
    # speaker 03 seen in training: its 3 rows are predicted as with all of its 49 rows
    # (exact), so their statistics are not those of the rows in the table
    p3, said = _small_group_warnings(fit, three)
    pw, _ = _small_group_warnings(fit, whole03)
    assert (p3["pred"].to_numpy()[:3] == pw["pred"].to_numpy()[:3]).all()
    # ... and the warning names only speaker 16, not seen in training, whose 3 rows set its
    # statistics (before: "'03': 3 rows" too, "standardises each speaker with the statistics
    # of its own rows in the table")
    assert len(said) == 1, said
    assert "'16': 3 rows" in said[0] and "'03'" not in said[0], said[0]
    # control: the default model standardises 03 with its 3 rows, and says so
    po, said_own = _small_group_warnings(own, three)
    assert len(said_own) == 1 and "'03': 3 rows" in said_own[0], said_own
    po_w, _ = _small_group_warnings(own, whole03)
    # ... and its 3 rows' predictions depend on the rows predicted with them (1 of 3 here),
    # so the equality above can tell stored statistics from the rows' own
    assert (po["pred"].to_numpy()[:3] != po_w["pred"].to_numpy()[:3]).any()


def test_cross_corpus_says_it_sets_seen_groups_own(split_emodb):
    table, spk = split_emodb
    # two speakers a table keep the run quick; the second table's ids renamed as the first's
    first, second = np.isin(spk, ["03", "08"]), np.isin(spk, ["09", "10"])
    train_t, test_t = table.select(rows=first), table.select(rows=second)
    test_t.index = test_t.index.copy()
    test_t.index["speaker"] = test_t.index["speaker"].astype(str).map(
        {"09": "03", "10": "08"}).to_numpy()
    for model, expected in ((_fit_model(), 1),
                            (make_classifier("logreg", standardize="group"), 0)):
        with warnings.catch_warnings(record=True) as got:
            warnings.simplefilter("always")
            evaluate_cross_corpus(train_t, test_t, "emotion", groups="speaker", model=model,
                                  label_map="4class")
        said = [str(w.message) for w in got if "seen_groups='fit'" in str(w.message)]
        assert len(said) == expected, said
        if expected:
            assert "test table's speakers with their own statistics" in said[0]

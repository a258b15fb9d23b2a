"""``evaluate``, ``evaluate_cross_corpus`` and ``train`` refuse a ``random_state`` that
scikit-learn's estimators refuse, before any fit and naming it (session 53, helper A), on
EmoDB's ``mfcc`` functionals of speakers 03, 08 and 09.

Before: ``'a'`` and ``2.5`` failed in numpy's seeding ("SeedSequence expects int or sequence
of ints for entropy"), ``-1`` with "expected non-negative integer", and ``train(...,
model='xgb')`` inside XGBoost ("Invalid Parameter format for seed"), none naming the
parameter; ``emofeat evaluate --seed -1`` said only numpy's words. Definition:
scikit-learn's ``random_state``, "an int in the range [0, 4294967295], an instance of
RandomState or None"; those keep running. ``True`` is refused though scikit-learn's
estimators take it as 1 (a bool is a flag, not a seed: it ran silently as seed 1 here); a
``numpy.random.Generator``, which scikit-learn's models refuse too, is refused by name.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from conftest import shared_path
from emofeat.classifiers import evaluate, evaluate_cross_corpus, train

SAID = r"random_state must be None, an integer from 0 to 4294967295 or a numpy\.random\."


@pytest.fixture(scope="module")
def table():
    import emofeat
    from emofeat.datasets import load_emodb

    man = load_emodb(shared_path("speech", "emodb"))
    return emofeat.extract(man[man.speaker.isin(["03", "08", "09"])], "mfcc")


@pytest.mark.parametrize("seed", ["a", 2.5, -1, 2**32, True])
def test_a_seed_scikit_learn_refuses_is_refused_naming_it(table, seed):
    sp = table.index["speaker"].astype(str).to_numpy()
    a, b = (table.select(rows=np.flatnonzero(m)) for m in (sp != "03", sp == "03"))
    calls = (lambda: evaluate(table, "emotion", "speaker", "logreg", random_state=seed),
             lambda: evaluate_cross_corpus(a, b, "emotion", model="logreg",
                                           random_state=seed),
             lambda: train(table, "emotion", model="xgb", random_state=seed))
    for call in calls:
        with pytest.raises(ValueError, match=SAID + rf".*got {seed!r}$"):
            call()


@pytest.mark.parametrize("seed", [None, np.int64(3), 2**32 - 1, "state"])
def test_the_seeds_scikit_learn_takes_run(table, seed):
    if seed == "state":
        seed = np.random.RandomState(0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = evaluate(table, "emotion", "speaker", "rf", "group_kfold", n_splits=3,
                       random_state=seed)
    assert len(res.predictions) == len(table)


def test_the_command_names_its_option(table, tmp_path, capsys):
    from emofeat.cli import EXIT_OK, main

    path = tmp_path / "emodb.parquet"
    table.to_parquet(path)
    assert main(["evaluate", str(path), "--target", "emotion", "--groups", "speaker",
                 "--seed", "-1", "-q"]) != EXIT_OK
    err = capsys.readouterr().err
    assert "--seed must be an integer from 0 to 4294967295" in err and "got -1" in err

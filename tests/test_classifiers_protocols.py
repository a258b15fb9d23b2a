"""Protocols never put one group (or trial) on both sides of a fold: a property test."""

from __future__ import annotations

from contextlib import nullcontext

import numpy as np
import pytest
from emofeat.classifiers.protocols import ProtocolError, split
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st


@st.composite
def groupings(draw):
    n = draw(st.integers(20, 80))
    n_groups = draw(st.integers(2, 8))
    groups = np.array(draw(st.lists(st.integers(0, n_groups - 1), min_size=n, max_size=n)))
    trials = np.array(draw(st.lists(st.integers(0, 5), min_size=n, max_size=n)))
    y = np.array(draw(st.lists(st.sampled_from("abc"), min_size=n, max_size=n)))
    n_splits = draw(st.integers(2, 4))
    seed = draw(st.integers(0, 1000))
    return y, groups.astype(str), trials.astype(str), n_splits, seed


@pytest.mark.parametrize("protocol", ["loso", "group_kfold", "trialwise", "subject_dependent"])
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=groupings())
def test_no_group_or_trial_on_both_sides(protocol, data):
    y, g, t, k, seed = data
    # trials are nested in subjects (trial "3" of subject 1 is not trial "3" of subject 2)
    trial_ids = np.char.add(np.char.add(g, ":"), t)
    try:
        folds = list(split(protocol, y, g, trial_ids if protocol in ("trialwise",
                                                                    "subject_dependent") else None,
                           n_splits=k, random_state=seed))
    except ProtocolError:
        return  # too few groups/trials for this draw: refused with a clear error
    tested = np.zeros(len(y), dtype=int)
    for f in folds:
        assert len(np.intersect1d(f.train, f.test)) == 0
        tested[f.test] += 1
        if protocol in ("loso", "group_kfold"):
            assert not set(g[f.train]) & set(g[f.test])
        if protocol in ("trialwise", "subject_dependent"):
            assert not set(trial_ids[f.train]) & set(trial_ids[f.test])
        if protocol == "subject_dependent":
            assert set(g[f.train]) == set(g[f.test]) == {f.subject}
    if protocol == "subject_dependent":
        assert (tested == 1).all()
    else:
        assert (tested == 1).all()  # every row tested exactly once


def test_loso_one_fold_per_group():
    g = np.repeat(["a", "b", "c"], 4)
    folds = list(split("loso", None, g))
    assert len(folds) == 3
    assert [sorted(set(g[f.test])) for f in folds] == [["a"], ["b"], ["c"]]


def test_too_few_groups_is_a_clear_error():
    with pytest.raises(ProtocolError, match="at least 2 groups"):
        list(split("loso", None, np.zeros(10)))
    with pytest.raises(ProtocolError, match="5-fold splitting needs at least 5"):
        list(split("group_kfold", np.array(list("ab") * 5), np.repeat(["a", "b", "c"], [4, 3, 3]),
                   n_splits=5))
    with pytest.raises(ProtocolError, match="needs trials=") as err:
        list(split("trialwise", np.array(list("ab")), None, None))
    # the API's spelling alone (both were given at once: "trials='path', emofeat evaluate
    # --trials path"); the command's is tested in test_eeg_journey
    assert "trials='path')" in str(err.value) and "--trials" not in str(err.value)
    with pytest.raises(ProtocolError, match="unknown protocol"):
        list(split("random", None, np.zeros(4)))


def test_subject_dependent_refuses_a_training_fold_of_one_class():
    """A subject with one row of a class left a training split with a single class, and the
    estimator failed with "The number of classes has to be greater than one" naming nobody."""
    from _classifier_data import make_table
    from emofeat.classifiers import evaluate

    t = make_table(n_speakers=3, per_class=6, n_features=6, emotions=("high", "low"))
    sp, em = t.index.speaker.to_numpy(), t.index.emotion.to_numpy()
    lone = np.flatnonzero((sp == "01") & (em == "low"))[1:]  # subject 01 keeps one "low"
    t = t.select(rows=np.setdiff1d(np.arange(len(t)), lone))
    counts = dict(zip(*np.unique(t.index.emotion[t.index.speaker == "01"],
                                 return_counts=True), strict=True))
    shown = "{" + ", ".join(f"'{k}': {v}" for k, v in counts.items()) + "}"
    with pytest.raises(ProtocolError, match=f"subject '01' has the class counts {shown}"):
        list(split("subject_dependent", t.index.emotion.to_numpy(), t.index.speaker.to_numpy()))
    with pytest.raises(ProtocolError, match="subject '01'"):
        evaluate(t, "emotion", "speaker", "logreg", protocol="subject_dependent")


@pytest.mark.parametrize("trials", [None, "path"])
@pytest.mark.parametrize("corpus", ["ravdess", "emodb"])
def test_subject_dependent_folds_are_stratified_with_rare_classes(corpus, trials, request):
    """Every RAVDESS actor has 4 neutral files and most EmoDB speakers have a class of fewer
    than 5 files: such subjects got unstratified 5-fold over rows (or trials: the files of a
    pooled frame table, or trials=), so the docs' "stratified k-fold inside each subject"
    held for 3 of 34 speakers, and a class could be missing from a training fold where the
    subject has it. Stratified as sklearn's StratifiedKFold (StratifiedGroupKFold over
    trials) does: each class's test count per fold is the floor or ceiling of its count / k."""
    from emofeat.datasets import load_emodb, load_ravdess

    loader = load_ravdess if corpus == "ravdess" else load_emodb
    manifest = loader(request.getfixturevalue(f"{corpus}_dir"))
    y, g = manifest["emotion"].to_numpy(), manifest["speaker"].astype(str).to_numpy()
    t = None if trials is None else manifest[trials].to_numpy()
    folds = list(split("subject_dependent", y, g, t, n_splits=5, random_state=0))
    assert len(folds) == 5 * len(np.unique(g))
    for f in folds:
        rows = np.flatnonzero(g == f.subject)
        for cls in np.unique(y[rows]):
            n_c = int((y[rows] == cls).sum())
            in_test = int((y[f.test] == cls).sum())
            assert n_c // 5 <= in_test <= -(-n_c // 5), (f.subject, cls, n_c, in_test)
            if n_c >= 2:  # a class of 2 or more rows is in every training fold
                assert (y[f.train] == cls).any(), (f.subject, cls)


def test_subject_dependent_figure_equals_stratified_kfold_per_speaker(emodb_dir):
    """The subject-dependent UAR on real EmoDB features is the mean over speakers of each
    speaker's UAR under sklearn's StratifiedKFold(5, shuffle=True, random_state=0) with the
    same pipeline (reference: cross_val_predict + balanced_accuracy_score, to 1e-12). Before
    the fix 7 of the 10 speakers got unstratified folds: UAR 0.513 against 0.550."""
    from emofeat.classifiers import evaluate, make_classifier
    from sklearn.metrics import balanced_accuracy_score
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    import emofeat
    from emofeat.datasets import load_emodb

    table = emofeat.extract(load_emodb(emodb_dir), "mfcc")
    res = evaluate(table, "emotion", "speaker", "svm", "subject_dependent", n_splits=5)
    y = table.index["emotion"].to_numpy()
    g = table.index["speaker"].astype(str).to_numpy()
    per_speaker = []
    for spk in np.unique(g):
        m = g == spk
        with pytest.warns(UserWarning, match="least populated class") if (
                np.unique(y[m], return_counts=True)[1].min() < 5) else nullcontext():
            pred = cross_val_predict(make_classifier("svm"), table.X[m], y[m],
                                     cv=StratifiedKFold(5, shuffle=True, random_state=0))
        per_speaker.append(balanced_accuracy_score(y[m], pred))
    assert res.per_group["uar"].to_numpy() == pytest.approx(per_speaker, abs=1e-12)
    assert res.uar == pytest.approx(np.mean(per_speaker), abs=1e-12)


def test_split_takes_mixed_type_ids_and_refuses_missing_ones(emodb_dir):
    """split() is public: EmoDB speakers written partly as ints, partly as strings (a
    hand-built column) raised a bare TypeError from sorting; a NaN speaker raised sklearn's
    'Input groups contains NaN' (loso), became a group of its own (group_kfold) or 'subject
    nan has 0 trial(s)' (subject_dependent). Mixed ids are compared as text, as evaluate()
    reads them; missing ids are a ProtocolError naming the parameter and the rows."""
    from emofeat.datasets import load_emodb

    manifest = load_emodb(emodb_dir)
    y = manifest["emotion"].to_numpy()
    text = np.array([s.lstrip("0") for s in manifest["speaker"].astype(str)])  # "3", "10"
    mixed = np.array([int(s) if i % 2 else s for i, s in enumerate(text)], dtype=object)
    trials = manifest["path"].to_numpy()
    for protocol in ("loso", "group_kfold", "subject_dependent", "trialwise"):
        want = [(f.train.tolist(), f.test.tolist()) for f in split(protocol, y, text, trials)]
        got = [(f.train.tolist(), f.test.tolist()) for f in split(protocol, y, mixed, trials)]
        assert got == want, protocol
    holes = manifest["speaker"].astype(float).to_numpy().copy()
    holes[[3, 40]] = np.nan
    for protocol in ("loso", "group_kfold", "subject_dependent"):
        with pytest.raises(ProtocolError, match=r"groups is missing \(None/NaN\) for 2 of 535 "
                                                r"rows \(rows 3, 40\)"):
            list(split(protocol, y, holes))
    paths = manifest["path"].to_numpy(dtype=object).copy()
    paths[7] = None
    with pytest.raises(ProtocolError, match=r"trials is missing .* \(rows 7\)"):
        list(split("trialwise", y, text, paths))


def test_group_kfold_seed_only_breaks_ties_as_documented(emodb_dir, ravdess_dir):
    """docs/classifiers.md: stratified group k-fold (sklearn's StratifiedGroupKFold) uses the
    seed only to order groups of equal class balance, so EmoDB's 10 speakers, all different,
    get the same 5 folds for seeds 0-19, and RAVDESS's 24 actors, of one design, 20
    partitions."""
    from emofeat.datasets import load_emodb, load_ravdess

    for loader, folder, expected in ((load_emodb, emodb_dir, 1),
                                     (load_ravdess, ravdess_dir, 20)):
        m = loader(folder)
        y, g = m["emotion"].to_numpy(), m["speaker"].astype(str).to_numpy()
        partitions = {tuple(sorted(tuple(sorted(set(g[f.test])))
                                   for f in split("group_kfold", y, g, n_splits=5,
                                                  random_state=seed)))
                      for seed in range(20)}
        assert len(partitions) == expected, loader.__name__


@pytest.mark.parametrize("protocol", ["group_kfold", "trialwise"])
def test_kfold_stratified_when_a_class_spans_fewer_groups_than_folds(emodb_dir, protocol):
    """A class recorded by 2 of EmoDB's 10 speakers (each emotion in turn, the other
    speakers' rows of it dropped), 5 folds of whole speakers, seeds 0-9: the unstratified
    GroupKFold, used whenever a class spanned fewer groups than folds, put both speakers of
    the class in one test fold on 7 of the 70 splits, whose model never saw the class. The
    folds are stratified now: every tested class is in the fold's training rows."""
    from emofeat.datasets import load_emodb

    m = load_emodb(emodb_dir)
    y, g = m["emotion"].to_numpy().astype(str), m["speaker"].astype(str).to_numpy()
    unseen = []
    for cls in np.unique(y):
        keep = (y != cls) | np.isin(g, sorted(set(g[y == cls]))[:2])
        yk, gk = y[keep], g[keep]
        for seed in range(10):
            # trialwise: every speaker's rows one trial, so the units are the speakers
            folds = list(split(protocol, yk, *((gk,) if protocol == "group_kfold"
                                                else (None, gk)),
                               n_splits=5, random_state=seed))
            tested = np.zeros(len(yk), dtype=int)
            for f in folds:
                assert not set(gk[f.train]) & set(gk[f.test])
                tested[f.test] += 1
                unseen += [(cls, seed)] * len(set(yk[f.test]) - set(yk[f.train]))
            assert (tested == 1).all()
    assert unseen == []


@pytest.mark.parametrize("shuffle", [False, True])
def test_kfold_where_stratified_splitting_cannot(shuffle):
    """Where sklearn's StratifiedGroupKFold refuses (every class has fewer rows than folds)
    or leaves a fold without a group (a greedy assignment, found by search), the folds are
    GroupKFold's: every row tested once, groups whole, no fold empty."""
    cases = [
        (np.array(list("abcde")), np.arange(5).astype(str), 5),  # one row per class
        (np.array([1, 1, 1, 1, 2, 2, 0, 0, 2, 1, 0, 1, 1]).astype(str),
         np.array([0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 3, 3, 3]).astype(str), 4),
    ]
    for y, g, k in cases:
        folds = list(split("group_kfold", y, g, n_splits=k, shuffle=shuffle))
        assert len(folds) == k and all(len(f.test) for f in folds)
        tested = np.zeros(len(y), dtype=int)
        for f in folds:
            assert not set(g[f.train]) & set(g[f.test])
            tested[f.test] += 1
        assert (tested == 1).all()


class _RecordingClassifier:
    """Remembers the rows (feature 0 holds the row number) of every fit, for the folds of a
    nested search; predicts its first class."""

    fits: list[np.ndarray] = []

    def __init__(self, C=1.0):
        self.C = C

    def get_params(self, deep=True):
        return {"C": self.C}

    def set_params(self, **params):
        self.C = params.get("C", self.C)
        return self

    def fit(self, X, y):
        _RecordingClassifier.fits.append(X[:, 0].astype(int))
        self.classes_ = np.unique(y)
        return self

    def predict(self, X):
        return np.full(len(X), self.classes_[0])


def _inner_training_rows(y, units, fold_rows, seed):
    """The training rows of every inner fold of a nested search on the rows ``fold_rows``."""
    from emofeat.classifiers.fitting import nested_search

    _RecordingClassifier.fits = []
    X = np.asarray(fold_rows, dtype=float)[:, None]
    nested_search(_RecordingClassifier(), {"C": [1.0]}, X, y[fold_rows], units[fold_rows],
                  units[fold_rows], "classification", 3, seed)
    return _RecordingClassifier.fits


@pytest.mark.parametrize("seed", range(5))
def test_nested_search_inner_folds_are_stratified_groups_whole(emodb_dir, seed):
    """The inner folds of the nested search (param_grid=) were an unstratified GroupKFold
    while the outer k-fold protocols stratify: on real EmoDB labels it made inner parts
    without a class where the units allowed one.

    * gender by speaker (five speakers of each, leave one speaker out, 3 inner folds of 3
      speakers): 85 of 600 inner test parts (seeds 0-19) held one gender, so the search
      scored a grid point on the recall of one class;
    * emotions inside a speaker (subject_dependent, inner units are rows): 12 of 150 inner
      training parts at seed 0 (178 of 3000 over seeds 0-19) missed a class that had 2 or
      more rows in the outer training part.

    Now both are stratified as the outer folds are; units stay whole."""
    from emofeat.classifiers.evaluation import inner_units

    from emofeat.datasets import load_emodb

    manifest = load_emodb(emodb_dir)
    spk = manifest.speaker.astype(str).to_numpy()
    gender = manifest.gender.astype(str).to_numpy()
    for fold in split("loso", gender, spk, random_state=seed):
        rows = fold.train
        fits = _inner_training_rows(gender, spk, rows, seed)
        assert len(fits) == 3  # none left out for training on one class
        for fit in fits:
            test = np.setdiff1d(rows, fit)
            assert not set(spk[fit]) & set(spk[test])  # speakers whole
            assert set(gender[fit]) == set(gender[test]) == set(gender[rows])
    emotion = manifest.emotion.astype(str).to_numpy()
    units = inner_units("subject_dependent", spk, None)
    for fold in split("subject_dependent", emotion, spk, n_splits=5, random_state=seed):
        rows = fold.train
        classes, counts = np.unique(emotion[rows], return_counts=True)
        fits = _inner_training_rows(emotion, units, rows, seed)
        assert len(fits) == 3
        for fit in fits:
            assert set(classes[counts >= 2]) <= set(emotion[fit]), fold.subject


def test_inner_folds_deterministic_and_unstratified_for_regression():
    """Same seed, same inner folds; a regression target (y None) keeps the shuffled
    GroupKFold it had, so regression searches choose as before."""
    from emofeat.classifiers.protocols import inner_folds
    from sklearn.model_selection import GroupKFold

    rng = np.random.default_rng(0)
    units = rng.choice(list("abcdefghij"), 200)
    y = rng.choice(["x", "y", "z"], 200)
    one = inner_folds(y, units, 3, 7)
    again = inner_folds(y, units, 3, 7)
    for (tr, te), (tr1, te1) in zip(one, again, strict=True):
        assert (tr == tr1).all() and (te == te1).all()
    plain = GroupKFold(n_splits=3, shuffle=True, random_state=7).split(units, None, units)
    for (tr, te), (tr0, te0) in zip(inner_folds(None, units, 3, 7), plain, strict=True):
        assert (tr == tr0).all() and (te == te0).all()


@pytest.mark.parametrize("seed", range(5))
def test_inner_folds_leave_the_warning_filters_alone(emodb_dir, seed, monkeypatch):
    """Regression: the k-fold splitting wrapped scikit-learn's StratifiedGroupKFold in
    ``warnings.catch_warnings`` to hide its warning of a class with fewer rows than folds:
    that swaps process-wide state, and a nested search runs it in each fold's worker
    threads (fit_folds' joblib Parallel), where one thread's filters replace another's. Now
    the class counts are checked first and no filter is touched (catch_warnings made to
    fail), none of the splitter's warnings escapes, and the folds are scikit-learn's own
    (its warning filtered here, in the test) on real EmoDB labels with such a class:
    emotions inside each speaker (subject_dependent's inner units, rows), gender and
    emotion by speaker, 3 and 5 folds."""
    import warnings

    from emofeat.classifiers import protocols
    from emofeat.classifiers.evaluation import inner_units
    from emofeat.classifiers.protocols import inner_folds
    from sklearn.model_selection import StratifiedGroupKFold

    from emofeat.datasets import load_emodb

    manifest = load_emodb(emodb_dir)
    spk = manifest.speaker.astype(str).to_numpy()
    emotion = manifest.emotion.astype(str).to_numpy()
    gender = manifest.gender.astype(str).to_numpy()
    rows_units = inner_units("subject_dependent", spk, None)
    cases = [(emotion[f.train], rows_units[f.train]) for f in
             split("subject_dependent", emotion, spk, n_splits=5, random_state=seed)]
    cases += [(y[f.train], spk[f.train]) for y in (gender, emotion)
              for f in split("loso", y, spk, random_state=seed)]
    want = {}
    for i, (y, units) in enumerate(cases):
        for k in (3, 5):
            with warnings.catch_warnings():
                warnings.filterwarnings("ignore", "The least populated class", UserWarning)
                want[i, k] = list(StratifiedGroupKFold(k, shuffle=True, random_state=seed)
                                  .split(units, y, units))

    class Untouched:  # protocols' warnings module, but for the filters
        def __getattr__(self, name):
            if name in ("catch_warnings", "filterwarnings", "simplefilter"):
                raise AssertionError(f"warnings.{name} used while splitting")
            return getattr(warnings, name)

    monkeypatch.setattr(protocols, "warnings", Untouched())
    short = 0
    for i, (y, units) in enumerate(cases):
        for k in (3, 5):
            short += int(np.unique(y, return_counts=True)[1].min() < k)
            with warnings.catch_warnings(record=True) as said:
                warnings.simplefilter("always")
                got = inner_folds(y, units, k, seed)
            assert said == []
            assert len(got) == len(want[i, k])
            for (tr, te), (tr0, te0) in zip(got, want[i, k], strict=True):
                np.testing.assert_array_equal(tr, tr0)
                np.testing.assert_array_equal(te, te0)
    assert short > 10  # the splitter would have warned on these

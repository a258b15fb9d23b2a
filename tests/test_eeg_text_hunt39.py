"""EEG and text sets on real recordings and texts (bug hunt, session 39): each test
reproduces a defect and fails on the code before its fix."""

from __future__ import annotations

import re
import warnings

import numpy as np
import pytest
from conftest import shared_path
from emofeat.extractors.eeg_sets import EEGBandPower, EEGSpectral

from emofeat.readers import EEGChannelWarning
from emofeat.runner import run

MUSE = ("TP9", "AF7", "AF8", "TP10")


def _muse(name: str = "subjecta-neutral-1.csv", seconds: float = 8.0):
    import pandas as pd

    df = pd.read_csv(shared_path("eeg", "muse_mental_state", name))
    return np.ascontiguousarray(df[list(MUSE)].to_numpy(float).T[:, :int(seconds * 256)])


def test_spectral_edge_columns_name_their_fraction():
    # an edge was named by its percentage rounded to one decimal: 0.9996 was 'sef100' (read
    # as the edge of all the power), 0.0004 'sef0', and 0.0004 beside 0.0003 was refused as
    # edges that are not distinct
    mne = pytest.importorskip("mne")
    x = _muse()
    edges = (0.0003, 0.0004, 0.5, 0.955, 0.9996)
    ext = EEGSpectral(fmin=0.0, fmax=128.0, edges=edges, sfreq=256.0, ch_names=MUSE)
    X = ext.fit_transform([(x, 256.0, MUSE)])[0]
    names = list(ext.get_feature_names_out())
    want = ["sef0p03", "sef0p04", "sef50", "sef95p5", "sef99p96"]
    assert names == [f"eeg_spectral_{k}_{c}" for k in ["entropy", *want] for c in MUSE]
    # each column is the edge it names: the reference's PSD (1 s Hamming segments, 50 %)
    psd, freqs = mne.time_frequency.psd_array_welch(x, 256.0, n_fft=256, n_per_seg=256,
                                                    n_overlap=128, verbose="error")
    c = np.cumsum(psd, axis=-1)
    for k, e in zip(want, edges, strict=True):
        ref = freqs[np.argmax(c >= e * c[:, -1:], axis=-1)]
        got = X[[names.index(f"eeg_spectral_{k}_{ch}") for ch in MUSE]]
        np.testing.assert_array_equal(got, ref)
    # the 99.96 % edge is not the edge of all the power (what 'sef100' says)
    top = freqs[np.argmax(c >= c[:, -1:], axis=-1)]
    assert (X[[names.index(f"eeg_spectral_sef99p96_{ch}") for ch in MUSE]] < top).all()


def test_a_nan_sample_is_said_to_spoil_the_windows_that_hold_it_only():
    # the reader's warning said "its features are NaN" of a channel whose features were NaN
    # in the one window of 19 holding its NaN sample, finite in the other 18
    x = _muse(seconds=20.0)
    x[2, 100] = np.nan
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        table = run([(x, 256.0, MUSE)], [EEGBandPower(sfreq=256.0, ch_names=MUSE)],
                    segment=2.0, hop=1.0).table
    said = [str(w.message) for w in caught if issubclass(w.category, EEGChannelWarning)]
    assert said == ["<array 0>: NaN or infinite samples in channel AF8: its features are NaN in "
                    "each window that holds one (the whole signal, when it is not cut into "
                    "windows)"]
    X = np.asarray(table.X)
    af8 = [k for k, n in enumerate(table.feature_names) if n.endswith("_AF8")]
    assert np.isnan(X[0, af8]).all() and np.isfinite(X[1:, af8]).all()
    # the windows without the sample are those of the recording without it
    clean = _muse(seconds=20.0)
    ref = np.asarray(run([(clean, 256.0, MUSE)], [EEGBandPower(sfreq=256.0, ch_names=MUSE)],
                         segment=2.0, hop=1.0).table.X)
    np.testing.assert_array_equal(X[1:], ref[1:])


def test_a_lexicon_file_edited_after_use_is_read_again_by_a_fit_and_a_run(tmp_path):
    # the set kept the featurizer it first built: a refit after the user lexicon was edited,
    # and a run, used the old entries ('sad' still a joy word, no sadness column), and the
    # run's provenance recorded the SHA-256 of the edited file beside those numbers
    import hashlib
    import json

    import pyarrow.parquet as pq
    from emofeat.extractors import LexiconFeatures

    lex = tmp_path / "mine.tsv"
    lex.write_text("happy\tjoy\t1\nsad\tjoy\t1\n", encoding="utf-8")
    ext = LexiconFeatures(lexicons=[("user", str(lex), "mine")], style=False)
    texts = ["happy sad", "so sad"]
    assert list(ext.fit(texts).get_feature_names_out()) == ["lexicon_mine_joy",
                                                           "lexicon_mine_n_matched"]
    np.testing.assert_array_equal(ext.transform(texts), [[1.0, 1.0], [0.5, 0.5]])
    lex.write_text("happy\tjoy\t1\nsad\tsadness\t1\n", encoding="utf-8")
    fresh = LexiconFeatures(lexicons=[("user", str(lex), "mine")], style=False)
    want = fresh.fit_transform(texts)
    assert list(fresh.get_feature_names_out()) == ["lexicon_mine_joy", "lexicon_mine_sadness",
                                                   "lexicon_mine_n_matched"]
    np.testing.assert_array_equal(ext.fit_transform(texts), want)
    assert list(ext.get_feature_names_out()) == list(fresh.get_feature_names_out())
    # a run with the set used before the edit: the numbers of the file it records
    lex.write_text("happy\tjoy\t1\n", encoding="utf-8")
    used = LexiconFeatures(lexicons=[("user", str(lex), "mine")], style=False)
    used.fit_transform(texts)
    lex.write_text("happy\tjoy\t1\nsad\tsadness\t1\n", encoding="utf-8")
    out = tmp_path / "out.parquet"
    run(texts, [used], output=out)
    table = pq.read_table(out)
    assert table.column_names == ["text", *fresh.get_feature_names_out()]
    got = np.column_stack([table.column(n).to_numpy() for n in table.column_names[1:]])
    np.testing.assert_array_equal(got, want)
    meta = json.loads(table.schema.metadata[b"emofeat"])
    files = meta["provenance"]["sets"][0]["files"]
    assert files == {str(lex): hashlib.sha256(lex.read_bytes()).hexdigest()}


@pytest.mark.parametrize("score", ["0,8", "0.8x", "1O", ""])
def test_a_mistyped_score_on_a_lexicons_first_line_is_refused_not_taken_for_a_header(
        tmp_path, score):
    # the first line of a user (or NRC Intensity) file whose score was not a number was
    # skipped as a header: 'happy' (decimal comma 0,8) was dropped and matched nothing
    from emofeat.extractors import LexiconFeatures
    from emofeat.extractors._lexicons import LexiconFormatError

    lex = tmp_path / "mine.tsv"
    lex.write_text(f"happy\tjoy\t{score}\nsad\tsadness\t0.3\n", encoding="utf-8")
    for kind in ("user", "nrc_intensity"):
        with pytest.raises(LexiconFormatError,
                           match=rf"mine.tsv, line 1: score '{score}' is not a number"):
            LexiconFeatures(lexicons=[(kind, str(lex))]).fit([])
    # a header names its score column, and is skipped
    lex.write_text("word\tcategory\tscore (0-1)\nhappy\tjoy\t0.8\n", encoding="utf-8")
    ext = LexiconFeatures(lexicons=[("user", str(lex), "mine")], style=False)
    X = ext.fit_transform(["happy"])
    assert X[0, list(ext.get_feature_names_out()).index("lexicon_mine_joy_mean")] == 0.8


def test_projectors_not_applied_to_a_raw_are_named(tmp_path):
    # a Raw with an average reference set as a projector (set_eeg_reference(projection=True),
    # MNE's sample data carries one) was read as stored, without a word, while the Epochs made
    # from it apply it: band powers of the same windows up to 12,000 times apart
    from emofeat.eeg_input import EEGReadWarning, read_recording

    mne = pytest.importorskip("mne")
    raw = mne.io.read_raw(shared_path("eeg", "mne_testdata", "test.vhdr"), preload=True,
                          verbose="error")
    raw.set_eeg_reference("average", projection=True, verbose="error")
    epochs = mne.make_fixed_length_epochs(raw, duration=2.0, preload=True, verbose="error")
    said = ("projector 'Average EEG reference' is not applied: its features are of the data "
            "as stored, not as MNE gives Epochs (proj=True applies them); call apply_proj() "
            "first to analyse the projected data, or del_proj() to drop them")
    path = tmp_path / "avg_raw.fif"
    raw.save(path, verbose="error")
    for item, name in ((raw, str(shared_path("eeg", "mne_testdata", "test.vhdr"))),
                       (str(path), str(path))):
        with pytest.warns(EEGReadWarning) as record:
            stored = EEGBandPower().fit_transform([item])
        assert [str(w.message) for w in record if w.category is EEGReadWarning] == [
            f"{name}: {said}"]
        with pytest.warns(EEGReadWarning, match="is not applied"):
            read_recording(item if isinstance(item, str) else str(path))
    with warnings.catch_warnings():
        warnings.simplefilter("error", EEGReadWarning)
        # applied (the Epochs), or the Raw once applied: no warning, the same numbers
        by_epochs = EEGBandPower().fit_transform([epochs])
        applied = raw.copy().apply_proj(verbose="error").crop(0, 2.0 - 1 / 1000)
        np.testing.assert_allclose(EEGBandPower().fit_transform([applied])[0], by_epochs[0],
                                   rtol=1e-9)
    assert not np.allclose(stored, EEGBandPower().fit_transform([raw.copy().apply_proj(
        verbose="error")]), rtol=1e-3)
    # Epochs made with proj=False hold them unapplied too: the warning says so, not that
    # MNE would apply them to Epochs (it read 'not as MNE gives Epochs' of an Epochs)
    unapplied = mne.make_fixed_length_epochs(raw, duration=2.0, preload=True, proj=False,
                                             verbose="error")
    with pytest.warns(EEGReadWarning) as record:
        EEGBandPower().fit_transform([unapplied])
    said = [str(w.message) for w in record if w.category is EEGReadWarning]
    assert len(said) == 1 and "as these Epochs were made (proj=False or 'delayed')" in said[0]
    assert "not as MNE gives Epochs" not in said[0]


def test_epoch_rows_count_time_from_the_epochs_first_sample_as_documented():
    # docs/eeg.md: an Epochs' rows count start/end from each epoch's first sample, not on
    # MNE's epoch time axis (tmin); the half second before the events is the window 0-0.5 s
    from emofeat.extractors.eeg_sets import EEGHjorth

    mne = pytest.importorskip("mne")
    raw = mne.io.read_raw(shared_path("eeg", "mne_testdata", "test.vhdr"), preload=True,
                          verbose="error")
    events = mne.make_fixed_length_events(raw, duration=2.0)
    epochs = mne.Epochs(raw, events, tmin=-0.5, tmax=1.0, baseline=None, preload=True,
                        verbose="error")
    whole = run([epochs], [EEGHjorth()]).table.index
    assert (whole["start"] == 0.0).all() and np.allclose(whole["end"], 1.501)
    table = run([epochs], [EEGHjorth()], segment=0.5, hop=0.5).table
    first = table.index.iloc[0]
    assert (first["start"], first["end"], first["epoch"]) == (0.0, 0.5, 0)
    pre = epochs.copy().crop(tmin=-0.5, tmax=-0.001)  # the 500 samples before the event
    np.testing.assert_allclose(np.asarray(table.X)[0], EEGHjorth().fit_transform([pre])[0],
                               rtol=1e-9)


def test_an_estimate_below_the_nominal_rate_moves_every_band_by_a_bin_as_documented():
    # docs/eeg.md: a CSV analysed at its estimated rate (255.967 Hz) puts each edge's bin
    # just under the edge, in the band below; sfreq=256 analyses it at the nominal rate
    from emofeat.extractors import eeg as E

    from emofeat.eeg_input import read_recording

    rec = read_recording(shared_path("eeg", "muse_mental_state", "subjectc-neutral-2.csv"))
    assert 255.9 < float(rec.sfreq) < 256.0
    freqs = np.fft.rfftfreq(256, 1 / float(rec.sfreq))
    assert 3.999 < freqs[4] < 4.0  # the 4 Hz bin, in delta
    lo, hi = E.band_bins(freqs, {"delta": (1.0, 4.0)})
    assert (lo[0], hi[0]) == (2, 5)
    path = str(shared_path("eeg", "muse_mental_state", "subjectc-neutral-2.csv"))
    at_estimate = EEGBandPower(kinds=("rel",)).fit_transform([path])[0]
    nominal = EEGBandPower(kinds=("rel",), sfreq=256.0).fit_transform([path])[0]
    exact = EEGBandPower(kinds=("rel",), sfreq=256.0, ch_names=rec.ch_names).fit_transform(
        [(np.asarray(rec.data), 256.0, rec.ch_names)])[0]
    np.testing.assert_array_equal(nominal, exact)
    change = np.abs(at_estimate - nominal) / nominal
    assert 0.05 < np.median(change) < 0.2


def _carer(n: int = 200):
    import pandas as pd

    df = pd.read_csv(shared_path("text", "carer", "train.txt"), sep=";", nrows=n)
    return list(df["text"]), list(df["label_name"])


@pytest.mark.parametrize("edit", ["entry", "category"])
def test_a_fitted_pipeline_refuses_a_lexicon_file_edited_after_its_fit(tmp_path, edit):
    # transform read the edited file again: a fitted LogisticRegression then got other
    # numbers (other predictions) or other columns ('X has 3 features, but
    # LogisticRegression is expecting 2'), without a word; now an error naming the file
    from emofeat.extractors import LexiconFeatures
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    texts, labels = _carer()
    lex = tmp_path / "mine.tsv"
    lex.write_text("feel\tjoy\t1\nhopeless\tjoy\t1\nhappy\tjoy\t1\n", encoding="utf-8")
    pipe = make_pipeline(LexiconFeatures(lexicons=[("user", str(lex), "mine")], style=False),
                         LogisticRegression(max_iter=1000))
    pipe.fit(texts, labels)
    before = pipe.predict_proba(texts)
    lex.write_text("feel\tjoy\t1\n" + ("hopeless\tsadness\t1\n" if edit == "category"
                                       else "hopeless\tjoy\t0.2\n") + "happy\tjoy\t1\n",
                   encoding="utf-8")
    with pytest.raises(ValueError, match=re.escape(f"lexicon file {lex} changed since") + ".*"
                       "fit again.*or put back the file as it was when fitted"):
        pipe.predict(texts)
    # a file touched or written back with the same bytes is no change
    lex.write_text("feel\tjoy\t1\nhopeless\tjoy\t1\nhappy\tjoy\t1\n", encoding="utf-8")
    np.testing.assert_array_equal(pipe.predict_proba(texts), before)
    # a pickled model (the file read again when it is loaded and used) checks its file too
    import pickle

    saved = pickle.dumps(pipe)
    np.testing.assert_array_equal(pickle.loads(saved).predict_proba(texts), before)
    lex.write_text("feel\tjoy\t1\nhopeless\tjoy\t0.2\nhappy\tjoy\t1\n", encoding="utf-8")
    with pytest.raises(ValueError, match="changed since this LexiconFeatures was fitted"):
        pickle.loads(saved).predict(texts)
    # a refit reads the file as it is now
    lex.write_text("feel\tjoy\t1\nhopeless\tsadness\t1\nhappy\tjoy\t1\n", encoding="utf-8")
    pipe.fit(texts, labels)
    assert pipe[0].get_feature_names_out().tolist() == [
        "lexicon_mine_joy", "lexicon_mine_sadness", "lexicon_mine_n_matched"]
    assert pipe.predict(texts).shape == (len(texts),)
    # a set never fitted keeps the entries of its first transform alike
    ext = LexiconFeatures(lexicons=[("user", str(lex), "mine")], style=False)
    ext.transform(texts)
    lex.write_text("feel\tjoy\t1\n", encoding="utf-8")
    with pytest.raises(ValueError, match="changed since this LexiconFeatures first read it "
                                         r"\(it was never fitted\).*call fit"):
        ext.transform(texts)


def test_a_first_line_taken_for_a_header_that_looks_like_an_entry_is_warned(tmp_path):
    # 'happy<TAB>joy<TAB>NA' on line 1 was taken as a header (its score begins with a letter)
    # and 'happy' dropped without a word; a real header ('word<TAB>category<TAB>score')
    # names no category of the file and stays silent
    from emofeat.extractors import LexiconFeatures
    from emofeat.extractors._lexicons import LexiconWarning

    texts, _ = _carer(50)
    lex = tmp_path / "mine.tsv"
    for first in ("happy\tjoy\tNA", "happy\tjoy\thigh"):
        lex.write_text(f"{first}\nfeel\tjoy\t1\n", encoding="utf-8")
        with pytest.warns(LexiconWarning) as record:
            LexiconFeatures(lexicons=[("user", str(lex), "mine")], style=False).fit(texts)
        said = [str(w.message) for w in record if w.category is LexiconWarning]
        assert len(said) == 1 and said[0].startswith(f"{lex}, line 1: {first!r} was taken "
                                                     "as a header and skipped")
    lex.write_text("word\tcategory\tscore\nfeel\tjoy\t1\n", encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("error", LexiconWarning)
        LexiconFeatures(lexicons=[("user", str(lex), "mine")], style=False).fit(texts)

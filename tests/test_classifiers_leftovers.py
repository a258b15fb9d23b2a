"""Options of `emofeat train` / `evaluate` / `predict` that did nothing, or did something other
than they said, without a word; on the real Muse recordings and speech corpora where the
leftover showed. Each test failed before its fix."""

from __future__ import annotations

import pytest
from conftest import shared_path

from emofeat.cli import EXIT_OK, EXIT_USAGE, main

MUSE = ("eeg", "muse_mental_state")


@pytest.fixture(scope="module")
def muse(tmp_path_factory):
    """The 24 Muse recordings in 4 s windows every 2 s (``eeg_bands``, ``eeg_hjorth``): the
    table of docs/eeg.md's leakage figures, with its subject and state columns."""
    from emofeat.datasets.eeg_corpora import load_muse_mental_state

    folder = tmp_path_factory.mktemp("muse")
    load_muse_mental_state(shared_path(*MUSE)).to_csv(folder / "muse.csv", index=False)
    out = folder / "muse.parquet"
    assert main(["extract", str(folder / "muse.csv"), "--set", "eeg_bands,eeg_hjorth",
                 "--segment", "4s", "--hop", "2s", "-q", "-o", str(out)]) == EXIT_OK
    return out


@pytest.mark.parametrize("protocol", ["loso", "logo", "group_kfold"])
def test_trials_with_a_protocol_of_whole_groups_is_refused(muse, capsys, protocol):
    # leave-one-subject-out holds out whole subjects: --trials path changed no fold and no
    # figure (UAR 0.831 with and without it on these windows) and read as a trial-wise run
    base = ["evaluate", str(muse), "--target", "state", "--groups", "subject", "-q",
            "--protocol", protocol] + (["--folds", "2"] if protocol == "group_kfold" else [])
    capsys.readouterr()
    assert main([*base, "--trials", "path"]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert f"--trials path: --protocol {protocol} holds out whole groups" in err
    assert "trialwise" in err and "leave --trials out" in err
    assert main(base) == EXIT_OK


def test_trials_refused_under_the_default_protocol_say_it_is_the_default(muse, capsys):
    # no --protocol typed: the message named '--protocol loso' as if the user had given it
    capsys.readouterr()
    assert main(["evaluate", str(muse), "--target", "state", "--groups", "subject", "-q",
                 "--trials", "path"]) == EXIT_USAGE
    assert "--trials path: --protocol loso (the default) holds out whole groups" in (
        capsys.readouterr().err)


def test_trials_are_taken_where_they_split(muse, capsys):
    for protocol in ("trialwise", "subject_dependent"):
        assert main(["evaluate", str(muse), "--target", "state", "--groups", "subject", "-q",
                     "--protocol", protocol, "--trials", "path", "--folds", "2"]) == EXIT_OK


@pytest.fixture(scope="module")
def emodb(tmp_path_factory):
    """MFCC functionals of three EmoDB speakers (03, 08, 09), with speaker and emotion."""
    import emofeat
    from emofeat.datasets import load_emodb

    man = load_emodb(shared_path("speech", "emodb"))
    out = tmp_path_factory.mktemp("emodb") / "emodb.parquet"
    emofeat.extract(man[man.speaker.isin(["03", "08", "09"])], "mfcc").to_parquet(out)
    return out


def test_train_refuses_groups_without_per_group_standardisation(emodb, tmp_path, capsys):
    # train --groups speaker fitted the same model as without it (identical predictions on
    # all 1440 RAVDESS files) and said nothing: only --normalize-per uses the groups
    model = tmp_path / "m.joblib"
    base = ["train", str(emodb), "--target", "emotion", "--model", "logreg", "-o", str(model)]
    capsys.readouterr()
    assert main([*base, "--groups", "speaker"]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert "--groups speaker: train uses the group column only to standardise" in err
    assert "--normalize-per speaker" in err and "leave --groups out" in err
    assert not model.exists()
    assert main([*base, "--groups", "speaker", "--per-group-std"]) == EXIT_OK
    assert main([*base, "--normalize-per", "speaker"]) == EXIT_OK
    assert main(base) == EXIT_OK


@pytest.fixture(scope="module")
def emodb_frames(tmp_path_factory):
    """pyAudioAnalysis frames (level lld) of 30 files of three EmoDB speakers."""
    import emofeat
    from emofeat.datasets import load_emodb

    man = load_emodb(shared_path("speech", "emodb"))
    man = man[man.speaker.isin(["03", "08", "09"])].groupby("speaker").head(10)
    out = tmp_path_factory.mktemp("frames") / "frames.parquet"
    emofeat.extract(man, "paa", level="lld").to_parquet(out)
    return out


def test_evaluate_of_frames_without_pool_warns_naming_pool(emodb_frames, emodb, capsys):
    # an LLD table evaluated without --pool scored its 2370 frames as independent samples
    # (UAR per frame) without a hint that --pool path scores the recordings
    import warnings

    from emofeat.classifiers import evaluate

    from emofeat.table import FeatureTable

    base = ["evaluate", "--target", "emotion", "--groups", "speaker", "--model", "logreg",
            "-q"]
    capsys.readouterr()
    assert main([base[0], str(emodb_frames), *base[1:]]) == EXIT_OK
    err = capsys.readouterr().err
    assert "emofeat evaluate: warning: the table is frame-level (level 'lld'" in err
    assert "frames of 30 recordings" in err and "--pool path" in err
    frames = FeatureTable.read_parquet(emodb_frames)
    with pytest.warns(UserWarning, match=r"frames of one recording are scored separately.*"
                                         r"pool='path'"):
        evaluate(frames, "emotion", "speaker", "logreg")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # pooled frames, or functionals: no such warning
        # the 30 recordings hold classes of one speaker only, which a fold then lacks
        # (tests/test_classifiers_hunt46.py): a warning of its own
        warnings.filterwarnings("ignore", message=r".* tested in folds whose training rows")
        evaluate(frames, "emotion", "speaker", "logreg", pool="path", max_frames_per_unit=5)
        evaluate(FeatureTable.read_parquet(emodb), "emotion", "speaker", "logreg")


def test_predict_warns_when_a_subject_is_one_recording(muse, tmp_path, capsys):
    # a per-subject standardised model predicting one recording of a new subject (29 windows,
    # over the 10-row threshold) standardised it against itself, removing its state: subject
    # d's recordings one at a time were right 0.30 of the time (3 states), together 0.77,
    # and no warning came
    import numpy as np

    from emofeat.table import FeatureTable

    t = FeatureTable.read_parquet(muse)
    subject = t.index["subject"].to_numpy()
    t.select(rows=np.flatnonzero(subject != "d")).to_parquet(tmp_path / "tr.parquet")
    held = t.select(rows=np.flatnonzero(subject == "d"))
    held.to_parquet(tmp_path / "d.parquet")
    path = held.index["path"].to_numpy()
    one = held.select(rows=np.flatnonzero(path == path[-1]))
    assert len(one) >= 10
    one.to_parquet(tmp_path / "d1.parquet")
    model = tmp_path / "m.joblib"
    assert main(["train", str(tmp_path / "tr.parquet"), "--target", "state",
                 "--normalize-per", "subject", "-o", str(model)]) == EXIT_OK
    capsys.readouterr()
    assert main(["predict", str(model), str(tmp_path / "d1.parquet"),
                 "-o", str(tmp_path / "p1.csv")]) == EXIT_OK
    err = capsys.readouterr().err
    assert "emofeat predict: warning: 1 subject value has fewer" in err
    assert f"'d': {len(one)} rows of 1 recording" in err and "rows of a single recording" in err
    # whether standardising removes the state depends on one state a recording: said so
    assert "if each recording holds one emotion or state" in err
    # all of the subject's recordings together: no such warning
    assert main(["predict", str(model), str(tmp_path / "d.parquet"),
                 "-o", str(tmp_path / "p.csv")]) == EXIT_OK
    assert "single recording" not in capsys.readouterr().err


def test_lexicon_columns_are_grouped_by_lexicon(tmp_path, capsys):
    # --importance groups on a lexicon table gave one group per column (30 of 30 at the
    # defaults), so "which lexicon matters" had no answer; the groups are now its lexicons
    import pandas as pd
    from emofeat.classifiers import feature_group, group_features

    import emofeat
    from emofeat.datasets import load_isear

    lex = shared_path("lexicons")
    lexicons = ("vader", "afinn",
                ("nrc_emolex", str(lex / "nrc_emolex" / "NRC-Emotion-Lexicon-Wordlevel-v0.92.txt")),
                ("nrc_vad", str(lex / "nrc_vad" / "NRC-VAD-Lexicon.txt")),
                ("nrc_intensity", str(lex / "nrc_emotion_intensity"
                                      / "NRC-Emotion-Intensity-Lexicon-v1.txt")))
    isear = load_isear(shared_path("text", "isear", "isear.csv"))
    few = isear.groupby("emotion").head(40)
    table = emofeat.extract(few, "lexicon", params={"lexicons": lexicons})
    names = table.feature_names
    groups = group_features(names)
    assert set(groups) == {"lexicon_vader", "lexicon_afinn", "lexicon_nrc_emolex",
                           "lexicon_nrc_vad", "lexicon_nrc_intensity", "lexicon_style"}
    for group, cols in groups.items():
        lexicon = group.removeprefix("lexicon_")
        assert all(names[j].startswith(group + "_") for j in cols), group
        # every column of the lexicon, and no other's (nrc_vad is not nrc_emolex's prefix)
        assert len(cols) == sum(n.startswith(group + "_") for n in names)
        if lexicon not in ("vader", "style"):
            assert f"{group}_n_matched" in {names[j] for j in cols}
    # one name alone, as each is its group
    assert {feature_group(n) for n in names} == set(groups)
    # the CLI's --importance groups on the default lexicon set: three groups
    path = tmp_path / "isear.parquet"
    emofeat.extract(few, "lexicon").to_parquet(path)
    assert main(["evaluate", str(path), "--target", "emotion", "--groups", "subject",
                 "--protocol", "group_kfold", "--folds", "3", "--model", "logreg",
                 "--importance", "groups", "-q", "--report", str(tmp_path / "rep")]) == EXIT_OK
    got = pd.read_csv(tmp_path / "rep" / "group_importance.csv")
    assert set(got["group"]) == {"lexicon_vader", "lexicon_afinn", "lexicon_style"}


def test_stacking_two_corpora_with_shared_speaker_ids_warns(emodb, tmp_path, capsys):
    # RAVDESS's actor 03 and EmoDB's speaker 03 became one speaker in a stacked table (all of
    # both corpora: 24 speaker ids for 34 people), one group to every protocol and one set of
    # statistics to per-speaker standardisation, without a word
    import warnings

    import numpy as np

    import emofeat
    from emofeat.datasets import load_ravdess
    from emofeat.errors import SharedIdWarning
    from emofeat.table import FeatureTable

    rav = load_ravdess(shared_path("speech", "ravdess"))
    rav = rav[rav.speaker.isin(["03", "08", "11"])].groupby("speaker").head(4)
    ravdess = emofeat.extract(rav, "mfcc")
    berlin = FeatureTable.read_parquet(emodb)
    with pytest.warns(SharedIdWarning, match=r"table 1 \(recordings under '.*emodb'\) and "
                                             r"table 2 \(under '.*ravdess'\) share speaker ids "
                                             r"'03', '08'") as got:
        both = FeatureTable.concat([berlin, ravdess])
    # the folders cannot tell two corpora from sibling folders of one (RAVDESS's speech and
    # song share their actors): the message gives the way for both, and a prefix only for
    # the first (a prefix on one corpus's sessions makes one person two groups)
    said = str(got[0].message)
    assert "If these are different people (two corpora" in said and "a prefix of its own" in said
    assert "if they are the same people (sessions, conditions or parts of one corpus" in said
    assert "keep the ids" in said
    # the ids are left as they were: a warning, no rewrite
    assert set(both.index["speaker"]) == {"03", "08", "09", "11"}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        # parts of one corpus (one folder inside the other's) share speakers rightly
        half = len(berlin) // 2
        FeatureTable.concat([berlin.select(rows=np.arange(half)),
                             berlin.select(rows=np.arange(half, len(berlin)))])
        FeatureTable.concat([ravdess, ravdess.select(rows=np.arange(4))])
        # sibling folders of one study: filtered by its class, nothing else hidden
        warnings.filterwarnings("ignore", category=SharedIdWarning)
        FeatureTable.concat([berlin, ravdess])
    # one run of both corpora's manifests: the same warning, from emofeat extract
    rav.to_csv(tmp_path / "ravdess.csv", index=False)
    berlin.index[["path", "speaker", "emotion"]].head(4).to_csv(tmp_path / "emodb.csv",
                                                                index=False)
    capsys.readouterr()
    assert main(["extract", str(tmp_path / "emodb.csv"), str(tmp_path / "ravdess.csv"), "-q",
                 "-o", str(tmp_path / "both.parquet")]) == EXIT_OK
    err = capsys.readouterr().err
    assert "emofeat extract: warning: manifest" in err and "share speaker ids '03'" in err
    assert "'emodb_03', 'ravdess_03'" in err and "keep the ids" in err


@pytest.mark.parametrize("n_jobs", [1, 2])
def test_one_extract_call_warns_of_no_shared_ids_whatever_n_jobs(n_jobs):
    # the runner stacked its work chunks with FeatureTable.concat: one manifest of EmoDB's
    # and RAVDESS's speaker 03 warned 'table 1 and table 3 share speaker ids' with n_jobs=2
    # and not with n_jobs=1 (its chunks are no sources; one call behaves one way)
    import warnings

    import pandas as pd

    import emofeat
    from emofeat.datasets import load_emodb, load_ravdess

    rav = load_ravdess(shared_path("speech", "ravdess"))
    emo = load_emodb(shared_path("speech", "emodb"))
    man = pd.concat([emo[emo.speaker == "03"].head(2)[["path", "speaker", "emotion"]],
                     rav[rav.speaker == "03"].head(2)[["path", "speaker", "emotion"]]],
                    ignore_index=True)
    with warnings.catch_warnings(record=True) as got:
        warnings.simplefilter("always")
        table = emofeat.extract(man, "mfcc", n_jobs=n_jobs)
    assert len(table) == 4
    assert not [w for w in got if "share speaker ids" in str(w.message)]


def test_shared_ids_of_relative_paths(emodb, tmp_path, monkeypatch):
    # relative paths: a file of the working folder had the folder '' and every folder was
    # 'inside' it only when it started with '/', so '03a01Fa.wav' beside 'Actor_03/x.wav'
    # warned naming '(recordings under )'
    import warnings

    from emofeat.errors import SharedIdWarning
    from emofeat.table import FeatureTable

    berlin = FeatureTable.read_parquet(emodb)
    monkeypatch.chdir(tmp_path)

    def at(paths):
        index = berlin.index.head(len(paths)).copy()
        index["path"], index["speaker"] = paths, "03"
        return FeatureTable(X=berlin.X[:len(paths)], feature_names=berlin.feature_names,
                            index=index.reset_index(drop=True),
                            provenance=berlin.provenance)

    flat, actor = at(["03a01Fa.wav", "03a01Wa.wav"]), at(["Actor_03/03-01-01.wav"])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        # relative to one folder: the working folder holds Actor_03/
        FeatureTable.concat([flat, actor])
        FeatureTable.concat([flat, flat])
        # absolute beside relative: the folder those are relative to is not recorded
        FeatureTable.concat([berlin, actor])
        # in-memory inputs name no folder
        FeatureTable.concat([flat, at(["<array 0>", "<array 1>"])])
    with pytest.warns(SharedIdWarning, match=r"table 1 \(recordings under 'emodb'\) and "
                                             r"table 2 \(under 'ravdess/Actor_03'\)"):
        FeatureTable.concat([at(["emodb/03a01Fa.wav"]), at(["./ravdess/Actor_03/x.wav"])])
    with pytest.warns(SharedIdWarning, match=r"table 1 \(recordings under '\.'\) and table 2 "
                                             r"\(under '\.\./ravdess'\)"):
        FeatureTable.concat([flat, at(["../ravdess/x.wav"])])


def test_predict_counts_the_utterances_a_segment_manifest_cuts_from_one_file(emodb, tmp_path,
                                                                            capsys):
    # utterances a segment manifest cuts from one long file (a dialogue) were taken for one
    # recording by their one path: 12 utterances of six emotions, each its own recording,
    # were warned about as '12 rows of 1 recording'
    import numpy as np
    import pandas as pd
    import soundfile as sf

    from emofeat.datasets import load_ravdess

    rav = load_ravdess(shared_path("speech", "ravdess"))
    rav = rav[rav.speaker == "05"].groupby("emotion").head(2).head(12)
    signals, rows, t, rate = [], [], 0.0, None
    for path, emotion in zip(rav.path, rav.emotion, strict=True):
        x, rate = sf.read(path)
        x = x if x.ndim == 1 else x.mean(axis=1)
        rows.append({"path": str(tmp_path / "dialogue.wav"), "start": t,
                     "end": t + len(x) / rate, "speaker": "05", "emotion": emotion})
        signals.append(x)
        t += len(x) / rate
    sf.write(tmp_path / "dialogue.wav", np.concatenate(signals), rate)
    manifest = pd.DataFrame(rows)
    model = tmp_path / "m.joblib"
    assert main(["train", str(emodb), "--target", "emotion", "--normalize-per", "speaker",
                 "-o", str(model)]) == EXIT_OK
    for n in (12, 6):
        manifest.head(n).to_csv(tmp_path / "segments.csv", index=False)
        assert main(["extract", str(tmp_path / "segments.csv"), "-q", "-o",
                     str(tmp_path / f"s{n}.parquet")]) == EXIT_OK
        capsys.readouterr()
        assert main(["predict", str(model), str(tmp_path / f"s{n}.parquet"),
                     "-o", str(tmp_path / f"p{n}.csv")]) == EXIT_OK
        err = capsys.readouterr().err
        if n == 12:  # 12 utterances: neither few rows nor one recording
            assert "speaker value" not in err
        else:  # few rows, each its own segment
            assert f"'05': {n} rows)" in err and "of 1 segment" not in err


def test_frames_without_pool_advise_what_runs(emodb_frames, tmp_path, capsys):
    # the warning advised pool='path' where pooling is refused (a regression target, with
    # param_grid or importance: ValueError) and for the frames of a segment manifest, whose
    # one file holds several utterances (pool='path': DataError)
    import numpy as np
    import pandas as pd
    import soundfile as sf
    from emofeat.classifiers import evaluate
    from emofeat.classifiers.validation import DataError

    import emofeat
    from emofeat.datasets import load_ravdess
    from emofeat.table import FeatureTable

    frames = FeatureTable.read_parquet(emodb_frames)
    frames.index["arousal"] = frames.index["emotion"].isin(["anger", "happiness", "fear"]) * 1.0
    for kwargs in ({"target": "arousal", "model": "ridge", "task": "regression"},
                   {"target": "emotion", "model": "logreg", "param_grid": {"C": [1.0]}}):
        with pytest.warns(UserWarning, match=r"frame-level.*pooling \(pool=\) is not available "
                                             r"with .*extract functionals "
                                             r"\(level='functionals'\)") as got:
            evaluate(frames, groups="speaker", **kwargs)
        assert "pool='path'" not in str(next(w.message for w in got
                                             if "frame-level" in str(w.message)))
    frames.to_parquet(tmp_path / "frames.parquet")
    capsys.readouterr()
    assert main(["evaluate", str(tmp_path / "frames.parquet"), "--target", "emotion",
                 "--groups", "speaker", "--model", "logreg", "--importance", "groups",
                 "-q"]) == EXIT_OK
    err = capsys.readouterr().err
    assert "pooling (--pool) is not available with --importance;" in err
    assert "emofeat extract --level functionals" in err and "--pool path" not in err

    # two RAVDESS actors' utterances, each actor's in one file, cut by a segment manifest
    rav = load_ravdess(shared_path("speech", "ravdess"))
    rav = rav[rav.speaker.isin(["05", "06"]) & rav.emotion.isin(["neutral", "angry"])]
    rows = []
    for speaker, part in rav.groupby("speaker"):
        part = part.groupby("emotion").head(2)  # two utterances of each emotion
        signals, t, rate = [], 0.0, None
        for path, emotion in zip(part.path, part.emotion, strict=True):
            x, rate = sf.read(path)
            x = x if x.ndim == 1 else x.mean(axis=1)
            rows.append({"path": str(tmp_path / f"{speaker}.wav"), "start": t,
                         "end": t + len(x) / rate, "speaker": speaker, "emotion": emotion})
            signals.append(x)
            t += len(x) / rate
        sf.write(tmp_path / f"{speaker}.wav", np.concatenate(signals), rate)
    manifest = pd.DataFrame(rows)
    manifest["utterance"] = [f"u{k}" for k in range(len(manifest))]
    cut = emofeat.extract(manifest, "paa", level="lld")
    with pytest.warns(UserWarning, match=r"frames of 8 segments of 2 files.*"
                                         r"one file holds several of the manifest's segments, "
                                         r"which pool='path' would pool as one utterance.*"
                                         r"pass pool='utterance'") as got:
        evaluate(cut, "emotion", "speaker", "logreg")
    # what it advises runs, what it used to advise does not
    with pytest.raises(DataError, match="more than one label"):
        evaluate(cut, "emotion", "speaker", "logreg", pool="path")
    res = evaluate(cut, "emotion", "speaker", "logreg", pool="utterance")
    assert len(res.predictions) == len(manifest)
    # the id added to the table's index as the warning writes it, not extracted again: the
    # same figures as the manifest's ids
    said = next(str(w.message) for w in got if "frame-level" in str(w.message))
    assert ("table.index['utterance'] = table.index.groupby(['path', 'start', 'end'])"
            ".ngroup()) or in the manifest, and pass pool='utterance'") in said
    table = cut
    table.index = table.index.drop(columns="utterance")
    table.index["utterance"] = table.index.groupby(["path", "start", "end"]).ngroup()
    again = evaluate(table, "emotion", "speaker", "logreg", pool="utterance")
    assert again.summary() == res.summary()


def test_cross_corpus_of_frames_warns_as_evaluate_does(emodb_frames, emodb):
    # evaluate_cross_corpus scored the frames of an LLD test table as samples of their own
    # (UAR per frame) without the warning evaluate gives since 758edb8; it has no pool=, so
    # the way out it names is functionals
    import re
    import warnings

    from emofeat.classifiers import evaluate_cross_corpus

    import emofeat
    from emofeat.datasets import load_ravdess
    from emofeat.table import FeatureTable

    rav = load_ravdess(shared_path("speech", "ravdess"))
    rav = rav[rav.speaker.isin(["05", "06"]) & rav.emotion.isin(["neutral", "angry", "sad",
                                                                  "happy"])]
    test = emofeat.extract(rav.groupby(["speaker", "emotion"]).head(2), "paa", level="lld")
    frames = FeatureTable.read_parquet(emodb_frames)
    with warnings.catch_warnings(record=True) as got:
        warnings.simplefilter("always")
        res = evaluate_cross_corpus(frames, test, "emotion", "logreg")
    frame_level = [w for w in got if "frame-level" in str(w.message)]
    assert len(frame_level) == 1, [str(w.message) for w in got]
    message = str(frame_level[0].message)
    assert re.match(r"the test table is frame-level \(level 'lld': \d+ rows, frames of 16 "
                    r"recordings\): every frame is scored as a sample of its own", message)
    assert "evaluate_cross_corpus does not pool frames" in message
    assert "level='functionals'" in message and "pool='path'" not in message
    assert frame_level[0].filename == __file__
    assert res.settings["n_features"] == len(frames.feature_names)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # functionals: no such warning
        table = FeatureTable.read_parquet(emodb)
        evaluate_cross_corpus(table, table, "emotion", "logreg", label_map=None)

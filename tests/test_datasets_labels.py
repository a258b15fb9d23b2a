"""Corpus loaders against the corpora's own documentation, on the real files.

The expected labels and counts are decoded here, independently of the loaders, from the file
names (RAVDESS: modality-channel-emotion-intensity-statement-repetition-actor, odd actors
male; EmoDB: speaker, text, emotion letter, version; Muse: subject-state-session) and from the
raw text files (GoEmotions TSV + emotions.txt, CARER text;label).
"""

from __future__ import annotations

import json
import os
import pickle
import re
import shutil
import warnings
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from conftest import shared_path

from emofeat.datasets import (
    SkippedFileWarning,
    load_carer,
    load_emodb,
    load_goemotions,
    load_isear,
    load_ravdess,
)
from emofeat.datasets.eeg_corpora import load_deap, load_muse_mental_state, load_seed, read_seed
from emofeat.errors import InputError

# RAVDESS README (Livingstone & Russo 2018), "File naming convention"
RAVDESS_DOC = {"01": "neutral", "02": "calm", "03": "happy", "04": "sad", "05": "angry",
               "06": "fearful", "07": "disgust", "08": "surprised"}
# EmoDB documentation: emotion letters (German initials) and the ten speakers
EMODB_DOC = {"W": "anger", "L": "boredom", "E": "disgust", "A": "fear", "F": "happiness",
             "T": "sadness", "N": "neutral"}
EMODB_SPEAKERS = {"03": "male", "08": "female", "09": "female", "10": "male", "11": "male",
                  "12": "male", "13": "female", "14": "female", "15": "male", "16": "female"}
# EmoDB documentation, "Information about the speakers" (http://emodb.bilderbar.info/docu/)
EMODB_DOC_AGES = {"03": 31, "08": 34, "09": 21, "10": 32, "11": 26, "12": 30, "13": 32,
                  "14": 35, "15": 25, "16": 31}


def _walk(root: Path, suffix: str) -> list[Path]:
    return [Path(d) / f for d, _, fs in os.walk(root) for f in fs if f.endswith(suffix)]


def _no_warnings(fn, *args):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return fn(*args)


def test_ravdess_every_file_once_with_the_documented_codes(ravdess_dir):
    files = _walk(ravdess_dir, ".flac")
    codes = [f.stem.split("-") for f in files]
    df = _no_warnings(load_ravdess, ravdess_dir)
    assert len(df) == len(files) == 1440 and df.path.is_unique
    assert set(df.path) == {str(f.resolve()) for f in files}
    assert df.path.tolist() == sorted(df.path)  # the same order on every file system
    assert Counter(df.emotion) == Counter(RAVDESS_DOC[c[2]] for c in codes)
    assert Counter(df.speaker) == Counter(c[6] for c in codes) and df.speaker.nunique() == 24
    assert Counter(df.intensity) == Counter({"01": "normal", "02": "strong"}[c[3]] for c in codes)
    for f, row in zip(sorted(files), df.itertuples(), strict=True):
        actor = f.stem.split("-")[6]
        assert f.parent.name == f"Actor_{actor}" == f"Actor_{row.speaker}"
        assert row.gender == ("male" if int(actor) % 2 == 1 else "female")
    genders = df.groupby("speaker").gender.agg(set)
    assert (genders.map(len) == 1).all() and Counter(g.pop() for g in genders) == {
        "male": 12, "female": 12}
    assert (df[df.emotion == "neutral"].intensity == "normal").all()


def _copy(src: Path, dst: Path) -> Path:
    dst.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, dst)
    return dst


def test_ravdess_actor_folder_is_checked_for_the_files_loaded_only(ravdess_dir, tmp_path):
    """Regression: the actor-folder check ran before the video-only (modality 02) skip, so
    a video-only file in another actor's folder, never read, stopped the load; a song left
    out (include_song=False) too. Only the files loaded are checked."""
    src = sorted((ravdess_dir / "Actor_12").glob("*.flac"))[0]
    _copy(src, tmp_path / "Actor_03" / "03-01-01-01-01-01-03.flac")
    _copy(src, tmp_path / "Actor_03" / "02-01-03-01-01-01-12.flac")  # video only
    song = _copy(src, tmp_path / "Actor_03" / "03-02-03-01-01-01-12.flac")
    df = _no_warnings(load_ravdess, tmp_path)
    assert df.speaker.tolist() == ["03"]
    with pytest.raises(ValueError, match=rf"RAVDESS: {re.escape(str(song))}: actor code '12' "
                       "disagrees with its folder Actor_03"):
        load_ravdess(tmp_path, include_song=True)


def test_ravdess_two_copies_of_the_corpus_are_refused(ravdess_dir, tmp_path):
    """The Kaggle RAVDESS download holds Actor_* twice (also under audio_speech_actors_01-24/):
    every recording was listed twice and fell on both sides of a file-wise split."""
    for f in sorted((ravdess_dir / "Actor_01").glob("*.flac"))[:3]:
        _copy(f, tmp_path / "Actor_01" / f.name)
        _copy(f, tmp_path / "audio_speech_actors_01-24" / "Actor_01" / f.name)
    with pytest.raises(ValueError, match="RAVDESS: 3 recording.*more than once.*Actor_01"):
        load_ravdess(tmp_path)


@pytest.mark.parametrize("name, problem", [
    ("03-01-09-01-01-01-01", "emotion code '09'"),
    ("03-01-05-03-01-01-01", "intensity code '03'"),
    ("03-01-01-02-01-01-01", "neutral .* no strong intensity"),
    ("03-03-05-01-01-01-01", "channel code '03'"),
    ("03-01-05-01-01-01-00", "actor code '00'"),
    ("03-01-05-01-01-01-25", "actor code '25' is not one of 01 to 24"),
    # the song part has no disgust and no surprised (RAVDESS README)
    ("03-02-07-01-01-01-01", r"the song part \(channel 02\) has no disgust \(07\)"),
    ("03-02-08-02-01-01-01", r"the song part \(channel 02\) has no surprised \(08\)"),
])
def test_ravdess_codes_outside_the_tables_are_refused_naming_the_file(ravdess_dir, tmp_path,
                                                                       name, problem):
    src = sorted((ravdess_dir / "Actor_01").glob("*.flac"))[0]
    _copy(src, tmp_path / "Actor_01" / src.name)
    _copy(src, tmp_path / "Actor_01" / f"{name}.flac")
    with pytest.raises(ValueError, match=f"RAVDESS: .*{name}.flac: {problem}"):
        load_ravdess(tmp_path)


def test_ravdess_songs_of_the_six_sung_emotions_are_read(ravdess_dir, tmp_path):
    src = sorted((ravdess_dir / "Actor_01").glob("*.flac"))[0]
    for code in ("01", "06"):
        _copy(src, tmp_path / "Actor_01" / f"03-02-{code}-01-01-01-01.flac")
    df = _no_warnings(lambda: load_ravdess(tmp_path, include_song=True))
    assert df[["emotion", "channel"]].values.tolist() == [["neutral", "song"],
                                                          ["fearful", "song"]]


def test_ravdess_files_not_named_by_the_convention_are_named_in_a_warning(ravdess_dir, tmp_path):
    files = sorted((ravdess_dir / "Actor_02").glob("*.flac"))[:2]
    for f in files:
        _copy(f, tmp_path / "Actor_02" / f.name)
    _copy(files[0], tmp_path / "Actor_02" / f"{files[0].stem}_trim.flac")
    with pytest.warns(SkippedFileWarning, match=r"RAVDESS: 1 file.*Actor_02/03-01-01-01-01-01-02"
                                                r"_trim.flac"):
        df = load_ravdess(tmp_path)
    assert len(df) == 2 and set(df.gender) == {"female"}


def test_emodb_every_file_once_with_the_documented_codes(emodb_dir):
    files = _walk(emodb_dir, ".flac")
    df = _no_warnings(load_emodb, emodb_dir)
    assert len(df) == len(files) == 535 and df.path.is_unique
    assert df.path.tolist() == sorted(df.path)
    assert Counter(df.emotion) == Counter(EMODB_DOC[f.stem[5]] for f in files)
    assert Counter(df.speaker) == Counter(f.stem[:2] for f in files)
    assert dict(df.groupby("speaker").gender.agg(lambda g: "/".join(set(g)))) == EMODB_SPEAKERS
    # the counts in ../shared/data/README.md
    assert Counter(df.emotion) == {"anger": 127, "boredom": 81, "neutral": 79, "happiness": 71,
                                   "fear": 69, "sadness": 62, "disgust": 46}


def test_emodb_ages_are_the_documented_speaker_table(emodb_dir):
    """The corpus documentation gives each speaker's age; the manifest had no age column."""
    df = load_emodb(emodb_dir)
    assert df.age.notna().all() and df.age.map(type).eq(int).all()
    assert df.groupby("speaker").age.agg(set).map(sorted).to_dict() == {
        k: [v] for k, v in EMODB_DOC_AGES.items()}
    assert df.columns.tolist()[:4] == ["path", "speaker", "gender", "age"]


def test_emodb_text_codes_outside_the_ten_sentences_are_refused(emodb_dir, tmp_path):
    """EmoDB has ten sentences (a01, a02, a04, a05, a07, b01, b02, b03, b09, b10): a03 was
    read as an eleventh."""
    src = sorted(emodb_dir.glob("03a01*.flac"))[0]
    _copy(src, tmp_path / "03a03Fa.flac")
    with pytest.raises(ValueError, match="03a03Fa.flac: text code 'a03' is not one of the ten"):
        load_emodb(tmp_path)
    assert Counter(load_emodb(emodb_dir).text) == Counter(f.stem[2:5] for f in
                                                          _walk(emodb_dir, ".flac"))


def test_emodb_unknown_speakers_duplicates_and_odd_names(emodb_dir, tmp_path):
    """A speaker outside the ten was given the gender "female"; copies and odd names were
    listed twice or dropped without a word."""
    src = sorted(emodb_dir.glob("03*.flac"))[0]
    _copy(src, tmp_path / src.name)
    _copy(src, tmp_path / "03a01Fa (copy).flac")
    with pytest.warns(SkippedFileWarning, match=r"EmoDB: 1 file.*03a01Fa \(copy\).flac"):
        assert load_emodb(tmp_path).speaker.tolist() == ["03"]
    (tmp_path / "03a01Fa (copy).flac").unlink()
    _copy(src, tmp_path / "wav" / src.name)
    with pytest.raises(ValueError, match="EmoDB: 1 recording.*more than once"):
        load_emodb(tmp_path)
    shutil.rmtree(tmp_path / "wav")
    _copy(src, tmp_path / "01a01Wa.flac")
    with pytest.raises(ValueError, match="01a01Wa.flac: speaker '01' is not one of the ten"):
        load_emodb(tmp_path)


def test_goemotions_labels_decode_every_id_of_the_release():
    root = shared_path("text", "goemotions")
    names = (root / "emotions.txt").read_text(encoding="utf-8").split("\n")
    assert len(names) == 28 and names[0] == "admiration" and names[27] == "neutral"
    for split in ("train", "dev", "test"):
        lines = (root / f"{split}.tsv").read_bytes().decode("utf-8").split("\n")
        lines = [line for line in lines if line]
        fields = [line.split("\t") for line in lines]
        df = load_goemotions(root, split)
        assert len(df) == len(lines) and df.comment_id.is_unique
        assert df.comment_id.tolist() == [f[2] for f in fields]
        assert df.text.tolist() == [f[0] for f in fields]
        # multi-labels split at the commas, in file order, one name per id
        assert df.labels.tolist() == [tuple(names[int(k)] for k in f[1].split(","))
                                      for f in fields]
        assert Counter(x for t in df.labels for x in t) == Counter(
            names[int(k)] for f in fields for k in f[1].split(","))
        assert df.labels.map(len).max() > 1


def test_goemotions_ekman_folder_is_the_release_rows_mapped_to_ekman(tmp_path):
    """ekman/ names its ids in labels.txt, not emotions.txt: the loader refused the folder
    ("ekman/emotions.txt does not exist"). Each row must be the release's row with its labels
    mapped by the release's ekman_mapping.json (neutral kept)."""
    root = shared_path("text", "goemotions")
    mapping = json.loads((root / "ekman_mapping.json").read_text(encoding="utf-8"))
    to_ekman = {e: group for group, members in mapping.items() for e in members}
    to_ekman["neutral"] = "neutral"
    names = (root / "ekman" / "labels.txt").read_text(encoding="utf-8").split("\n")
    for split in ("train", "dev", "test"):
        full = load_goemotions(root, split)
        ekman = _no_warnings(load_goemotions, root / "ekman", split)
        assert ekman.comment_id.tolist() == full.comment_id.tolist()
        assert ekman.text.tolist() == full.text.tolist()
        assert [set(t) for t in ekman.labels] == [{to_ekman[x] for x in t} for t in full.labels]
        assert ekman.labels.map(len).eq(ekman.labels.map(set).map(len)).all()
        assert set(ekman.labels.explode()) == set(names) == set(to_ekman.values())
    # a folder without either names file says which it needs
    shutil.copyfile(root / "ekman" / "dev.tsv", tmp_path / "dev.tsv")
    with pytest.raises(FileNotFoundError, match=rf"GoEmotions: {tmp_path} has no emotions.txt"
                                                r".* and no labels.txt .*ekman/"):
        load_goemotions(tmp_path, "dev")
    # both, naming different labels: which one the ids index cannot be told
    shutil.copyfile(root / "ekman" / "labels.txt", tmp_path / "labels.txt")
    shutil.copyfile(root / "emotions.txt", tmp_path / "emotions.txt")
    with pytest.raises(ValueError, match="both emotions.txt and labels.txt"):
        load_goemotions(tmp_path, "dev")
    (tmp_path / "emotions.txt").unlink()
    assert load_goemotions(tmp_path, "dev").equals(load_goemotions(root / "ekman", "dev"))


def test_goemotions_files_with_a_byte_order_mark(tmp_path):
    """A byte-order mark (the files saved by a Windows editor) made the first label name
    "\ufeffadmiration" and started the first comment's text."""
    root = shared_path("text", "goemotions")
    for name in ("emotions.txt", "dev.tsv"):
        (tmp_path / name).write_bytes(b"\xef\xbb\xbf" + (root / name).read_bytes())
    assert load_goemotions(tmp_path, "dev").equals(load_goemotions(root, "dev"))


def test_goemotions_sample_has_no_dev_split_and_says_so():
    with pytest.raises(FileNotFoundError, match="dev.tsv does not exist: the bundled sample has "
                                                "train and test only"):
        load_goemotions(split="dev")


def test_carer_labels_match_the_raw_lines():
    root = shared_path("text", "carer")
    for split in ("train", "val", "test"):
        raw = (root / f"{split}.txt").read_bytes().decode("utf-8").split("\n")
        assert raw[0] == "text;label_name"
        body = [line for line in raw[1:] if line]
        df = load_carer(root, split)
        assert list(zip(df.text, df.emotion, strict=True)) == [
            tuple(line.rsplit(";", 1)) for line in body]


def test_carer_without_a_header_keeps_its_first_tweet(tmp_path):
    """Copies of CARER other than the Hugging Face one have no header line: the first tweet of
    every split was dropped as if it were the header."""
    root = shared_path("text", "carer")
    raw = (root / "val.txt").read_bytes().decode("utf-8").split("\n")
    (tmp_path / "val.txt").write_text("\n".join(raw[1:]), encoding="utf-8")
    ours = load_carer(tmp_path, "val")
    assert len(ours) == 2000
    assert ours.equals(load_carer(root, "val"))
    # Windows line ends, a byte-order mark and a line separator inside a tweet
    (tmp_path / "test.txt").write_bytes(
        "\ufefftext;label_name\r\ni feel \u2028 fine;joy\r\ni am \x85 sad;sadness\r\n".encode())
    df = load_carer(tmp_path, "test")
    assert df.values.tolist() == [["i feel \u2028 fine", "joy"], ["i am \x85 sad", "sadness"]]


def test_muse_every_recording_once_and_odd_names_named(tmp_path):
    root = shared_path("eeg", "muse_mental_state")
    files = sorted(root.glob("*.csv"))
    df = _no_warnings(load_muse_mental_state, root)
    assert len(df) == len(files) == 24 and df.path.tolist() == sorted(df.path)
    parsed = [f.stem.removeprefix("subject").split("-") for f in files]
    assert df[["subject", "state", "session"]].values.tolist() == [list(p) for p in parsed]
    assert Counter(df.subject) == {"a": 6, "b": 6, "c": 6, "d": 6}
    for f in files[:2]:
        _copy(f, tmp_path / f.name)
    _copy(files[0], tmp_path / "subjecta-concentrating-1 (1).csv")
    with pytest.warns(SkippedFileWarning, match=r"Muse: 1 file.*subjecta-concentrating-1 \(1\)"):
        assert len(load_muse_mental_state(tmp_path)) == 2


def test_seed_labels_outside_minus_one_to_one_are_refused(tmp_path):
    from scipy.io import savemat

    savemat(tmp_path / "1_20131027.mat", {"djc_eeg1": np.zeros((62, 10)),
                                          "djc_eeg2": np.zeros((62, 10))})
    with pytest.raises(InputError, match="1_20131027.mat.*trial 2: label 2 is not -1, 0 or 1"):
        read_seed(tmp_path / "1_20131027.mat", labels=[1, 2])
    assert [t.ids["emotion"] for t in read_seed(tmp_path / "1_20131027.mat", [-1, 0])] == [
        "negative", "neutral"]


def test_isear_every_line_once_with_its_text_label_and_respondent(tmp_path):
    root = shared_path("text", "isear")
    raw = (root / "isear.csv").read_bytes().decode("utf-8").split("\n")
    body = [line.split("|") for line in raw[1:] if line]
    df = load_isear(root)
    assert len(df) == len(body) == 7666
    # by position, as ../shared/data/README.md says: 40 fields, the text, then 2 fields
    assert df.text.tolist() == ["|".join(f[40:-2]) for f in body]
    assert sum("|" in t for t in df.text) == 163
    assert df.emotion.tolist() == [f[36] for f in body]
    assert Counter(df.emotion) == Counter(
        {"1": "joy", "2": "fear", "3": "anger", "4": "sadness", "5": "disgust", "6": "shame",
         "7": "guilt"}[f[11]] for f in body)
    assert df.subject.tolist() == [f[0] for f in body] and df.subject.nunique() == 1096
    assert df.subject.map(type).eq(str).all()
    # decoded as UTF-8 (the file's "á" line-break marks), not as Latin-1 mojibake
    assert df.text.str.contains("á").sum() > 1000 and not df.text.str.contains("Ã").any()
    assert load_isear(root / "isear.csv").equals(df)
    head = raw[0]
    (tmp_path / "isear.csv").write_text(f"{head}\n{raw[1]}\n" + "|".join(body[1][:20]) + "\n",
                                        encoding="utf-8")
    with pytest.raises(ValueError, match="isear.csv: line 3 has 20 '|'-separated fields"):
        load_isear(tmp_path)
    wrong = body[1].copy()
    wrong[11] = "1"  # EMOT joy, Field1 fear
    (tmp_path / "isear.csv").write_text(f"{head}\n" + "|".join(wrong) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match="line 2: Field1 'fear' disagrees with EMOT code '1'"):
        load_isear(tmp_path)
    with pytest.raises(FileNotFoundError, match="ISEAR"):
        load_isear(tmp_path / "nope")


def test_seed_sessions_in_natural_order_and_clear_folder_errors(tmp_path):
    """Files were sorted by name: subject 10 came before subject 1 (and 2)."""
    from scipy.io import savemat

    with pytest.raises(FileNotFoundError, match="SEED: .*nope is not a folder"):
        load_seed(tmp_path / "nope")
    with pytest.raises(FileNotFoundError, match="SEED: .*label.mat does not exist"):
        load_seed(tmp_path)
    savemat(tmp_path / "label.mat", {"label": np.array([[1, 0]])})
    for name in ("10_20131130", "1_20131107", "2_20140404", "1_20131027"):
        savemat(tmp_path / f"{name}.mat", {"ab_eeg1": np.zeros((62, 4)),
                                           "ab_eeg2": np.zeros((62, 4))})
    savemat(tmp_path / "1_20131027 (1).mat", {"ab_eeg1": np.zeros((62, 4))})
    with pytest.warns(SkippedFileWarning, match=r"SEED: 1 file.*1_20131027 \(1\).mat"):
        trials = load_seed(tmp_path)
    assert [(t.ids["subject"], t.ids["session"], t.ids["trial"]) for t in trials] == [
        (s, d, k) for s, d in (("1", "20131027"), ("1", "20131107"), ("2", "20140404"),
                               ("10", "20131130")) for k in (1, 2)]


def _deap_file(path: Path, n_trials: int = 1) -> None:
    data = np.zeros((n_trials, 40, 500), dtype=np.float32)
    with open(path, "wb") as fh:
        pickle.dump({"data": data, "labels": np.ones((n_trials, 4))}, fh, protocol=2)


def test_deap_subjects_once_each_in_order_and_clear_folder_errors(tmp_path):
    """A second copy ``s01 (1).dat`` matched ``s*.dat`` and was read as subject 01 again (its
    trials on both sides of a subject-wise split); s10.dat came before s2.dat."""
    with pytest.raises(FileNotFoundError, match="DEAP: .*nope is not a folder"):
        load_deap(tmp_path / "nope")
    (tmp_path / "s01.mat").write_bytes(b"")  # data_preprocessed_matlab
    with pytest.raises(FileNotFoundError, match="no sNN.dat file .*data_preprocessed_python"):
        load_deap(tmp_path)
    (tmp_path / "s01.mat").unlink()
    for name in ("s10", "s2", "s01"):
        _deap_file(tmp_path / f"{name}.dat")
    _deap_file(tmp_path / "s01 (1).dat")
    with pytest.warns(SkippedFileWarning, match=r"DEAP: 1 file.*s01 \(1\).dat"):
        trials = load_deap(tmp_path)
    assert [t.ids["subject"] for t in trials] == ["01", "02", "10"]
    _deap_file(tmp_path / "s1.dat")
    with pytest.raises(ValueError, match=r"DEAP: .*s01.dat and .*s1.dat are both subject 01"):
        load_deap(tmp_path)


def test_muse_missing_folder_is_named(tmp_path):
    with pytest.raises(FileNotFoundError, match="Muse: .*nope is not a folder"):
        load_muse_mental_state(tmp_path / "nope")


@pytest.mark.parametrize("folder", ["Actor_03", "actor_3", "Actor_03/take2"])
def test_ravdess_actor_code_disagreeing_with_its_folder_is_refused(ravdess_dir, tmp_path,
                                                                   folder):
    """Regression: a file of actor 12 in the Actor_03 folder was labelled speaker 12 without
    a word, though the corpus's layout says actor 03. Refused naming the file and the folder;
    the file in its own actor's folder (or in no actor folder) is read."""
    src = sorted((ravdess_dir / "Actor_12").glob("*.flac"))[0]
    _copy(src, tmp_path / "Actor_03" / "03-01-01-01-01-01-03.flac")
    moved = _copy(src, tmp_path / folder / src.name)
    top = folder.split("/")[0]
    with pytest.raises(ValueError, match=rf"RAVDESS: .*{re.escape(str(moved))}: actor code "
                       rf"'12' disagrees with its folder {top}"):
        load_ravdess(tmp_path)
    moved.unlink()
    _copy(src, tmp_path / "Actor_12" / src.name)
    _copy(src, tmp_path / "loose" / "03-01-01-01-01-01-05.flac")
    df = _no_warnings(load_ravdess, tmp_path)
    assert sorted(df.speaker) == ["03", "05", "12"]

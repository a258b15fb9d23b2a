"""Leftovers of the feature table's hunts (session 41), on real EmoDB and RAVDESS features as
``emofeat extract`` writes them: each test failed before its fix."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from conftest import ravdess_mfcc_read_back_from_csv

from emofeat.cli import EXIT_OK, EXIT_USAGE, main


@pytest.fixture(scope="module")
def emodb_csv(emodb_dir, tmp_path_factory):
    """EmoDB's manifest (every file), as a CSV the commands read."""
    from emofeat.datasets import load_emodb

    path = tmp_path_factory.mktemp("left41") / "emodb.csv"
    load_emodb(emodb_dir).to_csv(path, index=False)
    return path


@pytest.fixture(scope="module")
def emodb(emodb_csv):
    """The path of emofeat's mfcc functionals of EmoDB (535 files, 10 speakers)."""
    path = emodb_csv.parent / "emodb.parquet"
    assert main(["extract", str(emodb_csv), "--set", "mfcc", "-q", "-o", str(path)]) == EXIT_OK
    return path


def _two_sets(emodb_csv, name: str, *params: str):
    """mfcc and prosody functionals of EmoDB's first 24 files (``--param`` ``params``)."""
    folder = emodb_csv.parent
    manifest = folder / "emodb24.csv"
    if not manifest.exists():
        pd.read_csv(emodb_csv).head(24).to_csv(manifest, index=False)
    out = folder / f"{name}.parquet"
    args = [a for p in params for a in ("--param", p)]
    assert main(["extract", str(manifest), "--set", "mfcc,prosody", *args, "-q", "-o",
                 str(out)]) == EXIT_OK
    return out


def test_select_drops_the_sets_whose_columns_it_leaves_out(emodb_csv, tmp_path, capsys):
    # the mfcc columns of an mfcc,prosody table still recorded prosody: info listed it, and a
    # model trained on them refused a table whose prosody (not one of its columns) was
    # extracted with another fmin ("prosody.fmin = 75 (model: 60.0)")
    from emofeat.classifiers import train

    import emofeat

    table = emofeat.read_table(_two_sets(emodb_csv, "pyin"))
    mfcc = [n for n in table.feature_names if n.startswith("mfcc")]
    assert len(mfcc) < len(table.feature_names)
    chosen = table.select(mfcc)
    assert [s["name"] for s in chosen.provenance["sets"]] == ["mfcc"]
    assert "sets=mfcc," in repr(chosen)
    # a part of a set's columns keeps the set; rows alone keep every set
    assert [s["name"] for s in table.select(mfcc[:3]).provenance["sets"]] == ["mfcc"]
    assert table.select(rows=[0, 1]).provenance["sets"] == table.provenance["sets"]
    assert table.select(table.feature_names[::-1]).provenance == table.provenance
    assert table.provenance["sets"][1]["name"] == "prosody"  # the table itself unchanged
    # the same selection made in pandas
    from emofeat.table import FeatureTable

    df = table.to_pandas()
    framed = FeatureTable.from_pandas(df[[*table.index.columns, *mfcc]], mfcc)
    assert [s["name"] for s in framed.provenance["sets"]] == ["mfcc"]
    assert FeatureTable.from_pandas(df, table.feature_names).provenance["sets"] == \
        table.provenance["sets"]
    path = tmp_path / "mfcc.parquet"
    chosen.to_parquet(path)
    assert main(["info", str(path)]) == EXIT_OK
    assert "set prosody" not in capsys.readouterr().out
    other = emofeat.read_table(_two_sets(emodb_csv, "fmin75", "prosody.fmin=75"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # 24 files: small classes
        model = train(chosen, "emotion")
        assert [s["name"] for s in model.feature_provenance["sets"]] == ["mfcc"]
        pred = model.predict(other.select(mfcc))
    assert len(pred) == len(other)


@pytest.mark.parametrize("backend", ["numpy_nullable", "pyarrow"])
def test_a_frame_through_convert_dtypes_keeps_the_provenance(emodb, backend):
    # convert_dtypes() makes EmoDB's start and end (floats: 0.0 and missing) Int64: taken for
    # an aggregate's change of kind, from_pandas gave the frame no provenance, where astype,
    # infer_objects, sorting, filtering and the rest keep it
    import emofeat
    from emofeat.table import FeatureTable

    table = emofeat.read_table(emodb)
    names = table.feature_names
    df = table.to_pandas()
    converted = df.convert_dtypes(dtype_backend=backend)
    assert str(converted["start"].dtype) in ("Int64", "int64[pyarrow]")
    expected = {k: v for k, v in table.provenance.items() if k not in ("n_inputs", "n_failed")}
    for frame in (converted, converted[converted["speaker"] == "03"], df.infer_objects(),
                  df.astype({"speaker": "string", "emotion": "category"}),
                  df.sort_values("speaker").reset_index(drop=True), df.copy()):
        read = FeatureTable.from_pandas(frame, names)
        assert read.provenance == expected
    assert FeatureTable.from_pandas(converted, names).select(rows=[0, 5]).equals(
        FeatureTable(table.X[[0, 5]], names, converted.iloc[[0, 5]][list(table.index.columns)],
                     expected))
    # an aggregate still gets none: the integer orig_sr made float by a mean, or a count that
    # makes the float start a NumPy integer column
    # (each must reach the kind check: the mean keeps EmoDB's row key text, without which
    # it got none for that; a groupby's count has no attrs in pandas 3, so the count
    # replaces start alone)
    means = df.groupby(["path", "text", "start", "end"], as_index=False).mean(
        numeric_only=True)
    assert means.attrs == df.attrs and means["orig_sr"].dtype == np.float64
    assert FeatureTable.from_pandas(means, names).provenance == {}
    counts = df.assign(start=df.groupby("path")["start"].transform("count"))
    assert counts.attrs == df.attrs and counts["start"].dtype == np.int64
    assert FeatureTable.from_pandas(counts, names).provenance == {}


@pytest.mark.parametrize("common", [True, False], ids=["common-metadata", "parts-alone"])
@pytest.mark.parametrize("column", ["speaker", "mfcc0_mean"])
def test_a_dataset_part_holding_a_column_twice_is_named(emodb_csv, tmp_path, capsys, common,
                                                        column):
    # a part of `emofeat extract -o dir/` with a column appended again by pyarrow (its
    # metadata kept): the folder read without a word, the first copy taken (a copy of other
    # values, 999.0, was never seen), where a file of a column twice is refused by name
    import shutil

    import pyarrow as pa
    import pyarrow.parquet as pq

    import emofeat

    folder = emodb_csv.parent / "parts"
    if not folder.exists():
        manifest = emodb_csv.parent / "emodb12.csv"
        pd.read_csv(emodb_csv).head(12).to_csv(manifest, index=False)
        assert main(["extract", str(manifest), "--set", "mfcc", "-q", "-o",
                     f"{folder}/"]) == EXIT_OK
        capsys.readouterr()
    out = tmp_path / "dataset"
    shutil.copytree(folder, out)
    if not common:
        (out / "_common_metadata").unlink()
    parts = sorted(out.glob("part-*.parquet"))
    assert len(parts) > 1
    part = pq.ParquetFile(parts[-1])
    arrow = part.read()
    copy = (arrow[column] if column == "speaker"
            else pa.array(np.full(len(arrow), 999.0)))
    pq.write_table(arrow.append_column(column, copy), parts[-1])
    with pytest.raises(ValueError) as caught:
        emofeat.read_table(out)
    said = str(caught.value)
    assert said.startswith(f"{parts[-1]}: the part has more than one column named "
                           f"['{column}']")
    assert len(said) < 300
    for argv in (["info", str(out)],
                 ["evaluate", str(out), "--target", "emotion", "--groups", "speaker"]):
        assert main(argv) == EXIT_USAGE
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and f"{parts[-1]}: the part has more than one" in err
    # a resume reads its sources by column name too: a rerun said "up to date" (exit 0), one
    # with changed labels rewrote the part keeping the last copy (999.0) and the folder then
    # read cleanly; likewise a single-file output
    manifest = emodb_csv.parent / "emodb12.csv"
    relabelled = tmp_path / "upper.csv"
    frame = pd.read_csv(manifest)
    frame.assign(emotion=frame["emotion"].str.upper()).to_csv(relabelled, index=False)
    single = tmp_path / "single.parquet"
    assert main(["extract", str(manifest), "--set", "mfcc", "-q", "-o", str(single)]) == EXIT_OK
    whole = pq.read_table(single)
    copy = whole[column] if column == "speaker" else pa.array(np.full(len(whole), 999.0))
    pq.write_table(whole.append_column(column, copy), single)  # the file's keys kept
    before = {p: p.read_bytes() for p in (*parts, single)}
    capsys.readouterr()
    for output, held, what in ((f"{out}/", parts[-1], "part"), (str(single), single, "file")):
        for listed in (manifest, relabelled):
            assert main(["extract", str(listed), "--set", "mfcc", "-q", "-o", output]) \
                == EXIT_USAGE
            err = capsys.readouterr().err
            assert f"{held}: the {what} has more than one column named ['{column}']" in err
    assert {p: p.read_bytes() for p in (*parts, single)} == before


def test_float_labels_come_back_as_the_floats_they_were(emodb, tmp_path, capsys):
    # an arousal of 2.0 and 2.5 classified (task="classification"): the labels, true, pred
    # and a model's classes came back as the text "2" and "2.5", so pred == the table's column
    # was never true and 2.0 read as the integer 2
    from emofeat.classifiers import evaluate, load_model, train

    import emofeat

    table = emofeat.read_table(emodb)
    high = table.index["emotion"].isin(["anger", "happiness", "fear"]).to_numpy()
    table.index["arousal"] = np.where(high, 2.5, 2.0)
    res = evaluate(table, "arousal", groups="speaker", task="classification")
    assert res.labels == [2.0, 2.5] and all(type(v) is float for v in res.labels)
    p = res.predictions
    assert p["true"].dtype == np.float64 and p["pred"].dtype == np.float64
    np.testing.assert_array_equal(p["true"], table.index["arousal"].to_numpy()[p["row"]])
    assert set(p["pred"]) == {2.0, 2.5}
    assert list(res.per_class["label"]) == [2.0, 2.5]
    model = train(table, "arousal", task="classification")
    assert model.classes == [2.0, 2.5]
    model.save(tmp_path / "arousal.joblib")
    pred = load_model(tmp_path / "arousal.joblib").predict(table)["pred"]
    assert pred.dtype == np.float64 and (pred == table.index["arousal"]).mean() > 0.6
    # the command writes them as such
    path = tmp_path / "arousal.parquet"
    table.to_parquet(path)
    assert main(["predict", str(tmp_path / "arousal.joblib"), str(path), "-o",
                 str(tmp_path / "p.parquet")]) == EXIT_OK
    assert pd.read_parquet(tmp_path / "p.parquet")["pred"].dtype == np.float64
    assert main(["info", str(tmp_path / "arousal.joblib")]) == EXIT_OK
    assert "floats (pred holds floats)" in capsys.readouterr().out
    # the report names the classes as they are, not as figures ("2.000" and "2.500")
    assert main(["evaluate", str(path), "--target", "arousal", "--groups", "speaker",
                 "--task", "classification", "-q", "--report", str(tmp_path / "rep")]) == EXIT_OK
    report = (tmp_path / "rep" / "report.md").read_text()
    assert "| true \\ predicted | 2.0 | 2.5 |" in report
    assert "\n| 2.5 | 267 | " in report and "2.500" not in report
    # integer ratings stay integers; numbers near a whole one are no ratings (allclose took
    # 2.000001 for 2 and made classes of a continuous target)
    table.index["arousal"] = np.where(high, 3.0, 2.0)
    assert evaluate(table, "arousal", groups="speaker").labels == [2, 3]
    table.index["arousal"] = np.where(high, 2.000001, 2.0)
    assert evaluate(table, "arousal", groups="speaker").task == "regression"


def test_ids_read_two_ways_are_refused_not_made_two_groups(emodb, tmp_path):
    # EmoDB's features, half of them moved through a CSV (speaker 3 where the table has
    # '03'): concat stacked them into one column of '03' and 3, and evaluate took the two for
    # two speakers, 13 groups of 10 people, three speakers on both sides of every LOSO split
    import re

    from emofeat.classifiers import DataError, evaluate, train

    import emofeat
    from emofeat.table import FeatureTable

    table = emofeat.read_table(emodb)
    table.to_pandas().iloc[1::2].to_csv(tmp_path / "odd.csv", index=False)
    odd = FeatureTable.from_pandas(pd.read_csv(tmp_path / "odd.csv"), table.feature_names)
    assert odd.index["speaker"].dtype.kind == "i"
    even = table.select(rows=slice(0, None, 2))
    pair = r"'(\d\d)' and (\d+), one id read two ways"
    with pytest.raises(ValueError, match=r"^table 1 holds 'speaker' ids as text and table 2 as "
                                         rf"numbers; stacked, 'speaker' holds {pair}") as caught:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the CSV's missing provenance
            FeatureTable.concat([even, odd])
    text, number = re.search(pair, str(caught.value)).groups()
    assert int(text) == int(number)
    # a stack built otherwise (pandas) is refused by evaluate and train, naming the column
    mixed = FeatureTable(np.concatenate([even.X, odd.X]), table.feature_names,
                         pd.concat([even.index, odd.index], ignore_index=True))
    # 13 groups of 10 speakers: '03', '08', '09' beside 3, 8, 9 ('10' and 10 are one text)
    assert mixed.index["speaker"].map(str).nunique() == 13
    with pytest.raises(DataError, match=rf"^column 'speaker' holds {pair}"):
        evaluate(mixed, "emotion", groups="speaker")
    with pytest.raises(DataError, match=rf"^column 'speaker' holds {pair}"):
        train(mixed, "emotion", groups="speaker", standardize="group")
    model = train(table, "emotion", groups="speaker", standardize="group")
    with pytest.raises(DataError, match=rf"^column 'speaker' holds {pair}"):
        model.predict(mixed)
    # the way out it gives makes them one kind, the ten speakers
    with pytest.raises(DataError) as caught:
        evaluate(mixed, "emotion", groups="speaker")
    fix = re.search(r"e\.g\. (table\.index\['speaker'\]) = (.*)$", str(caught.value))
    mixed.index["speaker"] = eval(fix.group(2), {"table": mixed})  # noqa: S307
    assert sorted(mixed.index["speaker"].unique()) == sorted(table.index["speaker"].unique())
    assert evaluate(mixed, "emotion", groups="speaker").per_group["group"].nunique() == 10


def test_text_and_numbers_are_refused_only_where_one_id_reads_two_ways(emodb, tmp_path):
    # the refusal of ids read two ways took any text beside any number: '3' and 3, one group
    # to evaluate (it compares ids as text), raised a false "read two ways"; 'S03' beside 12
    # and '' beside numbers too, and concat refused a target 'rating' of '1' and 1 in a
    # speaker's words. Now only a text and a number equal as numbers and unequal as text are
    from emofeat.classifiers import DataError, evaluate

    import emofeat
    from emofeat.table import FeatureTable, mixed_ids

    table = emofeat.read_table(emodb)
    number = table.index["speaker"].astype(int)
    alternate = [str(v) if k % 2 else int(v) for k, v in enumerate(number)]
    plain = table.index.assign(speaker=pd.Series(alternate, dtype=object))
    res = evaluate(FeatureTable(table.X, table.feature_names, plain), "emotion",
                   groups="speaker")
    assert res.per_group["group"].nunique() == number.nunique() == 10
    for values in (["S03", 12, "S08"], ["", 3, 8], ["a", 3.5]):
        assert mixed_ids(pd.Series(values, dtype=object)) is None
    # one id read two ways is still refused: '3' and 3.0 are two texts ('3', '3.0')
    floated = [str(v) if k % 2 else float(v) for k, v in enumerate(number)]
    with pytest.raises(DataError, match=r"'(\d+)' and (\d+\.0), one id read two ways"):
        evaluate(FeatureTable(table.X, table.feature_names,
                              table.index.assign(speaker=pd.Series(floated, dtype=object))),
                 "emotion", groups="speaker")
    # concat: a target of '1' and 1 is one value as text; '1' and 1.0 is refused, not in a
    # speaker's words
    half = len(table) // 2
    first, second = table.select(rows=slice(0, half)), table.select(rows=slice(half, None))
    first.index["rating"] = "1"
    second.index["rating"] = 1
    assert list(FeatureTable.concat([first, second]).index["rating"].astype(str).unique()) \
        == ["1"]
    second.index["rating"] = 1.0
    with pytest.raises(ValueError, match=r"'rating' holds '1' and 1\.0, one value read two "
                                         r"ways") as caught:
        FeatureTable.concat([first, second])
    assert "speaker" not in str(caught.value)


def test_the_way_out_of_ids_read_two_ways_makes_them_one():
    # review of 82b04d1: the way out padded the numbers wherever the text's strip() was
    # digits, leaving ' 3' and '３' text beside the padded '3' (two groups still), and
    # advised int(v) where 3.5 stands beside '3' and 3.0, making 3.5 the id '3'. Each way
    # given is applied here: the ids read two ways are one group, the others apart.
    # Review of 6a818f8: the way given is checked by applying it; where none of the
    # column's kind makes each pair one string, each number is mapped to its text
    import re
    from types import SimpleNamespace

    from emofeat.classifiers import DataError
    from emofeat.classifiers.validation import refuse_mixed_ids

    from emofeat.table import mixed_ids

    for values, groups in (([" 3", 3], 1), (["３", 3], 1), (["3", 3.0, 3.5], 2),
                           (["03", 3, 3.5], 2), (["03", 3, None], 1), (["3.0", 3], 1),
                           (["3_0", 30], 1), (["S03", " 3", 3], 2), (["3", 3.0], 1),
                           # the padding gave 12 the '12' beside '012', and 5 the '05' beside
                           # '5'; text left '3.0' beside '3': a map of each number to its text
                           (["03", "012", 3, 12], 2), (["03", "5", 3, 5], 2),
                           (["3.0", "S1", 3], 2), (["03", "x", 3, 3.5], 3)):
        column = pd.Series(values, dtype=object)
        with pytest.raises(DataError) as caught:
            refuse_mixed_ids(column, "speaker")
        said = str(caught.value)
        assert said.startswith("column 'speaker' holds "), said
        fix = re.search(r"e\.g\. table\.index\['speaker'\] = (.*)$", said).group(1)
        table = SimpleNamespace(index=pd.DataFrame({"speaker": column}))
        one = eval(fix, {"table": table, "pd": pd})  # noqa: S307
        assert mixed_ids(one) is None, (values, fix)
        assert one.dropna().astype(str).nunique() == groups, (values, fix, list(one))
    # integers compared exactly, not as floats: 2**53 + 1 as text is another id than 2**53;
    # an int past float's range was a bare OverflowError
    assert mixed_ids(pd.Series([str(2**53 + 1), 2**53], dtype=object)) is None
    assert mixed_ids(pd.Series([f"{2**53}.0", 2**53], dtype=object)) is not None
    assert mixed_ids(pd.Series(["1e1", 10], dtype=object)) is not None
    assert mixed_ids(pd.Series(["a3", 10**400], dtype=object)) is None


def test_ids_read_two_ways_of_two_corpora_are_given_a_prefix_not_padded(
        emodb, ravdess_dir, tmp_path):
    # EmoDB's features (speaker '03') stacked with RAVDESS's read back from CSV (actor 3):
    # the way out padded 3 to '03', one speaker of two people (the SharedIdWarning came only
    # after it was taken). Recordings in separate folders are given a prefix first
    import re

    import emofeat
    from emofeat.datasets import load_ravdess
    from emofeat.errors import SharedIdWarning
    from emofeat.table import FeatureTable

    manifest = load_ravdess(ravdess_dir)
    rav, read = ravdess_mfcc_read_back_from_csv(
        tmp_path,
        manifest[manifest["speaker"].isin(["03", "08"])].groupby("speaker").head(2))
    emo = emofeat.read_table(emodb)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the CSV's missing provenance
        with pytest.raises(ValueError) as caught:
            FeatureTable.concat([emo, read])
    said = str(caught.value)
    assert "'speaker' holds '03' and 3, one id read two ways" in said
    assert re.search(r"the recordings of table 1 lie under '[^']*emodb' and those of table 2 "
                     r"under '[^']*ravdess': if these are two corpora, give each corpus's ids "
                     r"a prefix of its own before stacking", said)
    prefix = re.search(r"e\.g\. t\.index\['speaker'\] = ('emodb_' \+ [^;]*);", said).group(1)
    emo.index["speaker"] = eval(prefix, {"t": emo})  # noqa: S307
    read.index["speaker"] = "ravdess_" + read.index["speaker"].astype("string")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        warnings.simplefilter("error", SharedIdWarning)
        both = FeatureTable.concat([emo, read])
    assert both.index["speaker"].nunique() == 12


def test_files_and_models_of_a_selection_written_before_select_dropped_sets_heal(
        emodb_csv, tmp_path, capsys):
    # select has left out the sets of the columns it drops since b39743f, but a file written
    # and a model saved before kept them: the file of an mfcc selection listed mfcc and
    # prosody, and its model refused a table whose prosody (none of its columns) was
    # extracted with fmin=75 ("prosody.fmin = 75 (model: 60.0)")
    import copy

    from emofeat.classifiers import compatibility, load_model, train

    import emofeat
    from emofeat.table import FeatureTable

    table = emofeat.read_table(_two_sets(emodb_csv, "pyin"))
    mfcc = [n for n in table.feature_names if n.startswith("mfcc")]
    columns = [table.feature_names.index(n) for n in mfcc]
    # as select made them before: the columns, the whole table's provenance
    stale = FeatureTable(table.X[:, columns], mfcc, table.index.copy(),
                         copy.deepcopy(table.provenance))
    assert [s["name"] for s in stale.provenance["sets"]] == ["mfcc", "prosody"]
    path = tmp_path / "old_select.parquet"
    stale.to_parquet(path)
    back = emofeat.read_table(path)
    assert [s["name"] for s in back.provenance["sets"]] == ["mfcc"]
    assert main(["info", str(path)]) == EXIT_OK
    assert "set prosody" not in capsys.readouterr().out
    framed = FeatureTable.from_pandas(stale.to_pandas(), mfcc)  # its frame, attrs and all
    assert [s["name"] for s in framed.provenance["sets"]] == ["mfcc"]
    # a column of no recorded set (a set of one's own named otherwise): nothing is dropped
    own = FeatureTable(table.X[:, columns], ["own0", *mfcc[1:]], table.index.copy(),
                       copy.deepcopy(table.provenance))
    own.to_parquet(tmp_path / "own.parquet")
    assert emofeat.read_table(tmp_path / "own.parquet").provenance["sets"] == \
        table.provenance["sets"]
    # review of af39dba: a set of one's own whose columns begin with emofeat's set's name
    # (a 'delta' of mfcc_delta*) owns none by its name, and was dropped on every read, from
    # a frame and from a model loaded: a provenance with a set not emofeat's is not healed
    delta = {"name": "delta", "class": "mypkg.Delta", "params": {"order": 2}}
    mine = copy.deepcopy(table.provenance)
    mine["sets"] = [s for s in mine["sets"] if s["name"] == "mfcc"] + [delta]
    assert mine["sets"][0]["class"].startswith("emofeat.")
    names = [*mfcc[:-1], "mfcc_delta0_mean"]
    with_delta = FeatureTable(table.X[:, columns], names, table.index.copy(), mine)
    with_delta.to_parquet(tmp_path / "delta.parquet")
    for got in (emofeat.read_table(tmp_path / "delta.parquet"),
                FeatureTable.from_pandas(with_delta.to_pandas(), names)):
        assert got.provenance["sets"] == mine["sets"]
    # nor an emofeat set recorded without its class whose name emofeat does not register
    unregistered = copy.deepcopy(mine)
    unregistered["sets"][1] = {"name": "delta", "params": {}}
    assert FeatureTable.from_pandas(
        FeatureTable(table.X[:, columns], names, table.index.copy(),
                     unregistered).to_pandas(), names).provenance["sets"] == \
        unregistered["sets"]
    # a model saved with the whole table's sets heals when loaded
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # 24 files: small classes
        model = train(table.select(mfcc), "emotion")
    model.feature_provenance = compatibility.feature_provenance(table.provenance)
    model.save(tmp_path / "old.joblib")
    other = emofeat.read_table(_two_sets(emodb_csv, "fmin75", "prosody.fmin=75"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        loaded = load_model(tmp_path / "old.joblib")
        assert [s["name"] for s in loaded.feature_provenance["sets"]] == ["mfcc"]
        assert len(loaded.predict(other.select(mfcc))) == len(other)
    model.feature_provenance = compatibility.feature_provenance(mine)
    model.save(tmp_path / "delta.joblib")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        loaded = load_model(tmp_path / "delta.joblib")
    assert [s["name"] for s in loaded.feature_provenance["sets"]] == ["mfcc", "delta"]

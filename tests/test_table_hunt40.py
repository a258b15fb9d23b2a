"""Bug hunt 40 in the feature table, its parquet files and the commands that read them
(``info``, ``evaluate``, ``train``, ``predict``), on real EmoDB features as ``emofeat extract``
writes them: each test failed before its fix."""

from __future__ import annotations

import re

import numpy as np
import pytest
from conftest import ravdess_mfcc_read_back_from_csv

from emofeat.cli import EXIT_OK, EXIT_USAGE, main


@pytest.fixture(scope="module")
def emodb(emodb_dir, tmp_path_factory):
    """The path of emofeat's mfcc functionals of EmoDB, written by ``emofeat extract``."""
    from emofeat.datasets import load_emodb

    folder = tmp_path_factory.mktemp("hunt40")
    load_emodb(emodb_dir).to_csv(folder / "emodb.csv", index=False)
    path = folder / "emodb.parquet"
    assert main(["extract", str(folder / "emodb.csv"), "--set", "mfcc", "-q", "-o",
                 str(path)]) == EXIT_OK
    return path


@pytest.mark.parametrize("command", ["evaluate", "train"])
def test_a_group_column_without_values_is_named_not_the_target(emodb, tmp_path, capsys,
                                                                command):
    # a session column left empty (every EmoDB row has its emotion): the refusal said
    # "every 'emotion' value is missing or unmapped", sending the user to a column that is
    # whole
    import emofeat

    table = emofeat.read_table(emodb)
    table.index["session"] = np.nan
    path = tmp_path / "sessions.parquet"
    table.to_parquet(path)
    args = (["--groups", "session", "-q"] if command == "evaluate"
            else ["--normalize-per", "session", "-o", str(tmp_path / "m.joblib")])
    assert main([command, str(path), "--target", "emotion", *args]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert "'session' column has no value" in err
    assert "every 'emotion' value is missing" not in err
    # the target's own absence and a table of no rows are each said as they are
    table.index["emotion"] = None
    table.to_parquet(path)
    assert main([command, str(path), "--target", "emotion", *args]) == EXIT_USAGE
    assert "every 'emotion' value is missing" in capsys.readouterr().err
    table.index["emotion"] = "anger"
    table.select(rows=[]).to_parquet(path)
    assert main([command, str(path), "--target", "emotion", *args]) == EXIT_USAGE
    assert "the table has no rows" in capsys.readouterr().err
    if command == "evaluate":  # label sets too: "ufunc 'invert' not supported" before
        assert main([command, str(path), "--target", "emotion", "--multilabel",
                     *args]) == EXIT_USAGE
        assert "the table has no rows" in capsys.readouterr().err


def test_a_column_written_twice_by_another_tool_is_named(emodb, tmp_path, capsys):
    # a label column appended again with pyarrow (the metadata kept): reading the file was
    # pyarrow's "Multiple matches for FieldRef.Name(speaker) in path: large_string" followed
    # by every one of the 675 columns of the schema, over 14,000 characters on one error
    import pyarrow.parquet as pq

    import emofeat

    arrow = pq.read_table(emodb)
    for column in ("speaker", "mfcc0_mean"):  # an identity column, a feature column
        path = tmp_path / f"twice_{column}.parquet"
        pq.write_table(arrow.append_column(column, arrow[column]), path)
        with pytest.raises(ValueError) as caught:
            emofeat.read_table(path)
        said = str(caught.value)
        assert said.startswith(str(path)) and f"more than one column named ['{column}']" in said
        assert len(said) < 300
        for argv in (["info", str(path)],
                     ["evaluate", str(path), "--target", "emotion", "--groups", "speaker"],
                     ["predict", str(tmp_path / "m.joblib"), str(path), "-o",
                      str(tmp_path / "p.csv")]):
            if argv[0] == "predict" and not (tmp_path / "m.joblib").exists():
                assert main(["train", str(emodb), "--target", "emotion", "-o",
                             str(tmp_path / "m.joblib")]) == EXIT_OK
                capsys.readouterr()
            assert main(argv) == EXIT_USAGE
            err = capsys.readouterr().err
            assert err.count("\n") == 1 and f"{path}: the file has more than one column" in err


def test_read_table_names_the_file_it_refuses(emodb, tmp_path):
    # emofeat.read_table of a file pandas wrote said "this parquet file was not written by
    # emofeat" without saying which: a script reading a folder of tables could not tell
    import emofeat

    path = tmp_path / "pandas.parquet"
    df = emofeat.read_table(emodb).to_pandas()
    df.attrs.clear()  # a frame of features of another tool's
    df.to_parquet(path)
    with pytest.raises(ValueError, match=f"^{re.escape(str(path))}: this parquet file was not "
                                         "written by"):
        emofeat.read_table(path)


@pytest.mark.parametrize("kind", ["string", "timestamp"])
def test_a_feature_column_edited_into_no_numbers_is_refused_by_name(emodb, tmp_path, capsys,
                                                                   kind):
    # mfcc0_mean cast to text by another tool (metadata kept): NumPy parsed the text back
    # into X without a word, and read timestamps as their numbers (a date became
    # 1.6e12), where from_pandas refuses both naming the column
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    import emofeat

    arrow = pq.read_table(emodb)
    j = arrow.schema.get_field_index("mfcc0_mean")
    column = (pc.cast(arrow["mfcc0_mean"], pa.string()) if kind == "string"
              else pa.array(np.arange(arrow.num_rows).astype("datetime64[s]")))
    path = tmp_path / f"{kind}.parquet"
    pq.write_table(arrow.set_column(j, "mfcc0_mean", column), path)
    with pytest.raises(ValueError, match=r"not numeric in the file: 'mfcc0_mean' \("):
        emofeat.read_table(path)
    assert main(["evaluate", str(path), "--target", "emotion", "--groups", "speaker",
                 "-q"]) == EXIT_USAGE
    assert f"{path}: feature columns must be numeric" in capsys.readouterr().err
    # numbers of other types are numbers: integers, booleans, missing values
    pq.write_table(arrow.set_column(j, "mfcc0_mean", pa.array(
        [1, None] * (arrow.num_rows // 2) + [1], type=pa.int64())), path)
    x = emofeat.read_table(path).column("mfcc0_mean").to_numpy()
    assert x[0] == 1 and np.isnan(x[1])


def test_a_parquet_file_emofeat_wrote_otherwise_is_not_called_foreign(emodb, tmp_path,
                                                                      capsys):
    # emofeat predict's parquet predictions, and a table's to_pandas() written by pandas
    # (edited there, say), were both "not written by emofeat ... use FeatureTable.from_pandas
    # with the feature column names": the first was emofeat's, and the second's attrs hold
    # the names
    import json

    import pandas as pd

    import emofeat
    from emofeat.table import FeatureTable

    model, preds = tmp_path / "m.joblib", tmp_path / "preds.parquet"
    assert main(["train", str(emodb), "--target", "emotion", "-o", str(model)]) == EXIT_OK
    assert main(["predict", str(model), str(emodb), "-o", str(preds)]) == EXIT_OK
    capsys.readouterr()
    for command in (["info"], ["evaluate"], ["predict", str(model)]):
        argv = [*command, str(preds)] + ({"info": [], "evaluate": ["--target", "emotion"],
                                          "predict": ["-o", str(tmp_path / "p2.csv")]}
                                         [command[0]])
        assert main(argv) == EXIT_USAGE
        err = capsys.readouterr().err
        assert "holds predictions emofeat predict wrote, not features" in err
        assert "not written by emofeat" not in err
    frame = tmp_path / "pandas.parquet"
    table = emofeat.read_table(emodb)
    df = table.to_pandas()
    df["mfcc0_mean"] -= df["mfcc0_mean"].mean()  # an edit in pandas, written back by pandas
    df.to_parquet(frame)
    with pytest.raises(ValueError, match="written by pandas") as caught:
        emofeat.read_table(frame)
    assert "attrs['emofeat']" in str(caught.value)
    # the way it gives works, also after a feature column was dropped in pandas (the
    # recipe's names taken as they were gave pandas' KeyError: not in index)
    df = pd.read_parquet(frame)
    names = [c for c in json.loads(df.attrs["emofeat"])["feature_names"] if c in df]
    back = FeatureTable.from_pandas(df, names)
    assert back.feature_names == table.feature_names and back.provenance["sets"]
    dropped = pd.read_parquet(frame).drop(columns=["mfcc1_mean"])
    names = [c for c in json.loads(dropped.attrs["emofeat"])["feature_names"] if c in dropped]
    back = FeatureTable.from_pandas(dropped, names)
    assert len(back.feature_names) == len(table.feature_names) - 1 and back.provenance["sets"]
    assert "if c in df]" in str(caught.value)
    # a parquet file of another tool is still said to be one
    pd.DataFrame({"a": [1.0]}).to_parquet(tmp_path / "plain.parquet")
    with pytest.raises(ValueError, match="not written by emofeat"):
        emofeat.read_table(tmp_path / "plain.parquet")


def test_a_table_of_one_class_names_the_class_plainly(emodb, tmp_path, capsys):
    # EmoDB's anger rows alone: "column 'emotion' has a single class (np.str_('anger'))",
    # NumPy's repr of the label in a one-line refusal
    import emofeat

    table = emofeat.read_table(emodb)
    path = tmp_path / "anger.parquet"
    table.select(rows=np.flatnonzero(table.index["emotion"] == "anger")).to_parquet(path)
    assert main(["train", str(path), "--target", "emotion", "-o",
                 str(tmp_path / "m.joblib")]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert "single class ('anger')" in err and "np.str_" not in err


def test_a_stack_with_a_table_without_provenance_claims_none(emodb, tmp_path):
    # EmoDB's table stacked with features read back from a CSV (no provenance: extracted
    # who knows how): the stack carried the first table's provenance, so a model's check
    # passed the CSV's rows as extracted with its parameters, and given the other way round
    # the stack had none: which, by the order the list was in
    import pandas as pd

    import emofeat
    from emofeat.table import FeatureTable

    table = emofeat.read_table(emodb)
    table.to_pandas().to_csv(tmp_path / "features.csv", index=False)
    # the speaker ids read as text, as the table has them: '03' and 3 are refused
    # (test_table_left41.py)
    other = FeatureTable.from_pandas(pd.read_csv(tmp_path / "features.csv",
                                                 dtype={"speaker": str}),
                                     table.feature_names)
    assert not other.provenance
    for order in ([table, other], [other, table]):
        with pytest.warns(UserWarning, match=r"record[s]? no provenance"):
            stacked = FeatureTable.concat(order)
        assert stacked.provenance == {} and len(stacked) == 2 * len(table)
    # tables that all record it, or none, stack as before, without a word
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert FeatureTable.concat([table, table]).provenance["sets"]
        assert FeatureTable.concat([other, other]).provenance == {}
        # an empty start without provenance describes no rows: the others' provenance stays,
        # and beside tables without provenance it says nothing
        assert FeatureTable.concat([other.select(rows=[]), table]).provenance["sets"]
        assert FeatureTable.concat([other.select(rows=[]), other]).provenance == {}


def test_a_file_that_cannot_be_written_is_named_not_its_temporary(emodb, tmp_path):
    # to_parquet into a folder that does not exist said "Failed to open local file
    # 'nodir/.tmp-30197-x.parquet'": a name the user never gave (the atomic write's
    # temporary); a model's save too
    from emofeat.classifiers import train

    import emofeat

    table = emofeat.read_table(emodb)
    one = table.select(rows=[0])
    (tmp_path / "taken").mkdir()
    for path, error in ((tmp_path / "nodir" / "x.parquet", FileNotFoundError),
                        (tmp_path / "taken", IsADirectoryError)):
        with pytest.raises(error) as caught:
            one.to_parquet(path)
        assert caught.value.filename == str(path) and ".tmp-" not in str(caught.value)
    model = train(table.select([n for n in table.feature_names if n.endswith("_mean")]),
                  "emotion")
    with pytest.raises(FileNotFoundError) as caught:
        model.save(tmp_path / "nodir" / "m.joblib")
    assert ".tmp-" not in str(caught.value) and "m.joblib" in str(caught.value)
    assert not list(tmp_path.glob("**/.tmp-*"))


def test_a_row_mask_with_missing_values_says_so(emodb):
    # EmoDB with speaker 03's age unknown (a nullable integer column): select(rows=age > 30)
    # was NumPy's "arrays used as indices must be of integer (or boolean) type"
    import pandas as pd

    import emofeat

    table = emofeat.read_table(emodb)
    unknown = table.index["speaker"] == "03"
    table.index["age"] = pd.array(table.index["age"].where(~unknown), dtype="Int64")
    older = table.index["age"] > 30
    arrow = table.index["age"].astype("int64[pyarrow]") > 30  # dtype_backend="pyarrow"
    objects = older.astype(object)  # True/False/NA in an object column
    for mask in (older, older.array, arrow, objects):
        with pytest.raises(ValueError, match=f"row mask holds {unknown.sum()} missing values"):
            table.select(rows=mask)
    kept = table.select(rows=older.fillna(False))
    assert len(kept) == int((older.fillna(False)).sum()) > 0
    for mask in (arrow.fillna(False), objects.fillna(False)):  # kept by the same rows
        assert table.select(rows=mask).index["path"].tolist() == kept.index["path"].tolist()
    # positions with a missing one are no mask: fillna(False) would pick row 0
    for positions in (pd.array([3, None, 5], dtype="Int64"),
                      pd.Series([3, pd.NA, 5], dtype=object), pd.Series([3, np.nan, 5])):
        with pytest.raises(ValueError, match=r"row positions hold 1 missing value: .*dropna"):
            table.select(rows=positions)
    assert (kept.index["age"] > 30).all()


def test_an_identity_column_of_mixed_kinds_is_named_when_written(emodb, ravdess_dir,
                                                                  tmp_path):
    # EmoDB's table stacked with RAVDESS features read back from a CSV (speaker 1, not
    # '01'): to_parquet was pyarrow's TypeError ("Expected bytes, got a 'int' object",
    # 'Conversion failed for column speaker with type object')

    import pandas as pd

    import emofeat
    from emofeat.datasets import load_ravdess
    from emofeat.table import FeatureTable

    manifest = load_ravdess(ravdess_dir)
    ravdess, read = ravdess_mfcc_read_back_from_csv(
        tmp_path, manifest[manifest["speaker"].isin(["01", "02"])])
    emodb_table = emofeat.read_table(emodb)
    # FeatureTable.concat refuses the mix (test_table_left41.py); a stack built from the
    # frames has it
    both = FeatureTable(np.concatenate([emodb_table.X, read.X]), emodb_table.feature_names,
                        pd.concat([emodb_table.index, read.index], ignore_index=True))
    with pytest.raises(ValueError, match=r"'speaker' \(str in 535 rows, int in "
                                         rf"{len(read)} rows\)") as caught:
        both.to_parquet(tmp_path / "both.parquet")
    assert 'astype("string")' in str(caught.value)
    both.index["speaker"] = both.index["speaker"].astype("string")
    both.to_parquet(tmp_path / "both.parquet")
    assert len(emofeat.read_table(tmp_path / "both.parquet")) == len(both)
    # one kind parquet has no type for is said so, not as a mix
    from pathlib import Path

    paths = both.select(rows=[0, 1])
    paths.index["path"] = [Path(p) for p in paths.index["path"]]
    with pytest.raises(ValueError, match=r"values parquet has no type for .*'path' "
                                         r"\(PosixPath in 2 rows\)"):
        paths.to_parquet(tmp_path / "paths.parquet")
    # label sets beside single labels: made lists, not text (which made "['a', 'b']")
    sets = both.select(rows=[0, 1, 2])
    sets.index["tags"] = pd.Series(["a", ["a", "b"], "b"], dtype=object)
    with pytest.raises(ValueError, match=r"make every cell of 'tags' a list of labels"):
        sets.to_parquet(tmp_path / "sets.parquet")
    # cells as read_parquet gives them (arrays), beside a speaker of two kinds: each its fix
    sets.index["tags"] = pd.Series(["a", np.array(["a", "b"]), "b"], dtype=object)
    sets.index["speaker"] = pd.Series(["03", 1, "08"], dtype=object)
    with pytest.raises(ValueError, match=r"'tags' a list of labels.*; make each of the "
                                         r"others \('speaker'\) one text"):
        sets.to_parquet(tmp_path / "sets.parquet")
    # a run's manifest of such ids is refused before any work, naming the column
    from emofeat.registry import get_extractor
    from emofeat.runner import run

    mixed = manifest.head(2).copy()
    mixed["speaker"] = ["01", 2]
    for layout in ("file", "dataset"):
        out = tmp_path / f"mixed-{layout}"
        with pytest.raises(ValueError, match=r"the manifest's identity columns that mix kinds "
                                             r".*'speaker' \(str in 1 row, int in 1 row\)"):
            run(mixed, [get_extractor("mfcc")], output=out, layout=layout)
        assert not [p for p in tmp_path.iterdir() if p.name.startswith(f"mixed-{layout}")]


def test_a_model_of_selected_columns_is_told_to_select_not_to_extract_again(emodb, tmp_path,
                                                                            capsys):
    # a model trained on EmoDB's 39 mfcc means (train(table.select(...))) given the whole
    # table it came from: "extract the table with the same feature sets and parameters
    # (['mfcc'])", which gives the same 663 columns, refused again
    from emofeat.classifiers import DataError, train

    import emofeat

    table = emofeat.read_table(emodb)
    means = [n for n in table.feature_names if n.endswith("_mean")]
    model = train(table.select(means), "emotion")
    more = len(table.feature_names) - len(means)
    with pytest.raises(DataError, match=rf"model's {len(means)} features and {more} more") \
            as caught:
        model.predict(table)
    assert "table.select(model.feature_names)" in str(caught.value)
    assert "extract the table with the same" not in str(caught.value)
    assert "sets alone" not in str(caught.value)  # the table is of the model's sets
    # a model of the mfcc set given a table of mfcc and prosody: that set is named
    import pandas as pd

    manifest = tmp_path / "two.csv"
    pd.read_csv(emodb.parent / "emodb.csv").head(2).to_csv(manifest, index=False)
    both = tmp_path / "both.parquet"
    assert main(["extract", str(manifest), "--set", "mfcc,prosody", "-q", "-o",
                 str(both)]) == EXIT_OK
    with pytest.raises(DataError, match=r"the table has sets the model lacks \(prosody\), or the "
                                        r"model was trained on a selection of a table's "
                                        r"columns; give it the same selection.*, or a table of "
                                        r"the model's "
                                        r"sets alone \(mfcc\) if it was trained on every "
                                        r"column of theirs"):
        train(table, "emotion").predict(emofeat.read_table(both))
    model.save(tmp_path / "means.joblib")
    assert main(["predict", str(tmp_path / "means.joblib"), str(emodb), "-o",
                 str(tmp_path / "p.csv")]) == EXIT_USAGE
    assert "table.select(model.feature_names)" in capsys.readouterr().err
    # what it says works
    selected = tmp_path / "selected.parquet"
    table.select(model.feature_names).to_parquet(selected)
    assert main(["predict", str(tmp_path / "means.joblib"), str(selected), "-o",
                 str(tmp_path / "p.csv")]) == EXIT_OK


def test_concat_refusals_name_the_table_and_the_names(emodb, tmp_path):
    # three EmoDB tables, the third of 1 s windows: "tables were extracted differently"
    # without saying which; an n_mfcc=20 table (357 names more) and the same names in
    # another order were both "tables have different feature names", nothing more
    import pandas as pd

    import emofeat
    from emofeat.table import FeatureTable

    table = emofeat.read_table(emodb)
    windows, twenty = tmp_path / "windows.parquet", tmp_path / "twenty.parquet"
    manifest = tmp_path / "two.csv"  # two of the fixture's EmoDB files
    pd.read_csv(emodb.parent / "emodb.csv").head(2).to_csv(manifest, index=False)
    assert main(["extract", str(manifest), "--set", "mfcc", "--segment", "1s", "-q", "-o",
                 str(windows)]) == EXIT_OK
    assert main(["extract", str(manifest), "--set", "mfcc", "--param", "n_mfcc=20", "-q",
                 "-o", str(twenty)]) == EXIT_OK
    with pytest.raises(ValueError, match=r"^tables 1 and 3 were extracted differently "
                                         r"\(segments: None vs"):
        FeatureTable.concat([table, table, emofeat.read_table(windows)])
    with pytest.raises(ValueError, match=r"table 2 has other feature names than table 1 .*"
                                         r"it has 357 names table 1 lacks \(e\.g\. "
                                         r"\['mfcc13_mean'"):
        FeatureTable.concat([table, emofeat.read_table(twenty)])
    with pytest.raises(ValueError, match=r"table 2 .* the same names in another order"):
        FeatureTable.concat([table, table.select(table.feature_names[::-1])])
    # an empty start without provenance keeps the tables' numbers and their check (it was
    # left out first: 'tables 1 and 2' for the user's 2 and 3)
    empty = table.select(rows=[])
    empty.provenance = {}  # an accumulation's start, built in memory
    with pytest.raises(ValueError, match=r"^tables 2 and 4 were extracted differently"):
        FeatureTable.concat([empty, table, table, emofeat.read_table(windows)])


def test_from_pandas_names_the_feature_names_the_frame_lacks(emodb):
    # a misspelt name was pandas' "['mfcc0_maen'] not in index"; one name given as a string
    # was taken character by character: "None of [Index(['m', 'f', 'c', 'c', '0', ...])]"
    import emofeat
    from emofeat.table import FeatureTable

    table = emofeat.read_table(emodb)
    df = table.to_pandas()
    with pytest.raises(KeyError, match=r"1 name of feature_names not among the frame's "
                                       r"columns: \['mfcc0_maen'\]"):
        FeatureTable.from_pandas(df, [*table.feature_names[:3], "mfcc0_maen"])
    one = FeatureTable.from_pandas(df, "mfcc0_mean")
    assert one.feature_names == ["mfcc0_mean"]
    np.testing.assert_array_equal(one.X[:, 0], table.column("mfcc0_mean").to_numpy())
    assert one.provenance["sets"] == table.provenance["sets"]


def test_a_table_path_starting_with_a_tilde_is_in_the_home_folder(emodb, tmp_path,
                                                                   monkeypatch):
    # model.save('~/m.joblib') and load_model take '~' as the home folder (as the commands
    # do), but table.to_parquet('~/t.parquet') was "No such file or directory" (a folder
    # named '~' in the working one) and read_table('~/t.parquet') "no such file or folder"
    import emofeat

    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(tmp_path)
    table = emofeat.read_table(emodb)
    table.to_parquet("~/t.parquet")
    assert (home / "t.parquet").is_file() and not (tmp_path / "~").exists()
    assert emofeat.read_table("~/t.parquet").equals(table)
    # a run's output too: its parts went to './~/x.parquet.parts', pyarrow's write to the
    # home folder, and the finish failed with FileNotFoundError
    import pandas as pd

    from emofeat.registry import get_extractor
    from emofeat.runner import run

    files = pd.read_csv(emodb.parent / "emodb.csv")["path"].head(2).tolist()
    for out in ("~/run.parquet", "~/run_ds"):
        res = run(files, [get_extractor("mfcc")], output=out)
        assert res.output == str(home / out[2:]) and not (tmp_path / "~").exists()
        assert len(emofeat.read_table(home / out[2:])) == 2


def test_a_frame_of_pyarrow_strings_keeps_the_provenance(emodb, tmp_path):
    # to_pandas() written by pandas and read back with dtype_backend="pyarrow": its text
    # columns are kind 'U' where to_pandas recorded 'O', taken for an aggregation's change
    # of kind, so from_pandas gave the table no provenance (and predict nothing to check)
    import json

    import pandas as pd

    import emofeat
    from emofeat.table import FeatureTable

    table = emofeat.read_table(emodb)
    table.to_pandas().to_parquet(tmp_path / "frame.parquet")
    df = pd.read_parquet(tmp_path / "frame.parquet", dtype_backend="pyarrow")
    names = json.loads(df.attrs["emofeat"])["feature_names"]
    back = FeatureTable.from_pandas(df, names)
    assert back.provenance["sets"] == table.provenance["sets"]
    # an aggregation over the rows still gets none
    means = df.groupby("speaker", as_index=False)[names].mean()
    assert FeatureTable.from_pandas(means, names).provenance == {}

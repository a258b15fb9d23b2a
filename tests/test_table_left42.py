"""Leftovers of the feature table (session 42), on real EmoDB and RAVDESS features as
``emofeat extract`` writes them: each test failed before its fix."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from conftest import shared_path

from emofeat.cli import EXIT_OK, EXIT_SOME_FAILED, main


@pytest.fixture(scope="module")
def emodb_run(emodb_dir, tmp_path_factory):
    """The mfcc functionals of EmoDB's first 30 files by the command, from a manifest that
    also lists a file that is not there: a run of 31 inputs, one failed."""
    from emofeat.datasets import load_emodb

    folder = tmp_path_factory.mktemp("left42")
    manifest = load_emodb(emodb_dir).head(30)
    gone = manifest.iloc[[0]].assign(path=str(folder / "gone.flac"))
    pd.concat([manifest, gone], ignore_index=True).to_csv(folder / "emodb.csv", index=False)
    out = folder / "emodb.parquet"
    assert main(["extract", str(folder / "emodb.csv"), "--set", "mfcc", "-q", "-o",
                 str(out)]) == EXIT_SOME_FAILED
    return out


def test_selected_and_stacked_rows_do_not_claim_the_runs_counts(emodb_run, tmp_path):
    # 10 rows selected from a run of 31 inputs (1 failed) still said n_inputs 31, n_failed 1,
    # and so did the stack of two tables and a parquet file of either; from_pandas of the
    # same rows dropped them
    import emofeat
    from emofeat.table import FeatureTable

    table = emofeat.read_table(emodb_run)
    assert len(table) == 30
    assert (table.provenance["n_inputs"], table.provenance["n_failed"]) == (31, 1)
    counts = {"n_inputs", "n_failed"}
    few = table.select(rows=np.arange(10))
    assert not counts & set(few.provenance)
    assert not counts & set(table.select(rows=table.index["speaker"] == "03").provenance)
    assert not counts & set(table.select(table.feature_names[:5], rows=slice(0, 3)).provenance)
    # the rest of the record is the run's, as it was; the table itself keeps its counts
    assert few.provenance == {k: v for k, v in table.provenance.items() if k not in counts}
    assert table.provenance["n_inputs"] == 31
    # columns alone: the rows are the run's, and so are its counts
    assert table.select(table.feature_names[:5]).provenance["n_inputs"] == 31
    # a stack of more than one table; one table given is the table
    assert not counts & set(FeatureTable.concat([few, few]).provenance)
    assert not counts & set(FeatureTable.concat([table, table]).provenance)
    assert FeatureTable.concat([table]).provenance["n_inputs"] == 31
    # as from_pandas has it, and through a file
    assert FeatureTable.from_pandas(table.to_pandas().head(10), table.feature_names
                                    ).provenance == few.provenance
    few.to_parquet(tmp_path / "few.parquet")
    assert not counts & set(emofeat.read_table(tmp_path / "few.parquet").provenance)


def test_an_arrow_table_renamed_by_pyarrow_is_said_to_have_lost_its_metadata(emodb_run,
                                                                             tmp_path):
    # pyarrow's rename_columns (and cast) drop the schema metadata: from_arrow then said "this
    # parquet file was not written by emofeat", of emofeat's own table renamed in memory
    import pyarrow as pa
    import pyarrow.parquet as pq

    import emofeat
    from emofeat.table import FeatureTable

    original = emofeat.read_table(emodb_run).to_arrow()
    names = ["label" if c == "emotion" else c for c in original.column_names]
    renamed = original.rename_columns(names)
    # the pyarrow behaviour this message is about (if a later pyarrow keeps the metadata,
    # the renamed table simply reads)
    assert renamed.schema.metadata is None
    floats = pa.schema([f.with_type(pa.float32()) if f.name.startswith("mfcc") else f
                        for f in original.schema])
    cast = original.cast(floats)
    assert cast.schema.metadata is None
    for lost in (renamed, cast):
        with pytest.raises(ValueError) as caught:
            FeatureTable.from_arrow(lost)
        said = str(caught.value)
        assert said.startswith("the table has no schema metadata at all")
        assert "Table.rename_columns or Table.cast" in said
        assert "table.replace_schema_metadata(original.schema.metadata)" in said
        assert "t.index = t.index.rename(columns={'old': 'new'})" in said
    # written to a file, the file says so, named
    pq.write_table(renamed, tmp_path / "renamed.parquet")
    with pytest.raises(ValueError, match=r"renamed\.parquet: the table has no schema metadata"):
        emofeat.read_table(tmp_path / "renamed.parquet")
    # the ways out the message gives work: the metadata put back (no column renamed) ...
    back = FeatureTable.from_arrow(cast.replace_schema_metadata(original.schema.metadata))
    assert back.feature_names == FeatureTable.from_arrow(original).feature_names
    np.testing.assert_allclose(back.X, FeatureTable.from_arrow(original).X, rtol=1e-6)
    # ... and the rename done in emofeat, kept through the file
    t = FeatureTable.from_arrow(original)
    t.index = t.index.rename(columns={"emotion": "label"})
    t.to_parquet(tmp_path / "label.parquet")
    read = emofeat.read_table(tmp_path / "label.parquet")
    assert "label" in read.index.columns and read.provenance["sets"] == t.provenance["sets"]
    # a parquet file of pandas (it has metadata, not emofeat's) is still said to be foreign
    pd.DataFrame({"a": [1.0]}).to_parquet(tmp_path / "plain.parquet")
    with pytest.raises(ValueError, match="not written by emofeat"):
        emofeat.read_table(tmp_path / "plain.parquet")


@pytest.fixture(scope="module")
def ravdess_valence(ravdess_dir, tmp_path_factory):
    """The mfcc functionals of RAVDESS's first four actors (240 files) by the command, with
    ``valence``: the NRC VAD lexicon's valence rating of each file's emotion word (angry
    0.122, calm 0.875, ...), as float32, the dtype of a ratings array or a parquet float
    column."""
    import emofeat
    from emofeat.datasets import load_ravdess

    vad = pd.read_csv(shared_path("lexicons", "nrc_vad", "NRC-VAD-Lexicon.txt"), sep="\t",
                      header=None, names=["word", "valence", "arousal", "dominance"],
                      keep_default_na=False)
    folder = tmp_path_factory.mktemp("valence42")
    manifest = load_ravdess(ravdess_dir)
    manifest[manifest["speaker"].isin(["01", "02", "03", "04"])].to_csv(
        folder / "ravdess.csv", index=False)
    out = folder / "ravdess.parquet"
    assert main(["extract", str(folder / "ravdess.csv"), "--set", "mfcc", "-q", "-o",
                 str(out)]) == EXIT_OK
    table = emofeat.read_table(out)
    rating = dict(zip(vad["word"], vad["valence"], strict=True))
    table.index["valence"] = table.index["emotion"].map(rating).to_numpy(dtype=np.float32)
    assert table.index["valence"].dtype == np.float32 and len(table) == 240
    return table


def test_float32_labels_come_back_as_their_float32(ravdess_valence, tmp_path, capsys):
    # valence ratings stored as float32 (0.122 for angry) came back from evaluate, train,
    # a saved model's predict and the command's predictions as float64 0.12200000137090683:
    # printed, compared or joined with the user's float32 data they did not match
    from emofeat.classifiers import evaluate, load_model, top2_hit_rate, train

    import emofeat

    table = ravdess_valence
    column = table.index["valence"]
    ratings = np.unique(column.to_numpy())  # the 8 float32 ratings, sorted
    # the table keeps them float32 through parquet
    table.to_parquet(tmp_path / "valence.parquet")
    read = emofeat.read_table(tmp_path / "valence.parquet")
    assert read.index["valence"].dtype == np.float32
    np.testing.assert_array_equal(read.index["valence"], column)
    # classes: the labels, true, pred, per-class labels and a model's classes are float32
    res = evaluate(table, "valence", groups="speaker", task="classification")
    assert all(type(v) is np.float32 for v in res.labels)
    np.testing.assert_array_equal(np.array(res.labels), ratings)
    assert [str(v) for v in res.labels] == [str(v) for v in ratings]  # "0.122", not widened
    p = res.predictions
    assert p["true"].dtype == np.float32 and p["pred"].dtype == np.float32
    np.testing.assert_array_equal(p["true"], column.to_numpy()[p["row"]])
    assert set(p["pred"]) <= set(ratings)
    assert res.per_class["label"].dtype == np.float32
    model = train(table, "valence", task="classification")
    assert all(type(c) is np.float32 for c in model.classes)
    np.testing.assert_array_equal(np.array(model.classes), ratings)
    model.save(tmp_path / "valence.joblib")
    pred = load_model(tmp_path / "valence.joblib").predict(table)["pred"]
    assert pred.dtype == np.float32 and (pred == column).mean() > 0.6  # fitted rows
    # the top-2 hit rate finds the table's float32 labels among the model's classes
    scores = load_model(tmp_path / "valence.joblib").predict(table).filter(regex="^(proba|score)_")
    hits = top2_hit_rate(column, scores.to_numpy(), model.classes)
    assert hits > 0.6 and hits == top2_hit_rate(column.to_numpy(), scores.to_numpy(),
                                                np.array(model.classes))
    assert main(["predict", str(tmp_path / "valence.joblib"), str(tmp_path / "valence.parquet"),
                 "-o", str(tmp_path / "p.parquet")]) == EXIT_OK
    written = pd.read_parquet(tmp_path / "p.parquet")["pred"]
    assert written.dtype == np.float32 and set(written) <= set(ratings)
    capsys.readouterr()
    assert main(["info", str(tmp_path / "valence.joblib")]) == EXIT_OK
    out = capsys.readouterr().out
    assert "float32 numbers (pred holds float32)" in out and "0.122 (" in out
    # the command's report and result.json name them by their float32 text
    assert main(["evaluate", str(tmp_path / "valence.parquet"), "--target", "valence",
                 "--groups", "speaker", "--task", "classification", "-q", "--report",
                 str(tmp_path / "rep")]) == EXIT_OK
    report = (tmp_path / "rep" / "report.md").read_text()
    assert "| 0.122 | " in report and "\n| 0.122 | 32 | " in report
    assert "0.12200000137090683" not in report
    assert json.loads((tmp_path / "rep" / "result.json").read_text())["labels"][2] == 0.122
    # a dict keyed by the ratings as written (the lexicon's text) maps the float32 labels:
    # the float64 widening missed every key, each row dropped
    positive = {float(str(w)): ("positive" if w > 0.5 else "negative") for w in ratings}
    mapped = train(table, "valence", label_map=positive)
    assert mapped.settings["n_train"] == len(table)
    assert set(mapped.settings["label_mapping"].values()) == {"positive", "negative"}
    # a regression of the ratings: true and pred come back float32 too
    res = evaluate(table, "valence", groups="speaker")
    assert res.task == "regression"
    assert res.predictions["true"].dtype == np.float32
    np.testing.assert_array_equal(res.predictions["true"],
                                  column.to_numpy()[res.predictions["row"]])
    assert res.predictions["pred"].dtype == np.float32
    regressor = train(table, "valence")
    assert regressor.predict(table)["pred"].dtype == np.float32
    assert "; float32, as pred" in regressor.describe()


def test_the_map_of_ids_read_two_ways_lists_a_few_pairs_of_hundreds(tmp_path):
    # ISEAR's 1,096 respondents, half their rows with the id as text written from a float
    # column ('11001.0', one respondent without an id: 'unknown') and half as numbers: the
    # refusal's way out listed every pair, {11002: '11002.0', ...} of 1,095 ids: 21,688
    # characters in one message
    import re

    from emofeat.classifiers import DataError, evaluate

    from emofeat.datasets import load_isear
    from emofeat.table import FeatureTable, mixed_ids

    rows = load_isear(shared_path("text", "isear", "isear.csv"))
    ids = rows["subject"].astype(int)
    text = pd.Series([f"{float(v)}" for v in ids], dtype=object)
    text[ids == ids.iloc[0]] = "unknown"
    half = (np.arange(len(rows)) % 2).astype(bool)
    index = rows[["emotion"]].assign(subject=np.where(half, text, ids.astype(object)))
    index.loc[text == "unknown", "subject"] = "unknown"  # in both halves
    X = np.zeros((len(rows), 1))
    table = FeatureTable(X, ["f"], index)
    with pytest.raises(DataError) as caught:
        evaluate(table, "emotion", groups="subject")
    said = str(caught.value)
    pairs = ids[ids != ids.iloc[0]].nunique()
    assert len(said) < 1200
    assert f"({pairs} pairs, such as {{11002: '11002.0', " in said
    assert said.count("': '") == 0 and said.count(".0', ") == 5  # five pairs shown
    # the way out given, run on the column, makes the ids one kind, each respondent one id
    recipe = re.search(r"made from the column: (.*)$", said).group(1)
    fix = re.search(r"e\.g\. (table\.index\['subject'\] = .*?\)), to_text", said).group(1)
    exec(f"{recipe}\n{fix}", {"pd": pd, "table": table})  # noqa: S102 - the advice itself
    assert mixed_ids(table.index["subject"]) is None
    assert table.index["subject"].nunique() == rows["subject"].nunique()
    # a few pairs are still all listed, in the map itself
    few = FeatureTable(X[:40], ["f"], index.iloc[:40])
    with pytest.raises(DataError, match=r"\.map\(lambda v: \{11002: '11002\.0', 11003: "
                                        r"'11003\.0', .*'11006\.0'\}\.get\(v, v\)"):
        evaluate(few, "emotion", groups="subject")

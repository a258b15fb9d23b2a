"""Leftovers of the feature table (session 42), on real EmoDB and RAVDESS features as
``emofeat extract`` writes them: each test failed before its fix."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import shared_path

from emofeat.cli import EXIT_SOME_FAILED, main


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
    # the run's own counts: every line of its manifest, the one not there failed
    listed = len(pd.read_csv(emodb_run.parent / "emodb.csv"))
    run = (table.provenance["n_inputs"], table.provenance["n_failed"])
    assert run == (listed, listed - len(table)) and run[1] > 0
    counts = {"n_inputs", "n_failed"}
    few = table.select(rows=np.arange(10))
    assert not counts & set(few.provenance)
    # (a mask of some rows: the first 30 files are all speaker 03's, a mask of every row)
    emotion = table.index["emotion"]
    assert not emotion.eq(emotion.iloc[0]).all()
    assert not counts & set(table.select(rows=emotion == emotion.iloc[0]).provenance)
    assert not counts & set(table.select(table.feature_names[:5], rows=slice(0, 3)).provenance)
    # the rest of the record is the run's, as it was; the table itself keeps its counts
    assert few.provenance == {k: v for k, v in table.provenance.items() if k not in counts}
    assert table.provenance["n_inputs"] == run[0]
    # columns alone: the rows are the run's, and so are its counts
    assert table.select(table.feature_names[:5]).provenance["n_inputs"] == run[0]
    # a stack of more than one table; one table given is the table
    assert not counts & set(FeatureTable.concat([few, few]).provenance)
    assert not counts & set(FeatureTable.concat([table, table]).provenance)
    assert FeatureTable.concat([table]).provenance["n_inputs"] == run[0]
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
    # a cast to a schema built of the fields alone, which has no metadata
    floats = pa.schema([f.with_type(pa.float32()) if f.name.startswith("mfcc") else f
                        for f in original.schema])
    cast = original.cast(floats)
    if renamed.schema.metadata is not None or cast.schema.metadata is not None:
        pytest.skip(f"pyarrow {pa.__version__} keeps the schema metadata through "
                    "rename_columns or a cast to a schema without it: the message is about "
                    "a pyarrow that drops it (26.0.1 does)")
    # a cast to the table's own schema keeps its metadata (pyarrow 26): the table reads, and
    # the message does not blame Table.cast as such
    features = FeatureTable.from_arrow(original).feature_names
    first = original.schema.get_field_index(features[0])
    kept = original.cast(original.schema.set(first, original.schema.field(first)
                                             .with_type(pa.float32())))
    assert kept.schema.metadata == original.schema.metadata
    assert FeatureTable.from_arrow(kept).feature_names == features
    for lost in (renamed, cast):
        with pytest.raises(ValueError) as caught:
            FeatureTable.from_arrow(lost)
        said = str(caught.value)
        assert said.startswith("the table has no schema metadata at all")
        assert "Table.rename_columns or Table.cast to a schema built without metadata" in said
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


def _isear_ids_two_ways(text_of=lambda v: f"{float(v)}", number_of=lambda v: v):
    """ISEAR's rows and a table of them whose respondent ids are half text (``text_of`` an
    id, as written from a float column: '11001.0'; one respondent without an id:
    'unknown') and half numbers (``number_of`` an id)."""
    from emofeat.datasets import load_isear
    from emofeat.table import FeatureTable

    rows = load_isear(shared_path("text", "isear", "isear.csv"))
    ids = rows["subject"].astype(int)
    text = pd.Series([text_of(v) for v in ids], dtype=object)
    text[ids == ids.iloc[0]] = "unknown"
    half = (np.arange(len(rows)) % 2).astype(bool)
    numbers = pd.Series([number_of(int(v)) for v in ids], dtype=object)
    index = rows[["emotion"]].assign(subject=np.where(half, text, numbers))
    index.loc[text == "unknown", "subject"] = "unknown"  # in both halves
    return rows, FeatureTable(np.zeros((len(rows), 1)), ["f"], index)


def _run_the_way_out(said: str, table) -> None:
    """Run on ``table`` the statements the refusal ``said`` gives as the way out (the last
    'e.g.', which ends the message)."""
    exec(said.rsplit("e.g. ", 1)[1], {"pd": pd, "table": table})  # noqa: S102 - the advice


def test_the_map_of_ids_read_two_ways_lists_a_few_pairs_of_hundreds(tmp_path):
    # ISEAR's 1,096 respondents, half their rows with the id as text written from a float
    # column ('11001.0', one respondent without an id: 'unknown') and half as numbers: the
    # refusal's way out listed every pair, {11002: '11002.0', ...} of 1,095 ids: 21,688
    # characters in one message
    from emofeat.classifiers import DataError, evaluate

    from emofeat.table import FeatureTable, mixed_ids

    rows, table = _isear_ids_two_ways()
    index, X = table.index.copy(), table.X
    with pytest.raises(DataError) as caught:
        evaluate(table, "emotion", groups="subject")
    said = str(caught.value)
    ids = rows["subject"].astype(int)
    pairs = ids[ids != ids.iloc[0]].nunique()
    assert len(said) < 1200
    assert f"({pairs} pairs, such as {{11002: '11002.0', " in said
    assert said.count("': '") == 0 and said.count(".0', ") == 5  # five pairs shown
    # the way out given, run on the column, makes the ids one kind, each respondent one id;
    # how to build the map comes before its use
    assert said.index("to_text = ") < said.index("to_text.get")
    _run_the_way_out(said, table)
    assert mixed_ids(table.index["subject"]) is None
    assert table.index["subject"].nunique() == rows["subject"].nunique()
    # a few pairs are still all listed, in the map itself
    few = FeatureTable(X[:40], ["f"], index.iloc[:40])
    with pytest.raises(DataError, match=r"\.map\(lambda v: \{11002: '11002\.0', 11003: "
                                        r"'11003\.0', .*'11006\.0'\}\.get\(v, v\)"):
        evaluate(few, "emotion", groups="subject")


FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


@pytest.mark.parametrize("kind", ["full-width", "past 2**53"])
def test_the_way_out_of_hundreds_of_ids_read_two_ways_makes_them_one_kind(kind):
    # the map of numbers to texts built from the column by pd.to_numeric (1931a5b) read
    # ISEAR's ids written in full-width digits ('１１００２.０') as NaN and ids past 2**53 as
    # the nearest float (2**53 + 11003 as 2**53 + 11004): the advice, run, left the ids two
    # kinds. The way given is checked as the others are: float's reading where pandas reads
    # none, else every pair listed
    from emofeat.classifiers import DataError, evaluate

    from emofeat.table import mixed_ids

    if kind == "full-width":
        rows, table = _isear_ids_two_ways(lambda v: f"{float(v)}".translate(FULL_WIDTH))
    else:
        rows, table = _isear_ids_two_ways(lambda v: f"{2**53 + v}.0", lambda v: 2**53 + v)
    with pytest.raises(DataError) as caught:
        evaluate(table, "emotion", groups="subject")
    said = str(caught.value)
    pairs = rows["subject"].nunique() - 1
    if kind == "full-width":
        assert len(said) < 1200 and f"({pairs} pairs, such as " in said
    else:  # no reading of the column's texts gives these numbers: every pair, as before
        assert said.count(".0', ") == pairs - 1
    _run_the_way_out(said, table)
    assert mixed_ids(table.index["subject"]) is None
    assert table.index["subject"].nunique() == rows["subject"].nunique()


def test_every_row_kept_in_order_keeps_the_runs_counts(emodb_run):
    # 9ed1fc9 dropped n_inputs and n_failed from any row selection and any stack of two
    # tables, also where the rows were the run's, unchanged: select(rows=slice(None)) was no
    # longer equal to the table, an apply_label_map that dropped no row and the stack of
    # an accumulation's empty start and the table lost the counts
    from emofeat.classifiers import apply_label_map

    import emofeat
    from emofeat.table import FeatureTable

    table = emofeat.read_table(emodb_run)
    n = len(table)
    run = (table.provenance["n_inputs"], table.provenance["n_failed"])  # before any selection
    assert run[0] > n and run[1] > 0
    for rows in (slice(None), np.arange(n), np.ones(n, dtype=bool), list(range(n))):
        kept = table.select(rows=rows)
        assert kept.equals(table)
        assert (kept.provenance["n_inputs"], kept.provenance["n_failed"]) == run
    # other rows, or the same rows in another order or twice, are not the run's
    for rows in (slice(None, None, -1), np.arange(n - 1), [*range(n), 0], np.arange(n)[::-1]):
        assert "n_inputs" not in table.select(rows=rows).provenance
    # a label map that maps every label keeps every row and the counts; one that drops
    # a label's rows drops them
    labels = sorted(table.index["emotion"].unique())
    same, dropped = apply_label_map(table, "emotion", dict(zip(labels, labels, strict=True)))
    assert dropped == 0 and same.provenance["n_inputs"] == run[0]
    fewer, dropped = apply_label_map(table, "emotion", dict.fromkeys(labels[1:], "kept"))
    assert dropped > 0 and "n_inputs" not in fewer.provenance
    # the empty start of an accumulation (without provenance, or rows=[] of the table)
    # stacked with the table: the table's rows and record
    start = FeatureTable(np.empty((0, len(table.feature_names))), table.feature_names,
                         table.index.iloc[:0])
    for empty in (start, table.select(rows=[])):
        for stack in (FeatureTable.concat([empty, table]),
                      FeatureTable.concat([table, empty])):
            assert stack.provenance == table.provenance
            np.testing.assert_array_equal(stack.X, table.X)
    assert "n_inputs" not in FeatureTable.concat([table, table.select(rows=[0])]).provenance

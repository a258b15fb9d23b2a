"""The feature table: parquet round trips, atomic writes, views."""

import warnings

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from emofeat.extractors import MFCC

from emofeat import FeatureTable, read_table
from emofeat.table import _jsonable


def _restored(table: FeatureTable) -> FeatureTable:
    """``table`` as ``from_pandas`` gives it back: its provenance without the run's counts,
    which a selection of rows makes stale."""
    return FeatureTable(table.X, table.feature_names, table.index,
                        {k: v for k, v in table.provenance.items()
                         if k not in ("n_inputs", "n_failed")})


@pytest.fixture(scope="module")
def tables(sample):
    sub = sample.iloc[:4]
    return (MFCC(functionals=("mean", "std", "p50")).extract(sub),
            MFCC(level="lld", deltas=0).extract(sub))


def test_functionals_table_carries_identity_and_provenance(tables, sample):
    func, _ = tables
    assert func.shape == (4, 39 * 3)
    assert func.index["speaker"].tolist() == sample.speaker.iloc[:4].tolist()
    assert {"path", "emotion", "start", "end", "orig_sr", "orig_channels"} <= set(func.index.columns)
    assert func.index["start"].eq(0).all() and (func.index["end"] > 2.5).all()
    prov = func.provenance
    assert prov["level"] == "functionals" and prov["sets"][0]["name"] == "mfcc"
    assert prov["sets"][0]["params"]["n_mfcc"] == 13
    assert prov["emofeat_version"]


@pytest.mark.parametrize("which", [0, 1])
def test_parquet_round_trip_is_equal(tables, tmp_path, which):
    table = tables[which]
    path = tmp_path / "t.parquet"
    table.to_parquet(path)
    back = read_table(path)
    # the file's provenance names the pyarrow that wrote it (session 55), the table's in memory
    # none: equal once that is added
    assert back.provenance["environment"].pop("pyarrow") == pa.__version__
    assert "pyarrow" not in table.provenance["environment"]
    assert back.equals(table)
    assert back.index["speaker"].iloc[0] == table.index["speaker"].iloc[0]  # "09" stays "09"
    assert [p.name for p in tmp_path.iterdir()] == ["t.parquet"]  # no temporary left


def test_parquet_is_a_plain_table_for_other_readers(tables, tmp_path):
    _, lld = tables
    path = tmp_path / "lld.parquet"
    lld.to_parquet(path)
    df = pd.read_parquet(path)
    assert list(df.columns[: len(lld.index.columns)]) == list(lld.index.columns)
    assert "mfcc3" in df.columns and len(df) == len(lld)
    np.testing.assert_array_equal(df["time"].to_numpy(), lld.index["time"].to_numpy())


def test_foreign_parquet_is_refused(tmp_path):
    path = tmp_path / "plain.parquet"
    pd.DataFrame({"a": [1.0]}).to_parquet(path)
    with pytest.raises(ValueError, match="not written by emofeat"):
        read_table(path)


def test_views_and_concat(tables):
    func, _ = tables
    both = FeatureTable.concat([func, func])
    assert len(both) == 8 and both.feature_names == func.feature_names
    sub = func.select(["mfcc0_mean", "mfcc1_std"], rows=[0, 2])
    assert sub.shape == (2, 2) and sub.index["path"].tolist() == func.index["path"].iloc[[0, 2]].tolist()
    df = func.to_pandas()
    assert FeatureTable.from_pandas(df, func.feature_names, func.provenance).equals(func)
    np.testing.assert_array_equal(func.column("mfcc0_mean"), func.X[:, 0])
    with pytest.raises(KeyError, match="no column"):
        func.column("valence")


def test_invalid_tables_are_refused():
    with pytest.raises(ValueError, match="duplicate"):
        FeatureTable(np.zeros((1, 2)), ["a", "a"])
    with pytest.raises(ValueError, match="both as identity and feature"):
        FeatureTable(np.zeros((1, 1)), ["path"], pd.DataFrame({"path": ["x"]}))
    with pytest.raises(ValueError, match="index has"):
        FeatureTable(np.zeros((2, 1)), ["a"], pd.DataFrame({"path": ["x"]}))


def test_metadata_holds_provenance(tables, tmp_path):
    import json

    func, _ = tables
    path = tmp_path / "f.parquet"
    func.to_parquet(path)
    meta = json.loads(pq.read_schema(path).metadata[b"emofeat"])
    assert meta["provenance"]["sets"][0]["class"] == "emofeat.extractors.mfcc.MFCC"
    assert meta["feature_names"] == func.feature_names


def _same(a, b) -> bool:
    """Equal values of the same exact types, NaN equal to NaN, in the same key order."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and a != a:
        return b != b
    return a == b


def test_jsonable_fast_copy_is_what_json_reads_back():
    import json

    from emofeat.table import _json_default, _jsonable

    cases = [
        {"sets": [{"name": "eeg_bands", "params": {
            "bands": {"alpha": (np.float64(8.0), np.float64(13.0))}, "kinds": ("abs", "rel"),
            "n": np.int64(-3), "u": np.uint8(7), "f32": np.float32(0.1), "b": np.bool_(True),
            "none": None, "inf": [float("inf"), -float("inf"), float("nan")]}}]},
        {"level": "functionals", "empty": {}, "deep": [[[[1, 2.5, "x", True]]]]},
        # what the JSON round trip changes beyond tuples goes through it
        {1: "int key"}, {"a": np.arange(3)}, {"s": np.str_("ab")}, {"c": np.complex128(1j)},
    ]
    for obj in cases:
        want = json.loads(json.dumps(obj, default=_json_default))
        assert _same(_jsonable(obj), want), obj


def test_frame_of_and_str_column_equal_pandas_constructor():
    from emofeat.table import frame_of, str_column

    ident = pd.DataFrame({
        "path": ["a", "b", "c"], "subject": pd.Categorical(["x", "y", "x"]), "i": [1, 2, 3],
        "ni": pd.array([1, None, 3], dtype="Int64"), "f": [1.0, np.nan, 2.0],
        "t": pd.to_datetime(["2020-01-01", "2021-01-01", None]),
        "s": pd.array(["p", None, "q"], dtype="string")})
    owner = np.array([0, 0, 1, 2, 2, 1, 0])
    cols = {c: ident[c].array.take(owner) for c in ident.columns}
    cols.update(start=np.arange(7) * 1.0, end=np.arange(7) + 2.0, epoch=np.zeros(7, np.int64))
    for _ in range(2):  # the columns Index made, then reused
        got, want = frame_of(dict(cols), 7), pd.DataFrame(cols, index=pd.RangeIndex(7))
        pd.testing.assert_frame_equal(got, want, check_exact=True)
        assert got.columns.dtype == want.columns.dtype
    labels = ["<array 0>", "b.edf"]
    want = pd.DataFrame({"path": labels})
    pd.testing.assert_frame_equal(frame_of({"path": str_column(labels)}, 2), want,
                                  check_exact=True)


def test_table_of_columns_equals_table_of_their_frame():
    # a run in memory keeps its manifest as Columns and takes the rows' cells from them
    # (compute.table_of): the same index as the frame of the whole manifest, then a take
    from emofeat import compute
    from emofeat.columns import Columns, str_values

    cols = Columns({"path": str_values(["a.edf", None, "c.edf", "d.edf"]),
                    "label": str_values(["x", "y", float("nan"), "x"]),
                    "n": np.array([1, 2, 3, 4], dtype=np.int64),
                    "f": np.array([0.5, np.nan, 2.0, 3.0])},
                   {"path": "str", "label": "str", "n": "int64", "f": "float64"})
    owner = np.array([2, 2, 0, 3, 1, 0], dtype=np.int64)
    added = {"start": np.arange(6) * 0.5, "end": np.arange(6) + 2.0,
             "epoch": np.zeros(6, dtype=np.int64)}
    X = np.arange(12.0).reshape(6, 2)
    plan = compute.Plan(extractors=[], level="functionals", names=["g0", "g1"],
                        provenance={}, catch=False)
    for own, add in ((owner, added), (owner[:0], {k: v[:0] for k, v in added.items()})):
        rows = compute.Rows(own, [X[: len(own)]], dict(add))
        got = compute.table_of(plan, cols, rows)
        want = compute.table_of(plan, cols.to_pandas(), compute.Rows(own, [X[: len(own)]],
                                                                   dict(add)))
        pd.testing.assert_frame_equal(got.index, want.index, check_exact=True)
        assert list(got.index.dtypes) == list(want.index.dtypes)
        np.testing.assert_array_equal(got.X, want.X)


def test_object_identity_columns_with_none_survive_round_trips(tmp_path):
    # pyarrow writes an object column of strings as an Arrow string column, which pandas 3
    # reads back as its str dtype with NaN for None: the table read back was not equal
    index = pd.DataFrame({
        "speaker": pd.Series(["03", None, "07"], dtype=object),
        "label": pd.Series([None, "angry", "calm"], dtype=object),
        "path": ["a.wav", "b.wav", None],  # pandas' default string dtype stays that
    })
    table = FeatureTable(np.arange(6.0).reshape(3, 2), ["f0", "f1"], index)
    path = tmp_path / "obj.parquet"
    table.to_parquet(path)
    back = read_table(path)
    from_frame = FeatureTable.from_pandas(table.to_pandas(), table.feature_names)
    for got in (back, from_frame):
        assert got.equals(table)
        assert list(got.index.dtypes) == list(table.index.dtypes)
        assert got.index["speaker"].tolist() == ["03", None, "07"]
        assert got.index["label"].tolist() == [None, "angry", "calm"]
    assert pd.read_parquet(path)["speaker"].iloc[0] == "03"  # still a plain table


def test_provenance_survives_to_pandas_and_back(tables, tmp_path):
    """``from_pandas(table.to_pandas(), names)`` had no provenance unless it was passed
    back: it goes in ``df.attrs`` and comes back, through what pandas keeps attrs through."""
    func, _ = tables
    assert func.provenance["sets"][0]["name"] == "mfcc"
    df = func.to_pandas()
    assert "n_inputs" in func.provenance and "n_failed" in func.provenance
    assert FeatureTable.from_pandas(df, func.feature_names).equals(_restored(func))
    assert isinstance(df.attrs["emofeat"], str)  # no deep copy of a dict per pandas result
    rows = df[df["speaker"] == df["speaker"].iloc[0]].sort_values("mfcc0_mean")
    kept = ["mfcc3_p50", "mfcc0_mean"]  # a subset, in another order: as select keeps it
    part = FeatureTable.from_pandas(rows.assign(label="x"), kept)
    np.testing.assert_array_equal(part.X, func.select(kept, rows=rows.index.to_numpy()).X)
    assert part.provenance == _jsonable(_restored(func).provenance)
    assert "emofeat" not in part.index.attrs  # the provenance is the table's, not its index's
    path = tmp_path / "pandas.parquet"
    df.to_parquet(path)  # pandas' own parquet keeps attrs
    assert FeatureTable.from_pandas(pd.read_parquet(path), func.feature_names).equals(
        _restored(func))
    # explicit provenance wins; {} is none
    assert FeatureTable.from_pandas(df, kept, {"note": "mine"}).provenance == {"note": "mine"}
    assert FeatureTable.from_pandas(df, kept, {}).provenance == {}


def test_from_pandas_claims_no_provenance_for_columns_it_does_not_describe(tables):
    func, _ = tables
    df = func.to_pandas()
    added = df.assign(ratio=df["mfcc0_mean"] / df["mfcc1_mean"])
    renamed = df.rename(columns={"mfcc0_mean": "energy"})
    other_names = ["energy" if n == "mfcc0_mean" else n for n in func.feature_names]
    unrelated = pd.DataFrame({"path": ["a.wav"], "f0": [1.0]})
    not_ours = unrelated.copy()
    not_ours.attrs["emofeat"] = {"provenance": {"sets": []}}  # someone else's, not JSON text
    for frame, names in ((added, [*func.feature_names, "ratio"]), (renamed, other_names),
                         (unrelated, ["f0"]), (not_ours, ["f0"])):
        assert FeatureTable.from_pandas(frame, names).provenance == {}
    # the added column left as an identity column: the features are all the provenance's
    assert FeatureTable.from_pandas(added, ["mfcc1_mean"]).provenance == \
        _jsonable(_restored(func).provenance)


def test_from_pandas_gives_no_frame_provenance_to_rows_aggregated_by_groupby(sample):
    """pandas 3 keeps ``attrs`` through ``groupby``: per-file means of real frames came back
    from ``from_pandas`` with the frames' provenance (level 'lld'), so evaluate warned that
    the per-file table was frame-level. A frame that lost a row key (``frame``, ``time``,
    ``start``, ``end``, ``path``) or whose integer columns a mean made float gets none; row
    selections keep it, without the run's counts (stale once rows are selected)."""
    from emofeat.classifiers import evaluate

    sub = sample[sample["emotion"].isin(["happy", "sad"])].groupby(
        ["speaker", "emotion"]).head(3)
    lld = MFCC(level="lld", deltas=0).extract(sub)
    assert lld.provenance["level"] == "lld" and lld.provenance["n_inputs"] == len(sub)
    df = lld.to_pandas()
    names = lld.feature_names
    per_file = df.groupby(["path", "speaker", "emotion"], as_index=False)[names].mean()
    aggregated = (per_file,
                  df.groupby("path")[names].mean().reset_index(),
                  df.groupby("path", as_index=False).mean(numeric_only=True),  # frame: float
                  df.groupby(["path", "frame"], as_index=False)[names].mean())  # no time
    for frame in aggregated:
        assert "emofeat" in frame.attrs  # what pandas does: the check is ours
        assert FeatureTable.from_pandas(frame, names).provenance == {}
    table = FeatureTable.from_pandas(per_file, names)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        evaluate(table, "emotion", groups="speaker")
    assert not [w for w in caught if "frame-level" in str(w.message)]
    # rows selected, not aggregated: still frames, the provenance kept without the counts
    expected = _jsonable(_restored(lld).provenance)
    for frame in (df[df["frame"] % 2 == 0], df.drop_duplicates("path"),
                  df.groupby("path", as_index=False).head(5),
                  df.drop(columns=["orig_sr", "emotion"])):
        assert FeatureTable.from_pandas(frame, names).provenance == expected


def test_table_without_columns_keeps_its_rows(tmp_path):
    empty = FeatureTable(np.empty((4, 0)), [])
    assert empty.shape == (4, 0) and len(empty.index) == 4
    none = FeatureTable(np.arange(8.0).reshape(4, 2), ["a", "b"]).select([])
    assert none.shape == (4, 0) and none.equals(empty)
    assert none.select([], rows=[0, 2]).shape == (2, 0)
    assert FeatureTable.from_pandas(empty.to_pandas(), []).equals(empty)
    arrow = empty.to_arrow()
    assert arrow.num_rows == 4 and FeatureTable.from_arrow(arrow).equals(empty)
    # a parquet file without columns keeps no row count: refused, not read back with 0 rows
    path = tmp_path / "none.parquet"
    with pytest.raises(ValueError, match="4 rows without identity or feature columns"):
        empty.to_parquet(path)
    assert not list(tmp_path.iterdir())
    nothing = FeatureTable(np.empty((0, 0)), [])
    nothing.to_parquet(path)
    assert read_table(path).equals(nothing)


def test_equals_takes_nan_in_provenance_as_equal(tmp_path):
    def prov(x=float("nan")):  # a new NaN object each call: `==` only equals the same one
        return {"level": "functionals", "fmin": float("nan"),
                "sets": [{"params": {"band": [1.0, np.float64("nan")], "x": x}}]}

    X = np.zeros((2, 1))
    table = FeatureTable(X, ["f"], provenance=prov())
    assert table.equals(FeatureTable(X, ["f"], provenance=prov()))
    table.to_parquet(tmp_path / "p.parquet")
    assert read_table(tmp_path / "p.parquet").equals(table)
    for other in ({**prov(), "fmin": 1.0}, {**prov(), "fmin": None}, prov(x=0.0), prov(x="nan"),
                  prov(x=[float("nan")]), {**prov(), "extra": float("nan")},
                  {k: v for k, v in prov().items() if k != "fmin"}):
        assert not table.equals(FeatureTable(X, ["f"], provenance=other)), other


def test_from_pandas_converts_numbers_and_refuses_other_feature_columns():
    df = pd.DataFrame({"path": ["a", "b"], "i": [1, 2], "b": [True, False],
                       "f": [0.5, np.nan], "ni": pd.array([3, None], dtype="Int64")})
    table = FeatureTable.from_pandas(df, ["i", "b", "f", "ni"])
    assert table.X.dtype == np.float64 and list(table.index.columns) == ["path"]
    np.testing.assert_array_equal(table.X, [[1.0, 1.0, 0.5, 3.0], [2.0, 0.0, np.nan, np.nan]])
    f32 = FeatureTable.from_pandas(df.astype({"f": np.float32}), ["f"])
    assert f32.X.dtype == np.float32  # float columns keep their dtype
    odd = df.assign(emotion=["angry", "calm"], obj=pd.Series([1.0, "x"], dtype=object))
    for names in (["f", "emotion"], ["obj", "f"], ["path"]):
        with pytest.raises(ValueError, match="not numeric") as err:
            FeatureTable.from_pandas(odd, names)
        assert repr(names[0] if names[0] != "f" else names[1]) in str(err.value)


def test_a_file_missing_a_named_column_is_refused_naming_it(tmp_path):
    """A column dropped by another tool that kept the emofeat metadata (or a partition column
    of a hive-style folder) was a KeyError, which the CLI called a bug of emofeat."""
    t = FeatureTable(X=np.ones((2, 2)), feature_names=["f1", "f2"],
                     index=pd.DataFrame({"path": ["a", "b"], "speaker": ["1", "2"]}))
    path = tmp_path / "t.parquet"
    t.to_parquet(path)
    table = pq.read_table(path)
    pq.write_table(table.drop(["f2"]), tmp_path / "no_f2.parquet")
    with pytest.raises(ValueError, match=r"lacks 1 column its emofeat metadata names: \['f2'\]"):
        FeatureTable.read_parquet(tmp_path / "no_f2.parquet")
    # a column another tool added is an identity column, not dropped
    pq.write_table(table.append_column("valence", pa.array([0.5, 0.7])), tmp_path / "v.parquet")
    back = FeatureTable.read_parquet(tmp_path / "v.parquet")
    assert back.index["valence"].tolist() == [0.5, 0.7]
    assert back.feature_names == ["f1", "f2"]


def test_tables_are_checked_as_they_are_built_and_stacked():
    index = pd.DataFrame([["a", "1", "2"]], columns=["path", "speaker", "speaker"])
    with pytest.raises(ValueError, match=r"duplicate identity column names: \['speaker'\]"):
        FeatureTable(X=np.ones((1, 1)), feature_names=["f"], index=index)
    with pytest.raises(ValueError, match="X must be numeric"):
        FeatureTable(X=np.array([["1.5", "x"]]), feature_names=["f1", "f2"])
    # same names, another extraction: stacking them would carry the first's provenance
    sets16 = [{"name": "mfcc", "params": {"sr": 16000}}]
    sets8 = [{"name": "mfcc", "params": {"sr": 8000}}]
    a = FeatureTable(X=np.ones((1, 1)), feature_names=["f"], provenance={"sets": sets16})
    b = FeatureTable(X=np.ones((1, 1)), feature_names=["f"], provenance={"sets": sets8})
    with pytest.raises(ValueError, match=r"extracted differently \(set parameters mfcc sr: 16000 vs 8000\)"):
        FeatureTable.concat([a, b])
    lld = FeatureTable(X=np.ones((1, 1)), feature_names=["f"],
                       provenance={"sets": sets16, "level": "lld"})
    with pytest.raises(ValueError, match=r"\(level: 'functionals' vs 'lld'\)"):
        FeatureTable.concat([FeatureTable(X=np.ones((1, 1)), feature_names=["f"],
                                          provenance={"sets": sets16, "level": "functionals"}),
                             lld])
    both = FeatureTable.concat([a, a])
    both.provenance["sets"][0]["params"]["sr"] = 1  # a copy: the input keeps its own
    assert a.provenance["sets"][0]["params"]["sr"] == 16000


def test_list_tuple_and_categorical_identity_columns_survive_round_trips(tmp_path):
    # Arrow reads a list column as NumPy arrays and an integer categorical as int64: the
    # table read back was not equal (multi-label targets are lists of labels)
    index = pd.DataFrame({
        "labels": [[3, 27], [], None, [1]],
        "pair": [("a", "b"), ("c",), (), None],
        "emotion": pd.Categorical([1, None, 1, 2], categories=[4, 1, 2], ordered=True),
        "corpus": pd.Categorical(["emodb", "emodb", None, "ravdess"],
                                 categories=["ravdess", "emodb", "iemocap"]),
    })
    table = FeatureTable(np.arange(8.0).reshape(4, 2), ["f0", "f1"], index)
    path = tmp_path / "kinds.parquet"
    table.to_parquet(path)
    for back in (read_table(path), FeatureTable.from_arrow(table.to_arrow())):
        assert back.equals(table)
        assert back.index["labels"].tolist() == [[3, 27], [], None, [1]]
        assert back.index["pair"].tolist() == [("a", "b"), ("c",), (), None]
        for name in ("emotion", "corpus"):
            got, want = back.index[name], table.index[name]
            assert list(got.cat.categories) == list(want.cat.categories)
            assert got.cat.ordered == want.cat.ordered
    plain = pd.read_parquet(path)  # other readers still see plain columns
    assert list(plain["labels"].iloc[0]) == [3, 27]


def test_from_pandas_gives_no_provenance_to_text_rows_aggregated_by_groupby():
    """A text table's rows are its ``text`` (and a repeated text's ``occurrence``): a
    ``groupby('label').mean()`` of real CARER sentences (or a mean over a text's repeats)
    kept the provenance, as rows of texts, since 1327865's row keys named files, segments and
    frames only. Row selections keep it."""
    from conftest import shared_path

    import emofeat

    lines = shared_path("text", "carer", "train.txt").read_text().splitlines()[1:41]
    texts, labels = zip(*(line.rsplit(";", 1) for line in lines), strict=True)
    table = emofeat.extract([*texts, texts[0]], "text_surface")  # texts[0] twice
    assert set(table.index.columns) == {"text", "occurrence"}
    df = table.to_pandas().assign(label=[*labels, labels[0]])
    names = table.feature_names
    for frame in (df.groupby("label", as_index=False)[names].mean(),
                  df.groupby("text", as_index=False)[names].mean()):  # no occurrence
        assert "emofeat" in frame.attrs
        assert FeatureTable.from_pandas(frame, names).provenance == {}
    expected = _jsonable(_restored(table).provenance)
    for frame in (df[df["label"] == "sadness"], df.drop(columns=["label"])):
        assert FeatureTable.from_pandas(frame, names).provenance == expected


def test_from_pandas_reads_attrs_written_before_identity_was_recorded(sample, tmp_path):
    """attrs written before 1327865 (a frame kept, a parquet file pandas wrote with them)
    list no identity columns: they gave no provenance at all. They give it where the frame
    has the row keys every table of that provenance has (for frames: the path and the
    frame), not to per-file means of real frames."""
    import json

    lld = MFCC(level="lld", deltas=0).extract(sample.iloc[:4])
    names = lld.feature_names
    df = lld.to_pandas()
    info = json.loads(df.attrs["emofeat"])
    del info["identity"]
    df.attrs["emofeat"] = json.dumps(info)
    path = tmp_path / "old.parquet"
    df.to_parquet(path)
    expected = _jsonable(_restored(lld).provenance)
    for frame in (df, pd.read_parquet(path), df[df["frame"] < 5]):
        assert "identity" not in json.loads(frame.attrs["emofeat"])
        assert FeatureTable.from_pandas(frame, names).provenance == expected
    per_file = df.groupby("path", as_index=False)[names].mean()
    assert FeatureTable.from_pandas(per_file, names).provenance == {}

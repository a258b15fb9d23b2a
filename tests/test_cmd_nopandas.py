"""Issue 9: `emofeat extract` to a parquet file without pandas.

The command reads its manifest into :class:`emofeat.columns.Columns` when pandas would read
it the same way for certain, and makes its parts from Arrow buffers; the output must be the
file the pandas path writes (values bit for bit, types, names, schema metadata with pandas'
own, input keys), the errors table the same bytes, and pandas never imported.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest
from conftest import emofeat_program

from emofeat.columns import Columns, pandas_version, read_manifest_csv, str_values
from emofeat.datasets import load_manifest, load_sample


def _same_file(a: Path, b: Path) -> None:
    """Two emofeat parquet outputs equal: names, types, metadata (creation time aside), and
    every column's values bit for bit with the same missing cells."""
    sa, sb = pq.read_schema(a), pq.read_schema(b)
    assert sa.names == sb.names
    assert [f.type for f in sa] == [f.type for f in sb]
    ma, mb = dict(sa.metadata), dict(sb.metadata)
    assert ma.keys() == mb.keys()
    for m in (ma, mb):
        info = json.loads(m[b"emofeat"])
        info["provenance"].pop("created")
        # the libraries recorded are those the run called (emofeat._libraries), whatever
        # earlier tests in this process loaded: compared as the rest
        m[b"emofeat"] = info
    assert ma == mb
    ta, tb = pq.read_table(a), pq.read_table(b)
    for name in sa.names:
        ca, cb = ta.column(name), tb.column(name)
        assert ca.is_null().to_pylist() == cb.is_null().to_pylist(), name
        if ca.type == "double":
            xa, xb = ca.to_numpy(zero_copy_only=False), cb.to_numpy(zero_copy_only=False)
            np.testing.assert_array_equal(xa.view(np.int64), xb.view(np.int64), err_msg=name)
        else:
            assert ca.to_pylist() == cb.to_pylist(), name


PANDAS_3 = int(pd.__version__.split(".")[0]) >= 3
#: the pandas-free reading of a manifest CSV is pandas 3's: with pandas 2 (the floor is 2.2.2),
#: whose default string dtype is object, the command reads manifests through pandas (tables
#: of files or folders it still builds without pandas, as pandas 2 would)
needs_pandas_3 = pytest.mark.skipif(
    not PANDAS_3, reason=f"pandas {pd.__version__}: below pandas 3 the command reads a "
                         "manifest CSV through pandas, by design (read_manifest_csv)")


def test_pandas_version_read_without_importing_it():
    assert pandas_version() == pd.__version__


def test_str_spec_is_pyarrows_for_the_installed_pandas():
    """The Arrow type and ``pandas`` metadata entry of a text column that the pandas-free
    path writes without pandas imported (by pandas' major version) are those pyarrow writes
    for a column of the installed pandas' default string dtype."""
    import pyarrow as pa

    from emofeat.columns import STR_SPECS, pandas_major, str_spec

    table = pa.Table.from_pandas(pd.DataFrame({"c": ["a", None]}), preserve_index=False)
    entry = json.loads(table.schema.metadata[b"pandas"])["columns"][0]
    ref = (str(table.schema.field("c").type), entry["pandas_type"], entry["numpy_type"])
    assert STR_SPECS[min(pandas_major(), 3)] == ref
    assert str_spec() == ref


def test_command_over_files_writes_the_api_file_without_pandas(tmp_path):
    """`emofeat extract` on files (identity columns as Columns, in a fresh process that
    never imports pandas) writes the file the Python API writes from a DataFrame of the same
    paths under the installed pandas: with pandas 2 an Arrow ``string`` column and pandas 2's
    metadata (it wrote pandas 3's ``large_string``)."""
    from emofeat.registry import get_extractor
    from emofeat.runner import run

    paths = [str(p) for p in load_sample()["path"].iloc[:3]]
    out = tmp_path / "cli.parquet"
    proc, last = emofeat_program(["extract", "--set", "mfcc", *paths, "-o", str(out), "-q"],
                                 "'pandas' in sys.modules")
    assert proc.returncode == 0, proc.stderr
    assert last == "False"
    api = tmp_path / "api.parquet"
    run(pd.DataFrame({"path": paths}), [get_extractor("mfcc")], output=api)
    _same_file(out, api)


MANIFESTS = {
    # what the fast reader reads (the RAVDESS layout; ints; text with empty cells; CRLF)
    "ravdess": ("path,speaker,gender,emotion,statement\n"
                "a.wav,01,male,neutral,01\nsub/b.wav,02,female,calm,02\n", True),
    "ints": "path,valence,arousal\na.wav,3,-1\nb.wav,+7,0012\n",
    "text_missing": "path,label,note\na.wav,happy,\nb.wav,,x y\n/abs/c.wav,sad,ok\n",
    "crlf": "path,label\r\na.wav,happy\r\nb.wav,sad\r\n",
    "mixed_text": "path,code\na.wav,1\nb.wav,x1\n",
    "no_trailing_newline": "path,label\na.wav,happy",
    "id_missing": "path,speaker\na.wav,\nb.wav,03\n",
    # what it leaves to pandas (floats, bools, doubt, quotes, blank lines, ragged rows ...)
    "floats": "path,valence\na.wav,1.5\nb.wav,2\n",
    "int_missing": "path,valence\na.wav,1\nb.wav,\n",
    "bools": "path,flag\na.wav,True\nb.wav,False\n",
    "nan_word": "path,x\na.wav,nan\nb.wav,1\n",
    "spaces": "path,x\na.wav, 5\nb.wav,1\n",
    "quotes": 'path,label\n"a,b.wav",happy\n',
    "blank_line": "path,label\na.wav,happy\n\nb.wav,sad\n",
    "ragged": "path,label\na.wav,happy,extra\n",
    "empty_column": "path,label\na.wav,\nb.wav,\n",
    "segments": "path,start,end\na.wav,0,1\n",
    "header_only": "path,label\n",
    "empty_path": "path,label\n,happy\n",
    "dup_header": "path,a,a\nx.wav,1,2\n",
    "bom": "\ufeffpath,label\na.wav,happy\n",
    "big_int": "path,n\na.wav,9223372036854775808\n",
}


@pytest.mark.parametrize("name", sorted(MANIFESTS))
def test_manifest_reader_reads_as_pandas_or_leaves_it(tmp_path, name):
    text = MANIFESTS[name]
    fast_expected = isinstance(text, tuple) or name in (
        "ints", "text_missing", "crlf", "mixed_text", "no_trailing_newline", "id_missing")
    text = text[0] if isinstance(text, tuple) else text
    csv = tmp_path / f"{name}.csv"
    csv.write_bytes(text.encode("utf-8"))
    got = read_manifest_csv(csv)
    assert (got is not None) == (fast_expected and PANDAS_3)
    if got is None:
        return
    ref = load_manifest(csv, check_files=False)
    frame = got.to_pandas()
    pd.testing.assert_frame_equal(frame, ref, check_exact=True)
    assert list(frame.dtypes) == list(ref.dtypes)


def test_columns_check_duplicates_as_pandas():
    from emofeat.inputs import check_duplicates

    data = {"path": str_values(["a", "b", "a", "a"]), "label": str_values(["x", "y", "x", "z"]),
            "n": np.array([1, 2, 1, 1])}
    cols = Columns(data, {"path": "str", "label": "str", "n": "int64"})
    with pytest.raises(ValueError) as frame_err:
        check_duplicates(cols.to_pandas(), ["path"])
    with pytest.raises(ValueError) as cols_err:
        check_duplicates(cols, ["path"])
    assert str(cols_err.value) == str(frame_err.value)
    same = cols.take([0, 1, 2])  # an identical repeat is allowed
    check_duplicates(same, ["path"])
    check_duplicates(same.to_pandas(), ["path"])


def _manifest(tmp_path: Path, n: int, missing: bool = False) -> Path:
    sample = load_sample().iloc[:n]
    rows = ["path,speaker,emotion,take,note"]
    for k, (p, s, e) in enumerate(zip(sample["path"], sample["speaker"], sample["emotion"],
                                      strict=True)):
        rows.append(f"{p},{s},{e},{k + 1},{'' if k % 2 else 'ok, really'.split(',')[0]}")
    if missing:
        rows.append(f"{tmp_path / 'missing.wav'},99,none,{n + 1},gone")
    csv = tmp_path / "m.csv"
    csv.write_text("\n".join(rows) + "\n")
    return csv


@needs_pandas_3
@pytest.mark.parametrize("kwargs", [
    {}, {"n_jobs": 2, "chunk_size": 2}, {"level": "lld"}, {"functionals": ("mean", "std")}])
def test_columns_run_writes_the_file_of_the_pandas_run(tmp_path, kwargs):
    from emofeat.registry import get_extractor
    from emofeat.runner import run

    kwargs = dict(kwargs)
    run_kw = {k: kwargs.pop(k) for k in ("n_jobs", "chunk_size") if k in kwargs}
    csv = _manifest(tmp_path, 5, missing=True)
    cols = read_manifest_csv(csv)
    assert cols is not None
    a, b = tmp_path / "a.parquet", tmp_path / "b.parquet"
    ra = run(cols, [get_extractor("mfcc", **kwargs)], output=a, on_error="record", **run_kw)
    rb = run(load_manifest(csv, check_files=False), [get_extractor("mfcc", **kwargs)],
             output=b, on_error="record", **run_kw)
    _same_file(a, b)
    pd.testing.assert_frame_equal(ra.errors, rb.errors)
    assert ra.n_failed == 1 and ra.n_rows == rb.n_rows


def test_errors_csv_is_what_pandas_writes(tmp_path):
    from emofeat.cli import _write_errors
    from emofeat.runner import ERROR_COLUMNS, RunResult

    rows = [("a,b.wav", "read", "AudioReadError", 'says "no"'),
            ("c.wav", "extract", "ValueError", "two\nlines"), ("d.wav", "read", "E", "")]
    result = RunResult(table=None, error_rows=rows, error_columns=tuple(ERROR_COLUMNS))
    ours, theirs = tmp_path / "ours.csv", tmp_path / "theirs.csv"
    _write_errors(result, ours)
    result.errors.to_csv(theirs, index=False)
    assert ours.read_bytes() == theirs.read_bytes()


@needs_pandas_3
def test_extract_command_imports_no_pandas_and_writes_the_api_table(tmp_path):
    """`emofeat extract` (the program, in a fresh process) on a manifest CSV with a missing
    file: pandas never imported (nor pyarrow.compute, nor PyYAML for Numba's configuration
    without a config file); the file equals the one the Python API writes from the
    manifest DataFrame, the errors table equals pandas' and the exit code says 3."""
    from emofeat.registry import get_extractor
    from emofeat.runner import run

    csv = _manifest(tmp_path, 4, missing=True)
    out = tmp_path / "cli.parquet"
    proc, last = emofeat_program(
        ["extract", "--set", "mfcc", str(csv), "-o", str(out), "-q", "-j", "2",
         "--chunk-size", "2"],
        "sorted(m for m in ('pandas', 'pyarrow.compute', 'yaml') if m in sys.modules)")
    assert proc.returncode == 3, proc.stderr
    assert last == "[]", f"imported: {proc.stdout}"
    api = tmp_path / "api.parquet"
    res = run(load_manifest(csv, check_files=False), [get_extractor("mfcc")], output=api,
              on_error="record")
    _same_file(out, api)
    ref = tmp_path / "ref.errors.csv"
    res.errors.to_csv(ref, index=False)
    assert (tmp_path / "cli.errors.csv").read_bytes() == ref.read_bytes()


def test_columns_run_resumes_an_interrupted_run_as_the_pandas_run(tmp_path):
    """A run stopped by a failing input (``on_error="raise"``) leaves its parts; the run
    after it, with the input fixed and a label changed, resumes them: the same file whether
    the manifests are Columns or DataFrames."""
    from emofeat.registry import get_extractor
    from emofeat.runner import run

    sample = load_sample().iloc[:5]
    paths = list(sample["path"])
    broken = paths[:3] + [str(tmp_path / "missing.wav")] + paths[3:]
    labels = ["a", "b", "c", "d", "e", "f"]
    for kind in ("cols", "frame"):
        out = tmp_path / f"{kind}.parquet"

        def manifest(ps, ls, kind=kind):
            cols = Columns({"path": str_values(ps), "label": str_values(ls)},
                           {"path": "str", "label": "str"})
            return cols if kind == "cols" else cols.to_pandas()

        ext = get_extractor("mfcc", functionals=("mean", "std"))
        with pytest.raises(Exception, match="missing.wav"):
            run(manifest(broken, labels), [ext], output=out, chunk_size=1)
        assert list((tmp_path / f"{kind}.parquet.parts").glob("part-*"))
        fixed = labels[:3] + labels[4:]
        fixed[0] = "changed"
        res = run(manifest(paths, fixed), [ext], output=out, chunk_size=1)
        assert res.n_skipped == 3 and res.n_rows == 2
    _same_file(tmp_path / "cols.parquet", tmp_path / "frame.parquet")
    table = pq.read_table(tmp_path / "cols.parquet")
    assert table.column("label").to_pylist() == ["changed", "b", "c", "e", "f"]


def test_numba_reads_its_yaml_config_where_there_is_one(tmp_path):
    """With a ``.numba_config.yaml`` in the current folder the program leaves Numba's
    configuration as it is (PyYAML imported to read it)."""
    pytest.importorskip("yaml")
    path = str(load_sample()["path"].iloc[0])
    (tmp_path / ".numba_config.yaml").write_text("DISABLE_JIT: 0\n")
    proc, last = emofeat_program(["extract", path, "-o", "f.parquet", "-q"],
                                 "'yaml' in sys.modules", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert last == "True"

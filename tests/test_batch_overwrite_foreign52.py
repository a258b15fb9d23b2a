"""``extract --overwrite`` never replaces a file the user owns (leftover of session 51).

Until session 52 ``-o out.parquet --overwrite`` replaced any file whose name ended in
``.parquet`` with the features table: a user's notes or a labels CSV saved under that name by
mistake, and a parquet table emofeat did not write (EmoDB's labels saved with pandas,
``emofeat predict``'s predictions), which the same command without ``--overwrite`` already
refused as "no features table emofeat wrote ...; not touching it" (47c2331, 50bc31e). Such
files are refused with and without ``--overwrite`` (exit 2, byte for byte as they were, no
lock file beside them), the message naming the file and saying to give another output. An
output cut short (the start of a parquet file) or emofeat's own table is still replaced.
"""

from __future__ import annotations

import pandas as pd
import pytest

from emofeat.cli import main


def _manifest(tmp_path, emodb_dir) -> str:
    labels = pd.read_csv(emodb_dir / "labels.csv", dtype=str)
    manifest = tmp_path / "m.csv"
    labels.head(3).assign(path=lambda d: [str(emodb_dir / p) for p in d.path]).to_csv(
        manifest, index=False)
    return str(manifest)


def _labels_csv(emodb_dir, out):
    out.write_bytes((emodb_dir / "labels.csv").read_bytes())  # a CSV named .parquet


def _notes(emodb_dir, out):
    out.write_text("meeting notes\nnot a table\n", encoding="utf-8")


def _pandas_table(emodb_dir, out):
    pd.read_csv(emodb_dir / "labels.csv", dtype=str).to_parquet(out)


def _flac_bytes(emodb_dir, out):
    out.write_bytes((emodb_dir / "03a01Fa.flac").read_bytes())


@pytest.mark.parametrize(("make", "said"), [
    (_labels_csv, "is not a parquet file"),
    (_notes, "is not a parquet file"),
    (_flac_bytes, "is not a parquet file"),
    (_pandas_table, "is no features table emofeat wrote"),
])
@pytest.mark.parametrize("overwrite", [False, True])
def test_a_file_the_user_owns_is_never_replaced(tmp_path, capsys, emodb_dir, make, said,
                                                overwrite):
    manifest = _manifest(tmp_path, emodb_dir)
    out = tmp_path / "features.parquet"
    make(emodb_dir, out)
    before = out.read_bytes()
    capsys.readouterr()
    code = main(["extract", "-q", "--set", "mfcc", manifest, "-o", str(out),
                 *(["--overwrite"] if overwrite else [])])
    err = capsys.readouterr().err
    # exact: the file untouched, byte for byte (it was replaced by 3 rows of mfcc before)
    assert code == 2, err
    assert out.read_bytes() == before
    assert f"{out} exists and {said}" in err, err
    assert "not touching it, even with --overwrite; give another output" in err, err
    assert not (tmp_path / "features.parquet.lock").exists()


def test_the_python_api_refuses_it_too(tmp_path, emodb_dir):
    from emofeat.registry import get_extractor
    from emofeat.runner import run

    out = tmp_path / "features.parquet"
    _pandas_table(emodb_dir, out)
    before = out.read_bytes()
    files = [str(emodb_dir / "03a01Fa.flac")]
    with pytest.raises(ValueError, match="not touching it, even with overwrite=True"):
        run(files, [get_extractor("mfcc")], output=out, overwrite=True)
    assert out.read_bytes() == before


@pytest.mark.parametrize("cut", [0, 3, 3000])
def test_an_output_cut_short_or_emofeats_own_is_still_replaced(tmp_path, capsys, emodb_dir,
                                                                cut):
    manifest = _manifest(tmp_path, emodb_dir)
    out = tmp_path / "features.parquet"
    assert main(["extract", "-q", "--set", "mfcc", manifest, "-o", str(out)]) == 0
    whole = out.read_bytes()
    out.write_bytes(whole[:cut])  # emofeat's table cut short (a full disk, a broken copy)
    for _ in range(2):  # the cut file, then emofeat's own table
        capsys.readouterr()
        code = main(["extract", "-q", "--set", "mfcc", manifest, "-o", str(out),
                     "--overwrite"])
        assert code == 0, capsys.readouterr().err
        assert len(pd.read_parquet(out)) == 3


@pytest.mark.parametrize("overwrite", [False, True])
def test_a_dataset_folder_another_tool_wrote_is_never_replaced(tmp_path, capsys, emodb_dir,
                                                               overwrite):
    """pyarrow's ``write_dataset`` names its files as emofeat names its parts
    (``part-0.parquet``): EmoDB's labels written so, given as ``-o labels --overwrite``, were
    replaced by the features (the run without ``--overwrite`` refused them already)."""
    import pyarrow as pa
    import pyarrow.dataset as ds

    manifest = _manifest(tmp_path, emodb_dir)
    out = tmp_path / "labels"
    ds.write_dataset(pa.Table.from_pandas(pd.read_csv(emodb_dir / "labels.csv", dtype=str)),
                     out, format="parquet")
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    capsys.readouterr()
    code = main(["extract", "-q", "--set", "mfcc", manifest, "-o", str(out),
                 *(["--overwrite"] if overwrite else [])])
    err = capsys.readouterr().err
    assert code == 2, err  # 0 with --overwrite before: the labels gone, 3 rows of mfcc
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # exact, untouched
    assert "is no features table emofeat wrote" in err, err
    if overwrite:
        assert "not touching it, even with --overwrite; give another output" in err, err
        assert not (tmp_path / "labels.lock").exists()


def test_emofeats_own_dataset_is_still_replaced(tmp_path, capsys, emodb_dir):
    manifest = _manifest(tmp_path, emodb_dir)
    out = tmp_path / "feats"
    for _ in range(2):
        assert main(["extract", "-q", "--set", "mfcc", manifest, "-o", str(out),
                     "--overwrite"]) == 0, capsys.readouterr().err
    assert len(pd.read_parquet(out)) == 3


@pytest.mark.parametrize("overwrite", [False, True])
def test_no_lock_file_beside_a_users_folder(tmp_path, capsys, emodb_dir, overwrite):
    """A folder of the user's (a note in it) given as the output is refused, as before, and
    now before the lock: ``notes.lock`` stayed beside it."""
    manifest = _manifest(tmp_path, emodb_dir)
    out = tmp_path / "notes"
    out.mkdir()
    (out / "todo.txt").write_text("call back\n", encoding="utf-8")
    capsys.readouterr()
    code = main(["extract", "-q", "--set", "mfcc", manifest, "-o", str(out),
                 *(["--overwrite"] if overwrite else [])])
    err = capsys.readouterr().err
    assert code == 2 and "holds files that emofeat did not write (['todo.txt'])" in err, err
    assert [p.name for p in out.iterdir()] == ["todo.txt"]
    assert not (tmp_path / "notes.lock").exists()  # it was left before

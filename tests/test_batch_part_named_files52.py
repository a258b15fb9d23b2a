"""Session 52, review RC: a user's folder whose files start with 'part-' but are no emofeat part
(split manifests part-1.csv / part-2.csv, pyarrow write_dataset(format='ipc'|'csv')) is
never written into nor replaced by extract, with or without --overwrite."""
from __future__ import annotations

import pandas as pd
import pytest

from emofeat.cli import main


def _manifest(tmp_path, emodb_dir) -> str:
    labels = pd.read_csv(emodb_dir / "labels.csv", dtype=str)
    m = tmp_path / "m.csv"
    labels.head(3).assign(path=lambda d: [str(emodb_dir / p) for p in d.path]).to_csv(m, index=False)
    return str(m)


def _split_manifests(emodb_dir, out):
    lines = (emodb_dir / "labels.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    (out / "part-1.csv").write_text("".join(lines[:200]), encoding="utf-8")
    (out / "part-2.csv").write_text("".join(lines[:1] + lines[200:]), encoding="utf-8")


def _pyarrow_dataset(emodb_dir, out, fmt="ipc"):
    import pyarrow as pa
    import pyarrow.dataset as ds
    ds.write_dataset(pa.Table.from_pandas(pd.read_csv(emodb_dir / "labels.csv", dtype=str)),
                     out, format=fmt, existing_data_behavior="overwrite_or_ignore")


def _pyarrow_ipc(emodb_dir, out):
    _pyarrow_dataset(emodb_dir, out, "ipc")


def _pyarrow_parquet(emodb_dir, out):
    _pyarrow_dataset(emodb_dir, out, "parquet")


def _users_folder(tmp_path, emodb_dir, make, name):
    """A manifest of 3 EmoDB files and a folder ``name`` filled by ``make``."""
    manifest = _manifest(tmp_path, emodb_dir)
    out = tmp_path / name
    out.mkdir()
    make(emodb_dir, out)
    return manifest, out


def _extract(manifest, out, overwrite):
    return main(["extract", "-q", "--set", "mfcc", manifest, "-o", str(out),
                 *(["--overwrite"] if overwrite else [])])


@pytest.mark.parametrize("make", [_split_manifests, _pyarrow_ipc])
@pytest.mark.parametrize("overwrite", [False, True])
def test_a_users_part_named_files_are_never_touched(tmp_path, capsys, emodb_dir, make, overwrite):
    manifest, out = _users_folder(tmp_path, emodb_dir, make, "labels")
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    capsys.readouterr()
    code = _extract(manifest, out, overwrite)
    err = capsys.readouterr().err
    # exact: the folder as it was (HEAD: exit 0, the files deleted by --overwrite, or
    # emofeat's parts written beside them)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before, err
    assert code == 2, err


@pytest.mark.parametrize("make", [_pyarrow_parquet, _pyarrow_ipc])
@pytest.mark.parametrize("overwrite", [False, True])
def test_no_lock_file_beside_another_tools_dataset(tmp_path, capsys, emodb_dir, make, overwrite):
    manifest, out = _users_folder(tmp_path, emodb_dir, make, "lbl")
    code = _extract(manifest, out, overwrite)
    assert code == 2, capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["lbl", "m.csv"]  # no lbl.lock

"""A replacement whose only input left to do always fails (a
truncated FLAC) is finished by its continuation, as an uninterrupted --overwrite run is."""

from __future__ import annotations

import shutil

import pytest

from emofeat import read_table
from emofeat.cli import main


@pytest.mark.parametrize("name", ["f.parquet", "ds"])
def test_continuation_with_a_broken_last_input_finishes_the_replacement(
        tmp_path, capsys, emodb_dir, name):
    files = sorted(emodb_dir.glob("*.flac"))[:4]
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for f in files:
        shutil.copy2(f, corpus / f.name)
    (corpus / "m.csv").write_text("path\n" + "".join(f"{f.name}\n" for f in files))
    out = tmp_path / name
    argv = ["extract", "-q", "-j", "1", "--set", "mfcc", str(corpus / "m.csv"), "-o", str(out)]
    assert main(argv) == 0
    broken = corpus / files[-1].name  # cut short: every read of it fails
    broken.write_bytes(broken.read_bytes()[:3000])
    new = [*argv, "--param", "n_mfcc=20"]
    assert main([*new, "--overwrite", "--fail-fast"]) == 3  # 3 inputs staged, stopped at 4th
    capsys.readouterr()
    assert main(new) == 3  # the continuation the stop names: 3 skipped, 1 failed
    err = capsys.readouterr().err
    table = read_table(out).to_pandas()
    # an uninterrupted --overwrite gives these 3 rows of 20 coefficients; 6554077 kept the old
    # 4 rows of 13 and the staged rows forever ("... once its inputs can be read")
    assert len(table) == 3 and "mfcc19_mean" in table.columns, err
    assert not any(p.name.endswith((".parts", ".overwrite")) for p in tmp_path.iterdir())

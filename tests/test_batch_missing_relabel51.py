"""A rerun while listed files are missing labels their kept rows as the manifest now says
(leftover of session 50).

Session 50 kept the rows of files missing at a rerun (a drive not mounted), but where the
manifest spells the files' paths otherwise than the rows hold them (a relabelled manifest in
another folder, ``meta/v2.csv`` listing ``../corpus/a.flac``), the rows kept their old
labels: over 4 RAVDESS files moved away, ``speaker`` stayed ``Actor_01`` where the new
manifest says ``A01``, and its new ``emotion`` column was empty. Labels come from the
manifest of the latest run (docs/cli.md), as they do with the files present; the inputs
still fail (no such file), their rows kept bit for bit.
"""

from __future__ import annotations

import shutil

import numpy as np
import pytest
import test_batch_missing_files50 as missing_files50

from emofeat import read_table
from emofeat.cli import main

corpus = missing_files50.corpus  # the fixture: 4 RAVDESS files copied, m.csv listing them

EMOTIONS = {"01": "neutral", "02": "calm"}  # RAVDESS's emotion code, the file name's third


@pytest.mark.parametrize("name", ["f.parquet", "ds"])
@pytest.mark.parametrize("present", [True, False])
def test_rows_of_missing_files_take_the_new_manifests_labels(
        tmp_path, capsys, corpus, name, present):
    out = tmp_path / name
    capsys.readouterr()
    assert main(["extract", "-q", "--set", "mfcc", str(corpus / "m.csv"), "-o", str(out)]) == 0
    before = read_table(out).to_pandas()
    assert set(before.speaker) == {"Actor_01", "Actor_02"}
    files = [corpus / line.split(",")[0]  # in the first manifest's order
             for line in (corpus / "m.csv").read_text(encoding="utf-8").splitlines()[1:]]
    meta = tmp_path / "meta"
    meta.mkdir()
    lines = ["path,speaker,emotion"] + [
        f"../corpus/{f.name},A{f.stem[-2:]},{EMOTIONS[f.stem.split('-')[2]]}" for f in files]
    (meta / "v2.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    if not present:
        away = tmp_path / "away"
        away.mkdir()
        for f in files:
            shutil.move(str(f), away)
    capsys.readouterr()
    code = main(["extract", "-q", "--set", "mfcc", str(meta / "v2.csv"), "-o", str(out)])
    err = capsys.readouterr().err
    assert code == (0 if present else 3) and err.count("no such file") == (0 if present else 4)
    after = read_table(out).to_pandas()
    assert after.path.tolist() == before.path.tolist()  # the rows kept, as held
    names = [c for c in before.columns if c.startswith("mfcc")]
    np.testing.assert_array_equal(after[names].to_numpy(), before[names].to_numpy())  # exact
    by_path = {str(f): (f"A{f.stem[-2:]}", EMOTIONS[f.stem.split("-")[2]]) for f in files}
    # the manifest's labels, missing or not (before the fix, missing: Actor_01, no emotion)
    assert list(zip(after.speaker, after.emotion, strict=True)) == [
        by_path[p] for p in after.path], after[["path", "speaker", "emotion"]]

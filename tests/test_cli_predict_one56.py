"""``emofeat predict`` of one recording says ``1 prediction``.

A user who extracts one file and predicts its emotion read ``wrote p.csv (1 predictions)``;
the count is now in the singular for 1, as the command's other counts are. Real data: a logreg
model of EmoDB mfcc (18 recordings of speakers 03 and 08, three emotions), the table of one recording.
Exact text comparison (no tolerance).
"""

from __future__ import annotations

import pytest

from emofeat.cli import EXIT_OK, main


def test_one_prediction_in_the_singular(tmp_path, emodb_dir, capsys):
    # happiness, neutral, anger: several recordings each
    flacs = [f for f in sorted(emodb_dir.glob("0[38]*.flac")) if f.name[5] in "FNW"][:18]
    if len(flacs) < 18:
        pytest.skip("EmoDB's speakers 03 and 08 are not all there")
    manifest = tmp_path / "m.csv"
    emotions = {"F": "happiness", "N": "neutral", "W": "anger"}
    manifest.write_text("path,emotion\n" + "".join(f"{f},{emotions[f.name[5]]}\n"
                                                   for f in flacs))
    table, model = tmp_path / "t.parquet", tmp_path / "m.joblib"
    assert main(["extract", "-q", "--set", "mfcc", str(manifest), "-o", str(table)]) == EXIT_OK
    assert main(["train", "--target", "emotion", "--model", "logreg", str(table),
                 "-o", str(model)]) == EXIT_OK
    one = tmp_path / "one.parquet"
    assert main(["extract", "-q", "--set", "mfcc", str(flacs[0]), "-o", str(one)]) == EXIT_OK
    capsys.readouterr()
    out = tmp_path / "p.csv"
    assert main(["predict", str(model), str(one), "-o", str(out)]) == EXIT_OK
    err = capsys.readouterr().err
    assert f"wrote {out} (1 prediction)" in err.splitlines(), err

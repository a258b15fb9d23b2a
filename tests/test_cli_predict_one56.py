"""``emofeat predict`` of one recording says ``1 prediction``.

A user who extracts one file and predicts its emotion read ``wrote p.csv (1 predictions)``;
the count is now in the singular for 1, as the command's other counts are. Real data: a logreg
model of EmoDB mfcc (6 recordings of speaker 03, three emotions, two each), the table of one recording.
Exact text comparison (no tolerance).
"""

from __future__ import annotations

import pytest

from emofeat.cli import EXIT_OK, main


def test_one_prediction_in_the_singular(tmp_path, emodb_dir, capsys):
    # happiness, neutral, anger: two recordings each (the model's quality is no point here;
    # 18 recordings took 16 s on a loaded machine)
    flacs = [f for emotion in "FNW"
             for f in [f for f in sorted(emodb_dir.glob("03*.flac")) if f.name[5] == emotion][:2]]
    if len(flacs) < 6:
        pytest.skip("EmoDB's speaker 03 is not all there")
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

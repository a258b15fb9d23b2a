"""A text run's summary line does not count "segments" (session 52, helper C's finding).

``emofeat extract --set lexicon`` of 20 CARER texts said "20 inputs, 20 done, 0 failed, 20
segments, 20 rows": a text is no segment of a recording. The line keeps the inputs, done,
failed and rows; an audio run keeps its segments (a recording cut into windows).
"""

from __future__ import annotations

import pandas as pd
from conftest import shared_path

from emofeat.cli import main


def test_text_summary_has_no_segments(tmp_path, capsys):
    src = shared_path("text", "carer")
    val = next(p for p in sorted(src.rglob("*")) if p.suffix in (".txt", ".csv")
               and "val" in p.name)
    texts = [line.split(";")[0] for line in val.read_text().splitlines()[:20]]
    manifest = tmp_path / "t.csv"
    pd.DataFrame({"text": texts}).to_csv(manifest, index=False)
    code = main(["extract", "--set", "lexicon", str(manifest), "-o", str(tmp_path / "o.parquet")])
    err = capsys.readouterr().err
    assert code == 0, err
    line = next(x for x in err.splitlines() if "20 done" in x)
    assert "segment" not in line and "20 rows" in line, line


def test_audio_summary_keeps_its_segments(tmp_path, capsys, emodb_dir):
    wav = sorted(emodb_dir.glob("*.flac"))[0]
    code = main(["extract", str(wav), "--segment", "1", "--hop", "1",
                 "-o", str(tmp_path / "a.parquet")])
    err = capsys.readouterr().err
    assert code == 0, err
    line = next(x for x in err.splitlines() if "1 done" in x)
    assert "segments" in line or "segment," in line, line

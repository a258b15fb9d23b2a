"""The EEG-classification journey on the real Muse recordings: extract with a manifest of
subject and state, evaluate, train, predict on a held-out recording. Each test failed before
its fix."""

from __future__ import annotations

import pytest
from conftest import shared_path

from emofeat.cli import EXIT_OK, EXIT_USAGE, main
from emofeat.table import FeatureTable

MUSE = ("eeg", "muse_mental_state")


def _manifest(tmp_path, names, out="man.csv"):
    lines = ["path,subject,state"]
    for n in names:
        subject, state, _ = n[:-4].split("-")
        lines.append(f"{shared_path(*MUSE, n)},{subject},{state}")
    p = tmp_path / out
    p.write_text("\n".join(lines) + "\n")
    return p


def test_set_given_twice_extracts_both_sets(tmp_path):
    # argparse kept the last --set only: eeg_bands was dropped without a word
    man = _manifest(tmp_path, ["subjecta-relaxed-1.csv"])
    out = tmp_path / "f.parquet"
    assert main(["extract", str(man), "--set", "eeg_bands", "--set", "eeg_hjorth",
                 "--segment", "4s", "--hop", "2s", "-q", "-o", str(out)]) == EXIT_OK
    t = FeatureTable.read_parquet(out)
    sets = [s["name"] for s in t.provenance["sets"]]
    assert sets == ["eeg_bands", "eeg_hjorth"]
    assert any(n.startswith("eeg_bands_") for n in t.feature_names)
    assert any(n.startswith("eeg_hjorth_") for n in t.feature_names)


def test_missing_features_table_says_no_such_file(tmp_path, capsys):
    # was 'emofeat evaluate: X: X' (pyarrow's FileNotFoundError holds only the path)
    missing = tmp_path / "nope.parquet"
    assert main(["evaluate", str(missing), "--target", "state"]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert "no such file" in err and "nope.parquet" in err
    with pytest.raises(FileNotFoundError, match="no such file.*nope.parquet"):
        FeatureTable.read_parquet(missing)

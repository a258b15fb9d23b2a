"""Every registered set through the whole ``emofeat extract`` command, as a user first meets it:
whole inputs and ``--segment`` windows (with ``--hop`` for EEG), each run exiting 0 with one
row per input or window and an empty errors table. A set whose command crashed on a common
option (``rqa_eeg --segment``, found by a benchmark, not by a test) fails here."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from emofeat.cli import main
from emofeat.registry import list_sets

SETS = [(modality, info.name) for modality, infos in list_sets().items() for info in infos]
assert {name for _, name in SETS} >= {"mfcc", "egemaps", "rqa_eeg", "eeg_bands", "lexicon",
                                      "text_surface"}, SETS


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    """A manifest per modality: two bundled RAVDESS recordings, two Muse-like EEG CSVs (4
    channels at 256 Hz, 13.3 s and 9.1 s: a short last window), five texts."""
    from emofeat.datasets import load_sample

    root = tmp_path_factory.mktemp("every_set")
    sample = load_sample()
    audio = root / "audio.csv"
    pd.DataFrame({"path": sample["path"].iloc[:2]}).to_csv(audio, index=False)
    rng = np.random.default_rng(0)
    eeg_paths = []
    for k, seconds in enumerate((13.3, 9.1)):
        n = int(seconds * 256)
        t = 1.6e9 + np.arange(n) / 256.0
        x = rng.standard_normal((n, 4)) * 10 + 20 * np.sin(2 * np.pi * 10 * t[:, None])
        path = root / f"rec{k}.csv"
        pd.DataFrame({"timestamps": t, **{c: x[:, j] for j, c in
                                          enumerate(("TP9", "AF7", "AF8", "TP10"))}}).to_csv(
            path, index=False)
        eeg_paths.append(str(path))
    eeg = root / "eeg.csv"
    pd.DataFrame({"path": eeg_paths}).to_csv(eeg, index=False)
    text = root / "text.csv"
    pd.DataFrame({"text": ["I love this :)", "NOT good at all!!!", "", "meh... ok",
                           "Sooo happy 😀 #yay"]}).to_csv(text, index=False)
    return {"audio": (audio, 2), "eeg": (eeg, 2), "text": (text, 5)}


# texts have no time axis: --segment does not apply to them
RUNS = [(m, n, seg) for m, n in SETS for seg in ((False, True) if m != "text" else (False,))]


@pytest.mark.parametrize(("modality", "name", "segment"), RUNS,
                         ids=[f"{n}-{'segments' if seg else 'whole'}" for _, n, seg in RUNS])
def test_every_set_runs_through_the_command(inputs, tmp_path, modality, name, segment):
    manifest, n_inputs = inputs[modality]
    out = tmp_path / "out.parquet"
    args = ["extract", "--set", name, str(manifest), "-o", str(out), "-q"]
    if segment:
        args += ["--segment", "4s", "--hop", "2s"] if modality == "eeg" else ["--segment", "1s"]
    assert main(args) == 0
    table = pq.read_table(out)
    if segment:  # windows: more rows than inputs, each with its bounds
        assert table.num_rows > n_inputs
        assert {"start", "end"} <= set(table.column_names)
    else:
        assert table.num_rows == n_inputs
    errors = tmp_path / "out.errors.csv"
    assert not errors.exists() or len(pd.read_csv(errors)) == 0

"""``rqa_eeg``'s ``hop`` without ``window`` is refused at ``fit``: it was ignored without a
word (one window over the whole recording, the same row as without it; hunt of session 46),
where the command's ``--hop`` without ``--segment`` and ``paa``'s ``mid_step`` without
``mid_window`` are refused."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import shared_path

from emofeat.cli import main


def _muse():
    folder = shared_path("eeg", "muse_mental_state")
    return sorted(folder.glob("*.csv"))[0]


def test_hop_without_window_is_refused_at_fit():
    from emofeat.extractors.rqa import RQAEEG

    data = np.loadtxt(_muse(), delimiter=",", skiprows=1, usecols=(1, 2, 3, 4),
                      max_rows=1000).T
    rec = [(data, 250.0, ("TP9", "AF7", "AF8", "TP10"))]
    with pytest.raises(ValueError, match=r"hop=1\.0 needs window \(the RQA window in seconds\)"
                                         r"; without it each recording or epoch is one window"):
        RQAEEG(hop=1.0).fit(rec)
    # with its window it slides; without either, one window
    assert RQAEEG(window=2.0, hop=1.0, level="lld").fit_transform(rec).shape[0] == 3
    assert RQAEEG(level="lld").fit_transform(rec).shape[0] == 1


def test_the_command_refuses_it_and_writes_nothing(tmp_path, capsys):
    out = tmp_path / "r.parquet"
    code = main(["extract", "--set", "rqa_eeg", "--param", "hop=1", str(_muse()), "-o",
                 str(out), "-q"])
    err = capsys.readouterr().err
    assert code == 2, err
    assert "hop=1 needs window" in err
    assert not out.exists()

"""A gap's message on the samples the cut takes (review R2 of 4f418b6, session 55).

On the Muse recording ``subjectb-relaxed-2`` (254.224 Hz, its stretches starting at CSV
timestamps off the sample grid) 7 of its 9 gap messages contradicted themselves: "from
857.84717 s to 887.76 s ... end it by 857.848982 s, or start it at 887.759586 s": the gap's
edges were the timestamps, the remedies the grid the cut used (``round(offset * rate)``, up
to half a sample off the samples' times). Now each stretch is cut on its own samples' times
(``offset + j / rate``): the remedies are the gap's edges, and typed back they cut the
stretch's last and first samples.
"""

from __future__ import annotations

import re
import warnings

import numpy as np
import pytest
from conftest import shared_path
from test_eeg_segment_clock55 import _errors, _run

from emofeat import get_extractor
from emofeat.eeg_input import read_recording
from emofeat.runner import run

pytest.importorskip("pandas")

GAP = re.compile(r"from ([0-9.]+) s to ([0-9.]+) s, where no sample was recorded: its samples "
                 r"would not be contiguous; end it by ([0-9.]+) s, or start it at ([0-9.]+) s")


def test_every_gap_s_remedies_lie_outside_it_and_cut_its_edge_samples():
    path = shared_path("eeg", "muse_mental_state", "subjectb-relaxed-2.csv")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        rec = read_recording(path)
    rate, edges = rec.sfreq, [0, *rec.breaks, rec.n_times]
    # a segment across each gap, from 0.4 s before its stretch's end to 0.4 s into the next
    ends = [t + (b - a) / rate for t, a, b in zip(rec.stretch_starts, edges[:-1], edges[1:],
                                                       strict=True)]
    spans = [(t - 0.4, u + 0.4) for t, u in zip(ends, rec.stretch_starts[1:], strict=False)]
    messages = _errors(_run([path] * len(spans), spans))
    assert len(messages) == len(spans) == 9
    fixes, want = [], []
    for k, m in enumerate(messages):
        got = GAP.search(m)
        assert got, m
        since, until, end_by, start_at = map(float, got.groups())
        # before: 7 of 9 offered "end it by" after the gap's start or "start at" before its
        # end (e.g. 857.848982 > 857.84717); compared exactly as printed (to the microsecond:
        # the remedies are the gap's edges rounded down and up)
        assert end_by <= since and start_at >= until, m
        fixes += [(end_by - 1.0, end_by), (start_at, start_at + 1.0)]
        n = int(round(1.0 * rate))
        want += [rec.data[:, edges[k + 1] - n:edges[k + 1]],
                 rec.data[:, edges[k + 1]:edges[k + 1] + n]]
    res = _run([path] * len(fixes), fixes)
    assert _errors(res) == [] and len(res.table) == 18
    # the remedies cut the stretch's last and first samples: the same features as those
    # samples given as arrays (same rate, same samples: rtol 1e-9)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        arrays = run([(w, rate, list(rec.ch_names)) for w in want], [get_extractor("eeg_bands")])
    np.testing.assert_allclose(np.asarray(res.table.X), np.asarray(arrays.table.X),
                               rtol=1e-9)

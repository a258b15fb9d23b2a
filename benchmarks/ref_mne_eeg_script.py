"""The script a typical MNE user writes for windowed EEG band power: read each recording, cut it
into 4 s windows every 2 s, one ``mne.time_frequency.psd_array_welch`` call per recording on
its stacked windows (1 s Hamming segments, 50 % overlap: the ``eeg_bands`` set's defaults),
absolute, relative and dB power of the five bands, to parquet. The baseline of
``bench_cli_sets.py --sets eeg_bands`` (the same work as ``emofeat extract --set eeg_bands
--segment 4s --hop 2s``).

The recordings are the Muse CSV exports (``timestamps`` + one column per electrode, microvolts,
256 Hz). MNE has no reader for them (``mne.io.read_raw_*`` reads EDF/BDF, BrainVision, FIF,
EEGLAB, ...), so the CSV is read with pandas, as MNE's examples do for CSV data. The windows are
those the emofeat command cuts: a step longer than twice the median timestamp step is a gap
(one Muse file has nine), the rate is the number of sample intervals over the time they span
between the gaps (the timestamps are rounded to milliseconds, so one over the median step, 4
ms, would say 250 Hz), windows are laid out afresh after each gap (the
``epoch`` column numbers the gap-free stretches), the last window of a stretch is the first to
reach its end (shorter, with its own shorter Welch segment) unless it is too short for a band
to have a frequency bin.

    python benchmarks/ref_mne_eeg_script.py manifest.csv out.parquet
"""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd
from mne.time_frequency import psd_array_welch

BANDS = {"delta": (1, 4), "theta": (4, 8), "alpha": (8, 13), "beta": (13, 30),
         "gamma": (30, 45)}
WINDOW, HOP, SEGMENT = 4.0, 2.0, 1.0


def band_powers(x: np.ndarray, sfreq: float) -> np.ndarray:
    """``(n_windows, 3 kinds x 5 bands x n_channels)`` of windows ``(n_windows, n_ch, n)``."""
    n_seg = min(round(SEGMENT * sfreq), x.shape[-1])
    psd, freqs = psd_array_welch(x, sfreq, n_fft=n_seg, n_per_seg=n_seg,
                                 n_overlap=round(0.5 * n_seg), verbose=False)
    df = freqs[1] - freqs[0]
    power = {b: psd[..., (freqs >= lo) & (freqs < hi)].sum(-1) * df
             for b, (lo, hi) in BANDS.items()}
    total = psd[..., (freqs >= 1) & (freqs < 45)].sum(-1) * df
    kinds = {"abs": power, "rel": {b: p / total for b, p in power.items()},
             "db": {b: 10 * np.log10(p) for b, p in power.items()}}
    return np.concatenate([kinds[k][b] for k in kinds for b in BANDS], axis=1)


def has_every_band(n: int, sfreq: float) -> bool:
    freqs = np.fft.rfftfreq(min(round(SEGMENT * sfreq), n), 1 / sfreq)
    return all(((freqs >= lo) & (freqs < hi)).any() for lo, hi in BANDS.values())


def main(manifest: str, output: str) -> None:
    paths = pd.read_csv(manifest)["path"]
    tables = []
    for path in paths:
        rec = pd.read_csv(path)
        channels = [c for c in rec.columns if c != "timestamps" and "AUX" not in c]
        t = rec["timestamps"].to_numpy()
        dt = np.diff(t)
        data = rec[channels].to_numpy(dtype=np.float64).T
        gaps = np.flatnonzero(dt > 2 * np.median(dt)) + 1
        # timestamps rounded to ms (steps of 3 and 4 ms): the rate is samples over time spanned
        first, last = np.array([0, *gaps]), np.array([*gaps, len(t)]) - 1
        sfreq = (last - first).sum() / (t[last] - t[first]).sum()
        for epoch, (a, b) in enumerate(zip([0, *gaps], [*gaps, data.shape[1]], strict=True)):
            x = data[:, a:b]
            n, win, hop = x.shape[1], round(WINDOW * sfreq), round(HOP * sfreq)
            starts = list(range(0, max(n - win, 0) + 1, hop))
            if starts[-1] + win < n:
                starts.append(starts[-1] + hop)
            full = [s for s in starts if s + win <= n]
            rows = []
            if full:
                rows.append(band_powers(np.stack([x[:, s:s + win] for s in full]), sfreq))
            last = starts[-1]
            if last + win > n and (last == 0 or has_every_band(n - last, sfreq)):
                rows.append(band_powers(x[None, :, last:], sfreq))
            else:
                starts = full
            names = [f"{k}_{b}_{c}" for k in ("abs", "rel", "db") for b in BANDS
                     for c in channels]
            table = pd.DataFrame(np.concatenate(rows), columns=names)
            table.insert(0, "path", path)
            table.insert(1, "epoch", epoch)
            table.insert(2, "start", np.array(starts) / sfreq)
            table.insert(3, "end", np.minimum(np.array(starts) + win, n) / sfreq)
            tables.append(table)
    pd.concat(tables, ignore_index=True).to_parquet(output)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])

"""Feature catalogue of the EEG sets ``eeg_stats``, ``eeg_bands``, ``eeg_de``,
``eeg_asymmetry``, ``eeg_hjorth`` and ``eeg_spectral`` (see :mod:`emofeat.feature_catalogue`).

Agreement figures: tests/test_eeg_features.py and tests/test_eeg_sets.py on the real EEG in
``../shared/data/eeg`` (EDF, BrainVision, Muse CSV), as docs/eeg.md reports them.
"""

from emofeat.feature_catalogue import Descriptor, SetDoc

_U = "input unit (V for MNE objects and files, uV for Muse/DEAP/DREAMER/SEED arrays)"
_WELCH = ("bands", "segment", "overlap")


def _row(name, unit, definition, params, reference, agreement, **kw):
    return Descriptor(name, unit, definition, kind="row", params=params, reference=reference,
                      agreement=agreement, **kw)


SETS = [
    SetDoc(
        sets=("eeg_stats",),
        reference="`scipy.stats` (`bias=True`), NumPy",
        agreement="rtol 1e-9 on real EEG (MNE test data) (tests/test_eeg_stats.py).",
        page="eeg.md",
        descriptors=(
            _row("{set}_mean_{ch}", _U, "Mean of the channel over the window.", ("stats",),
                 "numpy.mean", "rtol 1e-9"),
            _row("{set}_std_{ch}", _U, "Population standard deviation.", ("stats",),
                 "numpy.std", "rtol 1e-9"),
            _row("{set}_skew_{ch}", "1", "Skewness, biased.", ("stats",), "scipy.stats.skew",
                 "rtol 1e-9"),
            _row("{set}_kurtosis_{ch}", "1", "Excess kurtosis, biased.", ("stats",),
                 "scipy.stats.kurtosis", "rtol 1e-9"),
            _row("{set}_line_length_{ch}", _U, "Mean absolute sample-to-sample difference "
                 "(the line length per sample, so windows of any length compare).",
                 ("stats",), "numpy.abs(numpy.diff).mean", "rtol 1e-9"),
        ),
    ),
    SetDoc(
        sets=("eeg_bands",),
        reference="`mne.time_frequency.psd_array_welch` + band sums over [lo, hi); "
                  "mne-features `pow_freq_bands` sums closed bands [lo, hi]",
        agreement="rtol 1e-9 (observed ~1e-15) against MNE's Welch PSD summed over half-open "
                  "bands on real EDF/BrainVision/Muse EEG (tests/test_eeg_features.py, "
                  "tests/test_eeg_sets.py). mne-features counts a bin on an inner band edge "
                  "in both bands; with 1 s segments every edge is a bin, so its relative and "
                  "dB band powers differ from the set's by up to ~25 %; the function "
                  "`band_power(..., closed=True)` reproduces them (rtol 1e-9).",
        page="eeg.md",
        descriptors=(
            _row("{set}_abs_{band}_{ch}", _U + " squared",
                 "Absolute band power: sum of the Welch PSD bins in [lo, hi) times the bin "
                 "width (Hamming, 1 s segments, 50 % overlap; default bands delta 1-4, theta "
                 "4-8, alpha 8-13, beta 13-30, gamma 30-45 Hz).", (*_WELCH, "psd_method"),
                 "mne psd_array_welch", "rtol 1e-9 (observed ~1e-15)"),
            _row("{set}_rel_{band}_{ch}", "1",
                 "Relative band power: absolute over the power of the span of the bands "
                 "(relative_to=\"all\": 0 Hz to Nyquist).", (*_WELCH, "relative_to"),
                 "mne psd_array_welch band sums (mne-features pow_freq_bands(normalize=True) "
                 "with closed bands: band_power(closed=True))", "rtol 1e-9"),
            _row("{set}_db_{band}_{ch}", "dB", "10 log10 of the absolute band power.",
                 _WELCH, "mne psd_array_welch band sums (mne-features pow_freq_bands(log=True) "
                 "+ 10 log10(df) with closed bands: band_power(closed=True))", "rtol 1e-9"),
        ),
    ),
    SetDoc(
        sets=("eeg_de",),
        reference="`0.5 ln(2 pi e var)` of MNE's Welch band power (`method=\"psd\"`) or of "
                  "the `mne.filter.filter_data` band-passed signal (`method=\"filter\"`)",
        agreement="1e-9 nats against both constructions from MNE (tests/test_eeg_features.py).",
        page="eeg.md",
        descriptors=(
            _row("{set}_{band}_{ch}", "nats",
                 "Differential entropy of a Gaussian, 0.5 ln(2 pi e s2), s2 the band power "
                 "(or the band-passed variance); shifts by ln 10^6 per factor 10^6 of the unit.",
                 (*_WELCH, "method"), "mne psd_array_welch / mne.filter.filter_data",
                 "1e-9 nats"),
        ),
    ),
    SetDoc(
        sets=("eeg_asymmetry",),
        reference="the `eeg_de` features above; MNE Welch band power (FAA)",
        agreement="every DASM, RASM and DCAU column against DE built from MNE's Welch PSD "
                  "alone, pairs written out in the test, on Muse (uV) and BrainVision (V; Raw "
                  "and Epochs): DASM/DCAU atol 1e-12 nats (observed <= 9e-15), RASM rtol 1e-12 "
                  "(observed ~3e-16) (tests/test_eeg_sets.py); FAA from band power tested to "
                  "1e-9 (tests/test_eeg_features.py); pairing of 10-20 names tested on every "
                  "montage of the test data.",
        page="eeg.md",
        descriptors=(
            _row("{set}_dasm_{band}_{pair}", "nats",
                 "Differential asymmetry: DE(left) - DE(right) of a 10-20 pair (odd n with "
                 "n + 1), or of a bipolar derivation and its mirror (FP1-F7 with FP2-F8, "
                 "named (FP1-F7)-(FP2-F8)).", ("kinds", *_WELCH),
                 "DE of mne psd_array_welch band power", "atol 1e-12 nats (observed ~5e-15)"),
            _row("{set}_rasm_{band}_{pair}", "1",
                 "Rational asymmetry: DE(left) / DE(right) (depends on the unit; unstable "
                 "where DE crosses 0).", ("kinds", *_WELCH),
                 "DE of mne psd_array_welch band power", "rtol 1e-12 (observed ~3e-16)"),
            _row("{set}_dcau_{band}_{pair}", "nats",
                 "Caudality: DE(frontal) - DE(posterior) of pairs mirrored about the central "
                 "row (FC5-CP5, FCz-CPz, FT7-TP7; Zheng et al. 2017; bipolar derivations "
                 "end by end, FP1-F7 with T5-O1).", ("kinds", *_WELCH),
                 "DE of mne psd_array_welch band power", "atol 1e-12 nats (observed ~9e-15)"),
            _row("{set}_faa_{pair}", "ln power ratio",
                 "Frontal alpha asymmetry ln(alpha_right) - ln(alpha_left) (Davidson: "
                 "positive = relatively more left-frontal activity).", ("kinds", *_WELCH),
                 "MNE Welch band power", "rtol 1e-9 (band power)"),
        ),
    ),
    SetDoc(
        sets=("eeg_hjorth",),
        reference="Hjorth (1970) with NumPy; mne-features 0.3 `hjorth_*` "
                  "(`convention=\"mne_features\"`)",
        agreement="rtol 1e-9 (observed ~1e-15 / ~5e-15) (tests/test_eeg_features.py).",
        page="eeg.md",
        descriptors=(
            _row("{set}_activity_{ch}", _U + " squared", "var(x), population.", ("convention",),
                 "numpy.var / mne-features variance", "rtol 1e-9"),
            _row("{set}_mobility_{ch}", "1/sample (times sfreq for Hz)",
                 "sqrt(var(x') / var(x)), x' the first difference.", ("convention",),
                 "mne-features hjorth_mobility", "rtol 1e-9"),
            _row("{set}_complexity_{ch}", "1", "mobility(x') / mobility(x).", ("convention",),
                 "mne-features hjorth_complexity", "rtol 1e-9"),
        ),
    ),
    SetDoc(
        sets=("eeg_spectral",),
        reference="mne-features 0.3 `spect_entropy`, `spect_edge_freq`",
        agreement="rtol 1e-9 against mne-features at its settings (SEF: fmin 0, fmax = its "
                  "ref_freq; entropy: the exact relation to its DC-bin convention, fmin at the "
                  "first bin above DC, normalize=False) (tests/test_eeg_features.py). At the "
                  "set's defaults (1-45 Hz, normalize=True) the values are the definition "
                  "below, not mne-features' (its entropy then differs by ~90 %): the set's "
                  "entropy (defaults, and normalize=False over 4-30 Hz) against that "
                  "definition on MNE's psd_array_welch (1 s Hamming segments, 50 % overlap, "
                  "bins in [fmin, fmax] inclusive): rtol 1e-9, observed ~7e-16 "
                  "(tests/test_eeg_sets.py).",
        page="eeg.md",
        descriptors=(
            _row("{set}_entropy_{ch}", "1 (normalize=True) or bits",
                 "Shannon entropy of the Welch PSD normalised over [fmin, fmax], divided by "
                 "log2(n_bins).", ("fmin", "fmax", "normalize", "segment", "overlap"),
                 "mne psd_array_welch + Shannon entropy (mne-features spect_entropy at its "
                 "settings)", "rtol 1e-9 (observed ~7e-16)"),
            _row("{set}_sef{k}_{ch}", "Hz",
                 "Spectral edge frequency: first bin where the cumulative power reaches the "
                 "edge fraction (50 %, 90 %) of the power in [fmin, fmax].",
                 ("edges", "fmin", "fmax", "segment", "overlap"),
                 "mne-features spect_edge_freq", "rtol 1e-9"),
        ),
    ),
]

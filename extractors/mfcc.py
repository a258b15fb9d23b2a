"""Mel-frequency cepstral coefficients (MFCC), with deltas.

Pipeline per input: frames (optional per-frame pre-emphasis, window) -> real FFT ->
``|X|**power`` -> mel filterbank -> log (dB with librosa's ``power_to_db`` conventions, or
natural log) -> DCT-II -> lifter -> deltas (Savitzky-Golay, as ``librosa.feature.delta``).

Two conventions:

``convention="librosa"`` (default)
    Identical to ``librosa.feature.mfcc`` given the same parameters (tested to 1e-3 absolute on
    real speech): centred frames padded with ``n_fft // 2`` samples (``pad_mode``), periodic
    window centred in ``n_fft``, Slaney or HTK mel scale with triangles linear in Hz,
    orthonormal DCT-II, lifter ``1 + (L/2) sin(pi (k+1) / L)``.

``convention="htk"`` (:meth:`MFCC.htk`)
    HTK's ``HCopy`` conventions (HTK book 3.4, section 5.6): frames of ``win_length`` samples
    starting at ``t * hop`` (no centring, ``1 + (n - win) // hop`` frames), per-frame
    pre-emphasis with ``x[0] (1 - k)``, symmetric Hamming window, zero-padded to ``n_fft``,
    magnitude spectrum, HTK mel scale with triangles linear in mel and no DC bin, natural log
    floored at 1.0 on the 16-bit sample scale, DCT-II scaled ``sqrt(2/N)`` for every
    coefficient, lifter ``1 + (L/2) sin(pi k / L)`` (c0 unliftered). c0 is kept as the first
    coefficient (HTK's ``_0`` qualifier); HTK's energy term ``_E`` is not computed.
"""

from __future__ import annotations

import functools
import math
import numbers
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

import numpy as np

from emofeat.audio import Audio

from .base import (
    FrameExtractor,
    check_frame_length,
    check_mel_sizes,
    empty_mel_filters,
    frames_per_pass,
    warn_of_empty_filters,
    warn_overflow,
)
from .filters import (
    WindowValues,
    _is_p_norm,
    analysis_window,
    dct_matrix,
    get_window,
    lifter_weights,
    mel_filterbank,
    p_normalized,
    sparse_filterbank,
)
from .functionals import DEFAULT_FUNCTIONALS, deltas

#: dB (of ``|X|**power``) per unit of ``power`` that a ``top_db`` floor may keep for the frames
#: and FFT to run in float32 (:meth:`MFCC.frame_precision`): the float32 FFT's rounding lies
#: about 70 dB per unit of power below a frame's loudest bin, 20 dB of margin
FLOAT32_DB = 50.0
#: the smallest normal float64: where the frame state keeps mel energies unfloored, the floor
#: that keeps their log finite (a band of digital silence)
_TINY = float(np.finfo(np.float64).tiny)


class MFCC(FrameExtractor):
    """MFCCs and their deltas as an sklearn transformer.

    Parameters
    ----------
    sr : int, default 16000
        Analysis rate; inputs at another rate are resampled with soxr (see ``resample``).
    n_mfcc : int, default 13
        Coefficients kept, c0 included.
    n_fft : int, default 400
        FFT size (25 ms at 16 kHz), at most 2**20 samples (65.5 s at 16 kHz).
    hop_length : int, default 160
        Frame step (10 ms at 16 kHz).
    win_length : int or None
        Window length, ``None`` for ``n_fft``.
    window : str, tuple, float or array, default "hann"
        What ``scipy.signal.get_window`` (and librosa) take: a name, a name with its
        parameters (``("kaiser", 8)``, ``("tukey", 0.5)``, ``("general_cosine", [0.5,
        0.5])``: a list or array parameter taken as a tuple; recorded as a list), a number
        (a Kaiser window's beta), or the window's ``win_length`` values as an array (used as
        given, in both conventions; recorded as a list of numbers). A window function (a
        callable) is refused: it cannot be recorded with the features.
    center : bool, default True
        Pad ``n_fft // 2`` samples at both ends so frame ``t`` is centred at ``t * hop``.
    pad_mode : {"constant", "reflect"}
        Padding for ``center=True`` (librosa's default is zeros).
    n_mels : int, default 40
        At most 4 filters per FFT bin; the filterbank (``n_mels x (n_fft // 2 + 1)``) and the
        DCT (``n_mfcc x n_mels``) at most 2**25 values each (refused before they are built).
    fmin, fmax : float
        Filterbank band in Hz; ``fmax=None`` means ``sr / 2``. A ``fmax`` above ``sr / 2``
        gives librosa's filters (laid out up to ``fmax``, cut at ``sr / 2``) with a warning;
        refused where most filters would hold no FFT bin.
    htk : bool, default False
        HTK mel formula instead of Slaney's.
    mel_norm : "slaney", float or None, default "slaney"
        Filter normalisation, librosa's ``filters.mel(norm=...)``: ``"slaney"`` (area),
        ``None`` (unit peaks), or a number ``p`` (``> 0``, ``np.inf`` or ``0``): each
        filter divided by its ``p``-norm over the FFT bins (``librosa.util.normalize``).
    power : float, default 2.0
        Exponent of the magnitude spectrum (2 power, 1 magnitude); finite, > 0.
    log : {"db", "ln"}, default "db"
        ``10 log10(max(amin, S) / max(amin, |ref|))`` as librosa, or ``ln(max(amin, S))``.
    amin : float
        Floor of the log (finite, > 0).
    ref : float, str or numpy reduction, default 1.0
        Reference of the dB scale (dB only, ``log="ln"`` has none): a finite number, or
        ``np.max`` (``np.amax``, or the text ``"max"``, which an output records for either)
        for the input's loudest mel energy, as ``librosa.power_to_db(S, ref=np.max)``: 0 dB
        at each input's own maximum (a per-input level normalisation; only c0 moves, by
        that level in dB times ``sqrt(n_mels)`` in the librosa convention, ``sqrt(2 *
        n_mels)`` in HTK's (its DCT scales every row by ``sqrt(2 / n_mels)``), and times
        c0's lifter weight, ``1 + (lifter / 2) sin(pi / lifter)``, where the librosa
        convention's lifter is set; in blocks, the whole file's maximum; with
        ``--segment``, each segment's). ``np.min`` (``np.amin``), ``np.mean`` and
        ``np.median`` (or ``"min"``, ``"mean"``, ``"median"``) likewise put 0 dB at that
        statistic of the input's mel energies, taken before the ``amin`` floor as librosa's
        ``ref(S)`` takes it (then ``max(amin, ref(S))``). Other callables are refused: they
        cannot be recorded with the features.
    top_db : float or None, default 80.0
        dB only: floor every value at the input's maximum minus ``top_db`` (>= 0; ``None``
        or ``inf``, as librosa's ``power_to_db`` reads it: no floor).
    lifter : float, default 0
        Cepstral lifter ``L`` (0 = none; HTK uses 22); finite, >= 0.
    preemphasis : float, default 0
        Per-frame pre-emphasis coefficient (HTK: 0.97); finite.
    input_scale : float, default 1.0
        Factor applied to samples before analysis (HTK works on the 16-bit scale: 32768);
        finite, > 0.
    convention : {"librosa", "htk"}
        Framing, window symmetry, filter shape, DCT scaling and lifter indexing (module docs).
    deltas : {0, 1, 2}, default 2
        Add first (``mfccK_delta``) and second (``mfccK_delta2``) order deltas.
    delta_width : int, default 9
        Savitzky-Golay window of the deltas (odd, >= 3; unused without deltas).
    precision : {"auto", "float32", "float64"}, default "auto"
        Precision of frames and FFT; the filterbank, log and DCT always accumulate in float64.
        ``"auto"``: float32 where the dB floor hides its rounding (``top_db <= 50 * power``:
        the default settings, and the HTK convention), float64 in the other
        librosa-convention configurations (``power=1``, ``top_db=None``, ``log="ln"``), where
        float32 puts band-limited input up to 1.4 away from librosa's coefficients
        (:meth:`frame_precision`; :class:`MFCCHTK`, the ``mfcc_htk`` set, also takes float64
        at an ``n_fft`` that is not 2, 3, 5, 7, 11-smooth). An explicit ``"float32"`` or
        ``"float64"`` is used as given.
    level : {"functionals", "lld"}, default "functionals"
        One row of statistics per input, or one row per frame.
    functionals : sequence of str
        Statistics at the functionals level (:mod:`emofeat.extractors.functionals`).
    resample : bool, default True
        Resample inputs at another rate to ``sr``; if False such inputs raise an error.

    Notes
    -----
    Feature names: ``mfcc0 ... mfcc{n_mfcc-1}``, then ``mfccK_delta`` and ``mfccK_delta2``;
    at the functionals level ``<name>_<functional>`` (``mfcc3_mean``).

    Inputs shorter than one window (``win_length`` samples; ``n_fft`` with ``center=False``
    in the librosa convention, whose frames span ``n_fft``) raise
    :class:`~emofeat.errors.TooShortError`. Digital silence gives finite values (every mel
    energy at ``amin``), as librosa does; a frame touching admitted NaN samples
    (``allow_nonfinite``) is NaN. Samples far beyond [-1, 1] (1e20) overflow the
    float32 power spectrum: those frames' coefficients are NaN, with a warning naming the
    input (``precision="float64"`` holds them).

    Examples
    --------
    >>> from emofeat.datasets import load_sample
    >>> from emofeat.extractors import MFCC
    >>> paths = list(load_sample().path[:2])          # two bundled RAVDESS recordings
    >>> MFCC(n_mfcc=13).fit_transform(paths).shape    # 39 descriptors x 17 functionals
    (2, 663)
    >>> MFCC(level="lld").compute_lld(paths[0])[0].shape   # frames x (13 MFCC + deltas)
    (327, 39)
    """

    blockwise = True
    #: 1: version 0 left rounding residue where the value is 0: c1 on of a frame at the
    #: ``top_db`` floor (1e-15) and the deltas of a constant stretch (1e-17 of the value);
    #: both are exact zeros now. An output begun at 0 is not resumed, a model warns
    numbers_version = 1
    #: leave out the FFT bins outside HTK's passband in the HTK convention
    #: (:func:`_passband_bins`): :class:`MFCCHTK`'s numbers version 2; ``MFCC`` built with
    #: ``convention="htk"`` keeps every bin inside the band, as numbers version 1 did
    hcopy_passband = False
    kernels = (
        "emofeat.extractors._mfcc_kernels:cepstra,mel_energies",
        "emofeat.extractors._spectral_kernels:frame_signal",
        "emofeat._functionals_kernels:summarize,savgol_deltas,with_deltas",
    )

    @property
    def set_name(self) -> str:  # type: ignore[override]
        """``mfcc``, or ``mfcc_htk`` with HTK conventions (also the feature-name prefix)."""
        return "mfcc_htk" if self.convention == "htk" else "mfcc"

    def __init__(
        self,
        *,
        sr: int = 16000,
        n_mfcc: int = 13,
        n_fft: int = 400,
        hop_length: int = 160,
        win_length: int | None = None,
        window: str | tuple | float | np.ndarray = "hann",
        center: bool = True,
        pad_mode: str = "constant",
        n_mels: int = 40,
        fmin: float = 0.0,
        fmax: float | None = None,
        htk: bool = False,
        mel_norm: str | float | None = "slaney",
        power: float = 2.0,
        log: str = "db",
        amin: float = 1e-10,
        ref: float | str | Callable[..., Any] = 1.0,
        top_db: float | None = 80.0,
        lifter: float = 0.0,
        preemphasis: float = 0.0,
        input_scale: float = 1.0,
        convention: str = "librosa",
        deltas: int = 2,
        delta_width: int = 9,
        precision: str = "auto",
        level: str = "functionals",
        functionals: Sequence[str] = DEFAULT_FUNCTIONALS,
        resample: bool = True,
    ) -> None:
        self.sr = sr
        self.n_mfcc = n_mfcc
        self.n_fft = n_fft
        self.hop_length = hop_length
        self.win_length = win_length
        self.window = window
        self.center = center
        self.pad_mode = pad_mode
        self.n_mels = n_mels
        self.fmin = fmin
        self.fmax = fmax
        self.htk = htk
        self.mel_norm = mel_norm
        self.power = power
        self.log = log
        self.amin = amin
        self.ref = ref
        self.top_db = top_db
        self.lifter = lifter
        self.preemphasis = preemphasis
        self.input_scale = input_scale
        self.convention = convention
        self.deltas = deltas
        self.delta_width = delta_width
        self.precision = precision
        self.level = level
        self.functionals = functionals
        self.resample = resample

    @classmethod
    def htk(cls, **overrides) -> MFCC:
        """MFCCs with HTK's conventions and the usual HTK configuration.

        25 ms symmetric Hamming frames every 10 ms, pre-emphasis 0.97, 26 filters,
        13 coefficients c0-c12 with lifter 22, natural log on the 16-bit scale
        (``TARGETKIND = MFCC_0``). Any parameter can be overridden.

        As HTK's ``HCopy`` sizes them: the frame and hop are whole samples, truncated
        (``WINDOWSIZE = 250000``, ``TARGETRATE = 100000``: ``25 sr // 1000`` and
        ``sr // 100``), and the FFT is the smallest power of two holding the frame
        (``win_length``, also when it is overridden): 512 points at 16 kHz, 256 at 8 kHz.

        ``MFCC.htk()`` makes an :class:`MFCCHTK` (the ``mfcc_htk`` set's class), which also
        takes only the FFT bins of HTK's passband where ``fmin``/``fmax`` are set.
        """
        sr = overrides.get("sr", 16000)
        win = overrides.get("win_length")
        if win is None:
            win = 25 * int(sr) // 1000
        params = dict(
            sr=sr,
            n_mfcc=13,
            n_fft=_next_pow2(int(win)),
            hop_length=int(sr) // 100,
            win_length=win,
            window="hamming",
            center=False,
            n_mels=26,
            htk=True,
            mel_norm=None,
            power=1.0,
            log="ln",
            amin=1.0,
            top_db=None,
            lifter=22.0,
            preemphasis=0.97,
            input_scale=32768.0,
            convention="htk",
        )
        params.update(overrides)
        return (MFCCHTK if cls is MFCC else cls)(**params)

    # ------------------------------------------------------------------ definition
    def _win(self) -> int:
        return self.n_fft if self.win_length is None else int(self.win_length)

    def _check_params(self) -> None:
        if self.convention not in ("librosa", "htk"):
            raise ValueError(f"convention must be 'librosa' or 'htk', got {self.convention!r}")
        if self.log not in ("db", "ln"):
            raise ValueError(f"log must be 'db' or 'ln', got {self.log!r}")
        if not (self.mel_norm is None or self.mel_norm == "slaney"
                or _is_p_norm(self.mel_norm)):
            # named here: the filterbank's own message says "norm", librosa mfcc's DCT option
            raise ValueError(f"mel_norm must be 'slaney' (area-normalised filters), None "
                             f"(unit peaks) or a number >= 0 (each filter divided by its "
                             f"p-norm, as librosa's filters.mel(norm=p): 1, 2, inf), got "
                             f"{self.mel_norm!r}" + _number_text_hint(self.mel_norm))
        if self.pad_mode not in ("constant", "reflect"):
            raise ValueError(f"pad_mode must be 'constant' or 'reflect', got {self.pad_mode!r}")
        if self.precision not in ("auto", "float32", "float64"):
            raise ValueError(f"precision must be 'auto', 'float32' or 'float64', "
                             f"got {self.precision!r}")
        if not 0 < self._win() <= self.n_fft:
            raise ValueError(f"need 0 < win_length <= n_fft, got {self.win_length}, {self.n_fft}")
        # before the window, the filterbank over n_fft // 2 + 1 bins or any frame is built
        check_frame_length("n_fft", int(self.n_fft), int(self.sr))
        _check_window(self.window, self._win(), self.convention != "htk")
        if self.hop_length <= 0:
            raise ValueError(f"hop_length must be positive, got {self.hop_length}")
        if not 1 <= self.n_mfcc <= self.n_mels:
            raise ValueError(f"need 1 <= n_mfcc <= n_mels, got {self.n_mfcc} and {self.n_mels}")
        if self.deltas not in (0, 1, 2):
            raise ValueError(f"deltas must be 0, 1 or 2, got {self.deltas!r}")
        if self.deltas and (self.delta_width < 3 or self.delta_width % 2 == 0):
            # librosa.feature.delta's rule; checked here, not first at transform (unused, and
            # not checked, without deltas)
            raise ValueError(f"delta_width must be an odd integer >= 3 (the Savitzky-Golay "
                             f"window of the deltas), got {self.delta_width}")
        if not (np.isfinite(self.power) and self.power > 0):
            # no upper bound, as librosa: a large power overflows only loud bins, which
            # _warn_overflow reports naming the input
            raise ValueError(f"power must be a finite number > 0 (2: power, 1: magnitude), "
                             f"got {self.power}")
        if not (np.isfinite(self.amin) and self.amin > 0):
            raise ValueError(f"amin must be a finite number > 0 (the floor of the log), got "
                             f"{self.amin}")
        if self.top_db is not None and not self.top_db >= 0:
            # librosa's power_to_db refuses a negative top_db; here it floored every value
            # above the input's maximum (every coefficient constant), and NaN disabled it
            # (librosa's NaN floor makes every value NaN). inf is librosa's too: a floor at
            # -inf, none, as top_db=None (refused until session 52)
            raise ValueError(f"top_db must be a number >= 0 of dB below the input's maximum "
                             f"(inf or None: no floor), got {self.top_db}")
        _check_ref(self.ref)
        if not np.isfinite(self.preemphasis):
            raise ValueError(f"preemphasis must be a finite coefficient (0: none, HTK: 0.97), "
                             f"got {self.preemphasis}")
        if not (np.isfinite(self.input_scale) and self.input_scale > 0):
            # 0 or NaN gave silence (every mel energy at amin) without a word
            raise ValueError(f"input_scale must be a finite number > 0 (the factor applied to "
                             f"samples; HTK: 32768), got {self.input_scale}")
        if not (np.isfinite(self.lifter) and self.lifter >= 0):
            raise ValueError(f"lifter must be a finite number >= 0 (0: no liftering), got "
                             f"{self.lifter}")
        n_bins = self.n_fft // 2 + 1
        if self.n_mels > 4 * n_bins:
            # each FFT bin lies in at most two mel triangles, so more than 4 filters per bin
            # leaves most of them empty: refused before the (n_mels, n_bins) filterbank is
            # built, which for n_mels=10**7 would not fit in memory
            raise ValueError(f"n_mels={self.n_mels} mel filters for {n_bins} FFT bins "
                             f"(n_fft={self.n_fft} at {self.sr} Hz): each bin lies in at most "
                             "two filters, so most would hold none; raise n_fft or lower "
                             "n_mels: most coefficients would be constant")
        # the dense filterbank and DCT the plan builds, refused before they are built
        check_mel_sizes(int(self.n_mels), int(self.n_fft), int(self.n_mfcc))
        plan = self._plan()  # validates fmin/fmax/mel_norm/window
        nyquist = self.sr / 2
        empty, message = empty_mel_filters(plan.lengths, int(self.n_fft), int(self.sr))
        if self.fmax is not None and self.fmax > nyquist:
            # librosa's filterbank (laid out up to fmax, cut at sr / 2), said here as it is
            # built: inputs of any rate are analysed at sr. The empty count only where some
            # filter is empty: '(0 of 40 hold no FFT bin)' read as a problem where there is none
            empty_count = f" ({empty} of {self.n_mels} hold no FFT bin)" if empty else ""
            message = (f"fmax={self.fmax:g} Hz is above sr / 2 = {nyquist:g} Hz: the mel "
                       f"filters are laid out up to fmax, as librosa lays them out, and cut "
                       f"at sr / 2{empty_count}; give fmax <= {nyquist:g} (or None) for "
                       "filters within the spectrum")
        if message is not None:
            warn_of_empty_filters(message, empty, len(plan.lengths))

    def descriptor_names(self) -> list[str]:
        base = [f"{self.set_name}{k}" for k in range(self.n_mfcc)]
        names = list(base)
        if self.deltas >= 1:
            names += [f"{b}_delta" for b in base]
        if self.deltas >= 2:
            names += [f"{b}_delta2" for b in base]
        return names

    def min_samples(self) -> int:
        if self.convention != "htk" and not self.center:
            # an uncentred librosa frame spans all n_fft samples, the window only its middle
            # win_length: a signal of win_length to n_fft samples holds no frame (librosa
            # refuses it too), and a block needs n_fft samples of context (emofeat.blocks)
            return int(self.n_fft)
        return self._win()

    def resolved_params(self) -> dict[str, Any]:
        """The parameters as they take effect where the value given stands for another:
        ``precision="auto"`` as :meth:`frame_precision` resolves it. An output records these
        (its fingerprint), so an output of the default settings written when ``"float32"`` was
        the default resumes, and one whose numbers ``"auto"`` changed (``power=1``,
        ``top_db=None``, ``log="ln"``) is refused rather than mixed. ``top_db=inf`` is
        recorded as ``None`` (no floor either way, librosa's meaning): one fingerprint, so
        either resumes an output of the other. ``ref=np.max`` (or ``np.amax``) is recorded
        as ``"max"``, ``np.min`` as ``"min"``, ``np.mean`` as ``"mean"`` and ``np.median`` as
        ``"median"``, which read back as the same reference (a function has no value that
        JSON keeps)."""
        out: dict[str, Any] = {}
        statistic = _ref_statistic(self.ref)
        if statistic is not None and not isinstance(self.ref, str):
            out["ref"] = statistic
        if self.precision == "auto":
            out["precision"] = self.frame_precision()
        if self.top_db is not None and np.isinf(self.top_db):
            out["top_db"] = None
        return out

    def frame_precision(self) -> str:
        """The precision the frames and FFT run in: ``precision`` where it is given
        (``"float32"``, ``"float64"``); with ``"auto"``, float32 unless a float32 FFT's rounding
        would show in the coefficients (librosa convention), then float64.

        A float32 FFT is exact to about 1e-7 of a frame's largest magnitude, so its rounding
        lies about ``70 * power`` dB (of ``|X|**power``) below the frame's loudest bin;
        librosa, whose FFT runs in float64 even on float32 audio, resolves each bin on its
        own. Where the dB floor keeps that range (``top_db`` above :data:`FLOAT32_DB` times
        ``power``: ``power=1`` with the default ``top_db=80``), or there is no floor
        (``top_db=None``, ``log="ln"``), band-limited input (8 kHz speech analysed at 16 kHz)
        puts mel bands in that rounding: ``power=1`` gave coefficients up to 1.4 away from
        librosa's. The default (``power=2``, ``top_db=80``) keeps float32. HTK's convention
        floors its natural log at 1 on the 16-bit scale: float32 (:class:`MFCCHTK`, the
        ``mfcc_htk`` set's class, takes float64 where the FFT size is one that scipy's float32
        FFT rounds worse: :meth:`MFCCHTK.frame_precision`).

        Returns
        -------
        str
            ``"float32"`` or ``"float64"``.
        """
        if self.precision != "auto":
            return self.precision
        return "float64" if self.precision_matters() else "float32"

    def precision_matters(self) -> bool:
        """Whether float32 frames and FFT give other features than float64 in this
        configuration, whatever ``precision`` says: where a float32 FFT's rounding would show
        in the coefficients (librosa convention; :meth:`frame_precision`). A trained model
        compares the precision of its training table with a new table's where this holds
        (``emofeat.classifiers.compatibility``), and ignores it elsewhere.

        Measured on 20 RAVDESS files resampled to 8 kHz (analysed at 16 kHz), float32
        against float64, in standard deviations of each functional over the files:
        ``power=1`` up to 0.94 (top_db 80; 0.78 with ``top_db=None`` or ``log="ln"``: 148 to
        191 of 663 columns beyond 0.1), ``power=1, top_db=60`` 0.02, ``power=1.5`` 0.0015,
        the default 0.00014 (full-band RAVDESS: 0.0003 in every configuration)."""
        if self.convention == "htk":
            return False
        return not (self.log == "db" and self.top_db is not None
                    and self.top_db <= FLOAT32_DB * float(self.power))

    def _unfloored_state(self) -> bool:
        """Whether the frame state holds the mel energies before the ``amin`` floor: where
        the dB reference is their mean or median (:meth:`from_frame_state` floors them)."""
        return self.log == "db" and _ref_statistic(self.ref) in ("mean", "median")

    def _plan(self) -> _Plan:
        return _plan(
            int(self.sr), int(self.n_fft), self._win(), _window_spec(self.window, self._win()),
            int(self.n_mels),
            float(self.fmin), None if self.fmax is None else float(self.fmax), bool(self.htk),
            self.mel_norm, self.convention, int(self.n_mfcc), float(self.lifter),
            float(self.input_scale), self.frame_precision(),
            self.convention == "htk" and self.hcopy_passband,
        )

    def frame_layout(self, n_samples: int) -> tuple[int, int, int]:
        """``(n_frames, first, win_start)`` for a signal of ``n_samples``.

        Frame ``t`` analyses samples ``first + t*hop + win_start`` onwards (``win_length`` of
        them) inside an ``n_fft`` frame.
        """
        win = self._win()
        hop = int(self.hop_length)
        win_start = (self.n_fft - win) // 2  # where analysis_window puts the window
        if self.convention == "htk":
            # the window's first sample is signal sample t*hop; the zero padding around it
            # only rotates the FFT's phase, so the magnitude is HTK's end-padded one
            return 1 + (n_samples - win) // hop, -win_start, win_start
        pad = self.n_fft // 2 if self.center else 0
        return 1 + (n_samples + 2 * pad - self.n_fft) // hop, -pad, win_start

    def frame_times(self, n_frames: int) -> np.ndarray:
        """Centre of each frame in seconds."""
        t = np.arange(n_frames, dtype=np.float64) * self.hop_length
        if self.convention == "htk":
            t = t + self._win() / 2.0
        elif not self.center:
            t = t + self.n_fft / 2.0
        return t / float(self.sr)

    def _compute(self, audio: Audio) -> tuple[np.ndarray, np.ndarray]:
        state, times = self.frame_state(audio)
        return self.from_frame_state(state), times

    def _warn_overflow(self, audio: Audio, ln_mel: np.ndarray) -> None:
        """Warn, naming the input, when finite samples overflowed the power spectrum (``inf``
        mel energies: those frames' coefficients are NaN). Samples far beyond [-1, 1] (1e20)
        are finite in float32 but their ``|X|**2`` is not; the numbers are left as they are,
        since a silent all-NaN row was the problem, not the arithmetic."""
        if np.isfinite(ln_mel.sum()):  # logs are small: their sum is finite unless one is not
            return
        if not np.isposinf(ln_mel).any():
            return
        bad = int(np.count_nonzero(np.isposinf(ln_mel).any(axis=1)))
        precision = self.frame_precision()
        warn_overflow(audio, precision, lambda peak: (
            f"samples up to {peak:.3g} are beyond what the {precision} power spectrum "
            f"can hold (|X|**{self.power:g} overflows in {bad} of {ln_mel.shape[0]} frames): "
            "their coefficients are NaN"))

    def mfcc_frames(self, y: np.ndarray) -> np.ndarray:
        """MFCCs (and deltas) of a signal already at ``sr``: array (n_frames, n_descriptors)."""
        return self.from_frame_state(self._ln_mel(y))

    def frame_state(self, audio: Audio, summary: None = None) -> tuple[np.ndarray, np.ndarray]:
        """First stage of a block-wise analysis: what each frame needs from the signal (its
        natural-log mel energies) and the frame times. Frames of consecutive blocks, joined,
        give :meth:`from_frame_state` what a whole-file analysis sees
        (:mod:`emofeat.blocks`)."""
        state = self._ln_mel(audio.y)
        self._warn_overflow(audio, state)
        return state, self.frame_times(state.shape[0])

    def _ln_mel(self, y: np.ndarray) -> np.ndarray:
        """Natural-log mel energies ``ln max(amin, S)``, shape (n_frames, n_mels)."""
        from emofeat._fft import rfft_rows

        from . import _mfcc_kernels as KM
        from . import _spectral_kernels as KS

        plan = self._plan()
        # a reference that is the mean or median of the mel spectrogram is librosa's
        # ref(S) of S itself, before the amin floor (which moves either): the energies are
        # kept unfloored (down to the smallest float64) and floored at amin in the DCT's pass
        floor = _TINY if self._unfloored_state() else float(self.amin)
        win, hop, n_fft = self._win(), int(self.hop_length), int(self.n_fft)
        n_frames, first, win_start = self.frame_layout(y.shape[0])
        n_frames = max(n_frames, 0)
        # frames and spectra in passes of bounded memory (every frame is independent): one pass
        # for usual frames, a few frames a pass for a long n_fft
        step = frames_per_pass(2 * n_fft * plan.window.itemsize, max(n_frames, 1))
        # mel is allocated after the first spectrum, as before passes: allocated before the
        # frames, it changed how the allocator reused the freed frames and spectrum (measured:
        # 100 more page faults an input, 3 s files 50 % slower)
        mel = None
        for a in range(0, max(n_frames, 1), step):
            n = min(step, n_frames - a)
            frames = np.empty((n, n_fft), dtype=plan.window.dtype)
            KS.frame_signal(
                y, plan.window, hop, n, first + a * hop, win_start, win,
                float(self.preemphasis), KS.PAD_REFLECT if self.pad_mode == "reflect" else
                KS.PAD_CONSTANT, frames,
            )
            # scipy's pocketfft (without importing scipy.fft): single precision stays single,
            # batched over the pass's frames in one call
            spec = rfft_rows(frames)
            del frames
            if mel is None:
                mel = np.empty((n_frames, int(self.n_mels)), dtype=np.float64)
            KM.mel_energies(spec, float(self.power), plan.starts, plan.lengths, plan.band,
                            floor, mel[a : a + n])
            del spec
        np.log(mel, out=mel)
        return mel

    def from_frame_state(self, mel: np.ndarray | list[np.ndarray]) -> np.ndarray:
        """Second stage: log scaling, the ``top_db`` floor (relative to the loudest value of
        the whole input), DCT, lifter and deltas over the whole frame sequence.

        ``mel`` may be a list of consecutive blocks of frames; the list is emptied as the
        blocks are used, so that a long recording never holds two copies of its frames.
        """
        from . import _mfcc_kernels as KM

        plan = self._plan()
        blocks = [mel] if isinstance(mel, np.ndarray) else mel
        del mel
        n_frames = sum(b.shape[0] for b in blocks)
        statistic = _ref_statistic(self.ref) if self.log == "db" else None
        unfloored = statistic in ("mean", "median")  # as _unfloored_state()
        ln_amin = math.log(self.amin)
        ref_max = statistic == "max"
        peak = -np.inf
        if self.log == "db" and (self.top_db is not None or ref_max) and n_frames:
            # ln of the loudest energy; frames touching admitted NaN samples are NaN, not the
            # loudest (NaN made the floor NaN, which max() then ignored); the masked max only
            # where a NaN is (it costs 4x a plain max, paid on every file otherwise)
            peak = max(_finite_max(b) for b in blocks if b.size)
            if unfloored and np.isfinite(peak):
                peak = max(peak, ln_amin)  # the loudest max(amin, S)
        if ref_max:
            # librosa's power_to_db(S, ref=np.max): ref = the loudest max(amin, S) of the
            # whole input (its blocks joined), 0 dB there; no finite frame: no reference
            scale = KM.DB_PER_NEPER
            offset = scale * peak if np.isfinite(peak) else 0.0
        elif statistic is not None:
            # librosa's power_to_db(S, ref=np.min / np.mean / np.median): 10 log10(max(amin,
            # ref(S))) over the whole input's mel energies (its blocks joined; frames
            # touching admitted NaN samples left out, as for the maximum)
            scale = KM.DB_PER_NEPER
            level = _ln_ref_level(blocks, statistic)
            offset = scale * max(level, ln_amin) if np.isfinite(level) else 0.0
        elif self.log == "db":  # power_to_db: 10 log10(max(amin, S) / max(amin, |ref|))
            # |ref| as librosa takes it: max(amin, ref) turned a negative ref into amin, 100 dB
            scale = KM.DB_PER_NEPER
            offset = 10.0 * np.log10(max(self.amin, abs(float(self.ref))))
        else:
            scale, offset = 1.0, 0.0
        floor = -np.inf
        if self.log == "db" and self.top_db is not None and n_frames:
            floor = scale * peak - offset - float(self.top_db)
        if unfloored:  # max(amin, S), which the energies were kept without
            floor = max(floor, scale * ln_amin - offset)
        n_ceps = int(self.n_mfcc)
        ceps = np.empty((n_frames, n_ceps), dtype=np.float64)
        start = 0
        while blocks:
            block = blocks.pop(0)
            KM.cepstra(block, scale, offset, floor, plan.basis,
                       ceps[start : start + block.shape[0]])
            start += block.shape[0]
            del block
        if self.deltas == 0:
            return ceps
        out = np.empty((n_frames, n_ceps * (1 + int(self.deltas))), dtype=np.float64)
        stack = _delta_stack(int(self.deltas), int(self.delta_width), n_frames)
        if stack is not None:  # the usual case: ceps and every order in one kernel call
            from emofeat import _functionals_kernels as KF

            KF.with_deltas(ceps, stack[0], stack[1], out)
            return out
        out[:, :n_ceps] = ceps
        # in overlapping runs of frames: the same numbers without whole-array temporaries
        width, step = int(self.delta_width), 50_000
        for a in range(0, n_frames, step):
            b = min(n_frames, a + step)
            lo, hi = max(0, a - width), min(n_frames, b + width)
            for order in range(1, int(self.deltas) + 1):
                out[a:b, order * n_ceps : (order + 1) * n_ceps] = deltas(
                    ceps[lo:hi], order, width)[a - lo : b - lo]
        return out


class MFCCHTK(MFCC):
    """MFCCs with HTK's conventions: the ``mfcc_htk`` set's class, made by :meth:`MFCC.htk`.

    The parameters are :class:`MFCC`'s; the defaults are HTK's ``MFCC_0`` at 16 kHz (those of
    ``MFCC.htk()``: 400-sample symmetric Hamming frames every 160, a 512-point FFT,
    pre-emphasis 0.97, 26 filters, lifter 22). :meth:`MFCC.htk` derives the frame, hop and FFT
    from another ``sr``; given here, ``sr`` alone changes, as ``set_params`` does.
    ``convention`` is ``"htk"`` (another is refused at fit: :class:`MFCC` computes the
    librosa convention).

    Numbers version 2: with ``fmin`` or ``fmax`` set, only the FFT bins of HTK's passband
    enter the filters, as ``HCopy`` with ``LOFREQ``/``HIFREQ`` (HSigP's ``InitFBank``: bins
    ``int(fmin / df + 2.5)`` to ``int(fmax / df + 0.5)``, counted from 1 at DC). Version 1
    kept every bin inside the band: at 300-3400 Hz (16 kHz) the 312.5 Hz bin entered the
    first filter, coefficients up to 5.4 from HTK's on RAVDESS speech (24 files, every
    frame). The full band's numbers are version 1's. A numeric ``mel_norm`` divides each
    filter by its norm over the bins of the passband.

    Examples
    --------
    >>> from emofeat.extractors import MFCC
    >>> type(MFCC.htk(fmin=300, fmax=3400)).__name__
    'MFCCHTK'
    """

    numbers_version = 2
    hcopy_passband = True

    def __init__(
        self,
        *,
        sr: int = 16000,
        n_mfcc: int = 13,
        n_fft: int = 512,
        hop_length: int = 160,
        win_length: int | None = 400,
        window: str | tuple | float | np.ndarray = "hamming",
        center: bool = False,
        pad_mode: str = "constant",
        n_mels: int = 26,
        fmin: float = 0.0,
        fmax: float | None = None,
        htk: bool = True,
        mel_norm: str | float | None = None,
        power: float = 1.0,
        log: str = "ln",
        amin: float = 1.0,
        ref: float | str | Callable[..., Any] = 1.0,
        top_db: float | None = None,
        lifter: float = 22.0,
        preemphasis: float = 0.97,
        input_scale: float = 32768.0,
        convention: str = "htk",
        deltas: int = 2,
        delta_width: int = 9,
        precision: str = "auto",
        level: str = "functionals",
        functionals: Sequence[str] = DEFAULT_FUNCTIONALS,
        resample: bool = True,
    ) -> None:
        # every parameter stored as given (sklearn's contract), by MFCC's constructor
        params = {k: v for k, v in locals().items() if k not in ("self", "__class__")}
        super().__init__(**params)

    def frame_precision(self) -> str:
        """:meth:`MFCC.frame_precision`, but ``"auto"`` takes float64 at an ``n_fft`` with a
        prime factor above 11, float32 at every 2, 3, 5, 7, 11-smooth size (HTK's own powers
        of two, the 400 of 25 ms at 16 kHz).

        scipy's pocketfft computes a real FFT by radix passes (2, 3, 4, 5 and a generic one)
        unless the size has a prime factor above its square root and Bluestein's algorithm
        (a complex FFT of a 2, 3, 5, 7, 11-smooth size, three times over) is cheaper: in float32
        that one rounds about 2.5 times worse (RAVDESS frames, sizes 380-529: relative error up
        to 7.9e-7 of a frame's largest bin at the 26 sizes taken so, 24 primes and 2 x 239,
        2 x 251, against 3.5e-7 at every other size, 13-, 19- or 241-smooth alike), and
        ``n_fft=401`` put coefficients 2.4e-3 from the HTK book's formulas on 2 s of RAVDESS
        speech, where 400 and 512 points gave under 3e-4. No 11-smooth size goes through
        Bluestein; the rule stays at that set rather than following one scipy version's
        choice of plan (so a few sizes with a large prime factor that the radix passes take
        run in float64 too). ``MFCC(convention="htk")`` keeps float32 at every size (numbers
        version 1, whose outputs it resumes).

        Returns
        -------
        str
            ``"float32"`` or ``"float64"``.
        """
        if self.precision == "auto" and not _smooth_fft_size(int(self.n_fft)):
            return "float64"
        return super().frame_precision()

    def _check_params(self) -> None:
        if self.convention != "htk":
            raise ValueError(
                f"convention must be 'htk' for MFCCHTK (the mfcc_htk set), got "
                f"{self.convention!r}: the librosa convention is MFCC's (the mfcc set)")
        super()._check_params()


def _number_text_hint(value: Any) -> str:
    """What a refusal of a number written as text adds (``mel_norm="2"`` from Python; the
    command reads ``--param mel_norm=inf`` as the float since session 55)."""
    if not isinstance(value, str):
        return ""
    try:
        number = float(value)
    except ValueError:
        return ""
    if number != number or number < 0:
        return ""
    if np.isinf(number):
        return " (text, not a number: give np.inf)"
    return f" (text, not a number: give {number:g})"


#: librosa ``power_to_db`` references taken as a function of the spectrogram: the text an
#: output records for each, and the NumPy reductions that it stands for
REF_STATISTICS: dict[str, tuple[Callable[..., Any], ...]] = {
    "max": (np.max, np.amax),
    "min": (np.min, np.amin),
    "mean": (np.mean,),
    "median": (np.median,),
}


def _ref_statistic(ref: Any) -> str | None:
    """The statistic of the mel spectrogram that ``ref`` stands for (``"max"``, ``"min"``,
    ``"mean"``, ``"median"``: a NumPy reduction librosa's ``power_to_db`` calls, or the text
    an output records for it), ``None`` for a number (or anything else)."""
    if isinstance(ref, str):
        return ref if ref in REF_STATISTICS else None
    for name, functions in REF_STATISTICS.items():
        if any(ref is f for f in functions):
            return name
    return None


_REF_TAKEN = ("np.max, np.min, np.mean or np.median (np.amax, np.amin, or 'max', 'min', "
              "'mean', 'median' as text: 0 dB at that statistic of each input's mel energies)")


def _check_ref(ref: Any) -> None:
    """``ValueError`` unless ``ref`` is a finite number or stands for a statistic of the
    input's mel energies (:data:`REF_STATISTICS`)."""
    if _ref_statistic(ref) is not None:
        return
    if callable(ref):
        # librosa calls any function on the spectrogram; one other than these has no value
        # that an output's provenance (JSON) keeps, so its resume key and the record of
        # what made the numbers would be the function's address
        name = getattr(ref, "__name__", None) or type(ref).__name__
        raise ValueError(f"ref={name}: of the functions librosa's power_to_db takes as ref, "
                         f"{_REF_TAKEN} are taken, as another cannot be recorded with the "
                         "features; give the reference as a number")
    if isinstance(ref, bool | np.bool_) or not isinstance(ref, numbers.Real) \
            or not np.isfinite(ref):
        # max(amin, nan) kept amin: a NaN reference was silently ignored
        raise ValueError(f"ref must be a finite number (the 0 dB reference) or "
                         f"{_REF_TAKEN}, got {ref!r}")


def _window_spec(window: Any, win: int) -> str | tuple | float | WindowValues:
    """``window`` as the cached plan takes it (hashable): a name, a ``(name, *params)``
    tuple (a list, as provenance reads one back, made a tuple), a number (Kaiser's beta), or
    an array of ``win`` values as :class:`~.filters.WindowValues`; a ``ValueError`` naming
    the parameter otherwise."""
    if isinstance(window, str):
        return window
    if isinstance(window, numbers.Real) and not isinstance(window, bool | np.bool_):
        return float(window)
    if isinstance(window, tuple | list) and window and isinstance(window[0], str):
        return (window[0], *(_window_param(window, x) for x in window[1:]))
    if callable(window) or isinstance(window, dict | set | bool | np.bool_):
        raise ValueError(f"window={_shown_window(window)}: give a window name ('hann'), a "
                         "name with its parameters (('kaiser', 8)) or the window's values as "
                         "an array; a window function cannot be recorded with the features")
    try:
        values = np.asarray(window, dtype=np.float64)
    except (TypeError, ValueError):
        values = None
    if values is None or values.ndim != 1:
        raise ValueError(f"window must be a window name, a (name, parameters...) tuple, a "
                         f"number or a 1-d array of win_length values, got "
                         f"{_shown_window(window)}")
    if values.shape[0] != win:
        raise ValueError(f"window given by its values holds {values.shape[0]} of them, but "
                         f"frames hold win_length={win} samples (n_fft where win_length is "
                         f"None): give {win} values, as librosa requires")
    if not np.isfinite(values).all():
        raise ValueError(f"window given by its values holds values that are not finite: "
                         f"{_shown_window(window)}")
    return WindowValues(values.tolist())


def _window_param(window: Any, param: Any) -> Any:
    """A parameter of a ``(name, *params)`` window as the cached plan takes it (hashable):
    a list, tuple or array (``("general_cosine", [0.5, 0.5])``, which scipy and librosa take;
    a list was an "unhashable" TypeError until session 55, which the command called a bug in
    emofeat) as a tuple of its values (nested for more dimensions), anything else as it is; a
    ``ValueError`` naming ``window`` for a parameter that cannot be made hashable (a dict,
    a ragged list). scipy's refusals of what comes out are :func:`_window_problem`'s."""
    if isinstance(param, list | tuple | np.ndarray):
        try:
            values = np.asarray(param)
            if values.dtype == object:
                raise ValueError("neither numbers nor text")
        except ValueError as err:  # ragged (numpy's "inhomogeneous shape") or mixed
            raise ValueError(f"window={_shown_window(window)}: its parameter "
                             f"{_shown_window(param)} is not an array of numbers ({err})"
                             ) from None
        return _as_tuples(values.tolist())
    try:
        hash(param)
    except TypeError:
        raise ValueError(f"window={_shown_window(window)}: its parameter "
                         f"{_shown_window(param)} is not a number, text or an array of "
                         "numbers, which scipy.signal.get_window takes") from None
    return param


def _as_tuples(values: Any) -> Any:
    """``ndarray.tolist()``'s nested lists as nested tuples."""
    return tuple(_as_tuples(v) for v in values) if isinstance(values, list) else values


def _shown_window(window: Any) -> str:
    """``window`` for a message: an array by its length, not its hundreds of values."""
    if isinstance(window, np.ndarray) or (isinstance(window, list | tuple) and len(window) > 8):
        return f"<{type(window).__name__} of {np.size(window)} values>"
    return repr(window)


def _check_window(window: Any, win: int, periodic: bool) -> None:
    """``ValueError`` naming ``window`` where it makes no window of ``win`` finite samples
    (scipy's own refusals of a name or its parameters, a TypeError for text parameters,
    are said as the parameter's)."""
    problem = _window_problem(_window_spec(window, win), win, periodic)
    if problem is not None:
        raise ValueError(f"window={_shown_window(window)} {problem}")


@functools.lru_cache(maxsize=32)
def _window_problem(spec: str | tuple | float | WindowValues, win: int, periodic: bool
                    ) -> str | None:
    """What is wrong with the window ``spec`` makes, or ``None`` (cached: a check at each
    ``fit`` and ``transform`` does not build the window again)."""
    try:
        w = get_window(spec, win, periodic)
    except Exception as err:  # noqa: BLE001
        # any of scipy's failures on a name or its parameters is the parameter's fault
        # (('general_cosine', {}) an IndexError, text coefficients a UFuncTypeError)
        return f"is not a window that scipy.signal.get_window makes: {err}"
    if not np.isfinite(w).all():
        return "makes samples that are not finite"
    return None


def _ln_ref_level(blocks: list[np.ndarray], statistic: str) -> float:
    """``ln`` of the ``statistic`` (``"min"``, ``"mean"``, ``"median"``) of the mel energies
    whose logs ``blocks`` hold, NaN values (frames touching admitted NaN samples) left out;
    ``-inf`` where none is left. Taken over the energies themselves, as NumPy's reduction in
    librosa's ``power_to_db`` takes them (the median of an even count averages two).

    Without copying the frame state (a one-hour input's is 115 MB): a block without NaN is
    read in place (only a block with NaN is copied without them); the mean's sum is NumPy's
    pairwise sum of the energies joined, taken a subtree at a time (:func:`_exp_pairwise_sum`,
    the same sum bit for bit); the median partitions the one array of energies it fills."""
    blocks = [b for b in blocks if b.size]
    if statistic == "min":  # ln is increasing: the smallest log is the log of the smallest
        low = min((_finite_extreme(b, np.min) for b in blocks), default=np.inf)
        return low if np.isfinite(low) else -np.inf
    flat = [(b[~np.isnan(b)] if np.isnan(b.max()) else b).reshape(-1) for b in blocks]
    n = sum(f.size for f in flat)
    if not n:
        return -np.inf
    if statistic == "mean":  # np.mean: the sum divided by the count
        level = _exp_pairwise_sum(flat, 0, n) / n
    else:
        values = np.empty(n, dtype=np.float64)
        start = 0
        for f in flat:
            np.exp(f, out=values[start : start + f.size])
            start += f.size
        level = float(np.median(values, overwrite_input=True))
    return float(np.log(level)) if level > 0 else -np.inf


#: values whose exponentials :func:`_exp_pairwise_sum` sums in one NumPy call (a 512 KB
#: temporary)
_SUM_LEAF = 1 << 16


def _exp_pairwise_sum(flat: list[np.ndarray], start: int, n: int) -> float:
    """``np.sum(np.exp(v))`` of ``v``, the values ``start`` to ``start + n`` of the arrays
    ``flat`` joined, without joining them: NumPy sums a float64 array pairwise (halves
    rounded down to a multiple of 8, runs of up to 128 values in 8 accumulators), so the sum
    of the whole is the sum of its two halves' sums, each what NumPy gives for that half:
    split so down to ``_SUM_LEAF`` values, NumPy sums each part, and the result is the
    whole array's sum bit for bit (tests/test_mfcc_ref_memory57.py)."""
    if n > _SUM_LEAF:
        half = n // 2
        half -= half % 8
        return _exp_pairwise_sum(flat, start, half) + _exp_pairwise_sum(flat, start + half,
                                                                        n - half)
    pieces = []
    for f in flat:  # the part's values, in place where one array holds them all
        if start < f.size and n:
            pieces.append(f[start : start + n])
            n -= pieces[-1].size
        start = max(0, start - f.size)
    part = np.exp(pieces[0] if len(pieces) == 1 else np.concatenate(pieces))
    return float(np.add.reduce(part))


def _finite_extreme(b: np.ndarray, reduce: Callable[..., Any]) -> float:
    """The largest (``reduce=np.max``) or smallest (``np.min``) value of ``b`` that is not NaN
    (``-inf``/``inf`` if none): the plain reduction, masked only where it met a NaN (a masked
    one costs 4x, and a mask of the frame state)."""
    m = float(reduce(b))
    if m == m:
        return m
    return float(reduce(b, initial=-np.inf if reduce is np.max else np.inf,
                        where=~np.isnan(b)))


def _finite_max(b: np.ndarray) -> float:
    """The largest value of ``b`` that is not NaN (``-inf`` if none)."""
    return _finite_extreme(b, np.max)


def _smooth_fft_size(n: int) -> bool:
    """Whether ``n`` has no prime factor above 11: the sizes pocketfft calls good
    (``good_size``), which its float32 real FFT never computes by Bluestein's algorithm."""
    for p in (2, 3, 5, 7, 11):
        while n > 1 and n % p == 0:
            n //= p
    return n <= 1


def _next_pow2(n: int) -> int:
    """The smallest power of two >= ``n`` (at least 2): HTK's FFT size for a frame of ``n``."""
    size = 2
    while size < n:
        size *= 2
    return size


def _delta_stack(orders: int, width: int, n_frames: int) -> tuple[np.ndarray, np.ndarray] | None:
    """The coefficients of delta orders ``1..orders`` stacked for
    ``_functionals_kernels.with_deltas`` (``deltas`` of every order in one call), or ``None``
    where :func:`deltas` takes another way (fewer than 3 frames for the window, or more frames
    than one run of ``from_frame_state``)."""
    if n_frames > 50_000 or width < 3 or width % 2 == 0:
        return None
    w = min(width, n_frames if n_frames % 2 == 1 else n_frames - 1)
    if w < 3 or w <= orders:
        return None
    return _stacked_plan(orders, w)


@functools.lru_cache(maxsize=32)
def _stacked_plan(orders: int, w: int) -> tuple[np.ndarray, np.ndarray]:
    from emofeat.functionals import _savgol_plan

    plans = [_savgol_plan(w, order) for order in range(1, orders + 1)]
    return (np.ascontiguousarray(np.stack([h for h, _ in plans])),
            np.ascontiguousarray(np.stack([e for _, e in plans])))


class _Plan(NamedTuple):
    window: np.ndarray  # n_fft samples, input_scale folded in, in the frame precision
    starts: np.ndarray
    lengths: np.ndarray
    band: np.ndarray
    basis: np.ndarray  # DCT-II with the lifter folded in, (n_mfcc, n_mels)


@functools.lru_cache(maxsize=32)
def _plan(sr, n_fft, win, window, n_mels, fmin, fmax, htk, norm, convention, n_mfcc, lifter,
          input_scale, precision, passband=False) -> _Plan:
    """Everything about an MFCC configuration that does not depend on the signal, built once."""
    htk_conv = convention == "htk"
    # with the passband, a p-norm is taken over the bins that enter the filter: normalised
    # before the passband left a bin out, the first filter at 300-3400 Hz (16 kHz) had a
    # 1-norm of 0.86 and a 2-norm of 0.97, not 1 (the Slaney scale, a width in Hz, is the
    # same either way)
    p_norm = passband and norm is not None and norm != "slaney"
    weights = mel_filterbank(sr, n_fft, n_mels, fmin, fmax, htk, None if p_norm else norm,
                             "mel" if htk_conv else "hz")
    if passband:
        weights = _passband_bins(weights, sr, n_fft, fmin, fmax)
    if p_norm:
        weights = p_normalized(weights, norm)
        weights.setflags(write=False)
    starts, lengths, band = sparse_filterbank(weights)
    basis = dct_matrix(n_mfcc, n_mels, "htk" if htk_conv else "ortho")
    basis = np.ascontiguousarray(basis * lifter_weights(n_mfcc, lifter, convention)[:, None])
    w = analysis_window(window, win, n_fft, not htk_conv) * input_scale
    w = w.astype(np.float32 if precision == "float32" else np.float64)
    return _Plan(w, starts, lengths, band, basis)


def _passband_bins(weights: np.ndarray, sr: int, n_fft: int, fmin: float,
                   fmax: float | None) -> np.ndarray:
    """``weights`` (filters x FFT bins) with the bins outside HTK's passband set to 0.

    HTK's filterbank (HTK book 3.4, section 5.4, ``LOFREQ``/``HIFREQ``; HSigP's
    ``InitFBank``) adds up only the FFT bins from ``int(fmin / df + 2.5)`` to
    ``int(fmax / df + 0.5)``, bins counted from 1 at DC (``df = sr / n_fft``); without a
    band, from the first bin above DC to the last below Nyquist. Rounding the band to bins
    that way can leave out a bin inside the lowest (or highest) triangle: at 300 Hz, 16 kHz
    and 512 points, the 312.5 Hz bin. Without a band, or where the band's edges fall on
    zero weights, the filters are unchanged.

    HTK's FFT has a power-of-two size, whose last bin below Nyquist is ``n_fft / 2``
    (1-based). An odd ``n_fft`` has no Nyquist bin: its last bin, ``(n_fft + 1) // 2``,
    lies below Nyquist and is kept (``n_fft // 2`` left it out, which moved the full band's
    coefficients from version 1's by up to 0.009 at ``n_fft=401``).
    """
    df = sr / n_fft
    half = (n_fft + 1) // 2  # the last bin below Nyquist, 1-based (n_fft / 2 if even)
    lo = max(2, int(fmin / df + 2.5))  # 1-based, as HTK counts them
    hi = half if fmax is None else min(half, int(fmax / df + 0.5))
    out = np.zeros_like(weights)
    # 1-based lo..hi inclusive are the 0-based columns lo - 1 .. hi - 1
    out[:, lo - 1 : hi] = weights[:, lo - 1 : hi]
    out.setflags(write=False)
    return out

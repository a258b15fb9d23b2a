"""The base class every frame-level audio extractor derives from.

A subclass supplies the numbers for one signal (:meth:`FrameExtractor._compute`: frame-level
descriptors and frame times) and their names (:meth:`FrameExtractor.descriptor_names`). The base
class turns that into an sklearn transformer (paths, arrays or ``(array, sr)`` pairs in, a 2-D
float array out, feature names, ``set_output``, ``clone``), into functionals or frame rows, and
into a :class:`~emofeat.table.FeatureTable` through :meth:`FrameExtractor.extract`.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from typing import Any, ClassVar

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin

from emofeat.audio import Audio, load_audio, prepare_signal
from emofeat.errors import TooShortError

from .functionals import compute_functionals, functional_names, validate_functionals

LEVELS = ("functionals", "lld")

Signal = str | os.PathLike | np.ndarray | tuple | Audio


class FrameExtractor(TransformerMixin, BaseEstimator):
    """Frame-level descriptors (LLDs) of audio, summarised by functionals or kept per frame.

    Subclasses declare every parameter in ``__init__`` (sklearn's rule), including ``sr``,
    ``resample``, ``level`` and ``functionals``.
    """

    #: name in the registry and in provenance
    set_name: ClassVar[str] = ""

    # ------------------------------------------------------------ to implement
    def descriptor_names(self) -> list[str]:
        """Names of the frame-level descriptors, in column order."""
        raise NotImplementedError

    def _compute(self, audio: Audio) -> tuple[np.ndarray, np.ndarray]:
        """Return ``(lld, times)``: (n_frames, n_descriptors) values and frame times in seconds."""
        raise NotImplementedError

    def min_samples(self) -> int:
        """Fewest samples that make one frame of real signal."""
        return 1

    def _check_params(self) -> None:
        """Raise ``ValueError`` for invalid parameters (called before any work)."""

    # ------------------------------------------------------------ shared machinery
    def _check_common(self) -> None:
        if self.level not in LEVELS:
            raise ValueError(f"level must be one of {LEVELS}, got {self.level!r}")
        validate_functionals(self.functionals)
        if int(self.sr) <= 0:
            raise ValueError(f"sr must be a positive rate in Hz, got {self.sr}")
        self._check_params()

    def to_audio(self, item: Signal, position: int = 0) -> Audio:
        """Bring one input to a mono signal at ``self.sr``.

        A path is read from disk; a bare 1-D array is taken to be at ``self.sr``; an
        ``(array, sr)`` pair is resampled if needed (or refused with ``resample=False``).
        """
        if isinstance(item, Audio):
            if item.sr == self.sr:
                return item
            return prepare_signal(
                item.y, item.sr, self.sr, source=item.source, resample=self.resample
            )
        if isinstance(item, str | os.PathLike):
            return load_audio(item, self.sr, resample=self.resample)
        source = f"<array {position}>"
        if isinstance(item, tuple):
            if len(item) != 2:
                raise TypeError(f"{source}: expected (signal, sr), got a tuple of {len(item)}")
            return prepare_signal(item[0], item[1], self.sr, source=source, resample=self.resample)
        return prepare_signal(item, self.sr, self.sr, source=source, resample=False)

    def compute_lld(self, item: Signal) -> tuple[np.ndarray, np.ndarray]:
        """Frame-level descriptors of one input.

        Returns
        -------
        lld : ndarray, shape (n_frames, n_descriptors)
        times : ndarray, shape (n_frames,)
            Time of each frame's centre in seconds.

        Raises
        ------
        TooShortError
            The input is shorter than :meth:`min_samples`.
        """
        self._check_common()
        audio = self.to_audio(item)
        return self._compute_checked(audio)

    def _compute_checked(self, audio: Audio) -> tuple[np.ndarray, np.ndarray]:
        need = self.min_samples()
        if audio.y.shape[0] < need:
            raise TooShortError(
                audio.source,
                f"{audio.y.shape[0]} samples at {audio.sr} Hz is shorter than one analysis "
                f"frame ({need} samples) of the '{self.set_name}' set",
            )
        return self._compute(audio)

    def features_of(self, audio: Audio) -> tuple[np.ndarray, np.ndarray]:
        """Output rows for one prepared signal at this extractor's level.

        Returns ``(rows, times)``: one row and ``times=None``-like empty array at the
        functionals level, one row per frame with frame times at the LLD level.
        """
        lld, times = self._compute_checked(audio)
        if self.level == "lld":
            return lld, times
        return compute_functionals(lld, times, self.functionals)[None, :], np.empty(0)

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        """Output feature names (``mfcc3_mean`` at the functionals level, ``mfcc3`` per frame)."""
        desc = self.descriptor_names()
        if self.level == "lld":
            names = desc
        else:
            names = functional_names(desc, validate_functionals(self.functionals))
        return np.asarray(names, dtype=object)

    # ------------------------------------------------------------ sklearn API
    def fit(self, X: Any = None, y: Any = None) -> FrameExtractor:
        """Check the parameters; the extractor learns nothing from data."""
        self._check_common()
        self.n_features_out_ = len(self.get_feature_names_out())
        return self

    def transform(self, X: Iterable[Signal] | pd.DataFrame) -> np.ndarray:
        """Features of each input.

        Parameters
        ----------
        X : list of paths, 1-D arrays (at ``sr``), ``(array, sr)`` pairs, or a DataFrame
            with a ``path`` column (a manifest).

        Returns
        -------
        ndarray of float64
            ``(n_inputs, n_features)`` at the functionals level; at the LLD level the frames
            of all inputs stacked, ``(total_frames, n_descriptors)``.
        """
        self._check_common()
        rows = [self.features_of(self.to_audio(item, i))[0] for i, item in enumerate(_items(X))]
        n_out = len(self.get_feature_names_out())
        if not rows:
            return np.empty((0, n_out))
        return np.concatenate(rows, axis=0).astype(np.float64, copy=False)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.requires_fit = False
        return tags

    # ------------------------------------------------------------ tables
    def extract(
        self,
        inputs: Iterable[Signal] | pd.DataFrame,
        *,
        n_jobs: int = 1,
        progress: bool = False,
    ):
        """Features of ``inputs`` as a :class:`~emofeat.table.FeatureTable` with row identity
        (path, manifest columns, start/end, original rate) and provenance.

        Errors are raised (naming the input); use :func:`emofeat.runner.run` with
        ``on_error="record"`` to collect them and carry on.
        """
        from emofeat.runner import run

        return run(inputs, [self], n_jobs=n_jobs, progress=progress, on_error="raise").table

    def warmup(self) -> None:
        """Compile (or load from the disk cache) every kernel this extractor uses."""
        rng = np.random.default_rng(0)
        y = (0.1 * rng.standard_normal(int(self.sr) // 2)).astype(np.float32)
        self.features_of(prepare_signal(y, self.sr, self.sr, source="<warmup>"))


def _items(X: Any) -> Sequence[Any]:
    if isinstance(X, pd.DataFrame):
        if "path" not in X.columns:
            raise ValueError("a DataFrame input needs a 'path' column (a manifest)")
        return list(X["path"])
    if isinstance(X, pd.Series):
        return list(X)
    single_pair = isinstance(X, tuple) and len(X) == 2 and np.isscalar(X[1])
    if isinstance(X, str | os.PathLike | Audio) or single_pair or (
        isinstance(X, np.ndarray) and X.ndim == 1 and X.dtype != object
    ):
        raise TypeError(
            "transform expects a list of inputs (paths, arrays or (array, sr) pairs); "
            "wrap a single input in a list"
        )
    return list(X)

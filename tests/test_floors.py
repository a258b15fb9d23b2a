"""The dependency floors setup.cfg declares are the versions the floor check installs.

``.ci/constraints-floor.txt`` pins every requirement of ``install_requires`` and of the
``eeg`` and ``text`` extras to its floor; the suite run in an environment built with it
(docs/building.md, "Dependency floors") is what makes the floors true. A floor raised or
lowered in one file and not the other would leave a floor nobody has run: this test fails.
"""

from __future__ import annotations

import configparser
import sys
import types
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import soundfile as sf
from packaging.requirements import Requirement
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]
#: the setup.cfg sections whose floors the constraints file pins
COVERED = ("install_requires", "eeg", "text")


def _requirements(text: str) -> list[Requirement]:
    lines = (line.split("#", 1)[0].strip() for line in text.splitlines())
    return [Requirement(line) for line in lines if line]


def declared_floors(setup_cfg: Path) -> dict[str, Version]:
    """``{name: floor}`` of the requirements in :data:`COVERED` (each must have one ``>=``)."""
    cfg = configparser.ConfigParser()
    cfg.read(setup_cfg, encoding="utf-8")
    texts = [cfg["options"]["install_requires"]]
    texts += [cfg["options.extras_require"][extra] for extra in COVERED[1:]]
    floors: dict[str, Version] = {}
    for req in (r for text in texts for r in _requirements(text)):
        lows = [Version(s.version) for s in req.specifier if s.operator == ">="]
        assert len(lows) == 1, f"setup.cfg: {req} has no single '>=' floor"
        floors[req.name.lower()] = lows[0]
    return floors


def pinned(constraints: Path) -> dict[str, Version]:
    """``{name: version}`` of the constraints file (each line ``name==version``)."""
    pins = {}
    for req in _requirements(constraints.read_text(encoding="utf-8")):
        (spec,) = req.specifier
        assert spec.operator == "==", f"{constraints.name}: {req} is not a pin"
        pins[req.name.lower()] = Version(spec.version)
    return pins


def test_constraints_pin_every_declared_floor_at_the_floor():
    floors = declared_floors(ROOT / "setup.cfg")
    pins = pinned(ROOT / ".ci" / "constraints-floor.txt")
    assert set(floors) == set(pins), (
        f"only in setup.cfg: {sorted(set(floors) - set(pins))}; "
        f"only in .ci/constraints-floor.txt: {sorted(set(pins) - set(floors))}")
    differ = {n: (str(floors[n]), str(pins[n])) for n in floors if floors[n] != pins[n]}
    assert not differ, f"floor in setup.cfg vs pin in .ci/constraints-floor.txt: {differ}"


# The compatibility branches the floors need, run here on whatever is installed by giving the
# code the older API (the floor environment runs them on the real thing).

def test_fast_flac_path_with_miniaudio_naming_dr_flac_drflac(monkeypatch):
    """miniaudio before 1.70 (the floor is 1.59) names dr_flac's functions and stream type
    ``drflac_*``: the fast FLAC path still decodes, libsndfile's samples bit for bit."""
    real = pytest.importorskip("_miniaudio")
    if not hasattr(real.lib, "ma_dr_flac_open_file"):
        pytest.skip("this miniaudio names them drflac_* itself (tests/test_audio.py runs it)")
    from emofeat import audio

    class OldFFI:  # the compiled module's ffi, whose stream type is called drflac
        def typeof(self, name):
            return real.ffi.typeof("ma_dr_flac" if name == "drflac" else name + "?")

        def __getattr__(self, name):
            return getattr(real.ffi, name)

    old = types.ModuleType("_miniaudio")
    old.ffi = OldFFI()
    old.lib = types.SimpleNamespace(**{
        f"drflac_{name}": getattr(real.lib, f"ma_dr_flac_{name}")
        for name in ("open_file", "read_pcm_frames_f32", "close")})
    monkeypatch.setitem(sys.modules, "_miniaudio", old)
    audio._dr_flac.cache_clear()
    try:
        path = str(sorted(Path(audio.__file__).parent.glob("datasets/sample/*/*.flac"))[0])
        got = audio._read_flac_fast(path)
    finally:
        monkeypatch.undo()
        audio._dr_flac.cache_clear()
    ref, sr = sf.read(path, dtype="float32", always_2d=True)
    assert got is not None and got[1] == sr
    np.testing.assert_array_equal(got[0], ref)


def test_pandas_2_object_strings_are_read_csv_s(tmp_path):
    """pandas 2's default string dtype is NumPy's object (no array type of its own): a manifest
    table's text columns are what ``pandas.read_csv`` gives with it, missing cells NaN."""
    from emofeat.columns import _str_array

    csv = tmp_path / "m.csv"
    csv.write_text("path,label\na.wav,\nb.wav,happy\n", encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pandas 3 deprecates turning it off
        with pd.option_context("future.infer_string", False):
            ref = pd.read_csv(csv)
    got = _str_array(np.array([None, "happy"], dtype=object), np.dtype(object))
    assert isinstance(got, np.ndarray) and got.dtype == object
    got = pd.Series(got, name="label", dtype=object)
    pd.testing.assert_series_equal(got, ref["label"])


def test_class_weight_keys_of_a_scikit_learn_that_looks_classes_up_as_themselves(monkeypatch):
    """scikit-learn before 1.9 (1.8 is the floor) looks a ``class_weight`` dict up by the
    class itself, not ``int(c)``: there ``{1: 2.0}`` must become ``{"1": 2.0}`` to name the
    class ``"1"``. CI installs 1.9, so the branch is run here by handing the probe 1.8's
    lookup (refusing an integer key for the class ``"1"``, as 1.8.0 does)."""
    import sklearn.utils.class_weight as cw
    from emofeat.classifiers import fitting, label_maps

    real = cw.compute_class_weight

    def as_1_8(class_weight, *, classes, y, **kw):
        if isinstance(class_weight, dict) and not set(map(str, classes)) <= set(class_weight):
            raise ValueError(f"The classes, {list(classes)}, are not in class_weight")
        return real(class_weight, classes=classes, y=y, **kw)

    label_maps._sklearn_reads_int_keys.cache_clear()
    monkeypatch.setattr(cw, "compute_class_weight", as_1_8)
    try:
        assert label_maps.class_weight_key(1) == label_maps.class_weight_key("1") == "1"
        assert fitting.canonical_class_weight({1: 2.0}) == {"1": 2.0}
    finally:
        label_maps._sklearn_reads_int_keys.cache_clear()
    monkeypatch.undo()
    import sklearn
    from packaging.version import Version

    # the installed scikit-learn's own lookup: int(c) from 1.9
    newer = Version(sklearn.__version__) >= Version("1.9")
    assert label_maps.class_weight_key(1) == (1 if newer else "1")

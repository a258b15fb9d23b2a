"""The refusal of ``FrameExtractor()``/``Extractor()`` keeps every set's own signature.

Session 51, review of 7983af5: the refusal was an ``Extractor.__new__(cls, *args, **kwargs)``,
so ``inspect.signature(MFCC)`` (and Sphinx autodoc, which reads it) showed every set as
``MFCC(*args, **kwargs)`` instead of its parameters, and a user's subclass without an
``__init__`` of its own took any arguments and ignored them (``MyRMS(sr=8000)`` built a set
reading at 16 kHz) where Python refuses them (``TypeError: MyRMS() takes no arguments``).
The reference is Python's own rule: a class's signature is its ``__init__``'s without
``self``, and a class whose ``__init__`` takes no parameters refuses arguments.
"""

from __future__ import annotations

import inspect
import pickle
import subprocess
import sys

import numpy as np
import pytest
import soundfile as sf
from conftest import shared_path
from emofeat.extractors import MFCC
from emofeat.extractors.base import FrameExtractor

from emofeat import get_extractor, list_extractors
from emofeat.extractor import Extractor


class MyRMS(FrameExtractor):
    """A parameterless user set (no ``__init__``): the RMS of the whole signal."""

    modality = "audio"
    set_name = "my_rms_noinit"
    level = "functionals"
    functionals = ("mean",)
    sr = 16000
    resample = True

    def descriptor_names(self):
        return ["rms"]

    def min_samples(self):
        return 512

    def _compute(self, signal):
        x = np.asarray(signal.data, dtype=np.float64).reshape(-1)
        return np.array([[np.sqrt(np.mean(x**2))]]), np.array([0.0])


def test_a_set_shows_its_own_parameters():
    params = inspect.signature(MFCC).parameters
    assert "n_mfcc" in params and "args" not in params and "kwargs" not in params


def test_sphinx_autodoc_shows_a_sets_parameters(tmp_path):
    # the API docs' view: Sphinx reads a user-defined __new__ before __init__, so the
    # __new__(cls, *args, **kwargs) of 7983af5 made it print MFCC(*args, **kwargs)
    pytest.importorskip("sphinx", reason="Sphinx (the docs' tool) is not installed")
    src, out = tmp_path / "src", tmp_path / "out"
    src.mkdir()
    (src / "conf.py").write_text('extensions = ["sphinx.ext.autodoc"]\n'
                                 'autodoc_typehints = "none"\n')
    (src / "index.rst").write_text("T\n=\n\n.. autoclass:: emofeat.extractors.MFCC\n")
    subprocess.run([sys.executable, "-m", "sphinx", "-q", "-b", "text", str(src), str(out)],
                   check=True, capture_output=True, timeout=300)
    text = (out / "index.txt").read_text()
    assert "class emofeat.extractors.MFCC(*, sr=16000, n_mfcc=13" in text, text[:300]


@pytest.mark.parametrize("name", sorted(list_extractors()))
def test_every_registered_set_keeps_its_signature_and_params(name):
    ext = get_extractor(name)
    cls = type(ext)
    own = [p for p in inspect.signature(cls.__init__).parameters if p != "self"]
    assert list(inspect.signature(cls).parameters) == own
    params = ext.get_params(deep=False)
    assert sorted(params) == sorted(own)
    from sklearn.base import clone

    for copy in (clone(ext), pickle.loads(pickle.dumps(ext))):
        assert type(copy) is cls
        assert list(copy.get_params(deep=False)) == list(params)


def test_a_parameterless_subclass_refuses_arguments():
    with pytest.raises(TypeError):
        MyRMS(sr=8000, functionals=("max",))
    with pytest.raises(TypeError):
        MyRMS(8000)
    assert list(inspect.signature(MyRMS).parameters) == []


@pytest.mark.parametrize("base", [FrameExtractor, Extractor])
def test_the_bases_are_still_refused(base):
    with pytest.raises(TypeError, match=rf"{base.__name__} is the base class .* not a set"):
        base()


def test_a_parameterless_subclass_works_on_real_audio():
    # the RMS of the whole EmoDB file as read by soundfile (float32 samples, float64 sum)
    files = sorted(shared_path("speech", "emodb").glob("*.flac"))[:2]
    got = MyRMS().fit_transform([str(f) for f in files])
    for row, f in zip(got, files, strict=True):
        y, rate = sf.read(f, dtype="float32")
        assert rate == 16000
        np.testing.assert_allclose(row[0], np.sqrt(np.mean(y.astype(np.float64) ** 2)),
                                   rtol=1e-6)

"""Import hygiene and the Numba cache policy."""

import os
import subprocess
import sys
from pathlib import Path

import emofeat
from emofeat import _numba


def test_import_is_light():
    code = ("import sys, emofeat; "
            "heavy = [m for m in ('numba', 'scipy', 'sklearn', 'pandas', 'librosa') if m in sys.modules]; "
            "print(','.join(heavy))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"import emofeat pulled in: {out.stdout}"


def test_lazy_public_names():
    assert emofeat.get_extractor("mfcc").n_mfcc == 13
    assert "mfcc" in emofeat.list_extractors()
    assert emofeat.FeatureTable.__name__ == "FeatureTable"
    assert "FeatureTable" in dir(emofeat)


def test_cache_falls_back_when_the_install_is_read_only(tmp_path, monkeypatch):
    monkeypatch.delenv("NUMBA_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    blocker = tmp_path / "file"
    blocker.write_text("x")  # a folder under a regular file cannot be created, even by root
    chosen = _numba.choose_cache_dir((blocker / "pkg",))
    assert chosen == tmp_path / "xdg" / "emofeat" / "numba"
    monkeypatch.setenv("EMOFEAT_CACHE_DIR", str(tmp_path / "mine"))
    assert _numba.choose_cache_dir((blocker / "pkg",)) == tmp_path / "mine" / "numba"
    writable = tmp_path / "src"
    writable.mkdir()
    assert _numba.choose_cache_dir((writable,)) is None  # Numba's own in-tree cache
    monkeypatch.setenv("NUMBA_CACHE_DIR", str(tmp_path / "n"))
    assert _numba.choose_cache_dir((blocker / "pkg",)) == Path(tmp_path / "n")


def test_kernels_cache_to_disk(tmp_path):
    """A first process compiles a kernel and writes it to the cache folder; a second process
    loads it from there instead of compiling."""
    import subprocess
    import sys

    code = (
        "import numpy as np\n"
        "from emofeat.extractors import _mfcc_kernels as KM\n"
        "KM.cepstra(np.zeros((5, 40)), 1.0, 0.0, -np.inf, np.zeros((13, 40)), np.zeros((5, 13)))\n"
        "s = KM.cepstra.stats\n"
        "print(sum(s.cache_hits.values()), sum(s.cache_misses.values()))\n"
    )
    env = {**os.environ, "NUMBA_CACHE_DIR": str(tmp_path)}
    runs = [subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                           text=True, check=True).stdout.split() for _ in range(2)]
    assert runs[0] == ["0", "1"], runs  # compiled, missed the empty cache
    assert runs[1] == ["1", "0"], runs  # loaded from disk
    assert list(tmp_path.rglob("*cepstra*.nbi")) and list(tmp_path.rglob("*cepstra*.nbc"))


def test_every_registered_set_class_is_exported():
    """``from emofeat.extractors import X`` works for the class of every registered set."""
    import emofeat.extractors as ext

    from emofeat.registry import get_extractor, list_extractors

    for name in list_extractors():
        cls = type(get_extractor(name))
        assert getattr(ext, cls.__name__, None) is cls, f"{name}: {cls.__name__} not exported"
        assert cls.__name__ in ext.__all__


def fresh_stdout(code: str) -> str:
    """What ``code`` prints in a fresh interpreter (stripped); it must succeed."""
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True).stdout.strip()


# what `emofeat extract` (one process) must not import: sklearn (1-2 s, mostly the scipy.stats
# it pulls in), scipy.stats/signal/sparse (through sklearn or scipy.signal), joblib (needed for
# worker processes only), matplotlib
NOT_FOR_EXTRACTION = ("sklearn", "scipy.stats", "scipy.signal", "scipy.sparse", "matplotlib",
                      "joblib", "pandas.plotting._matplotlib", "librosa")


def test_extract_command_imports_no_sklearn(tmp_path):
    """A whole `emofeat extract` of one file (the sample, the mfcc set at its defaults, parquet
    written) in a fresh process imports none of the heavy modules an extraction does not use."""
    from emofeat.datasets import load_sample

    path = load_sample()["path"].iloc[0]
    out = tmp_path / "f.parquet"
    code = ("import sys\n"
            "from emofeat.cli import main\n"
            f"rc = main(['extract', '--set', 'mfcc', {str(path)!r}, '-o', {str(out)!r}, '-q'])\n"
            f"print(rc, [m for m in {NOT_FOR_EXTRACTION!r} if m in sys.modules])\n")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert run.stdout.split()[0] == "0", run.stderr
    assert run.stdout.strip() == "0 []", f"the extraction imported: {run.stdout}"
    assert out.is_file()


def test_set_modules_import_no_sklearn():
    """Every set's module (and a get_extractor of it) imports no sklearn or scipy.stats: the
    estimator protocol is emofeat's own, sklearn's machinery loads when sklearn asks."""
    code = ("import sys\n"
            "from emofeat.registry import get_extractor, list_extractors\n"
            "for n in list_extractors():\n"
            "    e = get_extractor(n); repr(e); e.get_params(); e.set_params()\n"
            "print([m for m in ('sklearn', 'scipy.stats', 'matplotlib') if m in sys.modules])\n")
    out = fresh_stdout(code)
    assert out == "[]", out


def test_windows_and_savgol_coefficients_equal_scipy():
    """The windows and delta coefficients computed without importing scipy.signal are
    scipy's to the last bit (windows) and within 1e-15 (Savitzky-Golay least squares)."""
    import numpy as np
    import scipy.signal
    from emofeat.extractors.filters import get_window

    from emofeat.functionals import savgol_dot_coeffs

    for name in ("hann", "hamming", "blackman", "boxcar", "triang", "triangle",
                 ("kaiser", 4.0)):
        for n in (1, 2, 3, 4, 5, 6, 25, 400, 551, 1024):
            for periodic in (True, False):
                np.testing.assert_array_equal(
                    get_window(name, n, periodic),
                    scipy.signal.get_window(name, n, fftbins=periodic), err_msg=f"{name} {n}")
    for w in (3, 5, 7, 9, 11, 15):
        for order in (1, 2):
            np.testing.assert_allclose(
                savgol_dot_coeffs(w, order),
                scipy.signal.savgol_coeffs(w, order, deriv=order, use="dot"),
                rtol=0, atol=1e-15)


def test_estimator_protocol_with_real_sklearn():
    """What sklearn does with an extractor it did not import: clone, nested parameters in a
    pipeline, the text and HTML representations, set_output through a pipeline."""
    import numpy as np
    from emofeat.extractors import MFCC
    from sklearn.base import clone
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    pipe = make_pipeline(MFCC(n_mfcc=5, functionals=("mean", "std")), StandardScaler())
    twin = clone(pipe).set_params(mfcc__n_mfcc=6)
    assert twin.get_params()["mfcc__n_mfcc"] == 6 and pipe.get_params()["mfcc__n_mfcc"] == 5
    assert repr(pipe.steps[0][1]) == "MFCC(functionals=('mean', 'std'), n_mfcc=5)"
    assert "MFCC" in pipe._repr_html_inner() and "n_mfcc" in pipe[0]._repr_html_inner()
    t = np.arange(8000) / 16000
    X = [(np.sin(2 * np.pi * f * t).astype(np.float32), 16000) for f in (150, 220, 300)]
    out = twin.set_output(transform="pandas").fit_transform(X)
    assert list(out.columns) == list(twin[0].get_feature_names_out()) and out.shape == (3, 36)


def test_pyin_and_welch_set_ups_import_no_scipy_signal():
    """pYIN's set-up (Beta weights, triangular transition band) and the EEG sets' Welch window
    need neither scipy.signal nor scipy.stats (0.6 s of imports, half of a short EEG command),
    and give scipy's numbers: the Beta weights equal scipy.stats.beta.cdf's differences bit
    for bit, for the set's defaults and other parameters."""
    code = ("import sys\n"
            "from emofeat.extractors import Prosody\n"
            "from emofeat.extractors.prosody import _pyin_plan\n"
            "from emofeat.extractors.eeg import _window\n"
            "p = Prosody()\n"
            "_pyin_plan(float(p.sr), float(p.fmin), float(p.fmax), int(p.hop_length), "
            "int(p.n_thresholds), tuple(map(float, p.beta_parameters)), float(p.resolution), "
            "float(p.max_transition_rate), float(p.switch_prob))\n"
            "_window('hamming', 250); _window('hann', 256)\n"
            "print([m for m in ('scipy.signal', 'scipy.stats') if m in sys.modules])\n")
    out = fresh_stdout(code)
    assert out == "[]", out
    import numpy as np
    import scipy.stats
    from emofeat.extractors.prosody import _pyin_plan

    for n_thr, beta in ((100, (2.0, 18.0)), (50, (1.0, 1.0)), (37, (3.5, 7.25))):
        plan = _pyin_plan(22050.0, 65.0, 2093.0, 512, n_thr, beta, 0.1, 35.92, 0.01)
        want = np.diff(scipy.stats.beta.cdf(np.linspace(0, 1, n_thr + 1), *beta))
        np.testing.assert_array_equal(plan.beta_probs, want)


def test_lexicon_errors_and_warnings_are_exported():
    """docs/text.md and docs/cli.md name emofeat.extractors.LexiconWarning and
    LexiconFormatError, to catch or filter: the names import the classes raised."""
    import emofeat.extractors as ext
    from emofeat.extractors import _lexicons

    for name in ("LexiconWarning", "LexiconFormatError"):
        assert name in ext.__all__
        assert getattr(ext, name) is getattr(_lexicons, name)

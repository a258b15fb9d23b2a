"""The restart of an output without rows (06d03e1), mended after review RC of session 53.

A run of other parameters starts again an output whose every input failed. 06d03e1 decided
that with the output's lock released (the first store closed, the check run unlocked, the
output opened again with ``overwrite``): a run of the old parameters finishing in that gap
had its rows replaced without a word. Its warning pasted the store's refusal whole (the
output named twice), pointed Python users at ``contextlib.py``, and a restart failing again
ended 'kept as it was ... --overwrite replaces it' beside an errors table of this run.

EmoDB files at 16 kHz with ``resample=False, sr=8000`` fail (SampleRateError); the same
utterances resampled to 8 kHz (scipy's polyphase filter, as a user's 8 kHz recordings) do not.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from emofeat import read_table, runner
from emofeat.cli import main
from emofeat.store import OutputLockedError

WRONG = {"resample": False, "sr": 8000}


def _mfcc(**params):
    from emofeat import get_extractor

    return get_extractor("mfcc", **params)


def _eight_khz(src, dst):
    import soundfile as sf
    from scipy.signal import resample_poly

    x, sr = sf.read(src)
    assert sr == 16000
    sf.write(dst, resample_poly(x, 1, 2), 8000)
    return dst


def test_no_run_comes_between_the_check_and_the_restart(tmp_path, emodb_dir, monkeypatch):
    paths = [str(p) for p in sorted(emodb_dir.glob("03a01*.flac"))[:2]]
    out = tmp_path / "f.parquet"
    res = runner.run(paths, [_mfcc(**WRONG)], output=out, on_error="record")
    assert res.n_failed == 2 and read_table(out).shape[0] == 0
    other = _eight_khz(paths[0], tmp_path / "a8k.wav")
    seen: dict = {}
    check = runner._holds_no_rows

    def gap(*args, **kwargs):
        rowless = check(*args, **kwargs)
        # another run of the old parameters, on an input it can read, right after the check
        try:
            seen["rows"] = runner.run([str(other)], [_mfcc(**WRONG)], output=out).n_rows
        except OutputLockedError as exc:
            seen["refused"] = str(exc)
        return rowless

    monkeypatch.setattr(runner, "_holds_no_rows", gap)
    with pytest.warns(UserWarning, match="holds no rows"):
        runner.run(paths, [_mfcc()], output=out)
    table = read_table(out)
    # no silent loss: the writer in the gap was refused (the lock held), or its row is kept
    if "refused" in seen:
        assert "another emofeat run is writing to" in seen["refused"]
        assert table.index["path"].tolist() == paths
    else:
        assert seen["rows"] == 1
        assert str(other) in table.index["path"].tolist(), (
            f"the row written in the gap was lost: {table.index['path'].tolist()}")


def test_the_warning_says_what_differs_once_from_the_callers_line(tmp_path, emodb_dir):
    paths = [str(p) for p in sorted(emodb_dir.glob("03a01*.flac"))[:2]]
    out = tmp_path / "f.parquet"
    runner.run(paths, [_mfcc(**WRONG)], output=out, on_error="record")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        runner.run(paths, [_mfcc()], output=out)
    said = [w for w in caught if "holds no rows" in str(w.message)]
    assert len(said) == 1, [str(w.message) for w in caught]
    text, where = str(said[0].message), said[0].filename
    assert where == __file__, where  # 06d03e1: contextlib.py
    # what differs, said once; not the refusal's own words and advice pasted in
    assert "mfcc sr: 8000 there, 16000 now" in text, text
    assert text.count(str(out)) == 1, text
    assert "refusing" not in text and "Write to another output" not in text, text
    fresh = tmp_path / "fresh.parquet"
    runner.run(paths, [_mfcc()], output=fresh)
    np.testing.assert_array_equal(read_table(out).X, read_table(fresh).X)  # exactly equal


def test_a_restart_failing_again_says_so(tmp_path, capsys, emodb_dir):
    paths = [str(p) for p in sorted(emodb_dir.glob("03a01*.flac"))[:2]]
    out = tmp_path / "f.parquet"
    base = ["extract", "-q", "--set", "mfcc", *paths, "-o", str(out), "--param",
            "resample=false"]
    assert main([*base, "--param", "sr=8000"]) == 3
    capsys.readouterr()
    # other parameters, failing again (22.05 kHz asked of 16 kHz files)
    assert main([*base, "--param", "sr=22050"]) == 3
    err = capsys.readouterr().err
    assert "holds no rows" in err, err  # started again
    assert "kept as it was" not in err and "replaces it" not in err, err
    assert f"the restart of {out} wrote nothing" in err, err
    errors = (tmp_path / "f.errors.csv").read_text()
    assert "22050" in errors, errors  # this run's failures
    assert read_table(out).shape[0] == 0


def test_a_numbers_version_is_said_of_no_rows(tmp_path, emodb_dir, monkeypatch):
    """The set's numbers changed since the output without rows was written: 06d03e1 said
    '(OUT holds rows whose numbers emofeat now computes otherwise: ... since these rows were
    computed ...)' of an output it had just said holds no rows."""
    paths = [str(p) for p in sorted(emodb_dir.glob("03a01*.flac"))[:2]]
    out = tmp_path / "h2.parquet"
    runner.run(paths, [_mfcc(**WRONG)], output=out, on_error="record")
    mfcc = type(_mfcc())
    monkeypatch.setattr(mfcc, "numbers_version", mfcc.numbers_version + 1)
    with pytest.warns(UserWarning, match="holds no rows") as caught:
        res = runner.run(paths, [_mfcc(**WRONG)], output=out, on_error="record")
    text = str(next(w.message for w in caught if "holds no rows" in str(w.message)))
    assert "holds rows" not in text and "these rows" not in text, text
    assert text.count(str(out)) == 1, text
    assert (f"written at another numbers version (mfcc {mfcc.numbers_version - 1} there, "
            f"{mfcc.numbers_version} now)") in text, text
    assert res.restarted and res.kept_output  # failed again: nothing written

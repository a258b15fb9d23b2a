"""An output resumes under the same parameter spelled as another number (helper C2, session 55).

``--param fmin=0`` then ``--param fmin=0.0`` on the same output (or ``mel_norm=2`` then
``2.0``) was refused as 'made with other extraction parameters' without naming any: the
fingerprint hashed the int and the float apart, though the set declares the parameter float
and computes the same rows. A whole number given to a parameter declared ``float`` is now the
same parameter; the run takes the output's fingerprint and record. A bool is no number here
(True is not 1.0). Real data: EmoDB recordings, mfcc. Row values compared exactly (the same
parameters, the same code).
"""

from __future__ import annotations

import numpy as np
import pytest
from emofeat.extractors.mfcc import MFCC

from emofeat import read_table
from emofeat.cli import main
from emofeat.runner import run
from emofeat.store import ParameterMismatchError


def _extract(capsys, files, out, *param) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["extract", "-q", *map(str, files), "-o", str(out), "--set", "mfcc",
                 *[a for p in param for a in ("--param", p)]])
    return code, capsys.readouterr().err


@pytest.mark.parametrize(("first", "then"), [("fmin=0", "fmin=0.0"), ("fmin=0.0", "fmin=0"),
                                             ("mel_norm=2", "mel_norm=2.0")])
@pytest.mark.parametrize("name", ["o.parquet", "folder"])
def test_the_same_number_spelled_otherwise_resumes(tmp_path, capsys, emodb_dir, first, then,
                                                   name):
    files = sorted(emodb_dir.glob("*.flac"))[:3]
    out = tmp_path / name
    assert _extract(capsys, files[:1], out, first)[0] == 0
    code, err = _extract(capsys, files[:2], out, then)
    assert code == 0, err  # before: exit 2, "made with other extraction parameters"
    code, err = _extract(capsys, files, out, first)
    assert code == 0, err  # the spelling of the output's record resumes it still
    got = read_table(out)
    assert got.shape[0] == 3
    # the rows are those of one run of the three files (tolerance: none)
    fresh = tmp_path / "fresh.parquet"
    assert _extract(capsys, files, fresh, then)[0] == 0
    names = got.feature_names
    np.testing.assert_array_equal(got.to_pandas()[names].to_numpy(),
                                  read_table(fresh).to_pandas()[names].to_numpy())


def test_the_api_resumes_so_and_other_values_are_still_refused(tmp_path, emodb_dir):
    files = [str(f) for f in sorted(emodb_dir.glob("*.flac"))[:2]]
    out = tmp_path / "api.parquet"
    run(files[:1], [MFCC(fmin=0)], output=out)
    run(files, [MFCC(fmin=0.0)], output=out)  # before: ParameterMismatchError
    assert read_table(out).shape[0] == 2
    with pytest.raises(ParameterMismatchError, match="fmin: 0 there, 1.0 now"):
        run(files, [MFCC(fmin=1.0)], output=out)


def test_a_bool_is_no_number_and_an_int_parameter_stays_an_int():
    from emofeat.store import _numbers_as_declared

    mfcc = MFCC().get_params()
    config = {"sets": [{"name": "mfcc", "class": "emofeat.extractors.mfcc.MFCC",
                        "params": {**mfcc, "fmin": 0, "amin": True, "n_mfcc": 13}}]}
    got = _numbers_as_declared(config)["sets"][0]["params"]
    assert got["fmin"] == 0.0 and type(got["fmin"]) is float
    assert got["amin"] is True  # True is not 1.0
    assert type(got["n_mfcc"]) is int  # declared int

"""``emofeat.extract``'s ``params`` are routed as the command's ``--param`` are: a bare name to
every set that has it, ``set.name`` to that set alone. Every set got every parameter, so
``extract(files, ["mfcc", "prosody"], params={"n_mfcc": 20})``, the docstring's own example
beside a second set, was "Prosody.__init__() got an unexpected keyword argument 'n_mfcc'",
while the command ``--set mfcc,prosody --param n_mfcc=20`` worked."""

from __future__ import annotations

import numpy as np
import pytest

import emofeat
from emofeat.cli import EXIT_OK, main


def test_params_reach_the_sets_that_have_them_as_the_command_s(ravdess_files, tmp_path):
    files = [str(f) for f in ravdess_files[:2]]
    got = emofeat.extract(files, ["mfcc", "prosody"], params={"n_mfcc": 20, "mfcc.n_mels": 64})
    assert "mfcc19_mean" in got.feature_names
    out = tmp_path / "cli.parquet"
    assert main(["extract", *files, "--set", "mfcc,prosody", "--param", "n_mfcc=20",
                 "--param", "mfcc.n_mels=64", "-o", str(out), "-q"]) == EXIT_OK
    cli = emofeat.read_table(out)
    assert list(cli.feature_names) == list(got.feature_names)
    np.testing.assert_array_equal(np.asarray(cli.X), np.asarray(got.X))
    sets = {s["name"]: s["params"] for s in got.provenance["sets"]}
    assert sets["mfcc"]["n_mfcc"] == 20 and sets["mfcc"]["n_mels"] == 64
    assert "n_mfcc" not in sets["prosody"]


@pytest.mark.parametrize(("params", "message"), [
    ({"n_mfc": 20}, r"params\['n_mfc'\]: none of the sets mfcc, prosody has a parameter "
                    r"'n_mfc'; did you mean n_mfcc"),
    ({"paa.n_mfcc": 20}, r"params\['paa.n_mfcc'\]: 'paa' is not one of the sets asked for"),
    ({"level": "lld"}, r"params\['level'\]: the level is chosen with level="),
])
def test_a_parameter_no_set_has_is_refused_naming_it(ravdess_files, params, message):
    with pytest.raises(ValueError, match=message):
        emofeat.extract([str(ravdess_files[0])], ["mfcc", "prosody"], params=params)


@pytest.mark.parametrize(("param", "hint"), [("htk=true", "write True"),
                                             ("fmax=none", "write None")])
def test_a_lower_case_literal_is_refused_with_the_python_spelling(ravdess_files, tmp_path,
                                                                 capsys, param, hint):
    # "htk must be bool, got 'true'" did not say that --param values are Python literals
    assert main(["extract", str(ravdess_files[0]), "--set", "mfcc", "--param", param,
                 "-o", str(tmp_path / "x.parquet")]) == 2
    err = capsys.readouterr().err
    assert f"(--param {param}: values are Python literals, {hint})" in err

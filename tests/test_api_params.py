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
    ({"level": "lld"}, r"params\['level'\]: the level is chosen with extract's level argument"),
    ({"window": "hann", "n_fft": 512, "sr": 1, "fmin": 0, "x_y": 1},
     r"params\['x_y'\]: none of .*; emofeat.get_extractor\(name\).get_params\(\) lists"),
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


def test_a_set_s_own_value_wins_over_a_bare_name_s_in_either_order(ravdess_files):
    # {'mfcc.n_mels': 40, 'n_mels': 64} gave mfcc 64 and the other order 40
    from emofeat.registry import route_params

    for given in ({"mfcc.n_mels": 40, "n_mels": 64}, {"n_mels": 64, "mfcc.n_mels": 40}):
        assert route_params(["mfcc", "mfcc_htk"], given) == {
            "mfcc": {"n_mels": 40}, "mfcc_htk": {"n_mels": 64}}


@pytest.mark.parametrize(("argv", "hint"), [
    (["--set", "mfcc", "--param", "htk=false", "--param", "center=false"],
     "(--param center=false: values are Python literals, write False)"),
    (["--set", "prosody", "--param", "fmax=none"], None),
    (["--set", "mfcc,prosody", "--param", "fmax=none"],
     "values are Python literals; --param mfcc.fmax=None gives None to that set alone)"),
    (["--set", "prosody,mfcc", "--param", "fmax=none"],
     "values are Python literals; --param mfcc.fmax=None gives None to that set alone)"),
    (["--set", "mfcc", "--param", "mfcc.htk=false"], "(--param mfcc.htk=false: values are "
                                                     "Python literals, write False)"),
])
def test_the_literal_hint_names_the_refused_parameter_and_only_a_value_it_takes(
        ravdess_files, tmp_path, capsys, argv, hint):
    # 'center must be bool, got 'false'' was hinted about htk=false; fmax=none of prosody,
    # whose fmax takes no None, was told to write None
    assert main(["extract", str(ravdess_files[0]), *argv, "-o",
                 str(tmp_path / "x.parquet")]) == 2
    err = capsys.readouterr().err
    if hint is None:
        assert "values are Python literals" not in err
    else:
        assert hint in err

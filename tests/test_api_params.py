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


@pytest.mark.parametrize(("param", "literal"), [("htk=true", "htk=True"),
                                                ("fmax=none", "fmax=None")])
def test_a_lower_case_literal_is_read_as_meant(ravdess_files, tmp_path, capsys, param,
                                               literal):
    # "htk must be bool, got 'true'" refused what the user meant; since session 51 the word
    # is read as the Python value where the parameter takes it (tests/test_cli_param_words51.py)
    outs = []
    for i, given in enumerate((param, literal)):
        outs.append(tmp_path / f"x{i}.parquet")
        assert main(["extract", "-q", str(ravdess_files[0]), "--set", "mfcc", "--param", given,
                     "-o", str(outs[-1])]) == 0, capsys.readouterr().err
    a, b = (emofeat.read_table(o).to_pandas() for o in outs)
    assert a.drop(columns="path").equals(b.drop(columns="path"))


def test_a_set_s_own_value_wins_over_a_bare_name_s_in_either_order(ravdess_files):
    # {'mfcc.n_mels': 40, 'n_mels': 64} gave mfcc 64 and the other order 40
    from emofeat.registry import route_params

    for given in ({"mfcc.n_mels": 40, "n_mels": 64}, {"n_mels": 64, "mfcc.n_mels": 40}):
        assert route_params(["mfcc", "mfcc_htk"], given) == {
            "mfcc": {"n_mels": 40}, "mfcc_htk": {"n_mels": 64}}


@pytest.mark.parametrize(("argv", "hint"), [
    (["--set", "prosody", "--param", "fmax=none"], None),
    (["--set", "mfcc,prosody", "--param", "fmax=none"],
     "(--param fmax=none: --param mfcc.fmax=None gives None to that set alone)"),
    (["--set", "prosody,mfcc", "--param", "fmax=none"],
     "(--param fmax=none: --param mfcc.fmax=None gives None to that set alone)"),
    (["--set", "mfcc", "--param", "top_db=true"], None),
])
def test_the_none_hint_names_only_the_sets_that_take_it(
        ravdess_files, tmp_path, capsys, argv, hint):
    # fmax=none of prosody, whose fmax takes no None, was told to write None; top_db takes
    # no bool, and was told to write True (session 51: the words are read as meant where the
    # parameter takes them, so a refusal left is of a value the parameter does not take)
    assert main(["extract", str(ravdess_files[0]), *argv, "-o",
                 str(tmp_path / "x.parquet")]) == 2
    err = capsys.readouterr().err
    assert "must be" in err, err
    if hint is None:
        assert "gives None" not in err and "write " not in err, err
    else:
        assert hint in err

"""A run refused by the parts an interrupted ``--overwrite`` run staged says so (session 57).

An output replaced with other parameters (``--overwrite --param mfcc.n_mfcc=20``), the
replacement killed before it finished, then the output's own command run again (without
``--overwrite``): refused as ``k3.overwrite was made with other extraction parameters ...
Write to another output, or pass --overwrite to start it again``, naming a folder the user
never gave and not saying that the output itself is whole and kept. Now the refusal says
whose replacement those parts are, that the output is kept as it was, and both ways on.
Real data: EmoDB recordings; the checks are on words (no tolerance).
"""
from __future__ import annotations

import pytest

import emofeat.store as store
from emofeat.cli import main
from emofeat.registry import get_extractor
from emofeat.runner import run
from emofeat.store import ParameterMismatchError
from emofeat.table import read_table


def _killed(*args, **kwargs):
    raise KeyboardInterrupt


def _stage(files, out, layout, monkeypatch, older=False, **params):
    """out written, then its replacement (``params``) begun, by an emofeat that computed
    mfcc at the numbers version before where ``older``, and interrupted before it finished
    (the staged parts' folder returned)."""
    mfcc = type(get_extractor("mfcc"))
    run(files, [get_extractor("mfcc")], output=out, layout=layout)
    with monkeypatch.context() as m:
        m.setattr(store.FeatureStore, "finalize", _killed)
        if older:
            m.setattr(mfcc, "numbers_version", mfcc.numbers_version - 1)
        with pytest.raises(KeyboardInterrupt):
            run(files, [get_extractor("mfcc", **params)], output=out, layout=layout,
                overwrite=True, chunk_size=1)
    return out.with_name(out.name + (".parts" if layout == "file" else ".overwrite"))


def _refusal(files, out, layout, staged):
    """What the output's own extraction (mfcc's defaults) is told, after its subject: the
    staged replacement, named as such."""
    with pytest.raises(ParameterMismatchError) as refused:
        run(files, [get_extractor("mfcc")], output=out, layout=layout)
    said = str(refused.value)
    assert "Write to another output" not in said, said
    subject = (f"{staged} holds the replacement of {out} that a run with overwrite=True "
               "staged before it was interrupted, ")
    assert said.startswith(subject), said
    return said[len(subject):]


@pytest.mark.parametrize("layout", ["file", "dataset"])
def test_the_refusal_names_the_staged_replacement(emodb_dir, tmp_path, monkeypatch, layout):
    files = [str(p) for p in sorted(emodb_dir.glob("03a0*.flac"))[:3]]
    out = tmp_path / ("feats.parquet" if layout == "file" else "feats")
    staged = _stage(files, out, layout, monkeypatch, n_mfcc=20)
    said = _refusal(files, out, layout, staged)
    assert said.startswith("made with other extraction parameters: mfcc n_mfcc: 20 there, "
                           "13 now"), said
    assert (f"{out} itself is kept as it was. Run that extraction again without "
            "overwrite=True to finish the replacement, or pass overwrite=True to start a "
            "replacement with this run's parameters.") in said, said
    # both ways on work: the replacement finishes, or this run's starts again
    assert run(files, [get_extractor("mfcc", n_mfcc=20)], output=out, layout=layout
               ).n_rows == 0  # every input staged already
    # the finished output is the replacement's (review RC1: its columns were not checked)
    table = read_table(out)
    assert table.X.shape[0] == len(files)
    coefficients = {c.split("_")[0] for c in table.feature_names if c.startswith("mfcc")}
    assert coefficients == {f"mfcc{k}" for k in range(20)}, sorted(coefficients)
    assert table.provenance["sets"][0]["params"]["n_mfcc"] == 20


def test_the_command_says_it_in_its_words(emodb_dir, tmp_path, monkeypatch, capsys):
    files = [str(p) for p in sorted(emodb_dir.glob("03a0*.flac"))[:2]]
    out = tmp_path / "feats"
    assert main(["extract", "--set", "mfcc", *files, "-o", str(out)]) == 0
    with monkeypatch.context() as m:
        m.setattr(store.FeatureStore, "finalize", _killed)
        main(["extract", "--set", "mfcc", *files, "-o", str(out), "--overwrite",
              "--param", "n_mfcc=20", "--chunk-size", "1"])
    capsys.readouterr()
    assert main(["extract", "--set", "mfcc", *files, "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "holds the replacement of" in err and "that a run with --overwrite staged" in err, err
    assert "Run that extraction again without --overwrite to finish the replacement" in err, err


@pytest.mark.parametrize("layout", ["file", "dataset"])
def test_a_replacement_of_older_numbers_is_said_staged(emodb_dir, tmp_path, monkeypatch,
                                                       layout):
    """Review RC1 of 4480a62: the numbers-only refusal came first and said 'k4.overwrite
    holds rows whose numbers emofeat now computes otherwise ... Write to another output'."""
    files = [str(p) for p in sorted(emodb_dir.glob("03a0*.flac"))[:2]]
    out = tmp_path / ("feats.parquet" if layout == "file" else "feats")
    staged = _stage(files, out, layout, monkeypatch, older=True)
    said = _refusal(files, out, layout, staged)
    assert said.startswith("rows whose numbers emofeat now computes otherwise: the mfcc "
                           "set's numbers changed"), said
    assert (f"{out} itself is kept as it was. Pass overwrite=True to start the replacement "
            "again at the installed numbers, or finish it with the emofeat that began it."
            ) in said, said
    # that way on works: the output is replaced at the installed numbers
    run(files, [get_extractor("mfcc")], output=out, layout=layout, overwrite=True)
    assert read_table(out).provenance["sets"][0]["numbers_version"] == type(
        get_extractor("mfcc")).numbers_version


def test_a_replacement_of_other_parameters_and_numbers_is_not_sent_to_finish(
        emodb_dir, tmp_path, monkeypatch):
    """The parameters differ and a set's numbers changed too: 'Run that extraction again
    without overwrite=True to finish the replacement' sent the user into a refusal."""
    files = [str(p) for p in sorted(emodb_dir.glob("03a0*.flac"))[:2]]
    out = tmp_path / "feats"
    staged = _stage(files, out, "dataset", monkeypatch, older=True, n_mfcc=20)
    said = _refusal(files, out, "dataset", staged)
    assert "to finish the replacement" not in said, said
    assert (f"{out} itself is kept as it was. Pass overwrite=True to start a replacement "
            "with this run's parameters (or finish the replacement with the emofeat that "
            "began it).") in said, said
    # and indeed the replacement's own extraction is refused by the installed emofeat
    with pytest.raises(ParameterMismatchError, match="numbers"):
        run(files, [get_extractor("mfcc", n_mfcc=20)], output=out, layout="dataset")

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


def _killed(*args, **kwargs):
    raise KeyboardInterrupt


@pytest.mark.parametrize("layout", ["file", "dataset"])
def test_the_refusal_names_the_staged_replacement(emodb_dir, tmp_path, monkeypatch, layout):
    files = [str(p) for p in sorted(emodb_dir.glob("03a0*.flac"))[:3]]
    out = tmp_path / ("feats.parquet" if layout == "file" else "feats")
    run(files, [get_extractor("mfcc")], output=out, layout=layout)
    with monkeypatch.context() as m:  # the replacement stops before it finishes
        m.setattr(store.FeatureStore, "finalize", _killed)
        with pytest.raises(KeyboardInterrupt):
            run(files, [get_extractor("mfcc", n_mfcc=20)], output=out, layout=layout,
                overwrite=True, chunk_size=1)
    staged = out.with_name(out.name + (".parts" if layout == "file" else ".overwrite"))
    with pytest.raises(ParameterMismatchError) as refused:
        run(files, [get_extractor("mfcc")], output=out, layout=layout)
    said = str(refused.value)
    assert "Write to another output" not in said, said
    assert (f"{staged} holds the replacement of {out} that a run with overwrite=True staged "
            "before it was interrupted, made with other extraction parameters: mfcc n_mfcc: "
            "20 there, 13 now") in said, said
    assert (f"{out} itself is kept as it was. Run that extraction again without "
            "overwrite=True to finish the replacement, or pass overwrite=True to start a "
            "replacement with this run's parameters.") in said, said
    # both ways on work: the replacement finishes, or this run's starts again
    assert run(files, [get_extractor("mfcc", n_mfcc=20)], output=out, layout=layout
               ).n_rows == 0  # every input staged already


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

"""``emofeat info`` of an output that an interrupted ``--overwrite`` run began to replace
(hunt of session 49).

A run with ``--overwrite`` writes its parts beside the output (``OUT.parquet.parts/``,
``OUT.overwrite/``) and replaces the output at the end; killed, it leaves the old output and
its parts, and the same command without ``--overwrite`` finishes the replacement
(docs/batch.md, Crash safety). ``info`` described the old output alone: a user who stopped
a re-extraction with new parameters read the old table as if it were the new one, with no
word of the parts waiting (real RAVDESS, egemaps,mfcc, a run killed by SIGINT after 90 of
200 inputs: /tmp/s49_c/h/ow.parquet, ow_ds). It now says so.
"""

from __future__ import annotations

import pytest

from emofeat.cli import main
from emofeat.registry import get_extractor
from emofeat.runner import run

SAID = "being replaced: a run with --overwrite into it was interrupted (or is still running)"


@pytest.fixture(scope="module")
def files(emodb_dir):
    return [str(p) for p in sorted(emodb_dir.glob("*.flac"))[:4]]


def _info(capsys, path) -> str:
    capsys.readouterr()
    assert main(["info", str(path)]) == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("layout", ["file", "dataset"])
def test_info_says_an_interrupted_overwrite_waits(tmp_path, files, capsys, layout):
    import emofeat.store as store

    out = tmp_path / ("out.parquet" if layout == "file" else "out")
    run(files[:2], [get_extractor("mfcc")], output=out, layout=layout)
    assert SAID not in _info(capsys, out)

    with pytest.MonkeyPatch.context() as m:
        def killed(*args, **kwargs):
            raise KeyboardInterrupt

        m.setattr(store.FeatureStore, "finalize", killed)
        with pytest.raises(KeyboardInterrupt):
            run(files, [get_extractor("mfcc", n_mfcc=20)], output=out, layout=layout,
                overwrite=True, chunk_size=1)
    said = _info(capsys, out)
    waiting = f"{out}.parts" if layout == "file" else f"{out}.overwrite"
    assert (f"{SAID}; its 4 inputs extracted so far are kept in {waiting}, and this is the "
            "output before it. The same extract command without --overwrite finishes the "
            "replacement") in said, said
    assert "2 rows" in said.splitlines()[0]  # the old output, as before

    result = run(files, [get_extractor("mfcc", n_mfcc=20)], output=out, layout=layout,
                 chunk_size=1)
    assert result.n_skipped == 4
    said = _info(capsys, out)
    assert SAID not in said and "4 rows" in said.splitlines()[0] and "n_mfcc=20" in said

"""An interrupted ``emofeat extract -o LINK``, LINK a symbolic link to a file output that does
not exist yet (session 58). The run writes and locks beside the link's target
(``scratch/f.parquet.parts``, ``scratch/f.parquet.lock``: :class:`~emofeat.store.FeatureStore`)
and until its merge the link leads to nothing. The stop line looked for the parts beside the
link, found none, and said 'emofeat: interrupted' alone, where the same run given the
target's path says that the inputs extracted so far are kept and the same command finishes
the run; a ``--fail-fast`` stop counted '0 inputs in the output' there, and an interrupted
``--overwrite`` of a link to a finished output said that nothing was replaced. Each now says what
the target's run says, the output named as typed. Real data: 12 short recordings
(test_batch_hunt's corpus), the run stopped by SIGINT after two parts; EmoDB recordings
before a file that is not audio."""
from __future__ import annotations

import shutil
import sys

import pytest
from test_batch_hunt import corpus  # noqa: F401
from test_cli_interrupt49 import _interrupted

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="signals: Linux")


def _stop(err: str, start: str = "emofeat: interrupted") -> str:
    """The command's stop message, from its line beginning with ``start``: the first run in a
    cold cache says before it that it compiles the set's kernels."""
    return err[err.index(start):]


def test_interrupted_first_run_into_a_link(tmp_path, corpus):  # noqa: F811
    target = tmp_path / "given" / "f.parquet"  # the same run, given the target's own path
    target.parent.mkdir()
    said = _stop(_interrupted(tmp_path, corpus, target))
    assert said.startswith("emofeat: interrupted; the inputs extracted so far are kept"), said
    scratch, link = _links(tmp_path)
    said_of_link = _stop(_interrupted(tmp_path, corpus, link))
    assert (scratch / "f.parquet.parts").is_dir() and not link.with_name("f.parquet.parts").exists()
    assert said_of_link == said.replace(str(target), str(link)), said_of_link


def test_interrupted_overwrite_through_a_link(tmp_path, corpus):  # noqa: F811
    """An --overwrite run given a link to a finished file output stages its parts beside the
    target: the line looked beside the link for them and said 'nothing was replaced: ... the
    same command starts again', where the target's run says to finish it without
    --overwrite."""
    from emofeat.cli import main

    def replaced(out):
        assert main(["extract", *corpus[:2], "-o", str(out), "--set", "mfcc", "-q"]) == 0
        return _stop(_interrupted(tmp_path, corpus, out, "--overwrite"))

    target = tmp_path / "given" / "f.parquet"
    target.parent.mkdir()
    said = replaced(target)
    assert f"kept, and {target} is not replaced yet: the same command without --overwrite " \
        "finishes the run" in said, said
    link = _links(tmp_path)[1]
    assert replaced(link) == said.replace(str(target), str(link))


def _links(tmp_path):
    """The folder scratch, and the link proj/f.parquet -> scratch/f.parquet (to nothing yet)."""
    scratch, proj = tmp_path / "scratch", tmp_path / "proj"
    scratch.mkdir()
    proj.mkdir()
    link = proj / "f.parquet"
    link.symlink_to(scratch / "f.parquet")  # to nothing yet: the run's merge makes it
    return scratch, link


def test_fail_fast_stop_of_a_first_run_into_a_link(tmp_path, emodb_dir, capsys):
    from emofeat.cli import EXIT_SOME_FAILED, main

    files = tmp_path / "in"
    files.mkdir()
    for p in sorted(emodb_dir.glob("03a0*.flac"))[:2]:
        shutil.copy(p, files / p.name)
    (files / "x.wav").write_bytes(b"not audio at all")  # after the two in name order

    def stopped(out):
        capsys.readouterr()
        assert main(["extract", "-q", "--fail-fast", "--set", "mfcc", "--chunk-size", "1",
                     "-j", "1", str(files), "-o", str(out)]) == EXIT_SOME_FAILED
        return _stop(capsys.readouterr().err, "emofeat: stopped at the first failure")

    target = tmp_path / "given" / "f.parquet"
    said = stopped(target)
    assert "only completed parts are kept (2 inputs in the output; " in said, said
    scratch, link = _links(tmp_path)
    said_of_link = stopped(link)
    assert (scratch / "f.parquet.parts").is_dir()
    assert said_of_link == said.replace(str(target), str(link)), said_of_link

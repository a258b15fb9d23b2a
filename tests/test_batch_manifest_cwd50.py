"""``emofeat.datasets.load_manifest`` warns of paths written from the working folder as
``emofeat extract`` does (the leftover of session 49's hunt, session 50).

A manifest kept in ``meta/`` listing ``audio/a0.flac``, read from the project's folder: its
paths are joined to ``meta/``, where no such file is. Since session 49 the command warned
(tests/test_cli_manifest_folder49.py); the Python API returned the DataFrame without a word
(``check_files=False``), or raised ``FileNotFoundError`` listing ``<project>/meta/audio/...``,
paths the user never wrote, without saying where the files are. Real RAVDESS files.
"""

from __future__ import annotations

import warnings

import pytest

# the project of the command's test: audio/a0.flac, audio/a1.flac (RAVDESS), meta/, chdir'd
from test_cli_manifest_folder49 import SAID, project  # noqa: F401

from emofeat.cli import main
from emofeat.datasets import load_manifest


def _said(call) -> list[str]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            call()
        except FileNotFoundError:
            pass
    return [str(w.message) for w in caught if SAID in str(w.message)]


@pytest.mark.parametrize("name", ["m.csv", "m.tsv", "m.jsonl"])
def test_load_manifest_warns_as_the_command_does(project, capsys, name):  # noqa: F811
    rows = {"m.csv": "path,label\naudio/a0.flac,x\naudio/a1.flac,y\n",
            "m.tsv": "path\tlabel\naudio/a0.flac\tx\naudio/a1.flac\ty\n",
            "m.jsonl": '{"path": "audio/a0.flac", "label": "x"}\n'
                       '{"path": "audio/a1.flac", "label": "y"}\n'}[name]
    (project / "meta" / name).write_text(rows, encoding="utf-8")
    # check_files=False (the DataFrame given to emofeat.extract) and the default, which
    # raises FileNotFoundError after the warning: one warning each, exact text compared
    # with the command's line (no tolerance: a string)
    lazy = _said(lambda: load_manifest(f"meta/{name}", check_files=False))
    strict = _said(lambda: load_manifest(f"meta/{name}"))
    assert len(lazy) == 1 and strict == lazy, (lazy, strict)
    assert lazy[0].startswith(f"meta/{name}: {SAID} ({project / 'meta'}), and its first 2 "
                              f"paths ('audio/a0.flac', ...) name no file there but files in "
                              f"the working folder ({project})"), lazy
    capsys.readouterr()
    assert main(["extract", "-q", "--set", "mfcc", f"meta/{name}", "-o", "o.parquet"]) == 3
    err = capsys.readouterr().err
    assert err.count(SAID) == 1 and lazy[0] in err, err  # said once, in the same words


def test_load_manifest_is_quiet_where_the_paths_are_right(project):  # noqa: F811
    (project / "meta" / "ok.csv").write_text("path,label\n../audio/a0.flac,x\n",
                                             encoding="utf-8")
    (project / "here.csv").write_text("path,label\naudio/a0.flac,x\n", encoding="utf-8")
    (project / "meta" / "gone.csv").write_text("path,label\naudio/zz.flac,x\n",
                                               encoding="utf-8")
    assert _said(lambda: load_manifest("meta/ok.csv")) == []
    assert _said(lambda: load_manifest("here.csv")) == []
    assert _said(lambda: load_manifest("meta/gone.csv", check_files=False)) == []

"""Messages of the batch layer name what to change as the reader types it: the command's
options under ``emofeat extract`` (``--overwrite``, ``--format dataset``, ``-j``), the
parameters of :func:`emofeat.runner.run` in Python (``overwrite=True``, ``layout='dataset'``,
``n_jobs``). They said ``--overwrite (overwrite=True)`` to both, ``-j 0: n_jobs == 0`` to the
command. Real recordings of the bundled sample."""

from __future__ import annotations

import re
import signal
from pathlib import Path
from types import SimpleNamespace

import pytest

from emofeat.cli import EXIT_USAGE, main
from emofeat.errors import command_line
from emofeat.registry import get_extractor
from emofeat.runner import run

CLI_WORDS = ("--overwrite", "--format", "-j ", "--long-file")
API_WORDS = ("overwrite=True", "layout=", "n_jobs", "long_file_seconds")


def _setup_mismatch(tmp_path: Path, files: list[str], name: str) -> tuple[Path, list, dict]:
    out = tmp_path / name
    run(files, [get_extractor("mfcc")], output=out, progress=False)
    return out, ["--param", "n_mfcc=20"], {"n_mfcc": 20}


def _setup_unreadable(tmp_path: Path, files: list[str], name: str):
    out = tmp_path / "junk.parquet"
    out.write_bytes(b"PAR1junk")  # a parquet file damaged: replaceable (not any .parquet name)
    return out, [], {}


def _setup_not_parquet(tmp_path: Path, files: list[str], name: str):
    out = tmp_path / "take.flac"  # a .pq name is one of an output: replaced with --overwrite
    out.write_bytes(Path(files[0]).read_bytes())  # a recording: never replaced
    return out, [], {}


def _setup_folder_as_file(tmp_path: Path, files: list[str], name: str):
    out = tmp_path / "folder"
    out.mkdir()
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    return out, ["--format", "file"], {"layout": "file"}


def _setup_file_as_folder(tmp_path: Path, files: list[str], name: str):
    out, _, _ = _setup_mismatch(tmp_path, files, "f.parquet")
    return out, ["--format", "dataset"], {"layout": "dataset"}


def _setup_staging_in_the_way(tmp_path: Path, files: list[str], name: str):
    out, _, _ = _setup_mismatch(tmp_path, files, "ds")
    (tmp_path / "ds.overwrite").mkdir()  # someone's folder, not a staging folder
    return out, ["--overwrite"], {"overwrite": True}


@pytest.mark.parametrize(("setup", "name", "cli", "api"), [
    (_setup_mismatch, "f.parquet", "or pass --overwrite to start it again",
     "or pass overwrite=True to start it again"),
    (_setup_mismatch, "ds", "or pass --overwrite to start it again",
     "or pass overwrite=True to start it again"),
    (_setup_unreadable, "", "write to another output, or pass --overwrite to replace it",
     "write to another output, or pass overwrite=True to replace it"),
    (_setup_not_parquet, "", "not touching it, even with --overwrite; give another output",
     "not touching it, even with overwrite=True; give another output"),
    (_setup_folder_as_file, "", "is a folder; use the dataset layout for it "
     "(--format dataset)", "is a folder; use the dataset layout for it (layout='dataset')"),
    (_setup_file_as_folder, "", "is a file; use the file layout for it (--format file)",
     "is a file; use the file layout for it (layout='file')"),
    (_setup_staging_in_the_way, "", "is in the way: --overwrite writes the new",
     "is in the way: overwrite=True writes the new"),
])
def test_the_command_and_the_api_each_get_their_own_words(tmp_path, sample, capsys, setup,
                                                          name, cli, api):
    files = list(sample["path"].iloc[:2])
    out, options, params = setup(tmp_path, files, name)
    code = main(["extract", *files, "-o", str(out), "-q", *options])
    err = capsys.readouterr().err
    assert code == EXIT_USAGE
    assert cli in err, err
    assert not any(w in err for w in API_WORDS), err
    layout = {"layout": params.pop("layout")} if "layout" in params else {}
    overwrite = {"overwrite": params.pop("overwrite")} if "overwrite" in params else {}
    with pytest.raises(ValueError) as info:
        run(files, [get_extractor("mfcc", **params)], output=out, progress=False, **layout,
            **overwrite)
    assert api in str(info.value)
    assert not any(w in str(info.value) for w in CLI_WORDS), info.value


def test_minus_j_zero_in_the_commands_words(tmp_path, sample, capsys):
    files = list(sample["path"].iloc[:1])
    assert main(["extract", *files, "-o", str(tmp_path / "f.parquet"), "-j", "0"]) == \
        EXIT_USAGE
    err = capsys.readouterr().err
    assert "emofeat: -j 0 has no meaning; use -j 1 for one process or -j -1 for all cores" \
        in err
    assert "n_jobs" not in err
    with pytest.raises(ValueError, match=r"^n_jobs == 0 has no meaning; use 1 for one "):
        run(files, [get_extractor("mfcc")], n_jobs=0, progress=False)


@pytest.mark.parametrize("address", ["", "  "])
def test_a_blank_scheduler_is_refused_naming_the_parameter(tmp_path, sample, address):
    """``run(..., scheduler="")`` listed the inputs and ended in Dask's "missing port number in
    address ''", which named no parameter (the command refuses ``--scheduler ''`` at parsing,
    tests/test_cli_hunt.py, through the same check)."""
    files = list(sample["path"].iloc[:1])
    out = tmp_path / "f.parquet"
    with pytest.raises(ValueError, match=re.escape(
            "scheduler must be the address of a Dask scheduler (tcp://host:8786) or a "
            f"distributed.Client, got {address!r}")) as info:
        run(files, [get_extractor("mfcc")], output=out, scheduler=address, progress=False)
    assert not any(w in str(info.value) for w in CLI_WORDS), info.value
    assert not out.exists()


def test_a_dead_worker_is_told_in_the_readers_words():
    """The worker-died message (built in the process that ran the pool) named both
    spellings, ``(-j, n_jobs)`` and ``(--long-file, long_file_seconds)``."""
    from emofeat.schedule import worker_died

    killed = SimpleNamespace(join=lambda timeout: None, exitcode=-signal.SIGKILL)
    pool = SimpleNamespace(processes=[killed])
    api = str(worker_died(pool))
    with command_line():
        cli = str(worker_died(pool))
    assert "use fewer workers (n_jobs) or read long recordings in blocks " \
           "(long_file_seconds)" in api
    assert "run again with the same output to resume" in api
    assert "use fewer workers (-j) or read long recordings in blocks (--long-file)" in cli
    assert "run the same command again (the same output) to resume" in cli

"""Batch hunt 39, as a user: ``emofeat info`` of a single-file output whose run has not
finished. Until the merge, ``-o OUT.parquet`` is only ``OUT.parquet.parts/`` (Arrow parts):
a ``--fail-fast`` stop says "2 inputs in the output", and ``info OUT.parquet`` then said
``no such file or folder``, ``info OUT.parquet.parts`` ``no parquet parts in this folder``
(it holds two parts). Both now say that the run has not finished and that the same command
finishes it (exit 2), and the finished output reads as before. Real EmoDB recordings."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from emofeat.cli import EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE, main

EMODB = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "speech" / "emodb"
needs_emodb = pytest.mark.skipif(not (EMODB / "labels.csv").is_file(),
                                 reason="../shared/data/speech/emodb is absent")


def _stopped_run(tmp_path: Path) -> tuple[list[str], Path, Path]:
    """A --fail-fast run stopped at its third input (missing), two parts written."""
    names = sorted(p.name for p in EMODB.glob("*.flac"))[:2]
    for name in names:
        shutil.copy2(EMODB / name, tmp_path / name)
    manifest = tmp_path / "m.csv"
    pd.DataFrame({"path": [*names, "later.flac"], "emotion": ["a", "b", "c"]}).to_csv(
        manifest, index=False)
    out = tmp_path / "f.parquet"
    cmd = ["extract", str(manifest), "-o", str(out), "--fail-fast", "--chunk-size", "1",
           "-j", "1", "-q"]
    assert main(cmd) == EXIT_SOME_FAILED
    assert not out.exists() and (tmp_path / "f.parquet.parts").is_dir()
    return cmd, out, EMODB / names[0]


@needs_emodb
def test_info_of_an_unfinished_file_output_says_the_command_finishes_it(tmp_path, capsys):
    cmd, out, first = _stopped_run(tmp_path)
    capsys.readouterr()
    assert main(["info", str(out)]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert "not written yet" in err and "2 inputs" in err, err
    assert f"{out}.parts" in err and "run the same extract command again" in err, err
    # the run stopped at an input (--fail-fast): that input is to be fixed first
    assert "fix or remove that input first, or run without --fail-fast" in err, err
    assert "no such file" not in err

    parts = f"{out}.parts"
    for given in (parts, parts + "/"):
        assert main(["info", given]) == EXIT_USAGE
        err = capsys.readouterr().err
        assert f"holds the parts of {out}, not written yet" in err and "2 inputs" in err, err
        assert "no parquet parts" not in err

    shutil.copy2(first, tmp_path / "later.flac")  # the missing input arrives: finished
    assert main(cmd) == EXIT_OK
    capsys.readouterr()
    assert main(["info", str(out)]) == EXIT_OK
    assert "3 rows" in capsys.readouterr().out


def test_info_of_a_missing_output_and_of_a_dataset_named_parts(tmp_path, capsys):
    assert main(["info", str(tmp_path / "none.parquet")]) == EXIT_USAGE
    assert "no such file or folder" in capsys.readouterr().err
    empty = tmp_path / "x.parquet.parts"
    empty.mkdir()  # no parts: refused as before, not called a run's parts
    assert main(["info", str(empty)]) == EXIT_USAGE
    assert "holds the parts" not in capsys.readouterr().err


MUSE = EMODB.parents[1] / "eeg" / "muse_mental_state" / "subjecta-neutral-1.csv"


@pytest.mark.skipif(not MUSE.is_file(), reason="../shared/data/eeg/muse_mental_state is absent")
def test_an_eeg_recording_given_to_an_audio_set_is_named_as_one(tmp_path, capsys):
    """A Muse export given to the default set (mfcc) was read as a manifest: "a manifest
    needs a 'path' column, found ['timestamps', 'TP9', ...]"."""
    out = tmp_path / "f.parquet"
    assert main(["extract", str(MUSE), "-o", str(out), "-q"]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert f"{MUSE} is an EEG recording" in err and "--set" in err, err
    assert "a manifest needs" not in err
    assert not out.exists()
    assert main(["extract", str(MUSE), "-o", str(out), "--set", "eeg_bands", "-q"]) == EXIT_OK


@pytest.mark.skipif(not MUSE.is_file(), reason="../shared/data/eeg/muse_mental_state is absent")
def test_an_eeg_recording_listed_for_an_audio_set_is_named_as_one(tmp_path):
    """Listed in a manifest (or a list) for an audio set, a Muse export's error said "a
    manifest is read with emofeat.datasets.load_manifest", the hint for a manifest given as
    an input; a manifest given so keeps that hint."""
    from emofeat.extractors.mfcc import MFCC

    from emofeat.runner import run

    manifest = tmp_path / "m.csv"
    manifest.write_text(f"path\n{MUSE}\n")
    res = run([str(MUSE), str(manifest)], [MFCC()], on_error="record")
    recording, listed = res.errors["message"].tolist()
    assert recording.endswith("; it is an EEG recording (a time column): give an EEG set "
                              "(eeg_bands, eeg_de, ...)"), recording
    assert "a manifest is read with emofeat.datasets.load_manifest" in listed


@pytest.mark.skipif(not (EMODB / "03a01Fa.flac").is_file(),
                    reason="../shared/data/speech/emodb is absent")
@pytest.mark.parametrize(("args", "said"), [
    (["--segment", "1e-9"], "segment 1e-09 s is shorter than one sample at 16000 Hz"),
    (["--segment", "1s", "--hop", "1e-9"], "hop 1e-09 s is shorter than one sample"),
    (["--segment", "10ms"], "segment 0.01 s is shorter than the sets can analyse (0.025 s"),
])
def test_windows_no_input_can_give_are_a_usage_error(tmp_path, capsys, args, said):
    """A hop under one sample was taken as one (a 2 s file gave 16,001 windows); a window
    shorter than a set takes failed every input, one TooShortError each (exit 3)."""
    out = tmp_path / "w.parquet"
    assert main(["extract", str(EMODB / "03a01Fa.flac"), "-o", str(out), "-q",
                 *args]) == EXIT_USAGE
    assert said in capsys.readouterr().err
    assert not out.exists()


def test_the_recording_sniff_takes_the_time_columns_the_eeg_reader_takes(tmp_path):
    """The command's and the audio reader's test of an EEG CSV takes the columns the EEG
    reader takes, exactly: a header with 'lsl_timestamp' alone was called a recording, which
    the EEG reader then refused ("an EEG CSV needs a time column")."""
    from emofeat._manifest_sniff import TIME_COLUMNS, is_eeg_recording
    from emofeat.eeg_input import TIME_COLUMNS as READ

    assert TIME_COLUMNS == READ
    for header, recording in (("timestamps,TP9,AF7", True), ("Time, Fp1", True),
                              ("lsl_timestamp,TP9", False), ("path,emotion", False),
                              ("path,timestamps", False)):
        f = tmp_path / "x.csv"
        f.write_text(f"{header}\n1,2,3\n")
        assert is_eeg_recording(f) is recording, header


@pytest.mark.skipif(not MUSE.is_file(), reason="../shared/data/eeg/muse_mental_state is absent")
def test_a_folder_of_eeg_recordings_given_to_an_audio_set_says_so(tmp_path, capsys):
    shutil.copy2(MUSE, tmp_path / MUSE.name)
    out = tmp_path / "f.parquet"
    assert main(["extract", str(tmp_path), "-o", str(out), "-q"]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert "no audio files" in err and f"{MUSE.name} is an EEG recording: give an EEG set" in err


@pytest.mark.skipif(not (EMODB / "03a01Fa.flac").is_file(),
                    reason="../shared/data/speech/emodb is absent")
def test_a_segment_listed_twice_with_other_labels_is_named_by_its_bounds(tmp_path, capsys):
    """The refusal named the file and the rows, not which of the file's segments is listed
    twice (a manifest of a file's utterances lists it on every row)."""
    from emofeat.extractors.mfcc import MFCC

    from emofeat.runner import run

    wav = str(EMODB / "03a01Fa.flac")
    frame = pd.DataFrame({"path": [wav] * 3, "start": [0.0, 1.0, 0.0], "end": [1.0, 2.5, 1.0],
                          "label": ["a", "b", "c"]})
    with pytest.raises(ValueError, match=re.escape(f"lists {wav!r} (segment 0-1 s) 2 times")):
        run(frame, [MFCC()])
    manifest = tmp_path / "m.csv"
    frame.to_csv(manifest, index=False)
    assert main(["extract", str(manifest), "-o", str(tmp_path / "o.parquet")]) == EXIT_USAGE
    assert f"lists {wav!r} (segment 0-1 s) 2 times" in capsys.readouterr().err
    # bounds as written (text the command checks as seconds later; a missing one; long
    # recordings' seconds), and a row of the whole file: named, not a formatting error
    for start, end, said in (("0:00", "0:01", "(segment '0:00'-'0:01' s)"),
                             (0.0, None, "(segment 0-no end s)"),
                             (1234.5678, 1240.25, "(segment 1234.5678-1240.25 s)"),
                             (None, None, "(the whole file)")):
        pd.DataFrame({"path": [wav, wav], "start": [start] * 2, "end": [end] * 2,
                      "label": ["a", "b"]}).to_csv(manifest, index=False)
        assert main(["extract", str(manifest), "-o", str(tmp_path / "o.parquet")]) == EXIT_USAGE
        assert said + " 2 times" in capsys.readouterr().err, said

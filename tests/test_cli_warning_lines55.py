"""How the command shows a warning's line breaks (helper C, session 55, leftover 3 of 54).

The command showed every warning as one line, its lines joined with spaces, then escaped
(43d3de9): a file name holding a line break ('c<LF>d.wav', a truncated EmoDB recording) was
shown as 'c d.wav', a name it does not have (the listing of failed inputs shows 'c\\nd.wav'),
and another library's message of several lines ran together (scikit-learn's
ConvergenceWarning: '... REACHED LIMIT Increase the number of iterations ...'). Now a line
break in emofeat's own warnings (one line each by construction: a line break is a name's) is
escaped as the listing escapes it, and another library's message keeps its lines, each
further line indented under the first. Exact text comparisons (no tolerance).
"""

from __future__ import annotations

from test_cli_escape_lines54 import cut_wav

from emofeat.cli import main

PREFIX = "emofeat evaluate: warning: ConvergenceWarning: lbfgs failed to converge"


def test_another_librarys_lines_are_kept_and_indented(tmp_path, emodb_dir, capsys):
    """logreg with max_iter=3 on the mfcc features of 3 EmoDB speakers: scikit-learn's
    ConvergenceWarning of several lines, shown by `emofeat evaluate`."""
    rows = (emodb_dir / "labels.csv").read_text().splitlines()
    kept = [r for r in rows[1:] if r.split(",")[1] in ("03", "08", "09")][::3]
    manifest = tmp_path / "m.csv"
    manifest.write_text("\n".join([rows[0], *(f"{emodb_dir}/{r}" for r in kept)]) + "\n")
    feats = tmp_path / "f.parquet"
    assert main(["extract", "-q", "--set", "mfcc", str(manifest), "-o", str(feats)]) == 0
    capsys.readouterr()
    main(["evaluate", str(feats), "--target", "emotion", "--groups", "speaker", "--model",
          "logreg", "--param", "max_iter=3", "-q"])
    lines = capsys.readouterr().err.splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith(PREFIX))
    assert lines[first].endswith("(status=1):"), lines[first]
    # the message's next lines, each on its own line, indented under the first
    assert lines[first + 1] == "  STOP: TOTAL NO. OF ITERATIONS REACHED LIMIT", lines[first:]
    assert lines[first + 2].startswith("  Increase the number of iterations"), lines[first:]
    assert "      https://scikit-learn.org/stable/modules/preprocessing.html" in lines
    assert not any("\\n" in line for line in lines)


def test_a_line_break_in_a_name_is_escaped_in_a_warning(tmp_path, emodb_dir, capsys):
    folder = cut_wav(tmp_path, emodb_dir, "c\nd.wav")  # half of what its header promises
    assert main(["extract", "-q", "--set", "mfcc", str(folder), "-o",
                 str(tmp_path / "f.parquet")]) == 0
    err = capsys.readouterr().err
    warned = [line for line in err.splitlines() if ": warning: " in line]
    # as the listing of failed inputs shows the name (ls -b): one line
    assert len(warned) == 1, err
    assert f"{folder}/c\\nd.wav: the file is truncated" in warned[0], err


def test_mnes_lines_are_kept_where_emofeat_called_mne():
    """Review RC of 4b7b70b (helper C3): MNE's warn() reports the first frame outside MNE, so a
    warning of MNE's where emofeat called it is said to come from emofeat's file; its lines were
    escaped into one ('...\\n...'). A multi-line RuntimeWarning raised by mne.utils.warn, shown
    as the command shows it with emofeat's file as MNE would report it."""
    import io
    import warnings

    import mne

    import emofeat.readers
    from emofeat.cli import _WarningLine

    with warnings.catch_warnings(record=True) as got:
        warnings.simplefilter("always")
        mne.utils.warn("Channels contain different highpass filters.\n"
                       "Highest filter setting will be stored.")
    assert got[0].filename == __file__  # MNE names its caller's file, not its own
    out = io.StringIO()
    _WarningLine("extract")(got[0].message, got[0].category, emofeat.readers.__file__, 1,
                            file=out)
    assert out.getvalue().splitlines() == [
        "emofeat extract: warning: RuntimeWarning: Channels contain different highpass "
        "filters.", "  Highest filter setting will be stored."], out.getvalue()
    # emofeat's own plain UserWarning from its file: one line, its line break a name's
    out = io.StringIO()
    _WarningLine("extract")(UserWarning("c\nd.wav: truncated"), UserWarning,
                            emofeat.readers.__file__, 1, file=out)
    assert out.getvalue() == "emofeat extract: warning: c\\nd.wav: truncated\n"

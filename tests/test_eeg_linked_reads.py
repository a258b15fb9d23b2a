"""A BrainVision header given as a symbolic link whose marker file (.vmrk) is nowhere is read
once: before 1c1d60a the retry through the link's target, meant for a .vmrk beside the
target only (2b18f78), read the whole recording again where no .vmrk was there either, and a
second time where the first read had already gone through the target (whose failed try
beside the link also had MNE's 'MarkerFile ... not found' told twice). Real BrainVision
test recording."""

from __future__ import annotations

import os
import shutil
import warnings

import numpy as np
import pytest
from conftest import shared_path

pytestmark = pytest.mark.skipif(os.name != "posix", reason="symbolic links")
mne = pytest.importorskip("mne")


def _store(tmp_path, with_markers: bool):
    """The test recording's header and .eeg (and .vmrk) in ``tmp_path/far``."""
    src = shared_path("eeg", "mne_testdata", "test.vhdr")
    far = tmp_path / "far"
    far.mkdir()
    for ext in (".vhdr", ".eeg", *((".vmrk",) if with_markers else ())):
        shutil.copy(src.with_suffix(ext), far / f"test{ext}")
    return src, far


def _read_counting(monkeypatch, path, reads=None):
    """``read_mne_file(path)``: the recording, MNE's reads (the file each opened, and
    whether it was read whole; appended to ``reads`` where given), the EEGReadWarnings
    told."""
    from emofeat import eeg_input
    from emofeat.eeg_input import EEGReadWarning
    from emofeat.readers import read_mne_file

    reads, real = [] if reads is None else reads, eeg_input._mne_read

    def counted(source, epochs):
        try:
            got = real(source, epochs)
        except Exception:
            reads.append((os.path.basename(source), False))
            raise
        reads.append((os.path.basename(source), True))
        return got

    monkeypatch.setattr(eeg_input, "_mne_read", counted)
    with warnings.catch_warnings(record=True) as rec:
        warnings.simplefilter("always")
        got = read_mne_file(path)
    return got, reads, [str(w.message) for w in rec if issubclass(w.category, EEGReadWarning)]


@pytest.fixture(scope="module")
def mne_reads_without_markers(tmp_path_factory):
    """Whether this MNE reads a BrainVision header whose marker file is missing, warning
    "MarkerFile ... not found; no annotations" (1.13.2 does), or raises FileNotFoundError for
    it (1.6.1 does, which setup.cfg allows): asked of MNE itself, so that each test expects
    what the installed MNE does."""
    _, far = _store(tmp_path_factory.mktemp("probe"), with_markers=False)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            mne.io.read_raw_brainvision(far / "test.vhdr", preload=False, verbose="error")
    except FileNotFoundError as exc:
        assert str(exc).endswith("test.vmrk'"), exc
        return False
    return True


#: what MNE (1.13) warns of a header whose marker file is missing
NOT_FOUND = "MarkerFile 'test.vmrk' not found; no annotations"


def _read_without_markers(monkeypatch, path, far, mne_reads: bool):
    """``_read_counting(path)`` and MNE's own read of the target, for a header whose
    marker file is missing; None where this MNE refuses such a header (checked here by
    :func:`_refused_twice`)."""
    if not mne_reads:
        _refused_twice(monkeypatch, path, far)
        return None
    want = mne.io.read_raw_brainvision(far / "test.vhdr", preload=True, verbose="error")
    return (*_read_counting(monkeypatch, path), want)


def _refused_twice(monkeypatch, link, far):
    """An MNE that raises for a missing marker file: the link refused with the error naming
    both folders looked in and the marker file, each place tried once (neither read whole)."""
    from emofeat.errors import EEGReadError

    reads = []
    with pytest.raises(EEGReadError) as info:
        _read_counting(monkeypatch, link, reads)
    assert reads == [(link.name, False), ("test.vhdr", False)], reads
    message = str(info.value)
    assert f"{link} is a symbolic link to {far / 'test.vhdr'}" in message
    assert f"beside the link, in {link.parent} (" in message
    assert f"beside its target, in {far} (" in message
    assert f"'{far / 'test.vmrk'}'" in message


def test_a_linked_header_without_a_marker_file_anywhere_is_read_once(
        tmp_path, monkeypatch, mne_reads_without_markers):
    src, far = _store(tmp_path, with_markers=False)
    # the .eeg beside the link: read there, not again through the target (read twice before)
    beside = tmp_path / "beside"
    beside.mkdir()
    shutil.copy(src.with_suffix(".eeg"), beside / "test.eeg")
    link = beside / "rec.vhdr"
    link.symlink_to(far / "test.vhdr")
    read = _read_without_markers(monkeypatch, link, far, mne_reads_without_markers)
    if read is None:
        return
    got, reads, told, want = read
    assert reads == [("rec.vhdr", True)], reads
    assert len(told) == 1 and told[0] == f"{link}: {NOT_FOUND}.", told
    assert len(got.annotations) == 0
    np.testing.assert_array_equal(got.get_data(), want.get_data())


def test_a_lone_linked_header_without_a_marker_file_is_read_once_and_told_once(
        tmp_path, monkeypatch, mne_reads_without_markers):
    # nothing beside the link: the target read once after the failed try, told once (the
    # target read twice, and the warning told twice, before)
    _, far = _store(tmp_path, with_markers=False)
    alone = tmp_path / "rec.vhdr"
    alone.symlink_to(far / "test.vhdr")
    read = _read_without_markers(monkeypatch, alone, far, mne_reads_without_markers)
    if read is None:
        return
    got, reads, told, want = read
    assert reads == [("rec.vhdr", False), ("test.vhdr", True)], reads
    assert told == [f"{alone}: {NOT_FOUND}."], told
    np.testing.assert_array_equal(got.get_data(), want.get_data())


def test_a_marker_file_beside_the_target_only_is_still_read_there(
        tmp_path, monkeypatch, mne_reads_without_markers):
    # the case the retry is for (2b18f78): the .eeg beside the link, the .vmrk beside the
    # target only; read through the target with the file's 13 annotations, as MNE reads it
    # (an MNE that raises for the missing marker file fails the read beside the link)
    src, far = _store(tmp_path, with_markers=True)
    want = mne.io.read_raw_brainvision(src, preload=True, verbose="error")
    shutil.copy(src.with_suffix(".eeg"), tmp_path / "test.eeg")
    link = tmp_path / "rec.vhdr"
    link.symlink_to(far / "test.vhdr")
    got, reads, told = _read_counting(monkeypatch, link)
    assert reads == [("rec.vhdr", mne_reads_without_markers), ("test.vhdr", True)], reads
    assert told == []
    assert list(got.annotations.description) == list(want.annotations.description)
    assert len(want.annotations) >= 13  # 14 in MNE 1.6.1, with its 'New Segment'


def test_the_marker_entry_is_what_the_header_names(tmp_path):
    from emofeat.eeg_input import _marker_file_beside

    src, far = _store(tmp_path, with_markers=True)
    header = far / "test.vhdr"
    assert _marker_file_beside(str(header))
    # a marker file of another name, named by the entry (CRLF lines, the key in another case, blanks around '=')
    (far / "test.vmrk").rename(far / "markers.vmrk")
    text = header.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    text = text.replace(b"MarkerFile=test.vmrk", b"markerfile = markers.vmrk ")
    assert b"markerfile = markers.vmrk \r\n" in text
    header.write_bytes(text)
    assert _marker_file_beside(str(header))
    # configparser (MNE's) takes ':' for '=' too: MNE finds the marker file so named
    header.write_bytes(text.replace(b"markerfile = ", b"MarkerFile: "))
    assert len(mne.io.read_raw_brainvision(header, verbose="error").annotations) == len(
        mne.io.read_raw_brainvision(src, verbose="error").annotations) >= 13
    assert _marker_file_beside(str(header))
    (far / "markers.vmrk").unlink()
    assert not _marker_file_beside(str(header))
    # a header that cannot be read: said so by MNE's read, so the retry is tried
    assert _marker_file_beside(str(far / "gone.vhdr"))

"""Mind Monitor (the Muse app) CSV exports are EEG recordings of their ``RAW_`` columns.

The exports are built here from the real Muse recordings of the mental-state corpus: their
samples as ``RAW_TP9`` ... ``RAW_TP10`` (the same text cells), their millisecond timestamps as
Mind Monitor's date-time text, beside the columns Mind Monitor writes that are not EEG (band
powers, ``AUX_RIGHT``, accelerometer, gyro, ``HeadBandOn``, ``HSI_*``, ``Battery``) and its
marker rows (``Elements``, every sensor cell empty; a sensor row has no ``Elements`` field, one
field fewer than the header, as the app writes it). An export must give the recording of the
original Muse CSV: the same samples, channels and gaps, the same rate (the stamps are the same
milliseconds, so the estimates differ only by the float rounding of the original's seconds
since 1970, 2.4e-7 s a stamp: under 1e-6 relative over the shortest file's 3.5 s; the
features at the headband's 256 Hz are the same bit for bit). Such files were once refused
("non-numeric ... time column")."""

from __future__ import annotations

import shutil

import numpy as np
import pandas as pd
import pytest
from conftest import shared_path
from emofeat.extractors import EEGBandPower, EEGHjorth

from emofeat import read_table
from emofeat.cli import main
from emofeat.eeg_input import read_recording
from emofeat.errors import EmptyInputError, InputError
from emofeat.readers import EEGReader, read_eeg_file

MUSE = ("eeg", "muse_mental_state")
ELECTRODES = ("TP9", "AF7", "AF8", "TP10")
BANDS = ("Delta", "Theta", "Alpha", "Beta", "Gamma")
HEADER = [
    "TimeStamp",
    *(f"{b}_{e}" for b in BANDS for e in ELECTRODES),
    *(f"RAW_{e}" for e in ELECTRODES),
    "AUX_RIGHT",
    "Accelerometer_X", "Accelerometer_Y", "Accelerometer_Z",
    "Gyro_X", "Gyro_Y", "Gyro_Z",
    "HeadBandOn",
    *(f"HSI_{e}" for e in ELECTRODES),
    "Battery",
    "Elements",
]


def _muse(name: str) -> tuple[pd.DataFrame, np.ndarray]:
    """The Muse file's cells as text, and its timestamps in whole milliseconds (the corpus
    writes them with 3 decimals)."""
    df = pd.read_csv(shared_path(*MUSE, name), dtype=str)
    ms = np.array([int(round(float(s) * 1000)) for s in df["timestamps"]], dtype=np.int64)
    assert np.array_equal(ms, [int(s.replace(".", "")) for s in df["timestamps"]])
    return df, ms


def _stamp(ms: np.ndarray) -> list[str]:
    return [s[:-3] for s in pd.to_datetime(ms, unit="ms").strftime("%Y-%m-%d %H:%M:%S.%f")]


def _write_export(path, df: pd.DataFrame, ms: np.ndarray, *, markers: int = 6,
                  seed: int = 0) -> None:
    """A Mind Monitor export of the Muse recording ``df`` stamped ``ms``: one sensor row per
    sample, and ``markers`` marker rows (a connection event first) between samples."""
    rng = np.random.default_rng(seed)
    stamps = _stamp(ms)
    n = len(df)
    lines = [",".join(HEADER)]
    at = set(rng.choice(np.arange(1, n), size=max(markers - 1, 0), replace=False).tolist())
    names = ["/muse/elements/blink", "/Marker/1", "/muse/elements/jaw_clench"]
    empty = "," * (len(HEADER) - 2)
    lines.append(f"{stamps[0]}{empty},/muse/event/connected Muse-ABCD")
    bands = rng.normal(0.5, 0.3, size=(n, 20))
    motion = rng.normal(0.0, 1.0, size=(n, 6))
    for i in range(n):
        if i in at:  # a marker at the stamp of the sample before it
            lines.append(f"{stamps[i - 1]}{empty},{names[i % len(names)]}")
        cells = [stamps[i], *(f"{v:.8g}" for v in bands[i]),
                 *(df[e].iloc[i] for e in ELECTRODES), df["Right AUX"].iloc[i],
                 *(f"{v:.6g}" for v in motion[i]), "1", "1.0", "1.0", "2.0", "1.0", "85.19"]
        lines.append(",".join(cells))  # no Elements field: the app's sensor rows
    path.write_text("\n".join(lines) + "\n")


@pytest.mark.parametrize("name", ["subjecta-neutral-1.csv", "subjectb-relaxed-2.csv",
                                  "subjectd-concentrating-2.csv"])
def test_an_export_is_the_recording_of_its_raw_columns(tmp_path, name):
    """The RAW_ columns as TP9, AF7, AF8, TP10 (the names of the Muse's other exports), the
    marker rows skipped, the rest left out; gaps, samples and rate as the original's (the
    one with gaps and dropped samples, 254.2 Hz, and the shortest, 3.5 s, too)."""
    df, ms = _muse(name)
    path = tmp_path / "mindMonitor_2018-07-31--18-15-31.csv"
    _write_export(path, df, ms)
    rec = read_recording(path)
    want = read_recording(shared_path(*MUSE, name), picks=list(ELECTRODES))
    assert rec.ch_names == ELECTRODES
    np.testing.assert_array_equal(rec.data, want.data)
    assert rec.breaks == want.breaks
    assert rec.sfreq == pytest.approx(float(want.sfreq), rel=1e-6)
    assert rec.sfreq.n_intervals == want.sfreq.n_intervals
    assert rec.source == str(path)
    # the extractors' reader reads it as read_recording does
    data, sfreq, names = read_eeg_file(path)
    np.testing.assert_array_equal(data, want.data)
    assert names == ELECTRODES


@pytest.mark.parametrize("name", ["subjecta-neutral-1.csv", "subjectc-relaxed-2.csv"])
def test_an_export_gives_the_features_of_the_muse_file(tmp_path, name):
    """Given by path to EEG sets at the headband's 256 Hz: the features of the Muse file,
    bit for bit (the same samples analysed at the same nominal rate), one row per gap-free
    stretch in 4 s windows as well."""
    df, ms = _muse(name)
    path = tmp_path / "export.csv"
    _write_export(path, df, ms, markers=12, seed=1)
    src = str(shared_path(*MUSE, name))
    for ext in (EEGBandPower(sfreq=256.0), EEGHjorth(sfreq=256.0)):
        np.testing.assert_array_equal(ext.fit_transform([str(path)]), ext.fit_transform([src]))
    sigs, want = EEGReader(sfreq=256.0).read(str(path)), EEGReader(sfreq=256.0).read(src)
    assert len(sigs) == len(want)
    for a, b in zip(sigs, want, strict=True):
        assert a.sfreq == b.sfreq == 256.0 and a.ch_names == b.ch_names
        np.testing.assert_array_equal(a.data, b.data)


def _packets(ms: np.ndarray, seed: int) -> np.ndarray:
    """Stamps of 12-sample Bluetooth packets at their arrival, as Mind Monitor writes them
    at 256 Hz: the stamp of a packet's last sample plus a latency of 10-60 ms, never
    earlier than the packet before, the samples of a packet 0-2 ms apart."""
    rng = np.random.default_rng(seed)
    n = len(ms)
    k = np.arange(n) // 12
    last = np.minimum((k + 1) * 12 - 1, n - 1)
    arrival = ms[last] + rng.integers(10, 61, size=k[-1] + 1)[k]
    return np.maximum.accumulate(np.maximum.accumulate(arrival) + (np.arange(n) % 12) // 5)


def test_an_export_stamped_per_packet(tmp_path):
    """Mind Monitor stamps each packet's samples with its arrival time (repeated stamps, a
    step of 20-100 ms between packets): neither a repeat nor a step back, nor a gap at every
    packet. The rate is the least-squares slope of samples over time: within 1e-4 of the
    original's for this 60 s recording (the first and last stamps, 10-60 ms late, would move
    a span estimate by up to 8e-4); a 5 s hole is a gap."""
    df, ms = _muse("subjecta-neutral-1.csv")
    stamps = _packets(ms, seed=2)
    assert (np.diff(stamps) == 0).mean() > 0.5 and np.diff(stamps).max() <= 110
    path = tmp_path / "packets.csv"
    _write_export(path, df, stamps, markers=4)
    rec = read_recording(path)
    want = read_recording(shared_path(*MUSE, "subjecta-neutral-1.csv"))
    np.testing.assert_array_equal(rec.data, want.data[:4])
    assert rec.breaks == () and rec.sfreq.n_intervals == len(ms) - 1
    assert abs(rec.sfreq / want.sfreq - 1) < 1e-4
    src = str(shared_path(*MUSE, "subjecta-neutral-1.csv"))
    ext = EEGBandPower(sfreq=256.0)
    np.testing.assert_array_equal(ext.fit_transform([str(path)]), ext.fit_transform([src]))
    # 5 s of packets lost (1280 samples): a gap, and the rate of the stretches around it
    keep = np.r_[0:4992, 4992 + 1280:len(ms)]
    holed = tmp_path / "hole.csv"
    _write_export(holed, df.iloc[keep].reset_index(drop=True), stamps[keep], markers=2)
    rec = read_recording(holed)
    assert rec.breaks == (4992,) and rec.n_times == len(keep)
    assert abs(rec.sfreq / want.sfreq - 1) < 1e-4
    assert len(EEGReader(sfreq=256.0).read(str(holed))) == 2


def test_packet_stamping_at_its_limits(tmp_path):
    """No real Mind Monitor export is in ../shared/data (the Muse corpus files are stamped
    one a sample, none repeated): per-packet stamping is modelled on Mind Monitor's
    description, and its limits are tested here on exports built in that format. Packets
    of two samples (1 ms apart, one every 8 ms) look like samples stamped one by one and are
    read so, at their rate; packets each stamped once and more than 0.25 s apart leave no
    stretch to measure a rate over: refused naming the file (until 2026-12-05 a bare
    ZeroDivisionError: read as stamped per sample, every step was a gap)."""
    df, ms = _muse("subjecta-neutral-1.csv")
    i = np.arange(len(ms))
    pairs = tmp_path / "pairs.csv"
    _write_export(pairs, df, ms[0] + (i // 2) * 8 + i % 2, markers=2)
    rec = read_recording(pairs)
    assert rec.breaks == () and rec.sfreq == pytest.approx(250.0, rel=1e-6)
    np.testing.assert_array_equal(rec.data, read_recording(shared_path(*MUSE, "subjecta-"
                                                                       "neutral-1.csv")).data[:4])
    sparse = tmp_path / "sparse.csv"
    _write_export(sparse, df, ms[0] + (i // 12) * 300, markers=2)
    with pytest.raises(InputError, match=r"sparse\.csv: the timestamps increase only across "
                       r"gaps \(steps over 0\.25 s\)"):
        read_recording(sparse)


@pytest.mark.parametrize("every", [128, 256, 512])
def test_an_export_at_a_recording_interval_is_refused(tmp_path, every):
    """Recorded at an interval (0.5, 1, 2 s: one row per interval), the RAW_ columns hold a
    sample of each interval, not the EEG: refused naming the file and the setting."""
    df, ms = _muse("subjecta-relaxed-1.csv")
    path = tmp_path / f"interval_{every}.csv"
    _write_export(path, df.iloc[::every].reset_index(drop=True), ms[::every], markers=2)
    with pytest.raises(InputError, match=rf"interval_{every}\.csv: a Mind Monitor export at "
                       r"[\d.]+ Hz .*recording interval"):
        read_recording(path)


def test_aux_is_read_when_picked(tmp_path):
    """``AUX_RIGHT`` is left out unless picked, as ``Right AUX`` of the Muse files; picks
    name the file's columns or the electrodes (``TP9`` for ``RAW_TP9``)."""
    df, ms = _muse("subjectc-neutral-2.csv")
    path = tmp_path / "export.csv"
    _write_export(path, df, ms)
    want = read_recording(shared_path(*MUSE, "subjectc-neutral-2.csv"),
                          picks=["AF7", "Right AUX"])
    for picks in (["AF7", "AUX_RIGHT"], ["RAW_AF7", "AUX_RIGHT"]):
        rec = read_recording(path, picks=picks)
        assert rec.ch_names == ("AF7", "AUX_RIGHT")
        np.testing.assert_array_equal(rec.data, want.data)


def test_bad_exports_are_refused_naming_the_file(tmp_path):
    df, ms = _muse("subjectd-concentrating-2.csv")
    good = tmp_path / "good.csv"
    _write_export(good, df, ms, markers=3)
    lines = good.read_text().splitlines()
    header = lines[0].split(",")
    raw = [header.index(f"RAW_{e}") for e in ELECTRODES]

    # band powers without the raw EEG: not samples
    no_raw = tmp_path / "no_raw.csv"
    keep = [i for i in range(len(header)) if i not in raw]
    no_raw.write_text("\n".join(",".join(c for i, c in enumerate(line.split(","))
                                         if i not in raw) for line in lines) + "\n")
    assert "RAW_TP9" not in no_raw.read_text() and len(keep) == len(header) - 4
    with pytest.raises(EmptyInputError, match=r"no_raw\.csv: .*no RAW_ column"):
        read_recording(no_raw)

    # a stamp that is not a date-time, on the file's line 6
    bad = lines.copy()
    k = next(i for i in range(5, len(bad)) if bad[i].split(",")[raw[0]])
    bad[k] = "yesterday" + bad[k][bad[k].index(","):]
    stamp = tmp_path / "stamp.csv"
    stamp.write_text("\n".join(bad) + "\n")
    # one such row in the singular ('1 such row(s)' before)
    with pytest.raises(InputError, match=rf"stamp\.csv: .*'yesterday' in line {k + 1} is not "
                       r"a date-time .*; 1 such row with EEG samples\)"):
        read_recording(stamp)

    # markers only
    markers = tmp_path / "markers.csv"
    empty = "," * (len(header) - 2)
    markers.write_text("\n".join([lines[0], *(f"{s}{empty},/Marker/1"
                                              for s in _stamp(ms[:5]))]) + "\n")
    with pytest.raises(EmptyInputError, match=r"markers\.csv: no row holds an EEG sample"):
        read_recording(markers)

    # a stamp earlier than the one before it, named by its line
    back = lines.copy()
    rows = [i for i in range(2, len(back)) if back[i].split(",")[raw[0]]]
    i, j = rows[40], rows[41]
    back[j] = back[i - 30].split(",")[0] + back[j][back[j].index(","):]
    backwards = tmp_path / "backwards.csv"
    backwards.write_text("\n".join(back) + "\n")
    with pytest.raises(InputError, match=rf"backwards\.csv: .*goes backwards at line {j + 1}"):
        read_recording(backwards)


def _set_back_at(ms: np.ndarray, k: int, reading: float) -> np.ndarray:
    """``ms`` moved so that the clock, running on, reads ``reading`` (hours after midnight)
    4 ms after stamp ``k``, then set back an hour there: stamp ``k`` reads an hour earlier."""
    day = 86_400_000
    ms = ms + (ms[k] // day * day + int(reading * 3_600_000) + 4 - ms[k])
    return np.r_[ms[:k], ms[k:] - 3_600_000]


@pytest.mark.parametrize(("packets", "reading"), [(False, 3), (True, 3), (False, 2),
                                                  (False, 24)])
def test_a_clock_set_back_one_hour_is_daylight_saving(tmp_path, packets, reading):
    """Regression: stamps without a UTC offset step back an hour where daylight-saving time
    ends (03:00 local is 02:00 again in Europe, 02:00 is 01:00 in North America, 24:00 is
    23:00 in Chile), and the export was refused as "goes backwards". Such a step (the next
    stamp within 0.25 s of the hour) is now read as the clock change, with a warning naming
    the file and the line: the recording of the export stamped straight through (samples,
    gaps, rate)."""
    import warnings

    from emofeat.eeg_input import EEGReadWarning

    df, ms = _muse("subjecta-neutral-1.csv")
    ms = _packets(ms, seed=3) if packets else ms
    straight = tmp_path / "straight.csv"
    _write_export(straight, df, ms, markers=0)
    want = read_recording(straight)
    k = 5000  # the first sample stamped after the change
    dst = tmp_path / "dst.csv"
    _write_export(dst, df, _set_back_at(ms, k, reading), markers=0)
    with warnings.catch_warnings(record=True) as rec:
        warnings.simplefilter("always")
        got = read_recording(dst)
    said = [str(w.message) for w in rec if issubclass(w.category, EEGReadWarning)]
    # the header is line 1, the connection event line 2, the samples from line 3
    assert said == [f"{dst}: time column 'TimeStamp' steps back one hour at line {k + 3}: "
                    "read as the end of daylight-saving time (no stamp carries a UTC "
                    "offset), the recording continuing there"]
    np.testing.assert_array_equal(got.data, want.data)
    assert got.breaks == want.breaks
    assert got.sfreq == pytest.approx(float(want.sfreq), rel=1e-9)


def test_a_step_back_of_an_hour_that_is_no_clock_change_is_refused(tmp_path):
    """Regression: every step back of one hour was read as the end of daylight-saving time:
    in the afternoon (17:30, when no clock is set back), twice in one file, and between
    stamps carrying a UTC offset (compared in UTC, where the clock change is no step back).
    Each is refused as "goes backwards", saying why it is not a daylight-saving change; a
    step of 59 or 61 minutes, or an hour but a second after, as before."""
    import re

    df, ms = _muse("subjecta-neutral-1.csv")
    k = 5000
    line = k + 3  # the header is line 1, the connection event line 2
    cases = {
        "afternoon": (np.r_[ms[:k], ms[k:] - 3_600_000], None,
                      r"set back at 17:30:19\.325, where clocks go back from 00:00 to 04:00 at "
                      r"the latest"),
        # at the window's end: the seconds written, not '04:00' (the end, which is allowed)
        "just_after_4": (_set_back_at(ms, k, 4 + 96 / 3_600_000), None,
                         r"set back at 04:00:00\.1, where clocks go back from 00:00 to 04:00 "
                         r"at the latest"),
        "twice": (np.r_[_set_back_at(ms, k, 3)[:2 * k], _set_back_at(ms, k, 3)[2 * k:]
                        - 3_600_000], None,
                  rf"it steps back an hour again at line {2 * k + 3} \(clocks go back once"),
        "offset": (_set_back_at(ms, k, 3), "+02:00",
                   r"its stamps carry UTC offsets, in which the clock change is no step back"),
        "offset_z": (_set_back_at(ms, k, 3), "Z", r"its stamps carry UTC offsets"),
    }
    for name, (stamps, offset, why) in cases.items():
        path = tmp_path / f"{name}.csv"
        _write_export(path, df, stamps, markers=0)
        if offset is not None:  # every stamp with the same offset, as a logger writes it
            text = path.read_text()
            path.write_text(re.sub(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+)",
                                   rf"\g<1>{offset}", text, flags=re.M))
        # and the way out, at the line named
        with pytest.raises(InputError, match=rf"{name}\.csv: time column 'TimeStamp' goes "
                           rf"backwards at line {line}: not a daylight-saving change \({why}"
                           r".*\); correct the stamps, or cut the file at that line and "
                           r"read each part as a recording of its own$"):
            read_recording(path)
    # 59 minutes, 61 minutes, an hour but a second after: not the clock change
    for back in (3_540_000, 3_660_000, 3_599_000):
        odd = tmp_path / f"back_{back}.csv"
        stamps = _set_back_at(ms, k, 3)
        _write_export(odd, df, np.r_[stamps[:k], stamps[k:] + 3_600_000 - back], markers=0)
        with pytest.raises(InputError, match=rf"back_{back}\.csv: .*goes backwards at line "
                           rf"{line}$"):
            read_recording(odd)


class _NotToBeScanned:
    """Stands in for the UTC-offset pattern: any use of it fails the read (pandas refuses it
    as no pattern, a TypeError)."""


def test_utc_offsets_are_looked_for_only_at_a_step_back_of_an_hour(tmp_path, monkeypatch):
    """Regression: every Mind Monitor read scanned all its stamps' text for a UTC offset
    (0.9 s on an hour of stamps, 921k, which take 0.16 s to parse), needed only where the
    clock steps back an hour. A read without such a step no longer looks; one with it does
    (the pattern replaced by one that fails on use)."""
    from emofeat import eeg_input

    df, ms = _muse("subjecta-neutral-1.csv")
    plain = tmp_path / "plain.csv"
    _write_export(plain, df, ms, markers=3)
    want = read_recording(plain)
    monkeypatch.setattr(eeg_input, "_UTC_OFFSET", _NotToBeScanned())
    got = read_recording(plain)
    np.testing.assert_array_equal(got.data, want.data)
    dst = tmp_path / "dst.csv"
    _write_export(dst, df, _set_back_at(ms, 5000, 3), markers=0)
    with pytest.raises(TypeError):
        read_recording(dst)


def test_a_long_export_reads_without_a_mixed_types_warning(tmp_path):
    """Regression: an export longer than pandas' reading chunks (16,384 rows at this width),
    whose Elements column holds text in the first chunk (the connection event) and nothing in
    a later one, raised pandas' DtypeWarning ('Columns (38: Elements) have mixed types'), to
    users of any export over about a minute; a real hour-long one, 921k rows, did. Built of
    the real Muse recording twice over (30k rows)."""
    import warnings

    df, ms = _muse("subjecta-neutral-1.csv")
    twice = pd.concat([df, df], ignore_index=True)
    stamps = np.r_[ms, ms + (ms[-1] - ms[0]) + 4]
    path = tmp_path / "long.csv"
    _write_export(path, twice, stamps, markers=0)
    with warnings.catch_warnings(record=True) as rec:
        warnings.simplefilter("always")
        got = read_recording(path)
    assert [str(w.message) for w in rec] == []
    assert got.data.shape == (4, len(twice))


def test_an_export_in_a_folder_is_an_eeg_input_of_the_cli(tmp_path, capsys):
    """A Mind Monitor export in a folder is an input of an EEG set, with the features (and
    the columns, TP9 ... TP10) of the Muse file it holds (to the float rounding of their
    rates)."""
    src = shared_path(*MUSE, "subjecta-neutral-2.csv")
    df, ms = _muse(src.name)
    for kind in ("export", "muse"):
        (tmp_path / kind).mkdir()
    _write_export(tmp_path / "export" / "mindMonitor.csv", df, ms)
    shutil.copy(src, tmp_path / "muse" / src.name)
    tables = {}
    for kind in ("export", "muse"):
        out = tmp_path / f"{kind}.parquet"
        code = main(["extract", str(tmp_path / kind), "-o", str(out), "--set", "eeg_bands",
                     "--segment", "4s", "-q"])
        assert code == 0, capsys.readouterr().err
        tables[kind] = read_table(out)
    assert tables["export"].feature_names == tables["muse"].feature_names
    assert any(n.endswith("_TP9") for n in tables["export"].feature_names)
    # without an sfreq both are analysed at their estimates, 5e-10 relative apart here
    np.testing.assert_allclose(tables["export"].X, tables["muse"].X, rtol=1e-8)
    assert len(tables["export"].X) > 10

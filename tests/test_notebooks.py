"""The teaching notebooks (docs/notebooks) run top to bottom in fast mode without a cell error.

Each notebook is executed by a fresh Jupyter kernel of the interpreter running the tests, in a
temporary folder (the committed copies, which carry the full-mode outputs, are never
written), with ``EMOFEAT_NOTEBOOK_MODE=fast``. ``EMOFEAT_DATA`` points the notebooks at
``../shared/data`` when it exists; the notebooks that need data which may not be bundled
(the Muse EEG recordings) are skipped, saying why, without it.
"""

from __future__ import annotations

import json
import sys
import time

import pytest
from conftest import REPO, SHARED_DATA

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

NOTEBOOKS = sorted((REPO / "docs" / "notebooks").glob("[0-9][0-9]_*.ipynb"))
# data each notebook cannot run without in fast mode (nothing suitable may be bundled)
NEEDS = {"04_eeg_band_power_and_leakage.ipynb": ("eeg", "muse_mental_state")}
KERNEL = "emofeat-notebook-test"


@pytest.fixture(scope="module")
def kernel_env(tmp_path_factory):
    """A kernel spec that runs ipykernel with this interpreter (not whatever `python3` a
    system-wide spec would find on PATH), found through JUPYTER_PATH."""
    root = tmp_path_factory.mktemp("jupyter")
    spec = root / "kernels" / KERNEL
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "emofeat tests", "language": "python"}))
    return root


def test_the_six_notebooks_are_there():
    assert len(NOTEBOOKS) == 6, [p.name for p in NOTEBOOKS]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs_in_fast_mode(path, tmp_path, monkeypatch, kernel_env):
    need = NEEDS.get(path.name)
    if need and not SHARED_DATA.joinpath(*need).is_dir():
        pytest.skip(f"{path.name} needs {SHARED_DATA.joinpath(*need)}, which may not be "
                    "bundled (see ../shared/data/README.md)")
    monkeypatch.setenv("JUPYTER_PATH", str(kernel_env))
    monkeypatch.setenv("EMOFEAT_NOTEBOOK_MODE", "fast")
    # one BLAS thread: on a busy 2-core machine threaded BLAS spin-waits, and the small fits
    # of the fast mode (logistic regressions on TF-IDF) take 10x longer with it
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        monkeypatch.setenv(var, "1")
    if SHARED_DATA.is_dir():
        monkeypatch.setenv("EMOFEAT_DATA", str(SHARED_DATA))
    else:
        monkeypatch.delenv("EMOFEAT_DATA", raising=False)
        monkeypatch.delenv("EMOFEAT_SHARED_DATA", raising=False)
    nb = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(nb, timeout=300, kernel_name=KERNEL,
                                     resources={"metadata": {"path": str(tmp_path)}})
    t0 = time.perf_counter()
    client.execute()  # raises CellExecutionError naming the cell on any error
    out = tmp_path / path.name
    nbformat.write(nb, out)
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
              if o.get("output_type") == "error"]
    assert not errors
    # the notebook says which mode and data it ran on
    first = "".join(o.get("text", "") for c in nb.cells[:3] if c.cell_type == "code"
                    for o in c.get("outputs", []))
    assert "mode: fast" in first
    print(f"{path.name}: {time.perf_counter() - t0:.1f} s")

"""An output's record naming a set that cannot be made now is compared as recorded, not a
crash (helper C4, session 55, review RC2 minor of a64fe55).

store._numbers_as_declared makes each recorded set (get_extractor) to read its declared
parameter types; it caught ValueError, TypeError and KeyError only, so a plugin's set whose
module is no longer installed (ImportError) or whose constructor reads a file that is gone
(OSError) raised out of the resume check instead of the refusal naming the parameters.
Exact comparison of the record (no tolerance: left as recorded or not).
"""

from __future__ import annotations

import pytest

from emofeat import registry
from emofeat.store import _numbers_as_declared


def _gone(**params):
    raise OSError("lexicon file 'my_lexicon.tsv' not found")


@pytest.mark.parametrize(("target", "error"), [
    ("emofeat_c4_plugin_not_installed:Set", "ImportError"),
    (f"{__name__}:_gone", "OSError"),
])
def test_a_set_that_cannot_be_made_is_compared_as_recorded(target, error):
    name = f"c4_plugin_{error.lower()}"
    registry.register(registry.SetInfo(name, target, "a plugin's set (test)"))
    try:
        config = {"sets": [{"name": name, "class": "plugin.Set", "params": {"fmin": 0}}],
                  "level": "functionals", "segments": None}
        got = _numbers_as_declared(config)  # before: the ImportError / OSError raised
        assert got["sets"] == config["sets"]  # as recorded: 0 stays 0
    finally:
        registry._REGISTRY.pop(name, None)

"""The seen-ids warning names the command's --new-groups to a user of `emofeat predict`
(review RC item 7, helper C3, session 55).

The warning (classifiers.compatibility.seen_groups_message) said only 'predict(table,
new_groups=True)' and 'new_groups=False', which `emofeat predict` users cannot type; the command
has --new-groups since 6158441. It now names the command's flag on the command line and the API's
argument in Python (emofeat.errors.option). Real data: EmoDB mfcc (the model and table of
test_cli_predict_new_groups55). Exact text checks (no tolerance).
"""

from __future__ import annotations

import warnings

from test_cli_predict_new_groups55 import _predict, model_and_table  # noqa: F401


def test_the_command_names_its_flag_and_the_api_its_argument(capsys, model_and_table):  # noqa: F811
    model, test, folder = model_and_table
    code, err, _ = _predict(capsys, folder)
    said = [line for line in err.splitlines() if "seen in training" in line]
    assert code == 0 and len(said) == 1, err
    assert "Say which: --new-groups standardises them as new speakers" in said[0], said[0]
    assert "--new-groups=IDS" in said[0] and "new_groups=" not in said[0], said[0]
    # and the answer that the ids are the training speakers (review RC3 of 95f5c74/4fa6608)
    assert "--same-groups as the training speakers" in said[0], said[0]
    with warnings.catch_warnings(record=True) as got:
        warnings.simplefilter("always")
        model.predict(test)
    api = [str(w.message) for w in got if "seen in training" in str(w.message)]
    assert len(api) == 1 and "predict(table, new_groups=True)" in api[0], api
    assert "--new-groups" not in api[0], api[0]

"""Leakage on EEG: subject-independent vs trial-wise vs random window splits on the Muse data.

The Muse mental-state recordings (4 subjects x concentrating/neutral/relaxed x 2 sessions,
TP9/AF7/AF8/TP10 at 250 Hz) are cut into 4 s windows every 2 s; each window gets emofeat's
EEG features (band power abs/rel/dB, differential entropy, DASM/RASM/FAA asymmetry, Hjorth:
93 features). Three protocols, same features and models:

- leave-one-subject-out (LOSO): train on 3 subjects, test on the 4th;
- trial-wise within subject: per subject, train on one session's recordings, test on the other
  session's (no window of a test recording is in training);
- random window split (leaky): 5-fold stratified over all windows, so windows of one
  recording, overlapping by half, sit on both sides.

Models: RBF SVM (standardised, C=1, balanced), random forest (300 trees), XGBoost (200 trees,
depth 4). Accuracy and UAR (balanced accuracy) from the pooled out-of-fold predictions.

    python benchmarks/eeg_muse_protocols.py
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from _common import DATA


def features(ep: np.ndarray, sfreq: float, names: tuple[str, ...]) -> np.ndarray:
    from emofeat.extractors import eeg as E

    kw = {"n_fft": int(sfreq), "n_overlap": int(sfreq) // 2}
    bp = E.band_power_features(ep, sfreq, kinds=("absolute", "relative", "db"), total_band=(1.0, 45.0), **kw)
    de = E.differential_entropy(ep, sfreq, method="psd", **kw)
    pairs = E.symmetric_pairs(names)
    alpha = E.band_power_features(ep, sfreq, {"alpha": (8.0, 13.0)}, kinds=("absolute",), **kw)["absolute"][..., 0]
    blocks = [
        np.log(bp["absolute"]), bp["relative"], de,
        E.asymmetry(de, pairs, "dasm"), E.asymmetry(de, pairs, "rasm"),
        E.frontal_alpha_asymmetry(alpha, E.faa_pairs(names))[..., None],
        E.hjorth_parameters(ep),
    ]
    n = len(ep)
    return np.concatenate([b.reshape(n, -1) for b in blocks[:3]] + [b.reshape(n, -1) for b in blocks[3:]], axis=1)


def main() -> None:
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.metrics import accuracy_score, balanced_accuracy_score
    from sklearn.model_selection import LeaveOneGroupOut, StratifiedKFold
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import LabelEncoder, StandardScaler
    from sklearn.svm import SVC
    from xgboost import XGBClassifier

    from emofeat.datasets.eeg_corpora import load_muse_mental_state, read_muse
    from emofeat.eeg_input import window_recordings

    manifest = load_muse_mental_state(DATA / "eeg" / "muse_mental_state")
    recs = []
    for row in manifest.itertuples():
        r = read_muse(row.path)
        object.__setattr__(r, "sfreq", 250.0)  # timestamps give 250 Hz within 0.1 %
        recs.append(r)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ep, meta = window_recordings(recs, 4.0, 2.0)
    X = features(ep, 250.0, recs[0].ch_names)
    y = LabelEncoder().fit_transform(meta["state"])
    subj = meta["subject"].to_numpy()
    sess = meta["session"].to_numpy()
    print(f"{len(ep)} windows of 4 s, {X.shape[1]} features, {len(manifest)} recordings")

    models = {
        "svm": lambda: make_pipeline(StandardScaler(), SVC(C=1.0, class_weight="balanced")),
        "rf": lambda: RandomForestClassifier(n_estimators=300, random_state=0, n_jobs=1),
        "xgb": lambda: XGBClassifier(n_estimators=200, max_depth=4, learning_rate=0.1, n_jobs=1,
                                     random_state=0, verbosity=0),
    }

    def run(splits, model):
        pred = np.full(len(y), -1)
        for tr, te in splits:
            # labels re-encoded per fold: a training set may lack a class (subject d's second
            # concentrating recording is 3.5 s, no 4 s window), which XGBoost refuses
            enc = LabelEncoder().fit(y[tr])
            m = models[model]()
            m.fit(X[tr], enc.transform(y[tr]))
            pred[te] = enc.inverse_transform(np.asarray(m.predict(X[te])).astype(int))
        done = pred >= 0
        return accuracy_score(y[done], pred[done]), balanced_accuracy_score(y[done], pred[done])

    def trialwise():
        for s in np.unique(subj):
            for held in np.unique(sess):
                tr = np.flatnonzero((subj == s) & (sess != held))
                te = np.flatnonzero((subj == s) & (sess == held))
                if len(np.unique(y[tr])) > 1 and len(te):
                    yield tr, te

    protocols = {
        "leave-one-subject-out": lambda: LeaveOneGroupOut().split(X, y, subj),
        "trial-wise within subject (session held out)": trialwise,
        "random window split (leaky)": lambda: StratifiedKFold(5, shuffle=True, random_state=0).split(X, y),
    }
    rows = []
    for pname, splits in protocols.items():
        for model in models:
            acc, uar = run(list(splits()), model)
            rows.append({"protocol": pname, "model": model, "accuracy": acc, "UAR": uar})
            print(f"  {pname:<46} {model:<4} accuracy {acc:.3f}  UAR {uar:.3f}", flush=True)
    table = pd.DataFrame(rows).pivot(index="protocol", columns="model", values="UAR")
    print("\nUAR (3 classes, chance 0.333):")
    print(table.round(3).to_string())


if __name__ == "__main__":
    main()

"""Numba kernels of the prosody set: YIN, probabilistic YIN (pYIN) and voicing runs.

Definitions are librosa 0.11's ``yin`` and ``pyin`` (see :mod:`emofeat.extractors.prosody`);
the pYIN Viterbi exploits the banded transition matrix (exactly, see :func:`viterbi_banded`).
"""

from __future__ import annotations

import numpy as np

from emofeat._numba import njit


@njit
def power_in_place(spec):
    """``spec[t, k] = |spec[t, k]|**2`` (as a complex number with zero imaginary part)."""
    n_frames, n_bins = spec.shape
    for t in range(n_frames):
        for k in range(n_bins):
            re = spec[t, k].real
            im = spec[t, k].imag
            spec[t, k] = re * re + im * im


@njit
def cmndf(frames, acf, min_period, max_period, tiny, out, rms):
    """YIN's cumulative mean normalised difference, as librosa computes it, and frame RMS.

    ``d(tau) = 2 (r(0) - r(tau)) - sum_{j < tau} x_j**2`` (``r``: autocorrelation) for
    ``tau >= 2`` and ``d(1) = 2 (r(0) - r(1))``, and
    ``out[t, tau - min_period] = d(tau) / (mean(d(1..tau)) + tiny)`` for ``tau`` in
    ``min_period .. max_period``. ``rms[t]`` is the frame's root mean square.

    ``d(1)`` lacks ``x_0**2`` as librosa 0.11's (``_cumulative_mean_normalized_difference``
    zeroes its running energy sum's first entry, the ``d(0)`` slot, before reading it as the
    energy term of ``d(1)``). It enters every lag's cumulative mean: with the full sum, a
    frame opening on a loud sample had a CMNDF up to 0.16 off librosa's (EmoDB 10a01Ac,
    where 6 of 201 frames took the other pYIN voicing).
    """
    n_frames, n = frames.shape
    diff = np.empty(max_period + 1, dtype=np.float64)
    for t in range(n_frames):
        x = frames[t]
        energy = 0.0
        for j in range(n):
            energy += x[j] * x[j]
        rms[t] = np.sqrt(energy / n)
        r0 = acf[t, 0]
        cum = 0.0  # sum of x_j**2 for j < tau (left out of d(1): see above)
        running = 0.0
        diff[0] = 0.0
        for tau in range(1, max_period + 1):
            cum += x[tau - 1] * x[tau - 1]
            diff[tau] = 2.0 * (r0 - acf[t, tau]) - (cum if tau > 1 else 0.0)
            running += diff[tau]
            if tau >= min_period:
                out[t, tau - min_period] = diff[tau] / (running / tau + tiny)


@njit
def _is_trough(x, k):
    n = x.shape[0]
    if k == 0:
        return n > 1 and x[0] < x[1]
    if k == n - 1:
        return x[k] < x[k - 1]
    return x[k] < x[k - 1] and x[k] <= x[k + 1]


@njit
def _shift(x, k):
    """Parabolic-interpolation offset of the optimum near ``k`` (0 at the ends, or when the
    vertex lies beyond a neighbour)."""
    n = x.shape[0]
    if k == 0 or k == n - 1:
        return 0.0
    a = x[k + 1] + x[k - 1] - 2.0 * x[k]
    b = (x[k + 1] - x[k - 1]) / 2.0
    if abs(b) >= abs(a):
        return 0.0
    return -b / a


@njit
def yin_pick(d, min_period, threshold, sr, f0, voiced, aperiodicity):
    """librosa's YIN period choice per frame of ``d`` (the CMNDF from ``min_period`` on).

    The first trough below ``threshold`` (voiced), else the global minimum (unvoiced); the lag
    is refined by parabolic interpolation; ``f0 = sr / lag``. ``aperiodicity`` is the CMNDF at
    the chosen lag. A frame with non-finite CMNDF gives NaN and unvoiced.
    """
    n_frames, n_lags = d.shape
    for t in range(n_frames):
        x = d[t]
        finite = True
        for k in range(n_lags):
            if not np.isfinite(x[k]):
                finite = False
                break
        if not finite:
            f0[t] = np.nan
            voiced[t] = 0.0
            aperiodicity[t] = np.nan
            continue
        pick = -1
        for k in range(n_lags):
            if x[k] < threshold and _is_trough(x, k):
                pick = k
                break
        voiced[t] = 1.0 if pick >= 0 else 0.0
        if pick < 0:
            pick = 0
            for k in range(1, n_lags):
                if x[k] < x[pick]:
                    pick = k
        f0[t] = sr / (min_period + pick + _shift(x, pick))
        aperiodicity[t] = x[pick]


@njit
def pyin_observations(d, min_period, sr, fmin, thresholds, beta_probs, boltzmann,
                      no_trough_prob, n_bins_per_semitone, n_pitch_bins, obs, voiced_prob):
    """pYIN's observation probabilities per frame, as librosa's ``pyin`` builds them.

    Each trough of the CMNDF gets, for every threshold below which it lies, a Boltzmann prior
    on its rank among the troughs under that threshold, weighted by the Beta distribution of
    thresholds; the global-minimum trough also takes ``no_trough_prob`` times the Beta mass of
    the thresholds it does not go below. Troughs map to pitch bins (``n_bins_per_semitone`` per
    semitone from ``fmin``, rounded half to even); a later (longer-lag) trough overwrites an
    earlier one in the same bin. ``obs[t, :n]`` voiced, ``obs[t, n:]`` unvoiced
    ``(1 - voiced_prob) / n``.
    """
    n_frames, n_lags = d.shape
    n_thr = thresholds.shape[0] - 1
    lam_norm = 1.0 - np.exp(-boltzmann)
    # Boltzmann pmf pieces, tabulated once: exp(-lambda k) and the normaliser for N troughs
    decay = np.empty(n_lags + 1, dtype=np.float64)
    norm = np.empty(n_lags + 1, dtype=np.float64)
    for k in range(n_lags + 1):
        decay[k] = np.exp(-boltzmann * k)
        norm[k] = lam_norm / (1.0 - np.exp(-boltzmann * k)) if k > 0 else 0.0
    troughs = np.empty(n_lags, dtype=np.int64)
    probs = np.empty(n_lags, dtype=np.float64)
    rank = np.empty(n_lags, dtype=np.int64)
    for t in range(n_frames):
        x = d[t]
        for s in range(2 * n_pitch_bins):
            obs[t, s] = 0.0
        n_tr = 0
        finite = True
        for k in range(n_lags):
            if not np.isfinite(x[k]):
                finite = False
                break
            if _is_trough(x, k):
                troughs[n_tr] = k
                n_tr += 1
        if not finite:
            n_tr = 0
        if n_tr > 0:
            for i in range(n_tr):
                probs[i] = 0.0
            for j in range(n_thr):
                thr = thresholds[j + 1]
                count = 0
                for i in range(n_tr):
                    if x[troughs[i]] < thr:
                        rank[i] = count
                        count += 1
                    else:
                        rank[i] = -1
                if count == 0:
                    continue
                fact = norm[count]
                for i in range(n_tr):
                    if rank[i] >= 0:
                        probs[i] += fact * decay[rank[i]] * beta_probs[j]
            gmin = 0
            for i in range(1, n_tr):
                if x[troughs[i]] < x[troughs[gmin]]:
                    gmin = i
            below = 0
            for j in range(n_thr):
                if not x[troughs[gmin]] < thresholds[j + 1]:
                    below += 1
            mass = 0.0
            for j in range(below):
                mass += beta_probs[j]
            probs[gmin] += no_trough_prob * mass
            for i in range(n_tr):
                if probs[i] == 0.0:
                    continue
                k = troughs[i]
                period = min_period + k + _shift(x, k)
                b = np.rint(12.0 * n_bins_per_semitone * np.log2(sr / period / fmin))
                b = min(max(b, 0.0), float(n_pitch_bins))
                if b < n_pitch_bins:  # bin n_pitch_bins is overwritten by the unvoiced fill
                    obs[t, int(b)] = probs[i]
        vp = 0.0
        for s in range(n_pitch_bins):
            vp += obs[t, s]
        vp = min(max(vp, 0.0), 1.0)
        voiced_prob[t] = vp
        for s in range(n_pitch_bins, 2 * n_pitch_bins):
            obs[t, s] = (1.0 - vp) / n_pitch_bins


@njit
def _block_extremes(v, lo, hi, pre_val, pre_idx, suf_val, suf_idx):
    """Prefix and suffix maxima (first index on ties) of ``v[lo:hi]``:
    ``pre_*[k]`` over ``v[lo:lo+k]``, ``suf_*[k]`` over ``v[lo+k:hi]``."""
    n = hi - lo
    pre_val[0] = -np.inf
    pre_idx[0] = -1
    for k in range(n):
        if v[lo + k] > pre_val[k]:
            pre_val[k + 1] = v[lo + k]
            pre_idx[k + 1] = lo + k
        else:
            pre_val[k + 1] = pre_val[k]
            pre_idx[k + 1] = pre_idx[k]
    suf_val[n] = -np.inf
    suf_idx[n] = -1
    for k in range(n - 1, -1, -1):
        if v[lo + k] >= suf_val[k + 1]:
            suf_val[k] = v[lo + k]
            suf_idx[k] = lo + k
        else:
            suf_val[k] = suf_val[k + 1]
            suf_idx[k] = suf_idx[k + 1]


@njit
def _window_max(v, lo, n, half, out):
    """``out[j] = max(v[lo + i] for |i - j| <= half, 0 <= i < n)`` (monotonic deque)."""
    queue = np.empty(n, dtype=np.int64)
    head = 0
    tail = 0
    nxt = 0
    for j in range(n):
        right = min(n - 1, j + half)
        while nxt <= right:
            while tail > head and v[lo + queue[tail - 1]] <= v[lo + nxt]:
                tail -= 1
            queue[tail] = nxt
            tail += 1
            nxt += 1
        while queue[head] < j - half:
            head += 1
        out[j] = v[lo + queue[head]]


@njit
def viterbi_banded(log_obs, log_init, into_stay, into_switch, max_stay, max_switch, half,
                   log_zero, states):
    """Viterbi decoding of pYIN's two-block (voiced, unvoiced) banded HMM, exactly as a dense
    ``librosa.sequence.viterbi`` over ``log(transition + tiny)``.

    ``into_stay[j, c]`` / ``into_switch[j, c]`` are the log transitions into pitch bin ``j``
    from bin ``j - half + c`` of the same / the other block (``max_*``: their row maxima);
    every transition outside that band is exactly 0 in the dense matrix, i.e. ``log_zero``
    in the log domain. For each target state the predecessors fall into six ordered
    segments (before, in and after the band, in each block): out-of-band segments are read
    from prefix/suffix maxima, and a band is scanned only if its upper bound (window maximum
    of the values + row maximum of the transitions) can reach the best value found. The
    best value and the first index reaching it (``argmax``'s tie rule) are those of the dense
    computation, at O(states x band) per frame at worst.
    """
    n_frames, n_states = log_obs.shape
    value = np.empty(n_states, dtype=np.float64)
    ptr = np.empty((n_frames, n_states), dtype=np.int32)
    for s in range(n_states):
        value[s] = log_obs[0, s] + log_init[s]
    viterbi_banded_forward(log_obs[1:], value, into_stay, into_switch, max_stay, max_switch,
                           half, log_zero, ptr[1:])
    viterbi_traceback(ptr, n_frames, value, states)


@njit
def viterbi_traceback(ptr, n_frames, value, states):
    """The path ending in the best last state (the first on ties, as ``argmax``) over the
    pointers ``ptr[:n_frames]``, into ``states[:n_frames]``."""
    n_states = value.shape[0]
    last = 0
    for s in range(1, n_states):
        if value[s] > value[last]:
            last = s
    states[n_frames - 1] = last
    for t in range(n_frames - 2, -1, -1):
        states[t] = ptr[t + 1, states[t + 1]]


@njit
def viterbi_settled(ptr, n_frames, n_bins, states):
    """How many leading frames of the pointers ``ptr[:n_frames]`` have an output every
    surviving path agrees on, whatever the frames to come: the states of the last frame
    traced back frame by frame; a frame is settled when the states reached there are all
    unvoiced (``states[t] = n_bins``) or one voiced pitch bin (``states[t]`` that bin). The
    path the whole sequence chooses ends in one of the last frame's states, so it gives
    these frames these outputs (``ptr[0]``, into frames before, is not read)."""
    n_states = ptr.shape[1]
    cur = np.arange(n_states)
    nxt = np.empty(n_states, dtype=np.int64)
    mark = np.zeros(n_states, dtype=np.bool_)
    ok = np.zeros(n_frames, dtype=np.bool_)
    k = n_states
    for t in range(n_frames - 1, 0, -1):
        kk = 0
        for a in range(k):
            s = ptr[t, cur[a]]
            if not mark[s]:
                mark[s] = True
                nxt[kk] = s
                kk += 1
        n_voiced = 0
        v = -1
        for a in range(kk):
            mark[nxt[a]] = False
            if nxt[a] < n_bins:
                n_voiced += 1
                v = nxt[a]
        if n_voiced == 0:
            ok[t - 1] = True
            states[t - 1] = n_bins
        elif kk == 1:
            ok[t - 1] = True
            states[t - 1] = v
        cur, nxt = nxt, cur
        k = kk
    p = 0
    while p < n_frames and ok[p]:
        p += 1
    return p


@njit
def viterbi_banded_forward(log_obs, value, into_stay, into_switch, max_stay, max_switch, half,
                           log_zero, ptr):
    """The forward pass of :func:`viterbi_banded` over the frames ``log_obs`` from the scores
    ``value`` of the frame before them (updated in place to the last frame's): ``ptr[t, s]``
    is the best predecessor of state ``s`` at frame ``t``. The pass is the same arithmetic
    frame after frame whether the frames come at once or in pieces (a long file's blocks)."""
    n_frames, n_states = log_obs.shape
    n = n_states // 2
    new = np.empty(n_states, dtype=np.float64)
    pre_val = np.empty((2, n + 1), dtype=np.float64)
    pre_idx = np.empty((2, n + 1), dtype=np.int64)
    suf_val = np.empty((2, n + 1), dtype=np.float64)
    suf_idx = np.empty((2, n + 1), dtype=np.int64)
    win_max = np.empty((2, n), dtype=np.float64)
    seg_val = np.empty(6, dtype=np.float64)
    seg_idx = np.empty(6, dtype=np.int64)
    bound = np.empty(2, dtype=np.float64)
    for t in range(n_frames):
        for blk in range(2):
            _block_extremes(value, blk * n, (blk + 1) * n, pre_val[blk], pre_idx[blk],
                            suf_val[blk], suf_idx[blk])
            _window_max(value, blk * n, n, half, win_max[blk])
        for j_state in range(n_states):
            jb = j_state // n
            j = j_state - jb * n
            lo = max(0, j - half)
            hi = min(n - 1, j + half)
            best = -np.inf
            for ib in range(2):
                seg_val[3 * ib] = pre_val[ib][lo] + log_zero if pre_idx[ib][lo] >= 0 else -np.inf
                seg_idx[3 * ib] = pre_idx[ib][lo]
                seg_val[3 * ib + 2] = (suf_val[ib][hi + 1] + log_zero
                                       if suf_idx[ib][hi + 1] >= 0 else -np.inf)
                seg_idx[3 * ib + 2] = suf_idx[ib][hi + 1]
                best = max(best, seg_val[3 * ib], seg_val[3 * ib + 2])
                bound[ib] = win_max[ib][j] + (max_stay[j] if ib == jb else max_switch[j])
                seg_val[3 * ib + 1] = -np.inf
                seg_idx[3 * ib + 1] = -1
            first = 0 if bound[0] >= bound[1] else 1
            for k in range(2):
                ib = first if k == 0 else 1 - first
                if bound[ib] < best:
                    continue  # no predecessor in this band can reach the best value
                band = into_stay if ib == jb else into_switch
                base = ib * n
                off = half - j
                bv = -np.inf
                bi = -1
                for i in range(lo, hi + 1):
                    c = value[base + i] + band[j, i + off]
                    if c > bv:
                        bv = c
                        bi = base + i
                seg_val[3 * ib + 1] = bv
                seg_idx[3 * ib + 1] = bi
                best = max(best, bv)
            arg = -1
            for g in range(6):
                if seg_idx[g] >= 0 and seg_val[g] == best:
                    arg = seg_idx[g]
                    break
            ptr[t, j_state] = arg
            new[j_state] = log_obs[t, j_state] + best
        for s in range(n_states):
            value[s] = new[s]


@njit
def voiced_runs(voiced, out):
    """Run statistics of a 0/1 voicing track: ``out = [n voiced runs, voiced frames,
    mean voiced run (frames), mean unvoiced run (frames)]`` (NaN when there is no such run)."""
    n = voiced.shape[0]
    runs_v = 0
    runs_u = 0
    frames_v = 0
    for t in range(n):
        v = voiced[t] > 0.5
        if v:
            frames_v += 1
        if t == 0 or v != (voiced[t - 1] > 0.5):
            if v:
                runs_v += 1
            else:
                runs_u += 1
    out[0] = runs_v
    out[1] = frames_v
    out[2] = frames_v / runs_v if runs_v else np.nan
    out[3] = (n - frames_v) / runs_u if runs_u else np.nan

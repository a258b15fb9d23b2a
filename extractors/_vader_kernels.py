"""Numba kernel for VADER scoring over a batch of tokenised texts.

The Python side (:mod:`emofeat.extractors._vader`) turns each whitespace token into an integer
code once (``word_id << 1 | is_all_caps``) and keeps per-word tables; this kernel applies VADER's
rules (Hutto & Gilbert 2014, as implemented in vaderSentiment 3.3.2) to the codes of many texts.

Every arithmetic step keeps vaderSentiment's order of operations, so that the unrounded scores
are bit-identical to the reference; rounding is done by the caller exactly as Python's ``round``.
Quirks of the reference are reproduced on purpose (and documented in docs/text.md): the
"but" rule rescales the *first* token whose score equals the current one, a word right after
"so"/"this" is boosted by 1.25 when three tokens precede it, and an all-caps word with zero
valence gets -0.733.
"""

from __future__ import annotations

import math

import numpy as np

from emofeat._numba import njit

B_INCR = 0.293
C_INCR = 0.733
N_SCALAR = -0.74
ALPHA = 15.0

# Positions of the reserved word ids in the ``special`` array (filled by the Python side).
SP_NO, SP_OR, SP_NOR, SP_KIND, SP_OF, SP_NEVER, SP_SO, SP_THIS = 0, 1, 2, 3, 4, 5, 6, 7
SP_WITHOUT, SP_DOUBT, SP_LEAST, SP_AT, SP_VERY, SP_BUT = 8, 9, 10, 11, 12, 13
N_SPECIAL = 14


@njit
def _pair_value(a, b, pairs, values):
    """Value of the bigram (a, b) in a small table, or NaN."""
    for k in range(pairs.shape[0]):
        if pairs[k, 0] == a and pairs[k, 1] == b:
            return values[k]
    return np.nan


@njit
def _triple_value(a, b, c, triples, values):
    """Value of the trigram (a, b, c) in a small table, or NaN."""
    for k in range(triples.shape[0]):
        if triples[k, 0] == a and triples[k, 1] == b and triples[k, 2] == c:
            return values[k]
    return np.nan


@njit
def _idioms(v, ids, i, n, sc2, sc2v, sc3, sc3v, bo2, bo2v):
    """vaderSentiment's special-idiom check for the word at ``i`` (needs ``i >= 3``)."""
    w0 = ids[i]
    w1 = ids[i - 1]
    w2 = ids[i - 2]
    w3 = ids[i - 3]
    # the first match of: (i-1 i), (i-2 i-1 i), (i-2 i-1), (i-3 i-2 i-1), (i-3 i-2)
    x = _pair_value(w1, w0, sc2, sc2v)
    if math.isnan(x):
        x = _triple_value(w2, w1, w0, sc3, sc3v)
    if math.isnan(x):
        x = _pair_value(w2, w1, sc2, sc2v)
    if math.isnan(x):
        x = _triple_value(w3, w2, w1, sc3, sc3v)
    if math.isnan(x):
        x = _pair_value(w3, w2, sc2, sc2v)
    if not math.isnan(x):
        v = x
    if n - 1 > i:
        x = _pair_value(w0, ids[i + 1], sc2, sc2v)
        if not math.isnan(x):
            v = x
    if n - 1 > i + 1:
        x = _triple_value(w0, ids[i + 1], ids[i + 2], sc3, sc3v)
        if not math.isnan(x):
            v = x
    # booster n-grams before the word ("kind of", "sort of", "just enough"), added unsigned
    x = _pair_value(w3, w2, bo2, bo2v)
    if not math.isnan(x):
        v = v + x
    x = _pair_value(w2, w1, bo2, bo2v)
    if not math.isnan(x):
        v = v + x
    return v


@njit
def _token_valences(ids, caps, lex, boost, negator, special, sc2, sc2v, sc3, sc3v, bo2, bo2v,
                    out):
    """Per-token valences of one text (before the "but" rule) into ``out[:n]``."""
    n = ids.shape[0]
    n_caps = 0
    for i in range(n):
        n_caps += caps[i]
    cap_diff = 0 < n - n_caps < n
    w_no = special[SP_NO]
    for i in range(n):
        out[i] = 0.0
        w = ids[i]
        if boost[w] != 0.0:
            continue
        if i < n - 1 and w == special[SP_KIND] and ids[i + 1] == special[SP_OF]:
            continue
        base = lex[w]
        if math.isnan(base):
            continue
        v = base
        if w == w_no and i != n - 1 and not math.isnan(lex[ids[i + 1]]):
            v = 0.0
        if ((i > 0 and ids[i - 1] == w_no) or (i > 1 and ids[i - 2] == w_no)
                or (i > 2 and ids[i - 3] == w_no
                    and (ids[i - 1] == special[SP_OR] or ids[i - 1] == special[SP_NOR]))):
            v = base * N_SCALAR
        if caps[i] and cap_diff:
            if v > 0:
                v += C_INCR
            else:
                v -= C_INCR
        for start_i in range(3):
            if i > start_i:
                p = i - (start_i + 1)
                pw = ids[p]
                if not math.isnan(lex[pw]):
                    continue
                s = 0.0
                b = boost[pw]
                if b != 0.0:
                    s = b
                    if v < 0:
                        s = s * -1.0
                    if caps[p] and cap_diff:
                        if v > 0:
                            s += C_INCR
                        else:
                            s -= C_INCR
                if start_i == 1 and s != 0:
                    s = s * 0.95
                if start_i == 2 and s != 0:
                    s = s * 0.9
                v = v + s
                # negation check
                if start_i == 0:
                    if negator[ids[i - 1]]:
                        v = v * N_SCALAR
                elif start_i == 1:
                    if ids[i - 2] == special[SP_NEVER] and (
                            ids[i - 1] == special[SP_SO] or ids[i - 1] == special[SP_THIS]):
                        v = v * 1.25
                    elif ids[i - 2] == special[SP_WITHOUT] and ids[i - 1] == special[SP_DOUBT]:
                        pass
                    elif negator[ids[i - 2]]:
                        v = v * N_SCALAR
                else:
                    # the reference's operator precedence: (never and (so or this)) or (so or this)
                    if (ids[i - 3] == special[SP_NEVER] and (
                            ids[i - 2] == special[SP_SO] or ids[i - 2] == special[SP_THIS])) or (
                            ids[i - 1] == special[SP_SO] or ids[i - 1] == special[SP_THIS]):
                        v = v * 1.25
                    elif ids[i - 3] == special[SP_WITHOUT] and (
                            ids[i - 2] == special[SP_DOUBT] or ids[i - 1] == special[SP_DOUBT]):
                        pass
                    elif negator[ids[i - 3]]:
                        v = v * N_SCALAR
                    v = _idioms(v, ids, i, n, sc2, sc2v, sc3, sc3v, bo2, bo2v)
        # "least" as a negation (not after "at" or "very")
        w_least = special[SP_LEAST]
        if i > 1 and math.isnan(lex[ids[i - 1]]) and ids[i - 1] == w_least:
            if ids[i - 2] != special[SP_AT] and ids[i - 2] != special[SP_VERY]:
                v = v * N_SCALAR
        elif i > 0 and math.isnan(lex[ids[i - 1]]) and ids[i - 1] == w_least:
            v = v * N_SCALAR
        out[i] = v


@njit
def _but_rule(ids, but_id, sent, nz):
    """vaderSentiment's "but" rule, including its first-equal-value lookup.

    The reference walks the list and rescales ``sentiments[sentiments.index(value)]``: the
    *first* token with an equal score, which is not always the current one. Zero scores stay
    zero under the rescaling, so only non-zero positions are searched.
    """
    n = ids.shape[0]
    bi = -1
    for i in range(n):
        if ids[i] == but_id:
            bi = i
            break
    if bi < 0:
        return
    m = 0
    for i in range(n):
        if sent[i] != 0.0:
            nz[m] = i
            m += 1
    for a in range(m):
        val = sent[nz[a]]
        j = nz[a]
        for b in range(a + 1):
            if sent[nz[b]] == val:
                j = nz[b]
                break
        if j < bi:
            sent[j] = val * 0.5
        elif j > bi:
            sent[j] = val * 1.5


@njit
def vader_batch(codes, offsets, n_excl, n_quest, lex, boost, negator, special, sc2, sc2v, sc3,
                sc3v, bo2, bo2v, neumaier, out):
    """Unrounded (neg, neu, pos, compound) of every text into ``out`` (n_texts, 4).

    Parameters
    ----------
    codes : int64 array
        Token codes of all texts, concatenated: ``word_id << 1 | token.isupper()``.
    offsets : int64 array (n_texts + 1,)
        Text ``t`` owns ``codes[offsets[t]:offsets[t + 1]]``.
    n_excl, n_quest : int64 arrays (n_texts,)
        Counts of ``!`` and ``?`` in each text (after emoji replacement).
    lex, boost : float64 arrays (n_words,)
        Lexicon valence (NaN when absent) and booster increment (0 when not a booster).
    negator : uint8 array (n_words,)
        Whether the word negates (in VADER's list, or contains "n't").
    special : int64 array (N_SPECIAL,)
        Word ids of the function words VADER's rules test.
    sc2, sc2v, sc3, sc3v, bo2, bo2v
        Special-case bigrams/trigrams and booster bigrams (word ids) with their values.
    neumaier : bool
        Sum token valences as Python >= 3.12's ``sum`` does (compensated), else left to right.
    out : float64 array (n_texts, 4)
    """
    n_texts = offsets.shape[0] - 1
    longest = 0
    for t in range(n_texts):
        longest = max(longest, offsets[t + 1] - offsets[t])
    sent = np.empty(longest, dtype=np.float64)
    nz = np.empty(longest, dtype=np.int64)
    ids_buf = np.empty(longest, dtype=np.int64)
    caps_buf = np.empty(longest, dtype=np.int64)
    for t in range(n_texts):
        start = offsets[t]
        n = offsets[t + 1] - start
        if n == 0:
            out[t, 0] = 0.0
            out[t, 1] = 0.0
            out[t, 2] = 0.0
            out[t, 3] = 0.0
            continue
        ids = ids_buf[:n]
        caps = caps_buf[:n]
        for i in range(n):
            ids[i] = codes[start + i] >> 1
            caps[i] = codes[start + i] & 1
        s = sent[:n]
        _token_valences(ids, caps, lex, boost, negator, special, sc2, sc2v, sc3, sc3v, bo2,
                        bo2v, s)
        _but_rule(ids, special[SP_BUT], s, nz)
        # sum of token valences, as Python's built-in sum
        total = 0.0
        comp = 0.0
        for i in range(n):
            x = s[i]
            if neumaier:
                tt = total + x
                if abs(total) >= abs(x):
                    comp += (total - tt) + x
                else:
                    comp += (x - tt) + total
                total = tt
            else:
                total += x
        if neumaier and comp != 0.0 and math.isfinite(comp):
            total += comp
        # punctuation emphasis
        ep = min(n_excl[t], 4)
        amp = ep * 0.292
        q = n_quest[t]
        if q > 1:
            if q <= 3:
                amp = amp + q * 0.18
            else:
                amp = amp + 0.96
        if total > 0:
            total += amp
        elif total < 0:
            total -= amp
        compound = total / math.sqrt(total * total + ALPHA)
        if compound < -1.0:
            compound = -1.0
        elif compound > 1.0:
            compound = 1.0
        pos_sum = 0.0
        neg_sum = 0.0
        neu_count = 0
        for i in range(n):
            x = s[i]
            if x > 0:
                pos_sum += x + 1.0
            if x < 0:
                neg_sum += x - 1.0
            if x == 0:
                neu_count += 1
        if pos_sum > abs(neg_sum):
            pos_sum += amp
        elif pos_sum < abs(neg_sum):
            neg_sum -= amp
        denom = pos_sum + abs(neg_sum) + neu_count
        out[t, 0] = abs(neg_sum / denom)
        out[t, 1] = abs(neu_count / denom)
        out[t, 2] = abs(pos_sum / denom)
        out[t, 3] = compound

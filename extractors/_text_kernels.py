"""Numba kernels for lexicon counting and style cues over batches of token ids.

Texts arrive as one flat array of token ids plus offsets (text ``t`` owns
``ids[offsets[t]:offsets[t + 1]]``); per-token properties come from tables indexed by id, so
that every string operation happens once per distinct token, in Python, and the per-text work
is a tight loop here.
"""

from __future__ import annotations

import numpy as np

from emofeat._numba import njit

# token types (the Python side classifies each distinct token once)
T_OTHER, T_WORD, T_PUNCT, T_EMOJI, T_EMOTICON, T_HASHTAG, T_MENTION, T_URL, T_NUMBER = range(9)

NEG_NONE, NEG_FLIP, NEG_DROP = 0, 1, 2
KIND_SIGNED, KIND_BINARY, KIND_RATING = 0, 1, 2
ID_BITS = 21  # phrase keys pack up to three word ids of < 2**21 each


@njit
def _next_scope(remaining, w, negator, clause_break, max_scope, opens):
    """The negation scope's state after token ``w`` (``remaining`` tokens it still covers,
    -1 up to the clause end, 0 none): a clause break closes it, a negator opens it (where
    ``opens``: not one inside a matched phrase), any other token uses one of its tokens."""
    if clause_break[w]:
        return 0
    if negator[w] and opens:
        return max_scope if max_scope > 0 else -1
    return remaining - 1 if remaining > 0 else remaining


@njit
def modifiers(ids, offsets, negator, clause_break, boost, max_scope, negated, factor):
    """Negation scope and intensifier factor of every token.

    ``negated[i]`` is 1 when a negator precedes token ``i`` in the same clause (no clause-break
    token between them) within ``max_scope`` tokens (0: up to the clause end). A new negator
    restarts the scope; the negator itself is not negated. ``factor[i]`` is ``1 + boost`` of the
    token right before ``i`` (intensifiers such as "very" +0.293, dampeners such as "slightly"
    -0.293), else 1.
    """
    n_texts = offsets.shape[0] - 1
    for t in range(n_texts):
        remaining = 0
        for i in range(offsets[t], offsets[t + 1]):
            w = ids[i]
            negated[i] = 0
            factor[i] = 1.0
            if i > offsets[t]:
                b = boost[ids[i - 1]]
                if b != 0.0:
                    factor[i] = 1.0 + b
            if remaining != 0 and not clause_break[w] and not negator[w]:
                negated[i] = 1
            remaining = _next_scope(remaining, w, negator, clause_break, max_scope, True)


@njit
def _scope_before(ids, start, i, negator, clause_break, max_scope):
    """The scope's state (``remaining`` of :func:`modifiers`) after tokens start..i-1."""
    remaining = 0
    for j in range(start, i):
        remaining = _next_scope(remaining, ids[j], negator, clause_break, max_scope, True)
    return remaining


@njit
def _find(keys, key):
    k = np.searchsorted(keys, key)
    if k < keys.shape[0] and keys[k] == key:
        return k
    return -1


@njit
def _phrase(ids, word_ids, last_ids, i, end, width, keys, rows):
    """The row of the ``width``-word phrase (2 or 3) at ``ids[i]`` as written, else with its
    hashtags read as their words (``word_ids``; the last word as ``last_ids`` reads it, a
    word with the clitic ``'s`` as its word), or -1."""
    if keys.shape[0] == 0 or i + width > end:
        return -1
    limit = 1 << ID_BITS
    key = 0
    packed = True  # every id fits a key (a phrase word's always does)
    tagged = False
    last = i + width - 1
    for j in range(i, i + width):
        w = ids[j]
        if w >= limit:
            packed = False
        if (last_ids[j] if j == last else word_ids[j]) != w:
            tagged = True
        key = (key << ID_BITS) | w
    if packed:
        k = _find(keys, key)
        if k >= 0:
            return rows[k]
    if not tagged:
        return -1
    key = 0
    for j in range(i, i + width):
        w = last_ids[j] if j == last else word_ids[j]
        if w >= limit:
            return -1
        key = (key << ID_BITS) | w
    k = _find(keys, key)
    return rows[k] if k >= 0 else -1


@njit
def lexicon_counts(ids, word_ids, last_ids, offsets, negated, negator, clause_break, max_scope,
                   factor, neg_mode, kind, use_factor, row_of_id, scores, keys2, rows2, keys3,
                   rows3, phrase_first, sums, n_pos, n_neg, n_cat, n_matched):
    """Accumulate one lexicon's matches per text and category.

    Phrases (2-3 words) are matched longest first and consume their words; a phrase takes the
    negation and intensifier of its first word. A negator among a matched phrase's words is a
    word of the phrase, not a negator (the phrase's score holds it: AFINN's "can't stand",
    "not good", "does not work"): it opens no scope, and the words after the phrase are
    negated only by a negator outside it. ``negated`` is :func:`modifiers`' reading, with
    every negator opening its scope; where a phrase holds a negator, the scope is read again
    from there (``negator``, ``clause_break`` and ``max_scope`` as :func:`modifiers` takes
    them), the phrase's words read as plain words. ``word_ids`` are the ids with each hashtag's
    replaced by its word's (``ids`` itself where a text has none), ``last_ids`` the same at a
    phrase's last word, where a word with the clitic ``'s`` is its word too: a phrase of each
    length is looked up as written, then with the hashtags read as their words.
    ``scores[row, c]`` is NaN where the entry has no score in category ``c``. Outputs
    (n_texts, n_categories):
    ``sums`` of (modified) scores, ``n_pos``/``n_neg`` (signed kind: matches with a
    positive/negative modified score), ``n_cat`` (matches with a score in the category);
    ``n_matched`` (n_texts,) counts matches.
    An entry whose score is 0 in a signed or binary lexicon consumes its words but counts
    nowhere (not in ``n_cat`` nor ``n_matched``); in a rating lexicon 0 is a rating and counts.
    ``use_factor``: apply the intensifier ``factor`` (the caller passes it for signed lexicons
    only).
    ``phrase_first[w]`` marks the words that begin some phrase, as written or read as their
    word (the others skip the phrase search).
    """
    n_texts = offsets.shape[0] - 1
    n_c = scores.shape[1]
    for t in range(n_texts):
        for c in range(n_c):
            sums[t, c] = 0.0
            n_pos[t, c] = 0.0
            n_neg[t, c] = 0.0
            n_cat[t, c] = 0.0
        n_matched[t] = 0.0
        end = offsets[t + 1]
        i = offsets[t]
        own = False  # the scope is read here since a phrase that held a negator
        remaining = 0  # its state, as in modifiers (-1: up to the clause end)
        while i < end:
            row = -1
            width = 1
            a = ids[i]
            if phrase_first[a]:
                row = _phrase(ids, word_ids, last_ids, i, end, 3, keys3, rows3)
                if row >= 0:
                    width = 3
                else:
                    row = _phrase(ids, word_ids, last_ids, i, end, 2, keys2, rows2)
                    width = 2
            if row < 0:
                row = row_of_id[a]
                width = 1
            step = width if row >= 0 else 1
            phrase_negator = False
            if step > 1:
                for j in range(i, i + step):
                    if negator[ids[j]]:
                        phrase_negator = True
            if phrase_negator and not own:
                own = True
                remaining = _scope_before(ids, offsets[t], i, negator, clause_break, max_scope)
            if own:
                # the phrase's words, a negator among them, are plain words of the scope
                in_scope = remaining != 0 and not clause_break[a] and (
                    phrase_negator or not negator[a])
                for j in range(i, i + step):
                    remaining = _next_scope(remaining, ids[j], negator, clause_break,
                                            max_scope, not phrase_negator)
            else:
                in_scope = negated[i] != 0
            if row < 0:
                i += 1
                continue
            sign = 1.0
            if in_scope:
                if neg_mode == NEG_DROP or (neg_mode == NEG_FLIP and kind != KIND_SIGNED):
                    i += width
                    continue
                if neg_mode == NEG_FLIP:
                    sign = -1.0
            mult = sign * (factor[i] if use_factor else 1.0)
            scored = False
            for c in range(n_c):
                s = scores[row, c]
                if s != s:  # NaN: no score in this category
                    continue
                if s == 0.0 and kind != KIND_RATING:
                    # a 0 in a signed or binary lexicon is "no sentiment / no association"
                    # (AFINN's "kind of", "some kind" exist to block "kind" +2): the entry
                    # consumes its words but is not a match
                    continue
                scored = True
                n_cat[t, c] += 1.0
                if kind == KIND_BINARY:
                    sums[t, c] += 1.0
                    continue
                v = s * mult
                sums[t, c] += v
                if v > 0:
                    n_pos[t, c] += 1.0
                elif v < 0:
                    n_neg[t, c] += 1.0
            if scored:
                n_matched[t] += 1.0
            i += width


@njit
def style_counts(ids, offsets, tok_type, sentence_end, valence, out):
    """Per text: n_tokens, n_types, n_words, n_punct, n_emoji, n_emoticon, n_hashtag,
    n_mention, n_url, n_number, n_sentences, emoji valence sum, emoticon valence sum.

    ``n_sentences`` counts runs of tokens ended by a sentence-final token (or the text end).
    """
    n_texts = offsets.shape[0] - 1
    n_vocab = tok_type.shape[0]
    seen = np.full(n_vocab, -1, dtype=np.int64)
    for t in range(n_texts):
        for c in range(out.shape[1]):
            out[t, c] = 0.0
        in_sentence = False
        for i in range(offsets[t], offsets[t + 1]):
            w = ids[i]
            out[t, 0] += 1.0
            if seen[w] != t:
                seen[w] = t
                out[t, 1] += 1.0
            ty = tok_type[w]
            if ty == T_WORD:
                out[t, 2] += 1.0
            elif ty == T_PUNCT:
                out[t, 3] += 1.0
            elif ty == T_EMOJI:
                out[t, 4] += 1.0
                out[t, 11] += valence[w]
            elif ty == T_EMOTICON:
                out[t, 5] += 1.0
                out[t, 12] += valence[w]
            elif ty == T_HASHTAG:
                out[t, 6] += 1.0
            elif ty == T_MENTION:
                out[t, 7] += 1.0
            elif ty == T_URL:
                out[t, 8] += 1.0
            elif ty == T_NUMBER:
                out[t, 9] += 1.0
            if sentence_end[w]:
                if in_sentence:
                    out[t, 10] += 1.0
                in_sentence = False
            else:
                in_sentence = True
        if in_sentence:
            out[t, 10] += 1.0


@njit
def group_stats(values, group, n_groups, out):
    """Mean, min and max of ``values`` per group (groups numbered 0..n_groups-1, in order);
    zeros for a group without values."""
    counts = np.zeros(n_groups, dtype=np.int64)
    for g in range(n_groups):
        out[g, 0] = 0.0
        out[g, 1] = np.inf
        out[g, 2] = -np.inf
    for k in range(values.shape[0]):
        g = group[k]
        v = values[k]
        counts[g] += 1
        out[g, 0] += v
        if v < out[g, 1]:
            out[g, 1] = v
        if v > out[g, 2]:
            out[g, 2] = v
    for g in range(n_groups):
        if counts[g] > 0:
            out[g, 0] /= counts[g]
        else:
            out[g, 0] = 0.0
            out[g, 1] = 0.0
            out[g, 2] = 0.0


@njit
def expand_chunks(cids, starts, tok_off, tok):
    """Token ids of texts given as chunk ids: chunk ``c`` holds ``tok[tok_off[c]:tok_off[c+1]]``.

    Returns the flat token ids and the token offsets of each text.
    """
    n_texts = starts.shape[0] - 1
    total = 0
    for k in range(cids.shape[0]):
        c = cids[k]
        total += tok_off[c + 1] - tok_off[c]
    ids = np.empty(total, dtype=np.int64)
    offsets = np.empty(n_texts + 1, dtype=np.int64)
    pos = 0
    offsets[0] = 0
    for t in range(n_texts):
        for k in range(starts[t], starts[t + 1]):
            c = cids[k]
            for j in range(tok_off[c], tok_off[c + 1]):
                ids[pos] = tok[j]
                pos += 1
        offsets[t + 1] = pos
    return ids, offsets


@njit
def chunk_sums(cids, starts, p0, p1, p2, p3, p4, out):
    """``out[t, j]``: the sum of ``pj[c]`` over the chunks ``c`` of text ``t`` (text ``t`` owns
    ``cids[starts[t]:starts[t + 1]]``). Five per-chunk columns, passed as they are (stacking
    them would copy the whole chunk table on every call)."""
    for t in range(starts.shape[0] - 1):
        s0 = 0.0
        s1 = 0.0
        s2 = 0.0
        s3 = 0.0
        s4 = 0.0
        for k in range(starts[t], starts[t + 1]):
            c = cids[k]
            s0 += p0[c]
            s1 += p1[c]
            s2 += p2[c]
            s3 += p3[c]
            s4 += p4[c]
        out[t, 0] = s0
        out[t, 1] = s1
        out[t, 2] = s2
        out[t, 3] = s3
        out[t, 4] = s4


@njit
def sentence_spans(cids, starts, ends, n_excl, n_quest):
    """Sentences of texts given as chunk ids: a sentence starts a text or follows a chunk that
    ends one (``ends[c]``). Returns the chunk offsets of the sentences (n_sentences + 1), the
    text of each, and each sentence's ``!`` and ``?`` counts (sums of ``n_excl``/``n_quest``
    over its chunks)."""
    n_texts = starts.shape[0] - 1
    count = 0
    for t in range(n_texts):
        for k in range(starts[t], starts[t + 1]):
            if k == starts[t] or ends[cids[k - 1]]:
                count += 1
    offsets = np.empty(count + 1, dtype=np.int64)
    group = np.empty(count, dtype=np.int64)
    excl = np.zeros(count, dtype=np.int64)
    quest = np.zeros(count, dtype=np.int64)
    j = -1
    for t in range(n_texts):
        for k in range(starts[t], starts[t + 1]):
            c = cids[k]
            if k == starts[t] or ends[cids[k - 1]]:
                j += 1
                offsets[j] = k
                group[j] = t
            excl[j] += n_excl[c]
            quest[j] += n_quest[c]
    offsets[count] = cids.shape[0]
    return offsets, group, excl, quest


@njit
def chunk_scan(cp, starts, strip, out):
    """Character cues of whitespace chunks given as code points.

    ``cp`` holds the chunks joined by one separator; chunk ``k`` is
    ``cp[starts[k]:starts[k + 1] - 1]``. ``strip[c]`` (c < 128) marks the characters stripped
    from a chunk's ends before its case cues. Columns of ``out`` (n_chunks, 9), int64:

    0 ``!`` count, 1 ``?`` count, 2 ends with ``.``, ``!`` or ``?``, 3 has a run of three equal
    characters, 4 all ASCII, and for ASCII chunks the case cues of ``_case_counts``: 5 is a
    word (at least two letters once stripped, not a hashtag, mention or URL), 6 an all-caps
    word, 7 an elongated word (a run of three of one letter inside the stripped part: a run
    of dots, ``!`` or digits between two words, ``wrong...I``, is no elongation); 8 made of
    ASCII letters only.
    """
    n = starts.shape[0] - 1
    for k in range(n):
        a = starts[k]
        b = starts[k + 1] - 1
        excl = 0
        quest = 0
        ascii_ = 1
        triple = 0
        letters_only = 1 if b > a else 0
        for i in range(a, b):
            c = cp[i]
            if c == 33:
                excl += 1
            elif c == 63:
                quest += 1
            if c >= 128:
                ascii_ = 0
            if not (65 <= c <= 90 or 97 <= c <= 122):
                letters_only = 0
            if i >= a + 2 and c == cp[i - 1] and c == cp[i - 2]:
                triple = 1
        last = cp[b - 1] if b > a else 0
        out[k, 0] = excl
        out[k, 1] = quest
        out[k, 2] = 1 if (last == 46 or last == 33 or last == 63) else 0
        out[k, 3] = triple
        out[k, 4] = ascii_
        out[k, 5] = 0
        out[k, 6] = 0
        out[k, 7] = 0
        out[k, 8] = letters_only
        if not ascii_ or b <= a:
            continue
        # hashtag, mention, URL: no case cues
        first = cp[a]
        if first == 35 or first == 64:
            continue
        url = False
        for i in range(a, b - 2):
            if cp[i] == 58 and cp[i + 1] == 47 and cp[i + 2] == 47:
                url = True
                break
        if url:
            continue
        if b - a >= 4 and (cp[a] | 32) == 119 and (cp[a + 1] | 32) == 119 \
                and (cp[a + 2] | 32) == 119 and cp[a + 3] == 46:
            continue
        wa = a
        wb = b
        while wa < wb and strip[cp[wa]]:
            wa += 1
        while wb > wa and strip[cp[wb - 1]]:
            wb -= 1
        letters = 0
        lower = 0
        elong = 0
        for i in range(wa, wb):
            c = cp[i]
            letter = False
            if 97 <= c <= 122:
                letters += 1
                lower += 1
                letter = True
            elif 65 <= c <= 90:
                letters += 1
                letter = True
            if letter and i >= wa + 2 and c == cp[i - 1] and c == cp[i - 2]:
                elong = 1
        if letters < 2:
            continue
        out[k, 5] = 1
        out[k, 6] = 1 if lower == 0 else 0
        out[k, 7] = elong


_FNV_OFFSET = np.uint64(14695981039346656037)
_FNV_PRIME = np.uint64(1099511628211)


_MIX = np.uint64(0xFF51AFD7ED558CCD)


@njit
def _slot(h, mask):
    # MurmurHash3's finaliser: FNV's low bits alone spread chunks poorly over the table
    h = (h ^ (h >> np.uint64(33))) * _MIX
    return np.int64((h ^ (h >> np.uint64(33))) & np.uint64(mask))


@njit
def split_chunks(cp, text_off, ws):
    """``str.split()`` of many texts at once, with the distinct chunks numbered.

    ``cp`` holds the texts' code points back to back, text ``t`` at
    ``cp[text_off[t]:text_off[t + 1]]``; ``ws[c]`` marks white space for ``c < len(ws)`` (no
    code point above is white space). Returns ``local`` (the number of each chunk, in order:
    distinct chunks are numbered by first appearance, compared by content through a hash
    table), ``starts`` (text ``t`` owns ``local[starts[t]:starts[t + 1]]``), and the start
    and length in ``cp`` of each distinct chunk's first appearance.

    The tables grow here, between calls of :func:`_number_chunks`, which does the work with
    arrays it never replaces (replacing an array inside the hot loop made Numba several
    times slower).
    """
    n_texts = text_off.shape[0] - 1
    n_ws = ws.shape[0]
    starts = np.empty(n_texts + 1, dtype=np.int64)
    n = 0
    for t in range(n_texts):
        starts[t] = n
        inside = False
        for i in range(text_off[t], text_off[t + 1]):
            c = cp[i]
            space = c < n_ws and ws[c]
            if not space and not inside:
                n += 1
            inside = not space
    starts[n_texts] = n
    local = np.empty(n, dtype=np.int64)
    cap = 1024
    u_start = np.empty(cap, dtype=np.int64)  # first appearance in cp
    u_len = np.empty(cap, dtype=np.int64)
    u_pos = np.empty(cap, dtype=np.int64)  # position in the packed buffer
    packed = np.empty(4 * cap, dtype=np.uint32)  # the distinct chunks' code points
    size = 4096
    # per slot: hash, number (-1: empty), length, position in packed: one cache line a look-up
    slots = np.full((size, 4), -1, dtype=np.int64)
    state = np.zeros(2, dtype=np.int64)  # distinct chunks, packed code points
    t = 0
    while True:
        t = _number_chunks(cp, text_off, ws, starts, t, local, slots, u_start, u_len, u_pos,
                           packed, state)
        if t >= n_texts:
            break
        # text t needs more room: grow what is short
        need = state[0] + starts[t + 1] - starts[t]
        if need > cap:
            while need > cap:
                cap *= 2
            u_start = _grown(u_start, cap)
            u_len = _grown(u_len, cap)
            u_pos = _grown(u_pos, cap)
        if 2 * need > size:
            while 2 * need > size:
                size *= 2
            old = slots
            slots = np.full((size, 4), -1, dtype=np.int64)
            for q in range(old.shape[0]):
                if old[q, 1] >= 0:
                    s2 = _slot(np.uint64(old[q, 0]), size - 1)
                    while slots[s2, 1] >= 0:
                        s2 = (s2 + 1) & (size - 1)
                    for r in range(4):
                        slots[s2, r] = old[q, r]
        need_p = state[1] + text_off[t + 1] - text_off[t]
        if need_p > packed.shape[0]:
            packed = _grown(packed, max(2 * packed.shape[0], need_p))
    n_u = state[0]
    return local, starts, u_start[:n_u].copy(), u_len[:n_u].copy()


@njit
def _number_chunks(cp, text_off, ws, starts, t0, local, slots, u_start, u_len, u_pos, packed,
                   state):
    """Number the chunks of texts ``t0, t0 + 1, ...`` (see :func:`split_chunks`) until one
    might not fit the tables; returns the first text not done."""
    n_texts = text_off.shape[0] - 1
    n_ws = ws.shape[0]
    size = slots.shape[0]
    cap = u_start.shape[0]
    n_u = state[0]
    n_packed = state[1]
    t = t0
    while t < n_texts:
        need = n_u + starts[t + 1] - starts[t]
        if need > cap or 2 * need > size \
                or n_packed + text_off[t + 1] - text_off[t] > packed.shape[0]:
            break
        k = starts[t]
        i = text_off[t]
        end = text_off[t + 1]
        while i < end:
            c = cp[i]
            if c < n_ws and ws[c]:
                i += 1
                continue
            a = i
            h = _FNV_OFFSET
            while i < end:
                c = cp[i]
                if c < n_ws and ws[c]:
                    break
                h = (h ^ np.uint64(c)) * _FNV_PRIME
                i += 1
            length = i - a
            hs = np.int64(h)
            s = _slot(h, size - 1)
            while True:
                j = slots[s, 1]
                if j < 0:
                    for q in range(length):
                        packed[n_packed + q] = cp[a + q]
                    u_start[n_u] = a
                    u_len[n_u] = length
                    u_pos[n_u] = n_packed
                    n_packed += length
                    slots[s, 0] = hs
                    slots[s, 1] = n_u
                    slots[s, 2] = length
                    slots[s, 3] = u_pos[n_u]
                    local[k] = n_u
                    n_u += 1
                    break
                if slots[s, 0] == hs and slots[s, 2] == length \
                        and _same(packed, slots[s, 3], cp, a, length):
                    local[k] = j
                    break
                s = (s + 1) & (size - 1)
            k += 1
        t += 1
    state[0] = n_u
    state[1] = n_packed
    return t


@njit
def _grown(arr, cap):
    out = np.empty(cap, dtype=arr.dtype)
    out[: arr.shape[0]] = arr
    return out


@njit
def _same(x, a, y, b, length):
    for i in range(length):
        if x[a + i] != y[b + i]:
            return False
    return True


@njit
def gather_spans(values, begin, end):
    """``values[begin[k]:end[k]]`` of every ``k``, concatenated, with their offsets."""
    m = begin.shape[0]
    offsets = np.empty(m + 1, dtype=np.int64)
    offsets[0] = 0
    for k in range(m):
        offsets[k + 1] = offsets[k] + end[k] - begin[k]
    out = np.empty(offsets[m], dtype=values.dtype)
    for k in range(m):
        out[offsets[k] : offsets[k + 1]] = values[begin[k] : end[k]]
    return out, offsets

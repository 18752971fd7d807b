"""Pair the articles of two versions of a law by content, order respected.

The aligner works on the articles' *alignment keys* (text with width and
white space folded, see :func:`clt.diff.inline.alignment_key`) and never on
their numbers, which an amendment shifts.  In three passes:

1. **Anchors.**  Texts that occur exactly once on each side, chained in the
   order of both versions (a longest increasing subsequence), fix the
   skeleton.  They only bound the search: each old article is compared with
   the new articles between the counterparts of the anchors around it, give
   or take ``WINDOW`` articles, so a big law costs about as many comparisons
   as it has articles times the size of the gaps, not its square.
2. **Chain.**  Candidates are 1:1 pairs similar enough (Indel ratio from
   rapidfuzz, computed in C) and 1:k / k:1 groups whose concatenation matches
   (an article *split* in two, two articles *merged*).  The heaviest chain of
   candidates that respects the order of both versions (a sparse weighted
   LIS with a Fenwick tree, O(K log K) in the number of candidates) is kept;
   a pair weighs its similarity above ``WEIGHT_BASE``, so one strong pair
   beats two weak ones, and an article that moved a short way cannot cut the
   law in two as an exact anchor would.
3. **Leftovers.**  Old and new articles still unpaired are matched greedily
   when they are very similar (an article that *moved*, possibly edited);
   whatever remains was deleted or inserted.

Everything here works on indices and plain strings; :mod:`clt.diff` turns
the groups into ``change`` records.
"""

from bisect import bisect_left
import heapq

from rapidfuzz import fuzz, process

#: a 1:1 pair must be at least this similar (Indel ratio, 0..1); an article
#: that grew or shrank counts as the mean of its ratio and the share of the
#: shorter text found in the longer (so a rewritten article that kept most of
#: its old words still pairs)
PAIR_MIN = 0.5
#: ... and the grown/shrunk reading applies only from this ratio up
GROWN_MIN = 0.3
#: below it, down to CUT_MIN, only when the shorter text (at least CUT_LEN
#: characters) appears almost verbatim (CUT_KEPT) in the longer one
CUT_MIN = 0.2
CUT_LEN = 6
CUT_KEPT = 0.9
#: the weight of a pair is its similarity above this base: strong pairs beat
#: several weak ones
WEIGHT_BASE = 0.4
#: a split/merge group must be at least this similar to its counterpart ...
GROUP_MIN = 0.8
#: ... each of its parts this much contained in the counterpart ...
PART_COVER = 0.8
#: the most articles one article may split into / merge from
GROUP_MAX = 4
#: a split/merge this similar takes its parts back from 1:1 pairs at least
#: GROUP_MARGIN less similar (see _close_groups_win)
GROUP_SURE = 0.95
GROUP_MARGIN = 0.1
#: how many other articles may lie between the parts of a split or merge
GROUP_SKIP = 2
#: the most relative position adds to a pair's weight, to break ties
TIE_BONUS = 1e-3
#: how far (in articles) beyond the anchors around it an article is looked for in order
WINDOW = 12
#: a chain pair weaker than this yields its article to an identical one left unpaired
WEAK_MAX = 0.8
#: an unpaired old and new article this similar (read as grown/cut, see
#: :func:`_grown`) pair as "moved"
MOVED_MIN = 0.65


class Group:
    """One aligned group: old indices, new indices, similarity, how it was found."""

    __slots__ = ("old", "new", "sim", "how")

    def __init__(self, old, new, sim, how):
        self.old = list(old)
        self.new = list(new)
        self.sim = sim
        self.how = how  # "anchor", "chain", "moved" (out of order), "unpaired"

    def __repr__(self):  # pragma: no cover - debugging aid
        return f"Group({self.old}, {self.new}, {self.sim:.3f}, {self.how})"


# --------------------------------------------------------------------------- helpers

def _lis(pairs):
    """The longest subsequence of (i, j) pairs (sorted by i) with increasing j."""
    if not pairs:
        return []
    tails, tails_idx, prev = [], [], [None] * len(pairs)
    for k, (_, j) in enumerate(pairs):
        pos = bisect_left(tails, j)
        if pos == len(tails):
            tails.append(j)
            tails_idx.append(k)
        else:
            tails[pos] = j
            tails_idx[pos] = k
        prev[k] = tails_idx[pos - 1] if pos else None
    out, k = [], tails_idx[-1]
    while k is not None:
        out.append(pairs[k])
        k = prev[k]
    return out[::-1]


class _MaxFenwick:
    """Prefix maximum over positions 0..n-1 with the index of the best entry."""

    def __init__(self, n):
        self.n = n
        self.val = [0.0] * (n + 1)
        self.arg = [None] * (n + 1)

    def update(self, pos, value, arg):
        i = pos + 1
        while i <= self.n:
            if value > self.val[i]:
                self.val[i] = value
                self.arg[i] = arg
            i += i & -i

    def query(self, pos):
        """Best (value, arg) over positions 0..pos (pos may be -1)."""
        best, arg = 0.0, None
        i = pos + 1
        while i > 0:
            if self.val[i] > best:
                best, arg = self.val[i], self.arg[i]
            i -= i & -i
        return best, arg


def _ratio(a, b):
    return fuzz.ratio(a, b) / 100.0


# --------------------------------------------------------------------------- passes

def _anchors(ok, nk):
    """(in-order anchors, out-of-order exact pairs) from texts unique on both sides."""
    count_o, count_n = {}, {}
    for k in ok:
        count_o[k] = count_o.get(k, 0) + 1
    for k in nk:
        count_n[k] = count_n.get(k, 0) + 1
    where_n = {k: j for j, k in enumerate(nk) if count_n[k] == 1}
    exact = [(i, where_n[k]) for i, k in enumerate(ok)
             if k and count_o[k] == 1 and k in where_n]
    chain = _lis(exact)
    in_chain = set(chain)
    moved = [p for p in exact if p not in in_chain]
    return chain, moved


def _windows(chain, m, n, width):
    """For each old index, the range [lo, hi] of new indices it may pair with in order.

    An old article between two anchors may pair with the new articles between
    their counterparts, give or take *width* articles (so that an anchor that
    is itself an article moved a short way does not cut the law in two).
    """
    out = [None] * m
    bounds = [(-1, -1)] + list(chain) + [(m, n)]
    for (i0, j0), (i1, j1) in zip(bounds, bounds[1:]):
        lo, hi = max(0, j0 - width), min(n - 1, j1 + width)
        for i in range(max(0, i0), min(m, i1 + 1)):
            if out[i] is None:
                out[i] = (lo, hi)
            else:
                out[i] = (min(out[i][0], lo), max(out[i][1], hi))
    return out


def _candidates(ok, nk, windows, seen):
    """Candidate groups (o_lo, o_hi, n_lo, n_hi, weight sim, old items, new items, sim).

    1:1 pairs at least ``PAIR_MIN`` similar, and split/merge groups of
    consecutive articles (see :func:`_group_ok`), each old article looked
    for only within its window of new articles.  Similarities of at least
    ``MOVED_MIN`` are kept in *seen* for the leftover pass.
    """
    cands = []
    m, n = len(ok), len(nk)
    covered_by_o = {}  # old i -> new js mostly contained in it (split parts)
    covers_n = {}      # new j -> old is mostly contained in it (merge parts)
    for i, a in enumerate(ok):
        la = len(a)
        if not la or windows[i] is None:
            continue
        lo, hi = windows[i]
        if lo > hi:
            continue
        choices = nk[lo:hi + 1]
        for _, score, pos in process.extract(a, choices, scorer=fuzz.ratio, limit=None,
                                             score_cutoff=1):
            j = lo + pos
            lb = len(nk[j])
            if not lb:
                continue
            sim = score / 100.0
            lcs = sim * (la + lb) / 2.0
            if sim >= GROWN_MIN:
                seen[(i, j)] = sim
            eff = sim
            if sim >= GROWN_MIN:
                eff = _grown(sim, la, lb)
            elif sim >= CUT_MIN and lcs >= PART_COVER * min(la, lb) and min(la, lb) >= CUT_LEN:
                # cut down to (or grown from) a passage kept word for word
                short, long_ = (a, nk[j]) if la <= lb else (nk[j], a)
                kept = fuzz.partial_ratio(short, long_) / 100.0
                if kept >= CUT_KEPT:
                    eff = (sim + kept) / 2.0
            if eff >= PAIR_MIN:
                cands.append((i, i, j, j, eff + _near(i, j, m, n), (i,), (j,), sim))
            if lcs / lb >= PART_COVER:
                covered_by_o.setdefault(i, set()).add(j)
            if lcs / la >= PART_COVER:
                covers_n.setdefault(j, set()).add(i)
    # split: old i -> new j, j+1 ... (each part mostly found in old i)
    news_all = range(len(nk))
    for i, js in covered_by_o.items():
        for j in sorted(js):
            for run in _runs(news_all, j, js.__contains__):
                sim = _group_sim(ok[i], [nk[x] for x in run])
                if _group_ok(ok[i], [nk[x] for x in run], sim):
                    cands.append((i, i, run[0], run[-1], sim + _near(i, run[0], m, n), (i,), tuple(run), sim))
    # merge: old i, i+1 ... -> new j
    olds_all = range(len(ok))
    for j, is_ in covers_n.items():
        for i in sorted(is_):
            for run in _runs(olds_all, i, is_.__contains__):
                sim = _group_sim(nk[j], [ok[x] for x in run])
                if _group_ok(nk[j], [ok[x] for x in run], sim):
                    cands.append((run[0], run[-1], j, j, sim + _near(run[0], j, m, n), tuple(run), (j,), sim))
    return cands


def _grown(sim, la, lb):
    """Similarity of two texts of lengths *la*, *lb* read as one grown or cut
    from the other: the mean of the Indel ratio *sim* and the share of the
    shorter text found in the longer (an article that gained a paragraph
    keeps all its old words but its ratio drops with the added length)."""
    lcs = sim * (la + lb) / 2.0
    return max(sim, (sim + lcs / max(1, min(la, lb))) / 2.0)


def _near(i, j, m, n):
    """A tie-breaker (at most ``TIE_BONUS``) for pairs near the same relative place.

    Two new articles with the same text (a law's closing 本法自…起施行 and an
    inserted one) are equally similar; the one at the matching place wins.
    """
    return TIE_BONUS * (1.0 - abs(i / max(1, m - 1) - j / max(1, n - 1)))


def _runs(seq, p, covered):
    """Runs of 2..GROUP_MAX items of *seq* starting at position *p*, each *covered*.

    A run may step over up to ``GROUP_SKIP`` uncovered items between two
    covered ones (articles deleted, inserted or moved in between the parts of
    a split or merge).
    """
    run = [seq[p]]
    while len(run) < GROUP_MAX:
        for step in range(1, GROUP_SKIP + 2):
            if p + step < len(seq) and covered(seq[p + step]):
                p += step
                break
        else:
            return
        run.append(seq[p])
        yield list(run)


def _lcs(a, b, s=None):
    """Length of the longest common subsequence of *a* and *b* (from the Indel ratio)."""
    if s is None:
        s = _ratio(a, b)
    return s * (len(a) + len(b)) / 2.0


def _group_ok(whole, parts, s):
    """Whether *whole* is better explained by all of *parts* than by any one of them.

    The group must be similar (``GROUP_MIN``) and, compared with the best
    single part, the common subsequence must grow by most of the other
    parts' length: the other parts really are the rest of *whole*, in order,
    not a neighbour that happens to share common characters.
    """
    if s < GROUP_MIN:
        return False
    total = sum(len(p) for p in parts)
    lcs_group = _lcs(whole, "x" * total, s)
    best = max(parts, key=lambda p: _lcs(whole, p))
    lcs_best = _lcs(whole, best)
    return lcs_group - lcs_best >= PART_COVER * (total - len(best)) and \
        s > _ratio(whole, best)


def _group_sim(whole, parts):
    return _ratio(whole, "".join(parts))


def _chain(cands):
    """The heaviest order-respecting chain of candidate groups."""
    if not cands:
        return []
    n_hi = max(c[3] for c in cands) + 1
    fw = _MaxFenwick(n_hi)
    order = sorted(range(len(cands)), key=lambda k: (cands[k][0], cands[k][2]))
    score = [0.0] * len(cands)
    prev = [None] * len(cands)
    pending = []  # (o_hi, k): inserted into the tree once the old side has passed o_hi
    best_total, best_k = 0.0, None
    for k in order:
        o_lo, o_hi, n_lo, n_hi_k, s, o_items, n_items, _ = cands[k]
        while pending and pending[0][0] < o_lo:
            _, kk = heapq.heappop(pending)
            fw.update(cands[kk][3], score[kk], kk)
        size = len(o_items) + len(n_items)
        w = (s - WEIGHT_BASE) * size / 2.0
        base, arg = fw.query(n_lo - 1)
        score[k] = base + w
        prev[k] = arg
        heapq.heappush(pending, (o_hi, k))
        if score[k] > best_total:
            best_total, best_k = score[k], k
    out = []
    k = best_k
    while k is not None:
        out.append(cands[k])
        k = prev[k]
    return out[::-1]


def _close_groups_win(cands, groups, used_o, used_n):
    """Restore a split/merge the chain gave up for pairs that explain less.

    The chain keeps order; an article moved into the middle of a split (or
    between two merged articles) makes the group cross it, and the chain may
    then prefer the moved article's exact pair plus a part read as a cut-down
    article.  A group whose concatenation matches almost exactly
    (``GROUP_SURE``) takes its articles back from 1:1 pairs that are less
    similar; the moved article keeps its own pair.
    """
    chosen = {(tuple(g.old), tuple(g.new)) for g in groups}
    sure = sorted((c for c in cands if (len(c[5]) > 1 or len(c[6]) > 1) and c[7] >= GROUP_SURE
                   and (c[5], c[6]) not in chosen), key=lambda c: -c[7])
    for c in sure:
        o_items, n_items, sim = c[5], c[6], c[7]
        members_o, members_n = set(o_items), set(n_items)
        conflicts = [g for g in groups if members_o & set(g.old) or members_n & set(g.new)]
        if not all(len(g.old) == 1 and len(g.new) == 1 and g.sim < sim - GROUP_MARGIN
                   for g in conflicts):
            continue
        for g in conflicts:
            groups.remove(g)
            used_o.difference_update(g.old)
            used_n.difference_update(g.new)
        groups.append(Group(o_items, n_items, sim, "chain"))
        used_o.update(o_items)
        used_n.update(n_items)


def _exact_beats_weak(ok, nk, groups, used_o, used_n):
    """Give an unpaired article its identical counterpart when the chain
    paired that counterpart only weakly (an article moved over a stretch of
    the law loses the in-order chain, and a merely similar neighbour — same
    boilerplate penalties — took its place).  The weak partner is freed.
    """
    where_n, where_o = {}, {}
    for j, k in enumerate(nk):
        where_n.setdefault(k, []).append(j)
    for i, k in enumerate(ok):
        where_o.setdefault(k, []).append(i)
    by_new = {g.new[0]: g for g in groups if len(g.old) == 1 and len(g.new) == 1}
    by_old = {g.old[0]: g for g in groups if len(g.old) == 1 and len(g.new) == 1}

    def sweep(keys, where_other, used, by_mine, by_other, old_side):
        """One pass from one side (old when *old_side*): each unpaired article with an
        identical counterpart that is only weakly paired takes it over."""
        changed = False
        for x in range(len(keys)):
            if x in used or not keys[x]:
                continue
            for y in where_other.get(keys[x], ()):
                g = by_other.get(y)
                if g is None or g.sim >= WEAK_MAX:
                    continue
                # y goes to x; its weak partner is unpaired again
                groups.remove(g)
                freed = (g.old if old_side else g.new)[0]
                used.discard(freed)
                del by_mine[freed]
                ng = Group([x], [y], 1.0, "moved") if old_side else Group([y], [x], 1.0, "moved")
                groups.append(ng)
                used.add(x)
                by_mine[x] = by_other[y] = ng
                changed = True
                break
        return changed

    changed = True
    while changed:
        changed = sweep(ok, where_n, used_o, by_old, by_new, True)
        changed = sweep(nk, where_o, used_n, by_new, by_old, False) or changed

def align(old_texts, new_texts, window=WINDOW):
    """Groups pairing *old_texts* with *new_texts* (lists of alignment keys).

    Returns a list of :class:`Group`; every index of either side appears in
    exactly one group (unpaired ones in groups with an empty other side).
    """
    ok, nk = list(old_texts), list(new_texts)
    groups = []
    used_o, used_n = set(), set()
    chain, _ = _anchors(ok, nk)
    windows = _windows(chain, len(ok), len(nk), window)
    seen = {}
    cands = _candidates(ok, nk, windows, seen)
    for _, _, _, _, _, o_items, n_items, s in _chain(cands):
        groups.append(Group(o_items, n_items, s, "chain"))
        used_o.update(o_items)
        used_n.update(n_items)
    _close_groups_win(cands, groups, used_o, used_n)
    _exact_beats_weak(ok, nk, groups, used_o, used_n)
    # leftovers: similar articles out of order, most similar first
    left_o = [i for i in range(len(ok)) if i not in used_o]
    left_n = [j for j in range(len(nk)) if j not in used_n]
    if left_o and left_n:
        scored = []
        for i in left_o:
            if not ok[i]:
                continue
            # inside its window the similarity is known already
            lo, hi = windows[i] if windows[i] else (0, -1)
            outside = [j for j in left_n if j < lo or j > hi]
            found = [(seen[(i, j)], j) for j in left_n if lo <= j <= hi and (i, j) in seen]
            if outside:
                found += [(score / 100.0, outside[pos]) for _, score, pos in process.extract(
                    ok[i], [nk[j] for j in outside], scorer=fuzz.ratio, limit=None,
                    score_cutoff=GROWN_MIN * 100)]
            for sim, j in found:
                eff = _grown(sim, len(ok[i]), len(nk[j]))
                if eff >= MOVED_MIN:
                    scored.append((eff, sim, i, j))
        scored.sort(key=lambda t: (-t[0], -_near(t[2], t[3], len(ok), len(nk)), t[2], t[3]))
        for _, sim, i, j in scored:
            if i in used_o or j in used_n:
                continue
            groups.append(Group([i], [j], sim, "moved"))
            used_o.add(i)
            used_n.add(j)
    for i in range(len(ok)):
        if i not in used_o:
            groups.append(Group([i], [], 0.0, "unpaired"))
    for j in range(len(nk)):
        if j not in used_n:
            groups.append(Group([], [j], 0.0, "unpaired"))
    return groups

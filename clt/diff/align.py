"""Pair the articles of two versions of a law by content, order respected.

The aligner works on the articles' *alignment keys* (text with width and
white space folded, see :func:`clt.diff.inline.alignment_key`) and never on
their numbers, which an amendment shifts.  In three passes:

1. **Anchors.**  Texts that occur exactly once on each side pair at once.
   The longest chain of such pairs that keeps the order of both versions
   (a longest increasing subsequence) fixes the skeleton of the alignment;
   an exact pair left out of that chain is an article that *moved*.
2. **Gaps.**  Between consecutive anchors, the remaining old and new articles
   are paired by similarity (Indel ratio from rapidfuzz, computed in C; a
   length bound skips pairs that cannot reach the threshold, so the cost is
   not quadratic in characters).  Candidates are 1:1 pairs and 1:k / k:1
   groups of consecutive articles whose concatenation matches (an article
   *split* in two, two articles *merged*).  The heaviest chain of candidates
   that respects the order (a sparse weighted-LIS with a Fenwick tree,
   O(K log K) in the number of candidates) is kept.
3. **Leftovers.**  Old and new articles still unpaired are matched greedily
   when they are very similar (an article that moved and was also edited);
   whatever remains was deleted or inserted.

Everything here works on indices and plain strings; :mod:`clt.diff` turns
the groups into ``change`` records.
"""

from bisect import bisect_left
import heapq

from rapidfuzz import fuzz, process

#: a 1:1 pair must be at least this similar (Indel ratio, 0..1)
PAIR_MIN = 0.5
#: the weight of a pair is its similarity above this base: strong pairs beat
#: several weak ones
WEIGHT_BASE = 0.4
#: a split/merge group must be at least this similar to its counterpart ...
GROUP_MIN = 0.8
#: ... each of its parts this much contained in the counterpart ...
PART_COVER = 0.8
#: the most articles one article may split into / merge from
GROUP_MAX = 4
#: an unpaired old and new article this similar pair as "moved"
MOVED_MIN = 0.8


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


def _gap_candidates(olds, news, ok, nk):
    """Candidate groups (o_lo, o_hi, n_lo, n_hi, sim, old items, new items) among old indices *olds* and new *news*.

    *olds*/*news* are consecutive runs of unpaired articles (a gap between anchors).
    """
    cands = []
    if not olds or not news:
        return cands
    nlen = [len(nk[j]) for j in news]
    choices = [nk[j] for j in news]
    # per old article: similar new articles (1:1) and how much of each new one it covers
    single = {}   # (i, j) -> sim
    cover_n = {}  # (i, j) -> share of new j's characters found in old i
    for i in olds:
        a = ok[i]
        la = len(a)
        if not la:
            continue
        for _, score, pos in process.extract(a, choices, scorer=fuzz.ratio, limit=None,
                                             score_cutoff=1):
            j = news[pos]
            s = score / 100.0
            lb = nlen[pos]
            lcs = s * (la + lb) / 2.0
            if s >= PAIR_MIN:
                single[(i, j)] = s
            if lb and lcs / lb >= PART_COVER:
                cover_n[(i, j)] = lcs / lb
    # and the other way round: how much of each old article a new one covers
    cover_o = {}
    for (i, j), s in _covers_old(olds, news, ok, nk).items():
        cover_o[(i, j)] = s
    for (i, j), s in single.items():
        cands.append((i, i, j, j, s, (i,), (j,)))
    # split: old i -> consecutive new j..j+k-1, each well covered by old i
    pos_n = {j: p for p, j in enumerate(news)}
    for i in olds:
        for j in news:
            if (i, j) not in cover_n:
                continue
            for run in _runs(news, pos_n[j], lambda x: (i, x) in cover_n):
                s = _group_sim(ok[i], [nk[x] for x in run])
                if _group_ok(ok[i], [nk[x] for x in run], s):
                    cands.append((i, i, run[0], run[-1], s, (i,), tuple(run)))
    # merge: consecutive old i..i+k-1 -> new j
    pos_o = {i: p for p, i in enumerate(olds)}
    for j in news:
        for i in olds:
            if (i, j) not in cover_o:
                continue
            for run in _runs(olds, pos_o[i], lambda x: (x, j) in cover_o):
                s = _group_sim(nk[j], [ok[x] for x in run])
                if _group_ok(nk[j], [ok[x] for x in run], s):
                    cands.append((run[0], run[-1], j, j, s, tuple(run), (j,)))
    return cands


def _runs(seq, p, covered):
    """Runs of 2..GROUP_MAX items of *seq* starting at position *p*, each *covered*.

    A run may step over one uncovered item between two covered ones (an
    article deleted or inserted between the parts of a split or merge).
    """
    run = [seq[p]]
    while len(run) < GROUP_MAX:
        if p + 1 < len(seq) and covered(seq[p + 1]):
            p += 1
        elif p + 2 < len(seq) and covered(seq[p + 2]):
            p += 2
        else:
            return
        run.append(seq[p])
        yield list(run)


def _covers_old(olds, news, ok, nk):
    """{(i, j): share of old i's characters found in new j} where it is high."""
    out = {}
    olen = [len(ok[i]) for i in olds]
    choices = [ok[i] for i in olds]
    for j in news:
        b = nk[j]
        lb = len(b)
        if not lb:
            continue
        for _, score, pos in process.extract(b, choices, scorer=fuzz.ratio, limit=None,
                                             score_cutoff=1):
            la = olen[pos]
            lcs = score / 100.0 * (la + lb) / 2.0
            if la and lcs / la >= PART_COVER:
                out[(olds[pos], j)] = lcs / la
    return out


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
        o_lo, o_hi, n_lo, n_hi_k, s, o_items, n_items = cands[k]
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


def align(old_texts, new_texts):
    """Groups pairing *old_texts* with *new_texts* (lists of alignment keys).

    Returns a list of :class:`Group`; every index of either side appears in
    exactly one group (unpaired ones in groups with an empty other side).
    """
    ok, nk = list(old_texts), list(new_texts)
    groups = []
    used_o, used_n = set(), set()
    chain, moved = _anchors(ok, nk)
    for i, j in chain:
        groups.append(Group([i], [j], 1.0, "anchor"))
    for i, j in moved:
        groups.append(Group([i], [j], 1.0, "moved"))
    for g in groups:
        used_o.update(g.old)
        used_n.update(g.new)
    # gaps between consecutive anchors
    bounds = [(-1, -1)] + chain + [(len(ok), len(nk))]
    for (i0, j0), (i1, j1) in zip(bounds, bounds[1:]):
        olds = [i for i in range(i0 + 1, i1) if i not in used_o]
        news = [j for j in range(j0 + 1, j1) if j not in used_n]
        for _, _, _, _, s, o_items, n_items in _chain(_gap_candidates(olds, news, ok, nk)):
            g = Group(o_items, n_items, s, "chain")
            groups.append(g)
            used_o.update(g.old)
            used_n.update(g.new)
    # leftovers: very similar articles out of order
    left_o = [i for i in range(len(ok)) if i not in used_o]
    left_n = [j for j in range(len(nk)) if j not in used_n]
    if left_o and left_n:
        scored = []
        choices = [nk[j] for j in left_n]
        for i in left_o:
            for _, score, pos in process.extract(ok[i], choices, scorer=fuzz.ratio, limit=None,
                                                 score_cutoff=MOVED_MIN * 100):
                scored.append((score, i, left_n[pos]))
        scored.sort(key=lambda t: (-t[0], t[1], t[2]))
        for score, i, j in scored:
            if i in used_o or j in used_n:
                continue
            groups.append(Group([i], [j], score / 100.0, "moved"))
            used_o.add(i)
            used_n.add(j)
    for i in range(len(ok)):
        if i not in used_o:
            groups.append(Group([i], [], 0.0, "unpaired"))
    for j in range(len(nk)):
        if j not in used_n:
            groups.append(Group([], [j], 0.0, "unpaired"))
    return groups

"""Metrics of DESIGN.md §5, vectorised over every item at once (no loop per respondent).

Each function looks the item and facet of every answer up once, as integer codes; every statistic
is then a ``numpy.bincount`` over those codes. Answers are whole scale points (the questionnaire
schema has no other kind), so medians, quartiles and the Tastle-Wierman consensus come from one
histogram per group rather than from a sort. ``tests/analytics/reference_metrics.py`` holds the
plain pandas formulation these functions are checked against.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

ANSWER_COLUMNS = ["response", "item", "facet", "value"]

#: The statistics of one scale, per group: see ``_scale_stats``.
SCALE_STATS = [
    "n",
    "mean",
    "median",
    "sd",
    "iqr",
    "ad",
    "disagreement",
    "rwg",
    "consensus",
    "polarised",
    "scale_min",
    "scale_max",
]


def _scale_stats(codes, size: int, value, low, high) -> dict[str, np.ndarray]:
    """Spread and agreement of the answers in each of ``size`` groups.

    ``codes`` gives each answer's group, ``low`` and ``high`` each group's scale bounds. Returns
    n, mean, median, sd, iqr, ad (mean absolute deviation from the mean), disagreement (AD > A/6,
    A the number of scale points), rwg (clipped to [0, 1]), consensus (Tastle and Wierman) and
    polarised (a quarter or more in each pair of extreme categories), as arrays of ``size``.
    Groups without answers get n = 0 and NaN; sd needs two answers.
    """
    low = np.asarray(low, dtype=float)
    high = np.asarray(high, dtype=float)
    points = high - low + 1
    with np.errstate(divide="ignore", invalid="ignore"):
        n = np.bincount(codes, minlength=size).astype(float)
        mean = np.bincount(codes, value, size) / n
        deviation = value - mean[codes]
        sd = np.sqrt(np.bincount(codes, deviation * deviation, size) / (n - 1))
        sd[n < 2] = np.nan
        ad = np.bincount(codes, np.abs(deviation), size) / n

        histogram, first = _histogram(codes, size, value)
        q1, median, q3 = (_quantile(histogram, first, n, q) for q in (0.25, 0.5, 0.75))

        share = histogram / n[:, None]
        scale_points = first + np.arange(histogram.shape[1])
        distance = np.abs(scale_points[None, :] - mean[:, None]) / (high - low)[:, None]
        terms = share * np.log2(np.clip(1 - distance, 1e-12, None))
        consensus = 1 + np.where(histogram > 0, terms, 0).sum(axis=1)

        share_low = np.bincount(codes, value <= low[codes] + 1, size) / n
        share_high = np.bincount(codes, value >= high[codes] - 1, size) / n
    empty = n == 0
    consensus[empty] = np.nan
    return {
        "n": n.astype(int),
        "mean": mean,
        "median": median,
        "sd": sd,
        "iqr": q3 - q1,
        "ad": ad,
        "disagreement": ad > points / 6,
        "rwg": np.clip(1 - sd**2 / ((points**2 - 1) / 12), 0, 1),
        "consensus": consensus,
        "polarised": (share_low >= 0.25) & (share_high >= 0.25) & (high - low >= 3),
        "scale_min": low,
        "scale_max": high,
    }


def _histogram(codes, size: int, value) -> tuple[np.ndarray, float]:
    """Answers per group and scale point: a (size × points) array, and the first point."""
    if len(value) == 0:
        return np.zeros((size, 1), dtype=np.int64), 0.0
    first = value.min()
    offset = (value - first).astype(np.int64)
    width = int(offset.max()) + 1
    counts = np.bincount(codes * width + offset, minlength=size * width)
    return counts.reshape(size, width), first


def _quantile(histogram, first: float, n, q: float):
    """The q-quantile of each group, interpolated linearly as pandas does by default."""
    cumulative = histogram.cumsum(axis=1)
    position = q * (n - 1)
    below = np.floor(position)
    above = np.minimum(below + 1, n - 1)

    def point(rank):
        return first + (cumulative <= rank[:, None]).sum(axis=1)

    lower = point(below)
    result = lower + (position - below) * (point(above) - lower)
    result[n == 0] = np.nan
    return result


class _Lookup:
    """The answers that belong to items of some kinds, with integer codes for item and facet.

    Statistics are computed per group: the item, or with ``by`` (a column of the answers, such
    as the session) the pair (by value, item).
    """

    def __init__(
        self,
        answers: pd.DataFrame,
        items: pd.DataFrame,
        kinds: tuple[str, ...],
        by: str | None = None,
    ):
        self.items = items[items["kind"].isin(kinds)].reset_index(drop=True)
        codes = pd.Index(self.items["item"]).get_indexer(answers["item"])
        rows = codes >= 0
        self.answers = answers
        self.rows = rows if not rows.all() else slice(None)
        self.item = codes[self.rows]
        self.value = answers["value"].to_numpy(dtype=float)[self.rows]
        self.facet, facets = pd.factorize(answers["facet"].to_numpy()[self.rows])
        self.facets = pd.Index(facets)
        self.by = by
        if by is None:
            self.group, self.by_values = self.item, None
        else:
            by_code, self.by_values = pd.factorize(answers[by].to_numpy()[self.rows])
            self.group = by_code * len(self.items) + self.item
        self.groups = len(self.items) * (1 if by is None else len(self.by_values))
        self.group_item = np.arange(self.groups) % max(len(self.items), 1)

    def __len__(self) -> int:
        return len(self.item)

    def response(self) -> np.ndarray:
        """A code per answer for its response (only the pairing metrics need it)."""
        codes, _ = pd.factorize(self.answers["response"].to_numpy()[self.rows])
        return codes

    def facet_code(self, names) -> np.ndarray:
        """The code of each named facet, -1 where no answer has it."""
        return self.facets.get_indexer(pd.Index(names))

    def bounds(self) -> tuple[np.ndarray, np.ndarray]:
        """Each group's scale bounds."""
        return (
            self.items["scale_min"].to_numpy(dtype=float)[self.group_item],
            self.items["scale_max"].to_numpy(dtype=float)[self.group_item],
        )

    def frame(self, columns: dict, present) -> pd.DataFrame:
        """A frame of one row per group, indexed by item (or by value and item), sorted, keeping
        the groups in ``present``."""
        items = self.items["item"].to_numpy()
        if self.by is None:
            index = pd.Index(items, name="item")
        else:
            index = pd.MultiIndex.from_arrays(
                [
                    np.repeat(np.asarray(self.by_values), len(items)),
                    np.tile(items, len(self.by_values)),
                ],
                names=[self.by, "item"],
            )
        return pd.DataFrame(columns, index=index)[present].sort_index()


def _pairs(lookup: _Lookup, is_a, is_b):
    """Each response's two answers to one item side by side: (group code, a, b), complete only."""
    response = lookup.response()
    key = response.astype(np.int64) * lookup.groups + lookup.group
    pair, keys = pd.factorize(key)
    a = np.full(len(keys), np.nan)
    b = np.full(len(keys), np.nan)
    a[pair[is_a]] = lookup.value[is_a]
    b[pair[is_b]] = lookup.value[is_b]
    complete = ~np.isnan(a) & ~np.isnan(b)
    return (keys % lookup.groups)[complete], a[complete], b[complete]


def rating_metrics(
    answers: pd.DataFrame, items: pd.DataFrame, by: str | None = None
) -> pd.DataFrame:
    """One row per rated statement with answers: the statistics of ``SCALE_STATS``, by item
    (with ``by``, by value of that column of the answers and item)."""
    lookup = _Lookup(answers, items, ("rating",), by)
    low, high = lookup.bounds()
    stats = _scale_stats(lookup.group, lookup.groups, lookup.value, low, high)
    return lookup.frame(stats, stats["n"] > 0)


def scale_distribution(answers: pd.DataFrame, items: pd.DataFrame, kinds=("rating",)):
    """Share of answers at each scale point, per item and facet: for diverging bars.

    Columns: item, facet, value, count, share (of the item and facet's answers).
    """
    lookup = _Lookup(answers, items, kinds)
    if not len(lookup):
        return pd.DataFrame(columns=["item", "facet", "value", "count", "share"])
    facets = len(lookup.facets)
    cell = lookup.item * facets + lookup.facet
    histogram, first = _histogram(cell, lookup.groups * facets, lookup.value)
    cells, offsets = np.nonzero(histogram)
    counts = histogram[cells, offsets]
    totals = histogram.sum(axis=1)
    return pd.DataFrame(
        {
            "item": lookup.items["item"].to_numpy()[cells // facets],
            "facet": lookup.facets.to_numpy()[cells % facets],
            "value": first + offsets,
            "count": counts,
            "share": counts / totals[cells],
        }
    )


def paired_metrics(
    answers: pd.DataFrame, items: pd.DataFrame, by: str | None = None
) -> pd.DataFrame:
    """Per paired statement: both facets, the gap d = b − a, its size, spread and flags.

    With ``by``, a column of the answers such as the session, one row per (by value, statement).

    Only respondents who answered both facets count. τ, the felt-gap threshold, is a quarter of
    the scale's range. Flags: ``shared_gap`` (|mean d| ≥ τ, the group agrees on d, not
    polarised), ``contested`` (mean |d| ≥ τ with disagreement on d, or a polarised facet),
    ``unclear_prescription`` (disagreement on facet a alone).
    """
    lookup = _Lookup(answers, items, ("paired",), by)
    if not len(lookup):
        return pd.DataFrame()
    facet_a = lookup.facet_code(lookup.items["facet_a"])[lookup.item]
    facet_b = lookup.facet_code(lookup.items["facet_b"])[lookup.item]
    group, a, b = _pairs(lookup, lookup.facet == facet_a, lookup.facet == facet_b)
    if not len(group):
        return pd.DataFrame()
    low, high = lookup.bounds()
    span = high - low
    d = b - a
    gap = _scale_stats(group, lookup.groups, d, -span, span)
    n = gap["n"]
    with np.errstate(divide="ignore", invalid="ignore"):
        tau = span / 4
        columns = {
            "n": n,
            "mean_gap": gap["mean"],
            "median_gap": gap["median"],
            "sd_gap": gap["sd"],
            "scale_min": low,
            "scale_max": high,
            "mean_abs_gap": np.bincount(group, np.abs(d), lookup.groups) / n,
            "ad_gap": gap["ad"],
            "felt_share_up": np.bincount(group, d >= tau[group], lookup.groups) / n,
            "felt_share_down": np.bincount(group, d <= -tau[group], lookup.groups) / n,
        }
    columns["felt_share"] = columns["felt_share_up"] + columns["felt_share_down"]
    for side, value in (("a", a), ("b", b)):
        stats = _scale_stats(group, lookup.groups, value, low, high)
        columns.update({f"{stat}_{side}": stats[stat] for stat in SCALE_STATS})

    disagree_on_gap = gap["ad"] > (span + 1) / 6
    polarised = columns["polarised_a"] | columns["polarised_b"]
    mean_gap = np.nan_to_num(gap["mean"])
    columns["shared_gap"] = (np.abs(mean_gap) >= tau) & ~disagree_on_gap & ~polarised
    columns["contested"] = (
        (np.nan_to_num(columns["mean_abs_gap"]) >= tau) & disagree_on_gap
    ) | polarised
    columns["unclear_prescription"] = columns["disagreement_a"] & ~columns["disagreement_b"]
    return lookup.frame(columns, n > 0)


FLOW_CHANNELS = ("overload", "routine", "flow", "apathy", "other")


def task_map_metrics(
    answers: pd.DataFrame, items: pd.DataFrame, by: str | None = None
) -> pd.DataFrame:
    """Per task: mean and spread on each axis, and how many people fall in each flow channel
    (with ``by``, per value of that column of the answers and task).

    Channels per person (DESIGN.md §5): challenge − skill ≥ 2 overload; skill − challenge ≥ 2
    routine; |difference| ≤ 1 with both ≥ 5 flow; both ≤ 3 apathy; otherwise other.
    """
    lookup = _Lookup(answers, items, ("task_map",), by)
    if not len(lookup):
        return pd.DataFrame()
    low, high = lookup.bounds()
    axes = len(lookup.facets)
    cell = lookup.group * axes + lookup.facet
    stats = _scale_stats(
        cell, lookup.groups * axes, lookup.value, low.repeat(axes), high.repeat(axes)
    )
    columns = {}
    for code, axis in enumerate(lookup.facets):
        for stat in ("n", "mean", "sd"):
            columns[f"{stat}_{axis}"] = stats[stat].reshape(lookup.groups, axes)[:, code]
    present = stats["n"].reshape(lookup.groups, axes).sum(axis=1) > 0

    challenge, skill = lookup.facet_code(["challenge", "skill"])
    if challenge < 0 or skill < 0:
        return lookup.frame(columns, present)
    group, challenge, skill = _pairs(lookup, lookup.facet == challenge, lookup.facet == skill)
    difference = challenge - skill
    channel = np.select(
        [
            difference >= 2,
            difference <= -2,
            (np.abs(difference) <= 1) & (challenge >= 5) & (skill >= 5),
            (challenge <= 3) & (skill <= 3),
        ],
        range(4),
        default=4,
    )
    counts = np.bincount(group * 5 + channel, minlength=lookup.groups * 5).reshape(lookup.groups, 5)
    columns.update({name: counts[:, code] for code, name in enumerate(FLOW_CHANNELS)})
    columns["n_flow"] = counts.sum(axis=1)
    return lookup.frame(columns, present)


def allocation_metrics(
    answers: pd.DataFrame, items: pd.DataFrame, by: str | None = None
) -> pd.DataFrame:
    """Mean points per objective and viewpoint (a column each), ``n_<viewpoint>`` the people
    behind each mean, and n, the people who answered the objective under any viewpoint (with
    ``by``, per value of that column of the answers and objective)."""
    lookup = _Lookup(answers, items, ("allocation",), by)
    if not len(lookup):
        return pd.DataFrame()
    viewpoints = len(lookup.facets)
    cell = lookup.group * viewpoints + lookup.facet
    size = lookup.groups * viewpoints
    counts = np.bincount(cell, minlength=size)
    with np.errstate(divide="ignore", invalid="ignore"):
        means = np.bincount(cell, lookup.value, size) / counts
    means = means.reshape(lookup.groups, viewpoints)
    columns = {viewpoint: means[:, code] for code, viewpoint in enumerate(lookup.facets)}
    for code, viewpoint in enumerate(lookup.facets):
        columns[f"n_{viewpoint}"] = counts.reshape(lookup.groups, viewpoints)[:, code]
    people = pd.unique(lookup.response().astype(np.int64) * lookup.groups + lookup.group)
    columns["n"] = np.bincount(people % lookup.groups, minlength=lookup.groups)
    table = lookup.frame(columns, columns["n"] > 0)
    table.columns.name = "facet"
    return table


def option_counts(answers: pd.DataFrame, items: pd.DataFrame, kind: str) -> pd.DataFrame:
    """How many people chose each option (choice), or ranked it and with how many points.

    Rankings give ``rank`` answers (1 = first) and ``scale_max`` holds how many ranks were asked;
    points are ranks asked + 1 − rank (Borda). Sorted by item, then most points first.
    """
    lookup = _Lookup(answers, items, (kind,))
    if not len(lookup):
        return pd.DataFrame(columns=["item", "option", "people", "points"])
    options = len(lookup.facets)
    cell = lookup.item * options + lookup.facet
    size = lookup.groups * options
    # One answer per person and option: a count of answers is a count of people.
    people = np.bincount(cell, minlength=size)
    points = people
    if kind == "ranking":
        _low, ranks = lookup.bounds()
        points = np.bincount(cell, ranks[lookup.item] + 1 - lookup.value, size).astype(int)
    chosen = people > 0
    result = pd.DataFrame(
        {
            "item": np.repeat(lookup.items["item"].to_numpy(), options)[chosen],
            "option": np.tile(lookup.facets.to_numpy(), lookup.groups)[chosen],
            "people": people[chosen],
            "points": points[chosen],
        }
    )
    return result.sort_values(["item", "points"], ascending=[True, False], kind="stable")

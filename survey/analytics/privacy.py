"""The anonymity rules of DESIGN.md §6, per number shown, in one place (no Flask, no database).

The unit of protection is each statistic, not the session: every item is skippable, so one
statement, axis, viewpoint or option can rest on far fewer people than the session has
responses. Every statistic carries ``n``, the distinct responses it rests on, and is shown only
when:

- **cell rule**: n ≥ k (free texts: the session has k + 2 responses);
- **no differencing**: results are published in numbered publications; a statistic keeps the
  value of the last publication it was shown at until its own n has grown by at least k
  (texts: k + 2) since then, so that two views never differ by 1 to k − 1 people;
- **breakdowns**: every cell and every complement has ≥ k for that very statistic, and no cell
  grew by 1 to k − 1 since an earlier view of the same statistic;
- **precision**: values leave the server rounded to the precision shown.

A *snapshot* is the set of responses of publications 1..p: answers are replicated once per
snapshot that includes them (``snapshots``), metrics are computed per snapshot with the metric
functions' ``by`` argument, and ``settle`` picks, per statistic, the snapshot it is shown from.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

#: Free texts need this many responses more than the threshold k.
TEXT_MARGIN = 2
#: Digits kept in anything that leaves the server: means one decimal, shares whole percents.
MEAN_DIGITS = 1
SHARE_DIGITS = 2


def snapshots(answers: pd.DataFrame, publications) -> pd.DataFrame:
    """The answers repeated once per snapshot that includes them, in a ``snapshot`` column.

    ``answers`` has a ``publication`` column (1, 2...; unpublished answers must be left out):
    publication p is in snapshots p, p + 1... up to ``publications``, the number of
    publications, or a Series giving it for each answer (when answers span several sessions).
    """
    publication = answers["publication"].to_numpy(dtype=int)
    if isinstance(publications, pd.Series):
        last = publications.to_numpy(dtype=int)
    else:
        last = np.full(len(answers), int(publications))
    copies = np.maximum(last - publication + 1, 0)
    rows = np.repeat(np.arange(len(answers)), copies)
    offset = np.arange(len(rows)) - np.repeat(np.cumsum(copies) - copies, copies)
    expanded = answers.iloc[rows].reset_index(drop=True)
    return expanded.assign(snapshot=publication[rows] + offset)


def shown_snapshots(counts: pd.DataFrame, k: int, step: int | None = None) -> pd.DataFrame:
    """Which snapshots show each statistic: a boolean frame like ``counts``.

    ``counts`` has one row per statistic and one column per snapshot, in publication order,
    holding the statistic's n in that snapshot (NaN or 0 where it has no answer). A statistic is
    first shown at the first snapshot where n ≥ k; after that, only at a snapshot where n grew by
    at least ``step`` (default k) since the snapshot last shown, which it then replaces.
    """
    step = k if step is None else step
    n = counts.fillna(0).to_numpy(dtype=float)
    shown = np.zeros(n.shape, dtype=bool)
    last = np.full(n.shape[0], np.nan)
    for column in range(n.shape[1]):
        current = n[:, column]
        move = np.where(np.isnan(last), current >= k, current - last >= step)
        shown[:, column] = move
        last = np.where(move, current, last)
    return pd.DataFrame(shown, index=counts.index, columns=counts.columns)


def chosen_snapshots(n: pd.Series, k: int, step: int | None = None) -> pd.Series:
    """Per statistic, the snapshot its value is shown from now; hidden statistics are absent.

    ``n`` is indexed by ``snapshot`` and the statistic's key (item, (session, item)...).
    """
    if n.empty:
        return pd.Series(dtype=int)
    shown = shown_snapshots(n.unstack("snapshot").sort_index(axis=1), k, step)
    flags = shown.to_numpy()
    last = flags.shape[1] - 1 - np.argmax(flags[:, ::-1], axis=1)
    chosen = pd.Series(np.asarray(shown.columns)[last], index=shown.index)
    return chosen[flags.any(axis=1)]


def settle(
    metrics: pd.DataFrame,
    k: int,
    guards: Mapping[str, Sequence[str]],
    step: int | None = None,
) -> pd.DataFrame:
    """The values to show, statistic by statistic, from metrics computed per snapshot.

    ``metrics`` is indexed by ``snapshot`` and a key (the item, or session and item). ``guards``
    maps each n column to the columns computed from those same responses. For each key and n
    column, the guarded columns come from the snapshot ``chosen_snapshots`` picks; where none
    does, they are NaN, n included: the page says "fewer than k answers". Unguarded columns
    (scale bounds...) come from the latest snapshot. Returns one row per key.
    """
    if metrics.empty:
        return metrics
    key = [name for name in metrics.index.names if name != "snapshot"]
    if metrics.index.get_level_values("snapshot").nunique() == 1:
        return _settle_one(metrics.droplevel("snapshot"), k, guards)
    frame = metrics.reorder_levels([*key, "snapshot"]).sort_index()
    result = frame.groupby(level=key, sort=True).tail(1).droplevel("snapshot")
    for n_column, columns in guards.items():
        present = [c for c in (n_column, *columns) if c in frame]
        if n_column not in frame:
            continue
        chosen = chosen_snapshots(frame[n_column], k, step)
        at = pd.MultiIndex.from_arrays([*_levels(chosen.index), chosen.to_numpy()])
        picked = frame[present].reindex(at)
        picked.index = chosen.index
        for column in present:
            if result[column].dtype == bool:
                result[column] = result[column].astype(object)
        result[present] = picked.reindex(result.index)
    return result


def _settle_one(frame: pd.DataFrame, k: int, guards: Mapping[str, Sequence[str]]) -> pd.DataFrame:
    """``settle`` when a single publication was made: n ≥ k is the whole rule."""
    result = frame.sort_index()
    for n_column, columns in guards.items():
        if n_column not in result:
            continue
        present = [c for c in (n_column, *columns) if c in result]
        hidden = (result[n_column] < k).to_numpy()
        if not hidden.any():
            continue
        for column in present:
            if result[column].dtype == bool or pd.api.types.is_integer_dtype(result[column]):
                result[column] = result[column].astype(
                    object if result[column].dtype == bool else float
                )
        result.loc[hidden, present] = np.nan
    return result


def pick(frame: pd.DataFrame, chosen: pd.Series, key: str = "item") -> pd.DataFrame:
    """The rows of a long frame (a ``snapshot`` column, a ``key`` column) at each key's chosen
    snapshot: option counts and scale distributions follow their question's statistic."""
    if frame.empty:
        return frame.drop(columns="snapshot", errors="ignore")
    keep = frame["snapshot"].to_numpy() == frame[key].map(chosen).to_numpy()
    return frame[keep].drop(columns="snapshot").reset_index(drop=True)


def _levels(index: pd.Index) -> list:
    if isinstance(index, pd.MultiIndex):
        return [index.get_level_values(i) for i in range(index.nlevels)]
    return [index]


def rounded(frame: pd.DataFrame, digits: Mapping[str, int] | None = None) -> pd.DataFrame:
    """Values rounded to the precision they are shown with, before anything leaves the server.

    Float columns keep ``MEAN_DIGITS`` decimals, those whose name holds "share" ``SHARE_DIGITS``
    (whole percents), and ``digits`` overrides per column.
    """
    digits = digits or {}
    places = {
        column: digits.get(column, SHARE_DIGITS if "share" in str(column) else MEAN_DIGITS)
        for column in frame.columns
        if pd.api.types.is_float_dtype(frame[column])
    }
    return frame.round(places) if places else frame.copy()


def texts_in_order(texts: Sequence[str]) -> list[str]:
    """Free texts in an order that depends on neither author nor time: sorted by their content.

    Each prompt's texts are sorted on their own, so that one person's texts never line up
    across prompts; blank texts are left out.
    """
    shown = [t.strip() for t in texts if t and t.strip()]
    return sorted(shown, key=lambda t: (t.casefold(), t))


def breakdown_cells_shown(cells: pd.DataFrame, total_shown: Sequence[bool], k: int) -> bool:
    """Whether one statistic may be shown per cell (establishment, role) at the latest snapshot.

    ``cells`` holds the statistic's n per cell (rows) and snapshot (columns, in order);
    ``total_shown`` says at which snapshots the pooled statistic was shown. At the latest of
    those, every cell and every complement needs ≥ k, and no cell may have grown by 1 to k − 1
    since any earlier snapshot the statistic was shown at: either would let a cell, or one
    person in it, be derived by subtracting views.
    """
    shown = [i for i, flag in enumerate(total_shown) if flag]
    if not shown or len(cells) < 2:
        return False
    n = cells.fillna(0).to_numpy(dtype=float)
    now = n[:, shown[-1]]
    total = now.sum()
    if (now < k).any() or (total - now < k).any():
        return False
    for earlier in shown[:-1]:
        growth = now - n[:, earlier]
        if ((growth > 0) & (growth < k)).any():
            return False
    return True


def breakdown_allowed(cells: Mapping[str, int], k: int) -> bool:
    """A breakdown (establishment, role) only if every cell and every complement has ≥ k.

    The complement rule stops a cell being derived by subtracting the others from the total.
    """
    total = sum(cells.values())
    return len(cells) > 1 and all(n >= k and total - n >= k for n in cells.values())


def publishable(unpublished: int, k: int) -> bool:
    """Whether the responses not yet shown may be put in a new publication.

    A publication with fewer than k new responses could change no statistic anyway
    (``shown_snapshots``); refusing it keeps the facilitator from a step that shows nothing.
    """
    return unpublished >= k

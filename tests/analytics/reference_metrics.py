"""The plain pandas formulation of the metrics (pivot tables and group-bys), kept as the reference
that the vectorised ``survey.analytics.metrics`` is checked against in ``test_reference.py``."""

from __future__ import annotations

import numpy as np
import pandas as pd

ANSWER_COLUMNS = ["response", "item", "facet", "value"]


def _points(items: pd.DataFrame) -> pd.Series:
    return items["scale_max"] - items["scale_min"] + 1


def scale_stats(values: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Spread and agreement of answers on one scale, per group of ``by``.

    ``values`` has ``value``, ``scale_min`` and ``scale_max`` columns. Returns n, mean, median,
    sd, iqr, ad (mean absolute deviation from the mean), disagreement (AD > A/6, A the number of
    scale points), rwg (clipped to [0, 1]), consensus (Tastle and Wierman) and polarised.
    """
    if values.empty:
        return pd.DataFrame(
            columns=[
                *by,
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
            ]
        ).set_index(by)
    grouped = values.groupby(by, sort=False)
    stats = grouped["value"].agg(["count", "mean", "median", "std"])
    stats.columns = ["n", "mean", "median", "sd"]
    quartiles = grouped["value"].quantile([0.25, 0.75]).unstack()
    stats["q1"], stats["q3"] = quartiles[0.25], quartiles[0.75]
    bounds = grouped[["scale_min", "scale_max"]].first()
    stats = stats.join(bounds)
    points = stats["scale_max"] - stats["scale_min"] + 1
    width = stats["scale_max"] - stats["scale_min"]

    centred = values.join(stats["mean"], on=by)
    deviation = (centred["value"] - centred["mean"]).abs()
    stats["ad"] = deviation.groupby([centred[c] for c in by], sort=False).mean()
    stats["iqr"] = stats["q3"] - stats["q1"]
    stats["disagreement"] = stats["ad"] > points / 6
    expected_variance = (points**2 - 1) / 12
    stats["rwg"] = (1 - stats["sd"] ** 2 / expected_variance).clip(0, 1)

    # Tastle-Wierman consensus from the share of each scale point.
    shares = values.groupby([*by, "value"], sort=False).size().rename("count").reset_index()
    shares = shares.join(stats[["n", "mean", "scale_min", "scale_max"]], on=by)
    share = shares["count"] / shares["n"]
    distance = (shares["value"] - shares["mean"]).abs() / (
        shares["scale_max"] - shares["scale_min"]
    )
    shares["term"] = share * np.log2((1 - distance).clip(lower=1e-12))
    stats["consensus"] = 1 + shares.groupby(by, sort=False)["term"].sum()

    # Polarised: at least a quarter in each pair of extreme categories.
    low = values["value"] <= values["scale_min"] + 1
    high = values["value"] >= values["scale_max"] - 1
    keys = [values[c] for c in by]
    share_low = low.groupby(keys, sort=False).mean()
    share_high = high.groupby(keys, sort=False).mean()
    stats["polarised"] = (share_low >= 0.25) & (share_high >= 0.25) & (width >= 3)
    return stats.drop(columns=["q1", "q3"])


def _with_scales(answers: pd.DataFrame, items: pd.DataFrame, kinds: tuple[str, ...]):
    selected = items[items["kind"].isin(kinds)]
    return answers.merge(selected, on="item", how="inner")


def rating_metrics(answers: pd.DataFrame, items: pd.DataFrame) -> pd.DataFrame:
    """One row per rated statement: the stats of ``scale_stats``, indexed by item."""
    values = _with_scales(answers, items, ("rating",))
    return scale_stats(values, ["item"])


def scale_distribution(answers: pd.DataFrame, items: pd.DataFrame, kinds=("rating",)):
    """Share of answers at each scale point, per item (and facet): for diverging bars."""
    values = _with_scales(answers, items, kinds)
    counts = values.groupby(["item", "facet", "value"]).size().rename("count").reset_index()
    counts["share"] = counts["count"] / counts.groupby(["item", "facet"])["count"].transform("sum")
    return counts


def paired_metrics(answers: pd.DataFrame, items: pd.DataFrame) -> pd.DataFrame:
    """Per paired statement: both facets, the gap d = b − a, its size, spread and flags.

    Only respondents who answered both facets count. τ, the felt-gap threshold, is a quarter of
    the scale's range. Flags: ``shared_gap`` (|mean d| ≥ τ, the group agrees on d, not
    polarised), ``contested`` (mean |d| ≥ τ with disagreement on d, or a polarised facet),
    ``unclear_prescription`` (disagreement on facet a alone).
    """
    values = _with_scales(answers, items, ("paired",))
    values = values[(values["facet"] == values["facet_a"]) | (values["facet"] == values["facet_b"])]
    values = values.assign(side=np.where(values["facet"] == values["facet_a"], "a", "b"))
    wide = values.pivot_table(index=["item", "response"], columns="side", values="value")
    wide = wide.dropna(subset=[c for c in ("a", "b") if c in wide.columns])
    if wide.empty or not {"a", "b"} <= set(wide.columns):
        return pd.DataFrame()
    pairs = wide.reset_index().merge(items, on="item")
    pairs["d"] = pairs["b"] - pairs["a"]
    both = pairs.set_index("response", drop=False)

    facets = pd.concat(
        [both.assign(value=both["a"], side="a"), both.assign(value=both["b"], side="b")]
    )
    facet_stats = scale_stats(
        facets[["item", "side", "value", "scale_min", "scale_max"]], ["item", "side"]
    ).unstack("side")
    facet_stats.columns = [f"{stat}_{side}" for stat, side in facet_stats.columns]

    gaps = pairs.assign(value=pairs["d"])
    grouped = gaps.groupby("item", sort=False)
    result = grouped.agg(
        n=("d", "count"),
        mean_gap=("d", "mean"),
        median_gap=("d", "median"),
        sd_gap=("d", "std"),
        scale_min=("scale_min", "first"),
        scale_max=("scale_max", "first"),
    )
    gaps = gaps.join(result["mean_gap"], on="item")
    result["mean_abs_gap"] = gaps["d"].abs().groupby(gaps["item"], sort=False).mean()
    result["ad_gap"] = (gaps["d"] - gaps["mean_gap"]).abs().groupby(gaps["item"], sort=False).mean()
    tau = (result["scale_max"] - result["scale_min"]) / 4
    threshold = gaps["item"].map(tau)
    result["felt_share_up"] = (gaps["d"] >= threshold).groupby(gaps["item"], sort=False).mean()
    result["felt_share_down"] = (gaps["d"] <= -threshold).groupby(gaps["item"], sort=False).mean()
    result["felt_share"] = result["felt_share_up"] + result["felt_share_down"]
    result = result.join(facet_stats)

    points = result["scale_max"] - result["scale_min"] + 1
    disagree_on_gap = result["ad_gap"] > points / 6
    polarised = result["polarised_a"] | result["polarised_b"]
    result["shared_gap"] = (result["mean_gap"].abs() >= tau) & ~disagree_on_gap & ~polarised
    result["contested"] = ((result["mean_abs_gap"] >= tau) & disagree_on_gap) | polarised
    result["unclear_prescription"] = result["disagreement_a"] & ~result["disagreement_b"]
    return result


FLOW_CHANNELS = ("overload", "routine", "flow", "apathy", "other")


def task_map_metrics(answers: pd.DataFrame, items: pd.DataFrame) -> pd.DataFrame:
    """Per task: mean and spread on each axis, and how many people fall in each flow channel.

    Channels per person (DESIGN.md §5): challenge − skill ≥ 2 overload; skill − challenge ≥ 2
    routine; |difference| ≤ 1 with both ≥ 5 flow; both ≤ 3 apathy; otherwise other.
    """
    values = _with_scales(answers, items, ("task_map",))
    if values.empty:
        return pd.DataFrame()
    axes = scale_stats(values, ["item", "facet"])[["n", "mean", "sd"]].unstack("facet")
    axes.columns = [f"{stat}_{axis}" for stat, axis in axes.columns]
    wide = values.pivot_table(index=["item", "response"], columns="facet", values="value")
    if not {"challenge", "skill"} <= set(wide.columns):
        return axes
    wide = wide.dropna(subset=["challenge", "skill"])
    difference = wide["challenge"] - wide["skill"]
    channel = np.select(
        [
            difference >= 2,
            difference <= -2,
            (difference.abs() <= 1) & (wide["challenge"] >= 5) & (wide["skill"] >= 5),
            (wide["challenge"] <= 3) & (wide["skill"] <= 3),
        ],
        FLOW_CHANNELS[:4],
        default="other",
    )
    counts = (
        pd.Series(channel, index=wide.index)
        .groupby(level="item")
        .value_counts()
        .unstack(fill_value=0)
        .reindex(columns=list(FLOW_CHANNELS), fill_value=0)
    )
    return axes.join(counts, how="left").fillna({c: 0 for c in FLOW_CHANNELS})


def allocation_metrics(answers: pd.DataFrame, items: pd.DataFrame) -> pd.DataFrame:
    """Mean points per objective and viewpoint, with each viewpoint's gap to the first one."""
    values = _with_scales(answers, items, ("allocation",))
    if values.empty:
        return pd.DataFrame()
    table = values.pivot_table(index="item", columns="facet", values="value", aggfunc="mean")
    counts = values.groupby("item")["response"].nunique().rename("n")
    return table.join(counts)


def option_counts(answers: pd.DataFrame, items: pd.DataFrame, kind: str) -> pd.DataFrame:
    """How many people chose each option (choice), or ranked it and with how many points.

    Rankings give ``rank`` answers (1 = first) and ``scale_max`` holds how many ranks were asked;
    points are ranks asked + 1 − rank (Borda).
    """
    values = answers.merge(items[items["kind"] == kind][["item", "scale_max"]], on="item")
    if values.empty:
        return pd.DataFrame(columns=["item", "option", "people", "points"])
    values = values.rename(columns={"facet": "option"})
    grouped = values.groupby(["item", "option"])
    result = grouped["response"].nunique().rename("people").to_frame()
    if kind == "ranking":
        values = values.assign(points=values["scale_max"] + 1 - values["value"])
        result["points"] = values.groupby(["item", "option"])["points"].sum()
    else:
        result["points"] = result["people"]
    return result.reset_index().sort_values(["item", "points"], ascending=[True, False])

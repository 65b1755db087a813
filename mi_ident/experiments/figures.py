"""The numbers behind the sweep figures: each count as the paper counts it and without its artefacts.

Every panel of a sweep figure shows one quantity per value of an axis (width, number of tasks,
noise, ...), with several *variants* side by side, each saying what it counts:

* circuits — valid circuits of a paper-mode census (no full node mask, a sparsity floor at widths
  4-5) next to a corrected census (every node mask, no floor);
* interpretations — the paper's total (every threshold choice times every completion of the
  don't-care parent patterns, including the ``3INPUTS`` completions), the same without the
  completions (threshold choices only), and the median per valid circuit;
* formulas and mappings — paper-mode alignment next to corrected alignment.

Example
-------
>>> import pandas as pd
>>> df = pd.DataFrame({"width": [2, 3], "accepted": [True, True], "census_mode": ["paper"] * 2,
...                    "interp_mode": ["paper"] * 2, "align_mode": ["paper"] * 2,
...                    "n_valid_circuits": [4, 40]})
>>> long = count_table(df, by="width")
>>> long[["width", "panel", "variant", "value"]].values.tolist()
[[2, 'circuits', 'paper census', 4.0], [3, 'circuits', 'paper census', 40.0]]
"""

from __future__ import annotations

import pandas as pd

from ..errors import ParameterError

__all__ = ["PANELS", "PAPER_WIDTH_FIGURE", "count_table", "medians", "sweep_axes"]

#: panel -> [(variant label, mode column, mode value, count column)]
PANELS: dict[str, list[tuple[str, str, str, str]]] = {
    "circuits": [("paper census", "census_mode", "paper", "n_valid_circuits"),
                 ("every node mask (corrected)", "census_mode", "corrected", "n_valid_circuits"),
                 ("silent classes (corrected)", "census_mode", "corrected", "n_silent_classes"),
                 ("edge-minimal (corrected)", "census_mode", "corrected", "n_edge_minimal")],
    "interpretations": [("paper total (with completions)", "interp_mode", "paper", "total_interpretations"),
                        ("threshold choices only (no completions)", "interp_mode", "paper", "total_assignments"),
                        ("paper, median per circuit", "interp_mode", "paper", "median_interpretations"),
                        ("corrected total", "interp_mode", "corrected", "total_interpretations")],
    "formulas": [("paper alignment", "align_mode", "paper", "n_formulas"),
                 ("corrected alignment", "align_mode", "corrected", "n_formulas")],
    "mappings": [("paper alignment", "align_mode", "paper", "total_mappings"),
                 ("corrected alignment", "align_mode", "corrected", "total_mappings")],
}

#: Medians read off the authors' width figure (log-scale box plots, XOR, widths 2-5): compare
#: orders of magnitude only.
PAPER_WIDTH_FIGURE = {"interpretations": {2: 37, 3: 7e3, 4: 2e5, 5: 9e5},
                      "mappings": {2: 8, 3: 30, 4: 400, 5: 3.5e3}}

#: Columns that are parameters a figure can be drawn by (when they vary).
_AXES = ("width", "depth", "n_tasks", "gate", "input_noise", "label_noise", "loss_target", "skew", "l1",
         "weight_decay", "dropout", "lr", "recipe", "ablation", "criterion", "seed")


def sweep_axes(df: pd.DataFrame) -> list[str]:
    """The parameters that take more than one value in ``df`` (the axes a figure can use)."""
    return [a for a in _AXES if a in df and df[a].nunique(dropna=False) > 1 and a != "seed"]


def count_table(df: pd.DataFrame, by: str = "width", panels: list[str] | None = None) -> pd.DataFrame:
    """Long table ``[by, panel, variant, value, seed]`` of every count of every accepted run.

    Counts of runs whose stage was skipped are absent (not zero). Zeros are kept (a log-scale
    figure reports them separately).
    """
    if by not in df:
        axes = sweep_axes(df) or [a for a in _AXES if a in df]
        raise ParameterError(f"by={by!r} is not a parameter of these runs; choose from {axes}")
    panels = list(PANELS) if panels is None else panels
    unknown = [p for p in panels if p not in PANELS]
    if unknown:
        raise ParameterError(f"unknown panel {unknown[0]!r}; choose from {list(PANELS)}")
    accepted = df[df["accepted"].astype(bool)] if "accepted" in df else df.iloc[:0]
    parts = []
    for panel in panels:
        for label, mode_col, mode, column in PANELS[panel]:
            if column not in accepted or mode_col not in accepted:
                continue
            rows = accepted[(accepted[mode_col] == mode) & accepted[column].notna()]
            if len(rows):
                parts.append(pd.DataFrame({by: rows[by].values, "panel": panel, "variant": label,
                                           "value": rows[column].astype(float).values,
                                           "seed": rows["seed"].values if "seed" in rows else 0}))
    if not parts:
        return pd.DataFrame(columns=[by, "panel", "variant", "value", "seed"])
    return pd.concat(parts, ignore_index=True)


def medians(df: pd.DataFrame, by: str = "width") -> pd.DataFrame:
    """Median of each variant per axis value (rows: panel and variant; columns: axis values)."""
    long = count_table(df, by)
    return long.pivot_table(index=["panel", "variant"], columns=by, values="value", aggfunc="median")

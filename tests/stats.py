"""Statistical helpers shared by tests that compare samples with exact distributions."""

from __future__ import annotations

import math
from collections import Counter


def chi2_critical(df: int, z: float = 3.0902) -> float:
    """Wilson–Hilferty approximation of the chi-square quantile; z = 3.09 gives the 0.999 quantile
    (within 2 % of printed tables, slightly conservative)."""
    return df * (1 - 2 / (9 * df) + z * math.sqrt(2 / (9 * df))) ** 3


def chi2_stat(observed: Counter, expected: dict, n: int, *, closed: bool = False) -> tuple[float, int]:
    """Pearson's statistic over outcomes with expected count ≥ 5; the rest are pooled into one cell.

    ``closed=True`` asserts that no outcome outside ``expected`` occurred (its support is exact);
    otherwise unlisted outcomes join the pooled cell with the probability ``expected`` leaves over.
    """
    unlisted = sum(c for k, c in observed.items() if k not in expected)
    if closed:
        assert unlisted == 0, f"outcomes with probability 0 appeared {unlisted} times"
    stat, df, pooled_o, pooled_e = 0.0, -1, unlisted, n * max(0.0, 1.0 - sum(expected.values()))
    for k, p in expected.items():
        e = n * p
        if e >= 5:
            stat += (observed.get(k, 0) - e) ** 2 / e
            df += 1
        else:
            pooled_o += observed.get(k, 0)
            pooled_e += e
    if pooled_e >= 5:
        stat += (pooled_o - pooled_e) ** 2 / pooled_e
        df += 1
    return stat, df

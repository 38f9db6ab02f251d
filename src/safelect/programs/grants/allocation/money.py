"""Exact money: rational arithmetic until the end, then whole dollars that add up.

* Every computation runs in :class:`fractions.Fraction`; nothing is rounded on the way.
* **Floors** (a minimum "percent of the total amount") are rounded *up* to the whole dollar, so
  that no State is ever below its floor, and are then met exactly.
* **Whole dollars** by the largest-remainder method: each amount is rounded down, and the dollars
  still needed to meet the total go one each to the amounts with the largest fractional parts (ties
  to the State that comes first in USPS-code order). The total is met exactly; no amount moves by
  a dollar or more from its exact value; a floored amount, already whole, never moves.
"""

from __future__ import annotations

import math
from fractions import Fraction


class AllocationError(ValueError):
    """An allocation that cannot be made; the message says why."""


def floor_dollars(fraction: Fraction) -> int:
    """A floor in whole dollars: the percentage of the total, rounded up."""
    return math.ceil(fraction)


def with_floors(
    total: Fraction, fixed: dict[str, Fraction], weight: dict[str, Fraction], floors: dict[str, int]
) -> tuple[dict, set, Fraction]:
    """Solve G_s = max(floor_s, fixed_s + c · weight_s) with Σ G_s = total for the scale c.

    This is the "pro rata reduction" of the bills: the States whose formula amount falls below the
    floor are raised to it and every other State's formula share is scaled down by the same factor
    (the scale c, solved exactly: floored States are added until none is left below its floor).
    Returns the exact amounts, the floored States and c."""
    if sum(floors.values()) > total:
        raise AllocationError(f"the amount cannot meet the floors: they add up to ${sum(floors.values()):,}, more than ${int(total):,}")
    floored: set[str] = set()
    while True:
        free = [s for s in weight if s not in floored]
        rest = total - sum(floors[s] for s in floored) - sum(fixed[s] for s in free)
        mass = sum(weight[s] for s in free)
        if mass == 0:
            raise AllocationError("no State has a share left once the floors are met")
        scale = Fraction(rest) / mass
        below = {s for s in free if fixed[s] + scale * weight[s] < floors[s]}
        if not below:
            break
        floored |= below
    exact = {s: Fraction(floors[s]) if s in floored else fixed[s] + scale * weight[s] for s in weight}
    return exact, floored, scale


def whole_dollars(exact: dict[str, Fraction], total: int) -> dict[str, int]:
    """Round to whole dollars meeting ``total`` exactly (largest remainder; ties in code order)."""
    rounded = {s: math.floor(v) for s, v in exact.items()}
    short = total - sum(rounded.values())
    if short < 0 or short > len(exact):
        raise AllocationError(f"the exact amounts do not add up to ${total:,}")
    order = sorted(exact, key=lambda s: (-(exact[s] - rounded[s]), s))
    for state in order[:short]:
        rounded[state] += 1
    return rounded


def dollars(value: Fraction | int) -> str:
    """An exact amount for the terms of an allocation: whole dollars and cents (rounded half up),
    so that a reader can redo the arithmetic."""
    cents = math.floor(Fraction(value) * 100 + Fraction(1, 2))
    return f"{cents // 100}.{cents % 100:02d}"

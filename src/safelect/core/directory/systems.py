"""Which organizations use which election systems, as the programs know it.

The directory has no inventory of election systems yet; programs that learn which systems an
agency runs (an incident report names the systems involved) register a source here, and a
program that needs "the agencies that use this system" (sharing, S.2261 §4(c)(4): agencies that
may be affected) asks :func:`organizations_using` — programs never import each other.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

_SOURCES: dict[str, Callable[[list[str]], Iterable[int]]] = {}


def register_system_users(name: str, source: Callable[[list[str]], Iterable[int]]) -> None:
    """``source(system codes) -> organization ids`` that reported using any of them."""
    _SOURCES[name] = source


def organizations_using(systems: list[str]) -> set[int]:
    found: set[int] = set()
    if systems:
        for source in _SOURCES.values():
            found.update(source(list(systems)))
    return found

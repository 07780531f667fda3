"""The deadline radar for a team leader: per regisseur, how many households show each signal.

Counts only, never names or dates: a team leader assigns work and sees names, no dossier, but
reads team figures (product.md). The counts come from `household_radar` run with
`counting_accesses`: for the clients the access rule lets the team leader see at all, the
sections a team figure may count (clients.permissions.COUNT_SECTIONS: no special categories).
The households are read in a fixed number of queries, however many regisseurs and households
the team has.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.utils.functional import Promise

from koers.accounts.models import Membership
from koers.clients.constants import Section
from koers.clients.permissions import clients_visible_to, counting_accesses

from .radar import LABELS, household_radar
from .selectors import LIST_FIELDS, _current_regisseurs


@dataclass
class RegisseurRadar:
    """One regisseur's row: per signal kind, the households with at least one such signal."""

    regisseur: Membership
    counts: dict[str, int]
    # (label, count) in the order of TeamRadar.kinds, zeros included: what a table row shows.
    cells: list[tuple[Promise, int]] = field(default_factory=list)


@dataclass
class TeamRadar:
    rows: list[RegisseurRadar]
    kinds: list[str]  # the signal kinds with a count somewhere in the team, in LABELS order
    accesses: dict  # client id -> ClientAccess of every client the radar read (for the audit)
    sections: Section  # the sections the radar read (for the audit)

    @property
    def labels(self) -> list[Promise]:
        return [LABELS[kind] for kind in self.kinds]


def team_radar(membership, regisseurs: list[Membership], today: date) -> TeamRadar:
    """Radar counts per regisseur for the team leader `membership`: one row per regisseur (in
    the order given), counting households, not signals. Households with two regisseurs count
    for each. Reads the involvements and the visible clients in one query each, plus what the
    access rule and household_radar read for all of them at once."""
    if not regisseurs:
        return TeamRadar(rows=[], kinds=[], accesses={}, sections=Section.none())
    # Regisseur involvements in force today, as the team page counts a caseload.
    involvements = _current_regisseurs(today).filter(membership_id__in=[r.pk for r in regisseurs])
    regisseurs_of: dict[int, set[int]] = {}
    for membership_id, household_id in involvements.values_list("membership_id", "household_id"):
        regisseurs_of.setdefault(household_id, set()).add(membership_id)
    clients = list(
        clients_visible_to(membership)
        .filter(household_id__in=involvements.values("household_id"))
        .only(*LIST_FIELDS)
        .order_by()
    )
    accesses = counting_accesses(membership, clients)
    radar = household_radar(clients, accesses, today)

    counts: dict[int, dict[str, int]] = {r.pk: {} for r in regisseurs}
    for household_id, signals in radar.signals.items():
        for kind in {signal.kind for signal in signals}:
            for regisseur_id in regisseurs_of.get(household_id, ()):
                per_kind = counts[regisseur_id]
                per_kind[kind] = per_kind.get(kind, 0) + 1
    kinds = [kind for kind in LABELS if any(kind in per_kind for per_kind in counts.values())]
    rows = [
        RegisseurRadar(
            regisseur=regisseur,
            counts=counts[regisseur.pk],
            cells=[(LABELS[kind], counts[regisseur.pk].get(kind, 0)) for kind in kinds],
        )
        for regisseur in regisseurs
    ]
    return TeamRadar(rows=rows, kinds=kinds, accesses=accesses, sections=radar.sections)

"""Reads of the brede intake, the leerbaarheidstoets and the PIP decisions.

The callers check the access first (INBURGERING; HEALTH for the health answers); these
functions only fetch.
"""

from collections.abc import Iterable
from datetime import date
from typing import NamedTuple

from django.db.models import Prefetch

from koers.clients.constants import Section
from koers.core import sql
from koers.plans.models import PlanVersion
from koers.plans.selectors import plan_in_force

from .constants import FINAL_STATUSES, DecisionReason, DecisionStatus, IntakeStatus
from .models import DecisionAppeal, Intake, LearnabilityTest, PipDecision
from .services import decision_in_force

LIST_LIMIT = 50


class PipRadar(NamedTuple):
    """What the deadline radar needs of a client's PIP decisions."""

    first_on: date | None  # the dagtekening of the first adopted PIP
    scaled_down: bool  # an adopted afschalen decision: the 600-hour signal has been acted on


def pip_radar(client_ids: Iterable[int]) -> dict[int, PipRadar]:
    """Per client with any decision, in one query: the first adopted PIP's dagtekening and
    whether an afschalen decision was adopted. The deadline radar's 10-week norm, course start,
    route-switch window and 600 hours read it for a whole page of clients. Hand-written SQL
    (koers.core.sql)."""
    ids = list(client_ids)
    if not ids:
        return {}
    final = sql.placeholders(FINAL_STATUSES)
    clients, client_params = sql.ids_in("client_id", ids)
    query = f"""
        SELECT client_id,
               MIN(CASE WHEN status IN ({final}) THEN dagtekening END),
               MAX(CASE WHEN status IN ({final}) AND reason = %s THEN 1 ELSE 0 END)
        FROM {sql.table(PipDecision)}
        WHERE {clients}
        GROUP BY client_id
    """  # noqa: S608 - table name from the model, every value a parameter
    rows = sql.fetch(
        query, [*FINAL_STATUSES, *FINAL_STATUSES, DecisionReason.AFSCHALEN, *client_params]
    )
    return {
        client_id: PipRadar(sql.as_date(first_on), bool(scaled_down))
        for client_id, first_on, scaled_down in rows
    }


def client_intakes(client_id: int) -> list[Intake]:
    return list(
        Intake.objects.filter(client_id=client_id)
        .select_related("conducted_by__user", "completed_by__user")
        .order_by("-started_on", "-id")[:LIST_LIMIT]
    )


def client_lbts(client_id: int) -> list[LearnabilityTest]:
    return list(
        LearnabilityTest.objects.filter(client_id=client_id).order_by("-created_at", "-id")[
            :LIST_LIMIT
        ]
    )


def client_decisions(client_id: int) -> list[PipDecision]:
    """The person's decisions, newest first, with their objections and appeals."""
    return list(
        PipDecision.objects.filter(client_id=client_id)
        .select_related("municipality", "supersedes", "superseded_by")
        .prefetch_related(
            Prefetch("appeals", queryset=DecisionAppeal.objects.order_by("received_on", "id"))
        )
        .order_by("-created_at", "-id")[:LIST_LIMIT]
    )


def _superseded_by(decision: PipDecision) -> PipDecision | None:
    try:
        return decision.superseded_by
    except PipDecision.DoesNotExist:
        return None


def pip_overview(client) -> dict:
    """Everything of the client's overview page, in a fixed number of queries."""
    decisions = client_decisions(client.pk)
    for decision in decisions:
        decision.replaced_by = _superseded_by(decision)
    # The adopted decision that nothing replaced, the newest dagtekening first (as
    # services.decision_in_force, without another query).
    finals = [d for d in decisions if d.is_final and d.replaced_by is None]
    in_force = max(finals, key=lambda d: (d.dagtekening, d.finalised_at, d.pk), default=None)
    intakes = client_intakes(client.pk)
    return {
        "intakes": intakes,
        "draft_intake": next((i for i in intakes if i.status == IntakeStatus.CONCEPT), None),
        "completed_intake": next((i for i in intakes if i.status == IntakeStatus.COMPLETED), None),
        "lbts": client_lbts(client.pk),
        "decisions": decisions,
        "decision_in_force": in_force,
        "draft_decision": next((d for d in decisions if d.is_concept), None),
    }


def latest_completed_intake(client_id: int) -> Intake | None:
    return (
        Intake.objects.filter(client_id=client_id, status=IntakeStatus.COMPLETED)
        .order_by("-completed_on", "-id")
        .first()
    )


def plan_versions_of(household_id: int):
    """The established versions of the household's plan, newest first: what a PIP may adopt."""
    return PlanVersion.objects.filter(
        plan__household_id=household_id, established_on__isnull=False
    ).order_by("-number")


def decision_initial(client, *, reason: str | None = None) -> dict:
    """The values a new decision starts with: a change starts from the decision in force; a
    first PIP from the latest completed brede intake's proposal."""
    in_force = decision_in_force(client.pk)
    if in_force is not None:
        initial = {
            name: getattr(in_force, name)
            for name in (
                "learning_route",
                "level",
                "estimated_intensity_hours",
                "may_finish_current_study",
                "literacy",
                "education_target_level",
                "preconditions",
                "support",
                "pvt_content",
                "map_content",
                "monitoring",
            )
        }
        initial["intake"] = in_force.intake_id
        initial["reason"] = reason or ""
        initial["plan_version"] = _plan_in_force_id(client) or in_force.plan_version_id
        return initial
    intake = latest_completed_intake(client.pk)
    initial = {"reason": reason or "", "plan_version": _plan_in_force_id(client)}
    if intake is None:
        return initial
    return {
        **initial,
        "intake": intake.pk,
        "learning_route": intake.proposed_route,
        "level": intake.proposed_level,
        "literacy": intake.proposed_literacy,
    }


def _plan_in_force_id(client) -> int | None:
    version = plan_in_force(client.household_id)
    return version.pk if version is not None else None


def decision_for(client, pk) -> PipDecision | None:
    return (
        PipDecision.objects.select_related(
            "municipality", "intake", "supersedes", "client", "plan_version"
        )
        .filter(client_id=client.pk, pk=pk)
        .first()
    )


def pip_card(access, client) -> dict:
    """Context for the dossier card (template pip/_dossier_card.html): the intake, the latest
    leerbaarheidstoets and the PIP in force or in preparation. Empty when the INBURGERING
    section is not readable. Four queries at most."""
    if not access.can_read(Section.INBURGERING):
        return {"pip_visible": False}
    intake = Intake.objects.filter(client_id=client.pk).order_by("-started_on", "-id").first()
    lbt = (
        LearnabilityTest.objects.filter(client_id=client.pk).order_by("-created_at", "-id").first()
    )
    in_force = decision_in_force(client.pk)
    draft = PipDecision.objects.filter(client_id=client.pk, status=DecisionStatus.CONCEPT).first()
    return {
        "pip_visible": True,
        "pip_client_pk": client.pk,
        "pip_intake": intake,
        "pip_lbt": lbt,
        "pip_decision": in_force,
        "pip_draft": draft,
    }

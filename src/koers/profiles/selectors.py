"""Reads of the profile. Callers have already checked PROFILE access through the access rule."""

from collections.abc import Iterable

from django.db.models import OuterRef, Subquery

from .constants import LanguageSkill
from .models import (
    Availability,
    Certificate,
    DirectionPreference,
    Education,
    LanguageLevel,
    ProfessionalDirection,
    WorkExperience,
)


def _latest_per_skill():
    return Subquery(
        LanguageLevel.objects.filter(client_id=OuterRef("client_id"), skill=OuterRef("skill"))
        .order_by("-assessed_on", "-id")
        .values("pk")[:1]
    )


def current_language_levels(client_ids: Iterable[int]) -> dict[int, dict[str, LanguageLevel]]:
    """Per client, the current level per skill: the latest assessment by date (the latest
    recorded one on a tie). One query, however many clients."""
    result: dict[int, dict[str, LanguageLevel]] = {}
    rows = LanguageLevel.objects.filter(
        client_id__in=list(client_ids), pk=_latest_per_skill()
    ).order_by("client_id", "skill")
    for row in rows:
        result.setdefault(row.client_id, {})[row.skill] = row
    return result


def language_level_history(client_id: int) -> list[dict]:
    """Per skill, in the fixed skill order: the current assessment and all of them, newest
    first. One query."""
    rows = (
        LanguageLevel.objects.filter(client_id=client_id)
        .select_related("recorded_by__user", "recorded_by__organisation")
        .order_by("skill", "-assessed_on", "-id")
    )
    by_skill: dict[str, list[LanguageLevel]] = {}
    for row in rows:
        by_skill.setdefault(row.skill, []).append(row)
    return [
        {
            "skill": skill,
            "label": label,
            "current": by_skill.get(skill, [None])[0],
            "history": by_skill.get(skill, []),
        }
        for skill, label in LanguageSkill.choices
    ]


def client_profile(client) -> dict:
    """Everything the profile page shows, in a fixed number of queries."""
    return {
        "educations": list(Education.objects.filter(client=client).order_by("-year", "id")),
        "work_experiences": list(
            WorkExperience.objects.filter(client=client)
            .select_related("direction")
            .order_by("-years", "id")
        ),
        "preferences": list(
            DirectionPreference.objects.filter(client=client)
            .select_related("direction")
            .order_by("priority", "id")
        ),
        "language_levels": language_level_history(client.pk),
        "certificates": list(Certificate.objects.filter(client=client).order_by("kind", "id")),
        "availability": Availability.objects.filter(client=client).first(),
    }


def directions_for_admin():
    """The directions list with whether each is in use (in use ones are never deleted)."""
    from django.db.models import Count

    return ProfessionalDirection.objects.annotate(
        preference_count=Count("preferences", distinct=True),
        experience_count=Count("work_experiences", distinct=True),
    ).order_by("name")

"""DUO's PIP rules and the leerbaarheidstoets rules, as functions that return errors per field.

The services call these before every write (and again on adoption, with the dagtekening); the
single-row parts are also CheckConstraints on the models. Sources: DUO's PIP.openapi.yml and
Leerbaarheidstoets.openapi.yml (duo-m2m), the README of duonl/gemeente-m2m-inburgering,
Divosa's handreiking brede intake en PIP.
"""

import calendar
import datetime

from django.utils.translation import gettext as _

from koers.inburgering.constants import LearningRoute, PipLevel

from .constants import (
    ASYLUM_TARGET_GROUPS,
    INTENSITY_MAX,
    INTENSITY_MIN,
    LBT_EXEMPTION_FROM,
    ROUTE_SWITCH_MONTHS,
    DecisionReason,
    LbtOutcome,
    lbt_cut_off_on,
)

# The inburgering app records DUO's term dates on InburgeringDuty; the field name is that app's.
# Read defensively so this app works before and after those fields exist.
TERM_START_FIELDS = ("term_starts_on", "term_start_on", "term_start")


def add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def term_start(duty, first_dagtekening: datetime.date | None) -> datetime.date | None:
    """The start of the inburgeringstermijn: DUO's date when recorded on the duty; otherwise the
    dagtekening of the first PIP, from which DUO starts the term (domain.md, timeline step 5)."""
    for name in TERM_START_FIELDS:
        value = getattr(duty, name, None) if duty is not None else None
        if isinstance(value, datetime.date):
            return value
    return first_dagtekening


class _Errors(dict):
    def add(self, field: str | None, message: str):
        self.setdefault(field or "__all__", []).append(message)


def decision_content_errors(decision, *, client, previous) -> dict[str, list[str]]:
    """The rules that do not depend on the dagtekening. `previous` is the person's decision in
    force (the latest adopted one), or None for a first PIP."""
    errors = _Errors()
    route, level, reason = decision.learning_route, decision.level, decision.reason

    # DUO: no A2 with the onderwijsroute; no B1 with the Z-route.
    if route == LearningRoute.EDUCATION and level == PipLevel.A2:
        errors.add("level", _("Level A2 is not possible in the education route."))
    if route == LearningRoute.Z and level == PipLevel.B1:
        errors.add("level", _("Level B1 is not possible in the Z-route."))
    # DUO: no A2 in a person's first B1-route PIP; A2 only after afschalen in a later decision.
    if route == LearningRoute.B1 and level == PipLevel.A2:
        earlier_b1 = previous is not None and previous.learning_route == LearningRoute.B1
        already_lowered = earlier_b1 and previous.level == PipLevel.A2
        if not earlier_b1 or not (reason == DecisionReason.AFSCHALEN or already_lowered):
            errors.add(
                "level",
                _(
                    "Level A2 is not possible in a first B1-route PIP: only after afschalen, "
                    "in a later decision."
                ),
            )

    # DUO: geschatteIntensiteitB1Route 1-9999 hours, for the B1 route of asylum permit holders.
    hours = decision.estimated_intensity_hours
    if hours is not None:
        if route != LearningRoute.B1:
            errors.add(
                "estimated_intensity_hours",
                _("The estimated intensity is only given for the B1 route."),
            )
        elif client.target_group not in ASYLUM_TARGET_GROUPS:
            errors.add(
                "estimated_intensity_hours",
                _("The estimated intensity is only given for asylum permit holders."),
            )
        if not INTENSITY_MIN <= hours <= INTENSITY_MAX:
            errors.add(
                "estimated_intensity_hours",
                _("The estimated intensity is between %(min)s and %(max)s hours.")
                % {"min": INTENSITY_MIN, "max": INTENSITY_MAX},
            )

    # Koers: the target level of the onderwijsroute is for that route only; no MAP there.
    if decision.education_target_level and route != LearningRoute.EDUCATION:
        errors.add(
            "education_target_level",
            _("A target level in the education route is only for the education route."),
        )
    if decision.map_content.strip() and route == LearningRoute.EDUCATION:
        errors.add("map_content", _("The education route has no MAP."))

    # Every change after adoption is a new decision with its reason.
    if previous is None:
        if reason in (
            DecisionReason.ROUTE_SWITCH,
            DecisionReason.AFSCHALEN,
            DecisionReason.OTHER,
        ):
            errors.add(
                "reason",
                _("There is no adopted PIP yet to change: this is the first PIP."),
            )
    else:
        if reason == DecisionReason.FIRST:
            errors.add(
                "reason",
                _("There is an adopted PIP already: choose the reason for the new decision."),
            )
        if route != previous.learning_route and reason != DecisionReason.ROUTE_SWITCH:
            errors.add(
                "learning_route",
                _("Another learning route is a route switch: choose that reason."),
            )
        if reason == DecisionReason.ROUTE_SWITCH and route == previous.learning_route:
            errors.add(
                "learning_route",
                _("A route switch needs another learning route than the current PIP."),
            )
        if reason == DecisionReason.AFSCHALEN and not (
            route == LearningRoute.B1
            and level == PipLevel.A2
            and previous.learning_route == LearningRoute.B1
        ):
            errors.add(
                "level",
                _("Afschalen lowers the level of the B1 route to A2."),
            )
        if reason == DecisionReason.MOVE and decision.municipality_id == previous.municipality_id:
            errors.add(
                "reason",
                _("The current PIP was made by this municipality already: this is no move."),
            )
    return dict(errors)


def decision_date_errors(
    dagtekening: datetime.date,
    *,
    duty,
    earlier_dagtekening: datetime.date | None,
    first_dagtekening: datetime.date | None,
    is_route_switch: bool,
) -> dict[str, list[str]]:
    """The rules on the dagtekening: not before the duty start, the municipal registration or
    an earlier PIP; a route switch only within 18 months of the term start."""
    errors = _Errors()
    field = "dagtekening"
    if duty is not None and duty.duty_start_on and dagtekening < duty.duty_start_on:
        errors.add(
            field,
            _("The date cannot be before the inburgering duty started (%(date)s).")
            % {"date": duty.duty_start_on.strftime("%d-%m-%Y")},
        )
    registered = getattr(duty, "municipality_registered_on", None) if duty else None
    if registered and dagtekening < registered:
        errors.add(
            field,
            _("The date cannot be before the registration in the municipality (%(date)s).")
            % {"date": registered.strftime("%d-%m-%Y")},
        )
    if earlier_dagtekening and dagtekening < earlier_dagtekening:
        errors.add(
            field,
            _("The date cannot be before the date of an earlier PIP (%(date)s).")
            % {"date": earlier_dagtekening.strftime("%d-%m-%Y")},
        )
    if is_route_switch:
        start = term_start(duty, first_dagtekening)
        if start is not None and dagtekening > add_months(start, ROUTE_SWITCH_MONTHS):
            errors.add(
                field,
                _(
                    "A route switch is only possible within 18 months of the start of the term "
                    "(%(date)s)."
                )
                % {"date": start.strftime("%d-%m-%Y")},
            )
    return dict(errors)


def lbt_errors(test) -> dict[str, list[str]]:
    """The leerbaarheidstoets as DUO sends it: a result has all four fields; the outcome agrees
    with the score and the cut-off; an exemption (from 2023) has no result."""
    errors = _Errors()
    result_fields = {
        "outcome": bool(test.outcome),
        "score": test.score is not None,
        "taken_on": test.taken_on is not None,
    }
    if any(result_fields.values()) and not all(result_fields.values()):
        for name, present in result_fields.items():
            if not present:
                errors.add(name, _("A result needs the outcome, the score and the test date."))
    if test.outcome and test.score is not None and test.cut_off is not None:
        if test.outcome == LbtOutcome.FEASIBLE and test.score < test.cut_off:
            errors.add("outcome", _("With a score below the cut-off the B1 route is not feasible."))
        if test.outcome == LbtOutcome.NOT_FEASIBLE and test.score >= test.cut_off:
            errors.add(
                "outcome", _("With a score at or above the cut-off the B1 route is feasible.")
            )
    if test.exemption:
        if test.exempted_on is None:
            errors.add("exempted_on", _("Give the date of the exemption."))
        elif test.exempted_on < LBT_EXEMPTION_FROM:
            errors.add(
                "exempted_on",
                _("An exemption for a visual or auditory impairment exists from 2023."),
            )
        if any(result_fields.values()):
            errors.add("exemption", _("An exempted client has no test result."))
    elif test.exempted_on is not None:
        errors.add("exemption", _("Choose the reason for the exemption."))
    if test.registered_on is None and not test.exemption:
        errors.add("registered_on", _("Give the registration date, or record an exemption."))
    if test.registered_on and test.taken_on and test.taken_on < test.registered_on:
        errors.add("taken_on", _("The test date cannot be before the registration."))
    return dict(errors)


def proposed_cut_off(test):
    """The cut-off that applied on the test date, when none was given."""
    if test.outcome and test.cut_off is None and test.taken_on is not None:
        return lbt_cut_off_on(test.taken_on)
    return test.cut_off

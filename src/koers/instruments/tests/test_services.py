"""Recording and correcting measurements: each rule in a test that names it."""

import uuid
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from koers.audit.constants import Action
from koers.audit.models import AuditEvent
from koers.clients.constants import Section
from koers.clients.permissions import client_access
from koers.clients.services import VersionConflict
from koers.instruments.models import (
    ClientInstrumentSummary,
    ClientItemSummary,
    Measurement,
    Score,
)
from koers.instruments.services import (
    ScoreInput,
    current_version,
    measurement_correct,
    measurement_record,
)

from .factories import (
    LADDER,
    PG,
    ZRM,
    client_of,
    enable,
    instrument,
    klantmanager_beside,
    measure,
    regisseur,
    request_for,
    scores_for,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


@pytest.fixture
def actor():
    return regisseur()


@pytest.fixture
def person(actor):
    return client_of(actor)


def correct(actor, measurement, *, reason="Verkeerd domein gescoord", on=None, **overrides):
    return measurement_correct(
        request_for(actor),
        client=measurement.client,
        access=client_access(actor, measurement.client),
        assessor=actor,
        measurement=measurement,
        measured_on=on or measurement.measured_on,
        scores=scores_for(measurement.instrument.code, 3, on=measurement.measured_on, **overrides),
        reason=reason,
    )


def test_recording_a_zrm_writes_scores_summaries_and_one_audit_row(actor, person):
    measurement = measure(actor, person, ZRM, 3, overrides={"financien": 2, "taal-lezen": 9})
    assert measurement.assessor == actor
    assert measurement.assessor_name == actor.user.get_full_name()
    assert measurement.assessor_organisation == actor.organisation.name
    assert Score.objects.filter(measurement=measurement).count() == 14  # 13 domains + 1 factor
    summary = ClientInstrumentSummary.objects.get(client=person)
    assert (summary.measurement_count, summary.latest_measurement) == (1, measurement)
    financien = ClientItemSummary.objects.get(client=person, item_code="financien")
    assert (financien.first_value, financien.latest_value) == (2, 2)
    event = AuditEvent.objects.get(client_id=person.pk, action=Action.CREATE)
    assert Section(event.sections) == Section.MEASUREMENTS | Section.HEALTH | Section.JUSTICE
    assert event.detail == f"instruments:measurement:{measurement.pk}"


def test_zrm_rule_all_domains_required(actor, person):
    scores = scores_for(ZRM, 3)
    del scores["justitie"]
    with pytest.raises(ValidationError) as error:
        measure(actor, person, ZRM, scores=scores)
    assert "score_justitie" in error.value.message_dict
    assert not Measurement.objects.exists()
    assert not ClientInstrumentSummary.objects.filter(measurement_count__gt=0).exists()


def test_rule_score_within_the_items_scale(actor, person):
    with pytest.raises(ValidationError) as error:
        measure(actor, person, ZRM, 3, overrides={"financien": 6})
    assert "score_financien" in error.value.message_dict
    with pytest.raises(ValidationError):
        measure(actor, person, PG, scores=scores_for(PG, 11))


def test_rule_zrm_has_no_half_or_zero_scores(actor, person):
    with pytest.raises(ValidationError):
        measure(actor, person, ZRM, 3, overrides={"financien": 0})


def _record_on(actor, person, day):
    """A ZRM dated `day` with the version in force today (the form offers that one)."""
    return measurement_record(
        request_for(actor),
        client=person,
        access=client_access(actor, person),
        assessor=actor,
        version=current_version(instrument(ZRM)),
        measured_on=day,
        scores=scores_for(ZRM, 3),
    )


def test_rule_measurement_date_not_in_the_future(actor, person):
    with pytest.raises(ValidationError) as error:
        _record_on(actor, person, TODAY() + timedelta(days=1))
    assert "measured_on" in error.value.message_dict
    _record_on(actor, person, TODAY())


def test_rule_measurement_date_not_before_the_version_is_valid(actor, person):
    with pytest.raises(ValidationError) as error:
        _record_on(actor, person, date(2016, 12, 31))
    assert "measured_on" in error.value.message_dict


def test_ladder_rule_growth_potential_not_below_the_current_rung(actor, person):
    with pytest.raises(ValidationError) as error:
        measure(actor, person, LADDER, overrides={"trede": 4, "groeipotentieel": 3})
    assert "score_groeipotentieel" in error.value.message_dict
    measure(actor, person, LADDER, overrides={"trede": 4, "groeipotentieel": 4})


def test_ladder_rule_growth_potential_is_required(actor, person):
    scores = scores_for(LADDER, 3)
    del scores["groeipotentieel"]
    with pytest.raises(ValidationError):
        measure(actor, person, LADDER, scores=scores)


def test_rule_a_note_belongs_with_a_score(actor, person):
    scores = scores_for(ZRM, 3)
    scores["zorgverzekering"] = ScoreInput(value=None, note="Weet ik niet")
    with pytest.raises(ValidationError) as error:
        measure(actor, person, ZRM, scores=scores)
    assert "note_zorgverzekering" in error.value.message_dict


def test_rule_a_measurement_is_never_overwritten(actor, person):
    measurement = measure(actor, person, ZRM, 3)
    measurement.measured_on = TODAY() - timedelta(days=3)
    with pytest.raises(ValueError):
        measurement.save()
    score = measurement.scores.first()
    score.value = 1
    with pytest.raises(ValueError):
        score.save()


def test_rule_a_correction_is_a_new_measurement_and_the_old_stays_readable(actor, person):
    old = measure(actor, person, ZRM, 3, on=TODAY() - timedelta(days=10))
    new = correct(actor, old, financien=1, on=TODAY() - timedelta(days=9))
    old.refresh_from_db()
    assert new.pk != old.pk and new.corrects == old
    assert not old.is_current and new.is_current
    assert old.scores.get(item__code="financien").value == 3  # unchanged
    assert new.correction_reason == "Verkeerd domein gescoord"
    assert new.assessor == actor and new.recorded_at is not None  # who and when
    event = AuditEvent.objects.get(client_id=person.pk, action=Action.UPDATE)
    assert event.detail == f"instruments:measurement:{new.pk} corrects {old.pk}"
    # The summaries count the correction, not the corrected measurement.
    summary = ClientInstrumentSummary.objects.get(client=person)
    assert summary.measurement_count == 1 and summary.latest_measurement == new
    assert ClientItemSummary.objects.get(client=person, item_code="financien").latest_value == 1


def test_rule_a_correction_needs_a_reason(actor, person):
    old = measure(actor, person, ZRM, 3)
    with pytest.raises(ValidationError) as error:
        correct(actor, old, reason="  ")
    assert "correction_reason" in error.value.message_dict
    old.refresh_from_db()
    assert old.is_current


def test_rule_a_corrected_measurement_cannot_be_corrected_again(actor, person):
    old = measure(actor, person, ZRM, 3)
    first = correct(actor, old, financien=2)
    with pytest.raises(VersionConflict) as conflict:
        correct(actor, old, financien=4)
    assert conflict.value.current == first
    assert Measurement.objects.filter(corrects=old).count() == 1


def test_rule_a_correction_stays_with_the_same_client_and_instrument(actor, person):
    old = measure(actor, person, ZRM, 3)
    other = client_of(actor)
    with pytest.raises(PermissionDenied):
        measurement_correct(
            request_for(actor),
            client=other,
            access=client_access(actor, other),
            assessor=actor,
            measurement=old,
            measured_on=old.measured_on,
            scores=scores_for(ZRM, 3),
            reason="Andere cliënt",
        )


def test_rule_recording_needs_write_access_to_every_items_section(actor, person):
    klantmanager = klantmanager_beside(actor)
    # No health or justice: the ZRM (all domains required) cannot be recorded, the ladder can.
    with pytest.raises(PermissionDenied):
        measure(klantmanager, person, ZRM, 3)
    measure(klantmanager, person, LADDER, overrides={"trede": 2, "groeipotentieel": 3})


def test_rule_optional_instrument_only_where_the_municipality_switched_it_on(actor, person):
    with pytest.raises(ValidationError):
        measure(actor, person, PG, scores=scores_for(PG, 7))
    enable(PG, person.municipality)
    measurement = measure(actor, person, PG, scores=scores_for(PG, 7))
    event = AuditEvent.objects.get(client_id=person.pk, action=Action.CREATE)
    assert Section(event.sections) == Section.HEALTH
    assert measurement.scores.count() == 6


def test_positieve_gezondheid_keeps_the_wil_ik_over_praten_flag(actor, person):
    enable(PG, person.municipality)
    scores = scores_for(PG, 6, zingeving=ScoreInput(value=4, flag=True))
    measurement = measure(actor, person, PG, scores=scores)
    assert measurement.scores.get(item__code="zingeving").flag
    assert not measurement.scores.get(item__code="meedoen").flag


def test_a_double_submit_records_one_measurement(actor, person):
    token = uuid.uuid4()
    first = measure(actor, person, ZRM, 3, form_token=token)
    second = measure(actor, person, ZRM, 4, form_token=token)
    assert first == second
    assert Measurement.objects.count() == 1
    assert AuditEvent.objects.filter(action=Action.CREATE).count() == 1


def test_first_and_latest_follow_the_measurement_date_not_the_recording_order(actor, person):
    measure(
        actor,
        person,
        LADDER,
        on=TODAY() - timedelta(days=10),
        overrides={"trede": 3, "groeipotentieel": 4},
    )
    measure(
        actor,
        person,
        LADDER,
        on=TODAY() - timedelta(days=200),
        overrides={"trede": 1, "groeipotentieel": 2},
    )
    rung = ClientItemSummary.objects.get(client=person, item_code="trede")
    assert (rung.first_value, rung.latest_value, rung.measurement_count) == (1, 3, 2)
    summary = ClientInstrumentSummary.objects.get(client=person, instrument__code=LADDER)
    assert summary.first_on == TODAY() - timedelta(days=200)
    assert summary.latest_on == TODAY() - timedelta(days=10)

"""The per-client summaries never drift from the measurements: random sequences of recordings,
corrections, refused corrections and refused recordings, checked after every step against a
recomputation from scratch that shares no code with the service."""

import random
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from koers.clients.permissions import client_access
from koers.clients.services import VersionConflict
from koers.instruments.models import (
    ClientInstrumentSummary,
    ClientItemSummary,
    Measurement,
    Score,
)
from koers.instruments.services import ScoreInput, measurement_correct

from .factories import LADDER, ZRM, client_of, measure, regisseur, request_for, scores_for

pytestmark = pytest.mark.django_db


def random_scores(rng: random.Random, code: str, on) -> dict[str, ScoreInput]:
    if code == LADDER:
        rung = rng.randint(1, 6)
        return {
            "trede": ScoreInput(value=rung),
            "groeipotentieel": ScoreInput(value=rng.randint(rung, 6)),
        }
    scores = {
        name: ScoreInput(value=rng.randint(1, 5), note=rng.choice(["", "kort"]))
        for name in scores_for(ZRM, 3, on=on)
    }
    if rng.random() < 0.5:  # a weighting factor now and then
        scores["taal-spreken"] = ScoreInput(value=rng.choice([1, 2, 3, 9]))
    return scores


def from_scratch(client, instrument) -> tuple[dict, dict]:
    """The summaries recomputed from all measurements: a measurement counts unless another one
    corrects it (the `is_current` flag is not used, so it is checked too)."""
    measurements = list(Measurement.objects.filter(client=client, instrument=instrument))
    corrected = {m.corrects_id for m in measurements if m.corrects_id}
    current = sorted(
        (m for m in measurements if m.pk not in corrected), key=lambda m: (m.measured_on, m.pk)
    )
    assert {m.pk for m in current} == {m.pk for m in measurements if m.is_current}
    per_item: dict[str, dict] = {}
    for measurement in current:
        for score in Score.objects.filter(measurement=measurement).select_related("item"):
            row = per_item.setdefault(
                score.item.code,
                {"first": (score.value, measurement.measured_on, measurement.pk), "count": 0},
            )
            row["latest"] = (score.value, measurement.measured_on, measurement.pk)
            row["count"] += 1
    overall = {
        "count": len(current),
        "first_on": current[0].measured_on if current else None,
        "latest_on": current[-1].measured_on if current else None,
        "latest": current[-1].pk if current else None,
    }
    return overall, per_item


def stored(client, instrument) -> tuple[dict, dict]:
    summary = ClientInstrumentSummary.objects.filter(client=client, instrument=instrument).first()
    overall = {
        "count": summary.measurement_count if summary else 0,
        "first_on": summary.first_on if summary else None,
        "latest_on": summary.latest_on if summary else None,
        "latest": summary.latest_measurement_id if summary else None,
    }
    per_item = {
        row.item_code: {
            "first": (row.first_value, row.first_on, row.first_measurement_id),
            "latest": (row.latest_value, row.latest_on, row.latest_measurement_id),
            "count": row.measurement_count,
        }
        for row in ClientItemSummary.objects.filter(client=client, instrument=instrument)
    }
    return overall, per_item


@pytest.mark.parametrize("seed", range(6))
def test_summaries_never_drift_from_the_measurements(seed):
    rng = random.Random(seed)
    actor = regisseur()
    clients = [client_of(actor), client_of(actor)]
    today = timezone.localdate()
    # Few distinct dates, so equal dates (ordered by recording) happen often.
    days = [today - timedelta(days=rng.randint(0, 900)) for _ in range(6)]
    from .factories import instrument

    instruments = {code: instrument(code) for code in (ZRM, LADDER)}
    for _step in range(30):
        client = rng.choice(clients)
        code = rng.choice([ZRM, LADDER])
        existing = list(Measurement.objects.filter(client=client, instrument__code=code))
        action = rng.random()
        if action < 0.45 or not existing:
            on = rng.choice(days)
            measure(actor, client, code, on=on, scores=random_scores(rng, code, on))
        elif action < 0.85:
            target = rng.choice(existing)
            on = rng.choice(days)
            try:
                measurement_correct(
                    request_for(actor),
                    client=client,
                    access=client_access(actor, client),
                    assessor=actor,
                    measurement=target,
                    measured_on=on,
                    scores=random_scores(rng, code, on),
                    reason="Correctie",
                )
            except VersionConflict:
                assert not target.is_current or Measurement.objects.filter(corrects=target).exists()
        else:  # a refused recording changes nothing
            with pytest.raises(ValidationError):
                measure(
                    actor,
                    client,
                    code,
                    on=today,
                    scores={**random_scores(rng, code, today), "trede": ScoreInput(value=99)}
                    if code == LADDER
                    else {
                        k: v
                        for k, v in random_scores(rng, code, today).items()
                        if k != "huisvesting"
                    },
                )
        for each in clients:
            for item in instruments.values():
                assert stored(each, item) == from_scratch(each, item), f"seed {seed}"

"""Test helpers: the instruments themselves are data loaded by migration (and again after every
flush, see apps.py), so tests look them up by code; measurements are recorded through the
service, so their summaries are always the ones the application would write."""

from datetime import date

from django.test import RequestFactory
from django.utils import timezone

from koers.accounts.tests.factories import MembershipFactory
from koers.clients.constants import VOLUNTEER_MAX_SECTIONS, NetworkRole, Section
from koers.clients.permissions import client_access
from koers.clients.tests.factories import ClientFactory, InvolvementFactory
from koers.instruments.constants import ItemKind
from koers.instruments.models import Instrument, InstrumentSetting
from koers.instruments.services import ScoreInput, current_version, measurement_record
from koers.organisations.constants import LegalBasisKind
from koers.organisations.tests.factories import LegalBasisFactory, OrganisationFactory

ZRM, LADDER, PG = "zrm", "participatieladder", "positieve-gezondheid"


def instrument(code: str) -> Instrument:
    return Instrument.objects.get(code=code)


def client_of(membership, **kwargs):
    """A client in the (municipal) membership's municipality."""
    town = membership.organisation.municipalities.get()
    return ClientFactory(household__municipality=town, **kwargs)


def request_for(membership):
    request = RequestFactory().post("/")
    request.user = membership.user
    request.membership = membership
    return request


def enable(code: str, municipality) -> None:
    InstrumentSetting.objects.update_or_create(
        municipality=municipality, instrument=instrument(code), defaults={"enabled": True}
    )


def scores_for(code: str, value=None, *, on=None, **overrides) -> dict[str, ScoreInput]:
    """A score for every required item of the version in force (`value`, or the middle level),
    with per-item overrides: scores_for("zrm", 3, financien=1)."""
    version = current_version(instrument(code), on)
    result = {}
    for item in version.items.prefetch_related("levels"):
        if item.kind == ItemKind.FACTOR and item.code not in overrides:
            continue
        levels = [level.value for level in item.levels.all()]
        chosen = overrides.get(item.code, value if value is not None else levels[len(levels) // 2])
        if isinstance(chosen, ScoreInput):
            result[item.code] = chosen
        else:
            result[item.code] = ScoreInput(value=chosen)
    return result


def measure(membership, client, code=ZRM, value=None, *, on: date | None = None, **kwargs):
    """Record a measurement through the service, as `membership`."""
    on = on or timezone.localdate()
    overrides = kwargs.pop("overrides", {})
    return measurement_record(
        request_for(membership),
        client=client,
        access=client_access(membership, client),
        assessor=membership,
        version=current_version(instrument(code), on),
        measured_on=on,
        scores=kwargs.pop("scores", None) or scores_for(code, value, on=on, **overrides),
        **kwargs,
    )


def regisseur():
    return MembershipFactory(regisseur=True)


def klantmanager_beside(membership):
    """A klantmanager of the same municipal organisation: no health or justice."""
    return MembershipFactory(klantmanager=True, organisation=membership.organisation)


def assigned_volunteer(client):
    """A screened volunteer of a partner on a covenant, assigned to the client's household."""
    partner = OrganisationFactory(partner=True)
    LegalBasisFactory(
        organisation=partner,
        municipality=client.municipality,
        kind=LegalBasisKind.COVENANT,
        sections=Section.all() & ~Section.IDENTITY,
    )
    volunteer = MembershipFactory(vrijwilliger=True, organisation=partner)
    InvolvementFactory(
        household=client.household,
        organisation=partner,
        membership=volunteer,
        role=NetworkRole.VRIJWILLIGER,
        task_sections=VOLUNTEER_MAX_SECTIONS,
    )
    return volunteer

import factory
from django.utils import timezone

from koers.audit.constants import Action
from koers.audit.models import AuditEvent
from koers.clients.constants import Section


class AuditEventFactory(factory.django.DjangoModelFactory):
    """A read of a client's basic details on the municipality's legal task."""

    class Meta:
        model = AuditEvent

    at = factory.LazyFunction(timezone.now)
    username = factory.Sequence(lambda n: f"gebruiker{n}")
    user_id = factory.Sequence(lambda n: 10_000 + n)
    membership_id = factory.Sequence(lambda n: 20_000 + n)
    organisation_id = 1
    organisation_name = "Gemeente Test"
    role = "regisseur"
    basis = "legal_task"
    client_id = factory.Sequence(lambda n: 30_000 + n)
    sections = Section.BASIS
    action = Action.VIEW

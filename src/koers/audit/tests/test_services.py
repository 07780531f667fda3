"""Writing the log: reads per request, the purge, and the break-the-glass review."""

import uuid
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from koers.accounts.tests.factories import MembershipFactory
from koers.audit.constants import Action
from koers.audit.models import AuditEvent, PurgePermit
from koers.audit.services import audit_flush, audit_purge, audit_reads
from koers.audit.tests.factories import AuditEventFactory
from koers.clients.constants import Section
from koers.clients.models import BreakGlassAccess
from koers.clients.permissions import Basis, ClientAccess
from koers.clients.services import break_glass_open, break_glass_review
from koers.clients.tests.factories import ClientFactory

pytestmark = pytest.mark.django_db


def acting_request(membership):
    request = RequestFactory().get("/")
    request.user = membership.user
    request.membership = membership
    request.request_id = uuid.uuid4()
    return request


def audit_inserts(queries) -> list[str]:
    return [q["sql"] for q in queries if 'INSERT INTO "audit_auditevent"' in q["sql"]]


# --- reads -----------------------------------------------------------------------------------
def test_reads_of_one_request_are_written_in_one_insert_with_who_basis_and_sections():
    membership = MembershipFactory(regisseur=True)
    request = acting_request(membership)
    access = ClientAccess(Section.all(), Section.all(), Basis.LEGAL_TASK)
    audit_reads(
        request, {1: access, 2: access, 3: access}, action=Action.LIST, sections=Section.BASIS
    )
    with CaptureQueriesContext(connection) as queries:
        assert audit_flush(request) == 3
    assert len(audit_inserts(queries.captured_queries)) == 1
    rows = AuditEvent.objects.order_by("client_id")
    assert [row.client_id for row in rows] == [1, 2, 3]
    row = rows[0]
    assert row.sections == Section.BASIS
    assert (row.user_id, row.username) == (membership.user_id, membership.user.username)
    assert (row.membership_id, row.organisation_id, row.role) == (
        membership.pk,
        membership.organisation_id,
        "regisseur",
    )
    assert row.organisation_name == membership.organisation.name
    assert row.basis == Basis.LEGAL_TASK
    assert row.request_id == request.request_id
    assert row.action == Action.LIST


def test_a_large_page_of_reads_is_written_in_one_transaction_within_the_parameter_limit(
    transactional_db,
):
    # In autocommit mode every row would commit on its own: on SQLite and on PostgreSQL with
    # synchronous commit that is a disk flush each.
    request = acting_request(MembershipFactory(regisseur=True))
    access = ClientAccess(Section.all(), Section.all(), Basis.LEGAL_TASK)
    audit_reads(request, dict.fromkeys(range(1, 401), access), action=Action.LIST)
    in_transaction = []

    def watch(execute, sql, params, many, context):
        if "audit_auditevent" in sql:
            in_transaction.append(connection.in_atomic_block)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(watch):
        assert audit_flush(request) == 400
    assert in_transaction and all(in_transaction)
    assert len(in_transaction) == 1
    assert sorted(AuditEvent.objects.values_list("client_id", flat=True)) == list(range(1, 401))


def test_sections_shown_are_narrowed_to_what_the_access_allows():
    request = acting_request(MembershipFactory(klantmanager=True))
    access = ClientAccess(Section.BASIS | Section.CONTACT, Section.none(), Basis.LEGAL_TASK)
    audit_reads(request, {7: access}, sections=Section.BASIS | Section.HEALTH)
    audit_flush(request)
    assert AuditEvent.objects.get().sections == Section.BASIS


def test_a_client_read_twice_in_one_request_gives_one_row_with_all_sections():
    request = acting_request(MembershipFactory(regisseur=True))
    access = ClientAccess(Section.all(), Section.all(), Basis.LEGAL_TASK)
    audit_reads(request, {5: access}, action=Action.LIST, sections=Section.BASIS)
    audit_reads(request, {5: access}, action=Action.VIEW, sections=Section.NETWORK)
    audit_flush(request)
    row = AuditEvent.objects.get()
    assert row.client_id == 5
    assert row.sections == Section.BASIS | Section.NETWORK
    assert row.action == Action.VIEW


def test_flushing_twice_writes_the_rows_once():
    request = acting_request(MembershipFactory(regisseur=True))
    audit_reads(request, {5: ClientAccess(Section.BASIS, Section.none(), Basis.LEGAL_TASK)})
    audit_flush(request)
    with CaptureQueriesContext(connection) as queries:
        assert audit_flush(request) == 0
    assert not queries.captured_queries
    assert AuditEvent.objects.count() == 1


# --- purge -----------------------------------------------------------------------------------
def test_purge_deletes_only_rows_older_than_the_cut_off_and_logs_itself():
    cut_off = timezone.now() - timedelta(days=3653)
    old = [AuditEventFactory(at=cut_off - timedelta(days=n)) for n in (1, 30)]
    kept = AuditEventFactory(at=cut_off + timedelta(minutes=1))
    deleted = audit_purge(before=cut_off, performed_by="purge_audit_log (beheer)")
    assert deleted == len(old)
    remaining = AuditEvent.objects.order_by("at")
    assert remaining[0].pk == kept.pk
    purge_row = remaining.get(action=Action.AUDIT_PURGE)
    assert purge_row.username == "purge_audit_log (beheer)"
    assert purge_row.detail.startswith("2 rows before ")
    assert not PurgePermit.objects.exists()


def test_after_a_purge_rows_can_no_longer_be_deleted():
    cut_off = timezone.now() - timedelta(days=3653)
    AuditEventFactory(at=cut_off - timedelta(days=1))
    audit_purge(before=cut_off, performed_by="test")
    old = AuditEventFactory(at=cut_off - timedelta(days=2))
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        old.delete()


# --- break-the-glass review --------------------------------------------------------------------
@pytest.fixture
def grant():
    regisseur = MembershipFactory(regisseur=True)
    client = ClientFactory()
    return break_glass_open(
        acting_request(regisseur),
        membership=regisseur,
        client=client,
        reason="Collega ziek, termijn van de beschikking verloopt vandaag.",
    )


@pytest.fixture
def officer(grant):
    return MembershipFactory(privacy_officer=True, organisation=grant.membership.organisation)


def test_review_records_who_when_and_the_remark_with_an_audit_row(grant, officer):
    request = acting_request(officer)
    reviewed = break_glass_review(
        request, grant=grant, reviewer=officer.user, remark="  Reden voldoende.  "
    )
    grant.refresh_from_db()
    assert grant.reviewed_by == officer.user
    assert grant.reviewed_at is not None
    assert grant.review_remark == "Reden voldoende."
    assert reviewed.pk == grant.pk
    row = AuditEvent.objects.get(action=Action.BREAK_GLASS_REVIEW)
    assert row.client_id == grant.client_id
    assert row.membership_id == officer.pk
    assert row.detail == f"break_glass:{grant.pk}"


def test_a_grant_is_reviewed_only_once(grant, officer):
    other = MembershipFactory(privacy_officer=True, organisation=officer.organisation)
    # Both reviewers loaded the grant while it was unreviewed.
    stale = BreakGlassAccess.objects.get(pk=grant.pk)
    break_glass_review(
        acting_request(officer), grant=grant, reviewer=officer.user, remark="Eerste beoordeling."
    )
    with pytest.raises(ValidationError, match="al beoordeeld door"):
        break_glass_review(
            acting_request(other), grant=stale, reviewer=other.user, remark="Tweede beoordeling."
        )
    grant.refresh_from_db()
    assert grant.reviewed_by == officer.user
    assert grant.review_remark == "Eerste beoordeling."
    assert AuditEvent.objects.filter(action=Action.BREAK_GLASS_REVIEW).count() == 1


def test_review_needs_a_remark(grant, officer):
    with pytest.raises(ValidationError) as error:
        break_glass_review(
            acting_request(officer), grant=grant, reviewer=officer.user, remark="   "
        )
    assert "remark" in error.value.message_dict
    grant.refresh_from_db()
    assert grant.reviewed_at is None
    assert not AuditEvent.objects.filter(action=Action.BREAK_GLASS_REVIEW).exists()


def test_nobody_reviews_their_own_emergency_access(grant):
    own = MembershipFactory(
        privacy_officer=True, user=grant.membership.user, organisation=grant.membership.organisation
    )
    with pytest.raises(ValidationError, match="uw eigen noodtoegang"):
        break_glass_review(
            acting_request(own), grant=grant, reviewer=own.user, remark="Zelf beoordeeld."
        )
    grant.refresh_from_db()
    assert grant.reviewed_at is None

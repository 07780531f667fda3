"""The dossier part of the demo data: personal details, household members, languages,
external contacts, the timeline, and the benchmark's caseloads."""

import hashlib
from collections import Counter, defaultdict
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from koers.clients.constants import (
    ApplicableLaw,
    Gender,
    NetworkRole,
    Relation,
    ReunificationStatus,
    TargetGroup,
)
from koers.clients.models import Client, ClientLanguage, Household, HouseholdMember
from koers.clients.permissions import clients_visible_to
from koers.clients.search import search_key_for
from koers.demo import names
from koers.demo.dossier import BENCH_LARGE, BENCH_REGION, BENCH_SMALL
from koers.network.models import Involvement
from koers.organisations.models import Organisation
from koers.timeline.constants import Confidentiality, ContactKind, ContactStatus
from koers.timeline.models import ContactMoment, Note, WalkInSession

pytestmark = pytest.mark.django_db

TODAY = "2026-03-02"
MOTHER_TONGUE_COUNTRIES = {
    "ar": {"SY", "IQ", "YE", "PS", "LB", "SD"},
    "ti": {"ER", "ET"},
    "prs": {"AF", "IR"},
    "so": {"SO", "ET"},
    "tr": {"TR"},
    "uk": {"UA"},
}


def run(*args) -> str:
    out = StringIO()
    call_command("demo_data", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def demo(settings):
    settings.DEMO_MODE = True
    run("--today", TODAY)


def adults():
    return Client.objects.filter(
        household_membership__relation__in=[Relation.HEAD, Relation.PARTNER]
    )


def test_every_adult_has_birth_gender_country_languages_and_inburgering(demo):
    mother_tongues = dict(
        ClientLanguage.objects.filter(is_mother_tongue=True).values_list("client_id", "language")
    )
    checked = 0
    for client in adults():
        assert client.birth_year and client.gender in (Gender.MAN, Gender.WOMAN, Gender.UNKNOWN)
        assert client.country_of_origin in MOTHER_TONGUE_COUNTRIES[mother_tongues[client.pk]]
        assert client.literacy and client.applicable_law and client.target_group
        assert client.permit_date <= client.koppeling_date
        assert client.housing_date is None or client.koppeling_date <= client.housing_date
        assert client.search_key == search_key_for(client.given_names, client.family_name)
        checked += 1
    assert checked > 100
    laws = Counter(adults().values_list("applicable_law", flat=True))
    assert laws.most_common(1)[0][0] == ApplicableLaw.WI2021
    groups = set(Client.objects.values_list("target_group", flat=True))
    assert {TargetGroup.ASIEL, TargetGroup.NAREIZIGER} <= groups


def test_some_birth_dates_are_partly_unknown_as_the_brp_records_them(demo):
    assert Client.objects.filter(birth_day__isnull=True, birth_month__isnull=False).exists()
    assert Client.objects.filter(birth_month__isnull=True, birth_year__isnull=False).exists()
    assert Client.objects.filter(birth_day__isnull=False).count() > Client.objects.count() / 2


def test_languages_carry_dialect_and_script_and_interpreters_their_language(demo):
    languages = ClientLanguage.objects.all()
    assert languages.filter(language="ar").exclude(dialect="").exists()
    assert {"arab", "ethi", "latn", "cyrl"} <= set(languages.values_list("script", flat=True))
    assert languages.filter(is_mother_tongue=True).count() == Client.objects.count()
    needing = adults().filter(interpreter_needed=True)
    assert needing.exists() and not needing.filter(interpreter_language="").exists()
    assert adults().exclude(phone="").exists() and adults().exclude(email="").exists()


def test_bsns_are_synthetic_and_distinct_and_v_numbers_distinct(demo):
    bsns = list(Client.objects.exclude(bsn=None).values_list("bsn", flat=True))
    assert len(bsns) == Client.objects.count() == len(set(bsns))
    assert all(names.is_synthetic_bsn(bsn) for bsn in bsns)
    v_numbers = list(Client.objects.exclude(v_number=None).values_list("v_number", flat=True))
    assert len(v_numbers) == len(set(v_numbers)) > Client.objects.count() / 2


def test_clients_beyond_the_999_range_get_no_bsn(settings, monkeypatch):
    settings.DEMO_MODE = True
    monkeypatch.setattr(names, "MAX_SYNTHETIC_BSNS", 50)
    run("--today", TODAY)
    assert Client.objects.exclude(bsn=None).count() == 50
    assert Client.objects.filter(bsn=None).count() == 150


def test_every_client_is_a_household_member_beside_children_and_family_abroad(demo):
    assert HouseholdMember.objects.filter(client__isnull=False).count() == Client.objects.count()
    heads = HouseholdMember.objects.filter(relation=Relation.HEAD)
    assert heads.count() == Household.objects.count()
    without_dossier = HouseholdMember.objects.filter(client=None)
    assert without_dossier.filter(
        relation=Relation.CHILD, reunification_status=ReunificationStatus.NOT_APPLICABLE
    ).exists()
    abroad = without_dossier.exclude(reunification_status=ReunificationStatus.NOT_APPLICABLE)
    assert abroad.exists() and not abroad.filter(given_names="", family_name="").exists()
    assert (
        HouseholdMember.objects.filter(relation=Relation.CHILD)
        .exclude(school_or_childcare="")
        .exists()
    )


def test_some_households_have_external_contacts_with_name_and_phone(demo):
    external = Involvement.objects.filter(membership=None).exclude(person_name="")
    assert external.count() > 10
    assert not external.filter(phone="").exists()
    assert set(external.values_list("note", flat=True)) == {"Huisarts", "Mentor / leerkracht"}
    organisations = set(external.values_list("organisation__name", flat=True))
    assert all(name.startswith(("Gezondheidscentrum", "Scholengroep")) for name in organisations)
    # Regisseurs are still there: external contacts come on top.
    assert Involvement.objects.filter(role=NetworkRole.REGISSEUR).count() > 50


def test_the_timeline_has_about_ten_contact_moments_per_household(demo):
    moments = ContactMoment.objects.all()
    per_household = moments.count() / Household.objects.count()
    assert 7 <= per_household <= 14
    assert Note.objects.count() > 100
    assert set(moments.values_list("status", flat=True)) == set(ContactStatus.values)
    assert set(moments.values_list("kind", flat=True)) == set(ContactKind.values)
    assert set(moments.values_list("confidentiality", flat=True)) == set(Confidentiality.values)
    assert moments.filter(with_interpreter=True).exclude(interpreter_language="").exists()
    planned = moments.filter(status=ContactStatus.PLANNED)
    assert planned.exists() and not planned.filter(starts_at__date__lte=TODAY).exists()
    assert (
        not moments.exclude(status=ContactStatus.PLANNED).filter(starts_at__date__gt=TODAY).exists()
    )
    assert not planned.filter(starts_at__date__gt="2026-03-24").exists()
    assert moments.filter(clients__isnull=False).distinct().count() == moments.count()


def test_timeline_entries_are_written_by_the_households_network(demo):
    network = defaultdict(set)
    for household_id, membership_id, role in Involvement.objects.exclude(
        membership=None
    ).values_list("household_id", "membership_id", "role"):
        network[household_id].add(membership_id)
    for model in (ContactMoment, Note):
        for household_id, author_id in model.objects.values_list("household_id", "author_id"):
            assert author_id in network[household_id]
    volunteers = Involvement.objects.filter(
        role__in=[NetworkRole.TAALMAATJE, NetworkRole.VRIJWILLIGER]
    ).values_list("membership_id", flat=True)
    assert set(
        ContactMoment.objects.filter(author_id__in=volunteers).values_list(
            "confidentiality", flat=True
        )
    ) <= {Confidentiality.NETWORK}


def test_walk_in_hours_per_municipality_with_anonymous_visits(demo):
    sessions = WalkInSession.objects.all()
    assert set(sessions.values_list("municipality__code", flat=True)) == {
        "GM9901",
        "GM9902",
        "GM9903",
    }
    assert sum(sessions.values_list("anonymous_visits", flat=True)) > 0
    assert sessions.filter(present__isnull=False).exists()
    walk_ins = ContactMoment.objects.filter(kind=ContactKind.WALK_IN).select_related(
        "walk_in_session", "household"
    )
    assert walk_ins.exists()
    for moment in walk_ins:
        assert moment.walk_in_session.municipality_id == moment.household.municipality_id


def test_timeline_per_client_sets_the_volume(settings):
    settings.DEMO_MODE = True
    run("--today", TODAY, "--timeline-per-client", "0")
    assert not ContactMoment.objects.exists() and not Note.objects.exists()


def count_queries(*args) -> int:
    with transaction.atomic():
        with CaptureQueriesContext(connection) as queries:
            run(*args)
        transaction.set_rollback(True)
    return len(queries)


def test_timeline_queries_do_not_grow_per_entry(settings):
    settings.DEMO_MODE = True
    few = count_queries("--clients", "300", "--timeline-per-client", "1")
    many = count_queries("--clients", "300", "--timeline-per-client", "6")
    # 1,500 more entries: batches of at least 35 rows even with SQLite's variable limit.
    assert many - few < 1500 / 35


def timeline_digest() -> str:
    # Each list is ordered by every column it reads: ties (two contact moments at the same time
    # with the same kind and summary) came back in either order on PostgreSQL.
    rows = [
        list(
            ContactMoment.objects.order_by(
                "starts_at",
                "kind",
                "summary",
                "household__name",
                "author__user__username",
                "status",
                "with_interpreter",
                "confidentiality",
            ).values_list(
                "household__name",
                "kind",
                "status",
                "starts_at",
                "with_interpreter",
                "summary",
                "confidentiality",
                "author__user__username",
            )
        ),
        list(Note.objects.order_by("created_at", "text").values_list("text", "created_at")),
        list(
            Client.objects.order_by(
                "family_name", "given_names", "bsn", "v_number", "birth_year", "birth_month"
            ).values_list(
                "bsn", "v_number", "birth_year", "birth_month", "birth_day", "country_of_origin"
            )
        ),
        list(
            HouseholdMember.objects.order_by(
                "household__name", "relation", "given_names", "reunification_status"
            )
            .filter(client=None)
            .values_list("given_names", "relation", "reunification_status")
        ),
    ]
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def generated_digest(*args) -> str:
    with transaction.atomic():
        run(*args)
        result = timeline_digest()
        transaction.set_rollback(True)
    return result


def test_same_seed_and_today_give_the_same_dossiers_and_timeline(settings):
    settings.DEMO_MODE = True
    first = generated_digest("--seed", "3", "--today", TODAY)
    assert first == generated_digest("--seed", "3", "--today", TODAY)
    assert first != generated_digest("--seed", "4", "--today", TODAY)


def test_bench_flag_adds_caseloads_of_15_and_150_and_a_user_for_every_municipality():
    run("--bench", "--municipalities", "1", "--clients", "1500", "--timeline-per-client", "1")
    from koers.accounts.models import Membership

    def visible(username):
        return clients_visible_to(Membership.objects.get(user__username=username)).count()

    assert visible(BENCH_SMALL) == 15
    assert visible(BENCH_LARGE) == 150
    assert visible(BENCH_REGION) == Client.objects.count() == 1500
    assert Organisation.objects.filter(name__startswith="Landelijk").count() == 1
    active = Involvement.objects.active().filter(
        role=NetworkRole.REGISSEUR, membership__user__username=BENCH_LARGE
    )
    assert Client.objects.filter(household__involvements__in=active).count() == 150

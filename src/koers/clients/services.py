from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from koers.audit.constants import Action
from koers.audit.services import audit_change, audit_event

from .constants import Section
from .models import BreakGlassAccess, Client, ClientLanguage, Household, HouseholdMember
from .search import search_key_for


@transaction.atomic
def break_glass_open(request, *, membership, client: Client, reason: str) -> BreakGlassAccess:
    """Open a dossier outside one's scope for a while, with the reason on record for the privacy
    officer. The grant and its audit row are written together."""
    now = timezone.now()
    grant = BreakGlassAccess(
        membership=membership,
        client=client,
        reason=reason.strip(),
        created_at=now,
        expires_at=now + timedelta(hours=settings.KOERS_BREAK_GLASS_HOURS),
    )
    grant.full_clean()
    grant.save()
    audit_change(
        request,
        client_id=client.pk,
        action=Action.BREAK_GLASS,
        detail=f"break_glass:{grant.pk}",
    )
    return grant


@transaction.atomic
def break_glass_review(
    request, *, grant: BreakGlassAccess, reviewer, remark: str
) -> BreakGlassAccess:
    """The privacy officer's review of a break-the-glass grant, with its audit row.

    A grant is reviewed once: the update only applies while the grant is unreviewed, so of two
    reviews at the same time exactly one wins and the other gets a ValidationError.
    """
    if grant.membership.user_id == reviewer.pk:
        raise ValidationError(_("You cannot review your own emergency access."))
    if not remark.strip():
        raise ValidationError({"remark": _("Write a remark with your review.")})
    grant.reviewed_at = timezone.now()
    grant.reviewed_by = reviewer
    grant.review_remark = remark.strip()
    grant.full_clean()
    won = BreakGlassAccess.objects.filter(pk=grant.pk, reviewed_at__isnull=True).update(
        reviewed_at=grant.reviewed_at, reviewed_by=reviewer, review_remark=grant.review_remark
    )
    if not won:
        grant.refresh_from_db()
        raise ValidationError(
            _("This emergency access was already reviewed by %(name)s.")
            % {"name": grant.reviewed_by.display_name if grant.reviewed_by else "–"}
        )
    audit_event(
        request,
        action=Action.BREAK_GLASS_REVIEW,
        client_id=grant.client_id,
        detail=f"break_glass:{grant.pk}",
    )
    return grant


# --- registering a household -------------------------------------------------------------------

CLIENT_FIELDS = (
    "given_names",
    "family_name",
    "birth_year",
    "birth_month",
    "birth_day",
    "gender",
    "country_of_origin",
    "literacy",
    "interpreter_needed",
    "interpreter_language",
    "phone",
    "email",
    "bsn",
    "v_number",
    "applicable_law",
    "target_group",
    "permit_date",
    "koppeling_date",
    "housing_date",
)
# Which section each editable client field belongs to (models.py groups them the same way).
FIELD_SECTIONS = {
    "given_names": Section.BASIS,
    "family_name": Section.BASIS,
    "birth_year": Section.BASIS,
    "birth_month": Section.BASIS,
    "birth_day": Section.BASIS,
    "gender": Section.BASIS,
    "status": Section.BASIS,
    "status_reason": Section.BASIS,
    "status_date": Section.BASIS,
    "country_of_origin": Section.PROFILE,
    "literacy": Section.LANGUAGES,
    "interpreter_needed": Section.LANGUAGES,
    "interpreter_language": Section.LANGUAGES,
    "phone": Section.CONTACT,
    "email": Section.CONTACT,
    "bsn": Section.IDENTITY,
    "v_number": Section.IDENTITY,
    "applicable_law": Section.INBURGERING,
    "target_group": Section.INBURGERING,
    "permit_date": Section.INBURGERING,
    "koppeling_date": Section.INBURGERING,
    "housing_date": Section.INBURGERING,
}
HOUSEHOLD_FIELD_SECTIONS = {
    "name": Section.HOUSEHOLD,
    "street": Section.CONTACT,
    "house_number": Section.CONTACT,
    "postcode": Section.CONTACT,
    "city": Section.CONTACT,
}


class MemberError(ValidationError):
    """A member's data is refused: `index` says which member, for the form to show it there."""

    def __init__(self, index: int, error: ValidationError):
        super().__init__(error.message_dict if hasattr(error, "error_dict") else error.messages)
        self.index = index


def _bsn_taken(municipality_id, bsn, *, exclude_pk=None) -> bool:
    taken = Client.objects.filter(municipality_id=municipality_id, bsn=bsn)
    if exclude_pk:
        taken = taken.exclude(pk=exclude_pk)
    return taken.exists()


def _check_identity_unique(client: Client):
    errors = {}
    if client.bsn and _bsn_taken(client.municipality_id, client.bsn, exclude_pk=client.pk):
        errors["bsn"] = _("This BSN is already registered in this municipality.")
    if client.v_number and (
        Client.objects.filter(municipality_id=client.municipality_id, v_number=client.v_number)
        .exclude(pk=client.pk)
        .exists()
    ):
        errors["v_number"] = _("This V-number is already registered in this municipality.")
    if errors:
        raise ValidationError(errors)


_NULLABLE = {
    "birth_year",
    "birth_month",
    "birth_day",
    "bsn",
    "v_number",
    "permit_date",
    "koppeling_date",
    "housing_date",
}


def _sections_of(fields, mapping=None) -> Section:
    mapping = mapping or FIELD_SECTIONS
    sections = Section.none()
    for name in fields:
        sections |= mapping[name]
    return sections


def _check_birth_parts(person):
    """The BRP's partly unknown dates: a known month needs a year, a known day a month."""
    errors = {}
    if person.birth_month and not person.birth_year:
        errors["birth_year"] = _("A known month needs a known year.")
    if person.birth_day and not person.birth_month:
        errors["birth_month"] = _("A known day needs a known month.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def household_register(
    request, *, membership, household: dict, members: list[dict], write: Section
) -> tuple[Household, list[Client]]:
    """Register a household with its members in one transaction: everything or nothing.

    `members` are dicts with `kind` ("client" or "member"), the client fields, `relation`,
    `school_or_childcare` and `languages` (a list of (language, dialect, script, mother tongue)).
    Sections outside `write` (e.g. IDENTITY) are not stored. The one who registers becomes the
    regisseur when they are one (a new household has none yet).
    """
    from koers.accounts.constants import Role
    from koers.network.services import regisseur_assign

    if Section.BASIS not in write:
        raise ValidationError(_("You may not register households."))
    home = Household(**household)
    home.full_clean()
    home.save()
    clients = []
    for index, data in enumerate(members):
        try:
            client = _member_create(home, data, write=write)
        except ValidationError as error:
            raise MemberError(index, error) from None
        if client is not None:
            clients.append(client)
    for client in clients:
        audit_change(
            request,
            client_id=client.pk,
            action=Action.CREATE,
            sections=Section.BASIS | Section.HOUSEHOLD | (write & _REGISTER_SECTIONS),
            detail="household_register",
        )
    if membership.role == Role.REGISSEUR:
        regisseur_assign(request, household=home, membership=membership)
    return home, clients


_REGISTER_SECTIONS = (
    Section.CONTACT | Section.PROFILE | Section.LANGUAGES | Section.IDENTITY | Section.INBURGERING
)


def _member_create(home: Household, data: dict, *, write: Section) -> Client | None:
    client = None
    if data["kind"] == "client":
        values = {
            name: data.get(name)
            for name in CLIENT_FIELDS
            if name in data and FIELD_SECTIONS[name] in write
        }
        values = {k: ("" if v is None and k not in _NULLABLE else v) for k, v in values.items()}
        client = Client(
            household=home, municipality=home.municipality, area_team=home.area_team, **values
        )
        _check_birth_parts(client)
        _check_identity_unique(client)
        client.full_clean()
        client.save()
        if Section.LANGUAGES in write:
            for language, dialect, script, mother_tongue in data.get("languages", []):
                row = ClientLanguage(
                    client=client,
                    language=language,
                    dialect=dialect or "",
                    script=script or "",
                    is_mother_tongue=mother_tongue,
                )
                row.full_clean()
                row.save()
    member = HouseholdMember(
        household=home,
        client=client,
        given_names="" if client else data.get("given_names") or "",
        family_name="" if client else data.get("family_name") or "",
        birth_year=None if client else data.get("birth_year"),
        birth_month=None if client else data.get("birth_month"),
        birth_day=None if client else data.get("birth_day"),
        relation=data["relation"],
        school_or_childcare=data.get("school_or_childcare") or "",
    )
    _check_birth_parts(member)
    member.full_clean()
    member.save()
    return client


# --- versioned updates ---------------------------------------------------------------------------


class VersionConflict(Exception):
    """Someone else saved first: nothing was written. `current` is the row as it is now."""

    def __init__(self, current):
        super().__init__("version conflict")
        self.current = current


@transaction.atomic
def client_update(request, *, client: Client, access, changes: dict, version: int) -> Client:
    """Change fields of one client, only if the row still has the version the form was loaded
    with; every field's section must be writable. Audited with the sections changed."""
    sections = _sections_of(changes)
    for section in sections.members():
        if not access.can_write(section):
            raise PermissionDenied
    candidate = Client.objects.get(pk=client.pk)
    for name, value in changes.items():
        setattr(candidate, name, value)
    _check_birth_parts(candidate)
    if "bsn" in changes or "v_number" in changes:
        _check_identity_unique(candidate)
    candidate.full_clean(
        exclude=["household", "municipality", "area_team"], validate_constraints=False
    )
    extra = {}
    if "given_names" in changes or "family_name" in changes:
        extra["search_key"] = search_key_for(candidate.given_names, candidate.family_name)
    updated = Client.objects.filter(pk=client.pk, version=version).update(
        **changes, **extra, version=F("version") + 1
    )
    if not updated:
        raise VersionConflict(Client.objects.get(pk=client.pk))
    audit_change(
        request,
        client_id=client.pk,
        access=access,
        action=Action.UPDATE,
        sections=sections,
        detail="client_update:" + ",".join(sorted(changes))[:180],
    )
    return Client.objects.get(pk=client.pk)


@transaction.atomic
def client_status_change(
    request, *, client: Client, access, status: str, reason: str, on, version: int
) -> Client:
    """A status change (registered, active, outflow, moved, closed) with its reason and date."""
    if not reason.strip():
        raise ValidationError({"status_reason": _("Give the reason for the status change.")})
    return client_update(
        request,
        client=client,
        access=access,
        changes={"status": status, "status_reason": reason.strip(), "status_date": on},
        version=version,
    )


@transaction.atomic
def household_update(
    request, *, household: Household, accesses: dict, changes: dict, version: int
) -> Household:
    """Change the household (its name, the address), only on the version loaded. `accesses`
    maps each member client's id to its access: every section changed must be writable for the
    client the page was opened through (the first), and the change is audited on every member."""
    sections = _sections_of(changes, HOUSEHOLD_FIELD_SECTIONS)
    first = next(iter(accesses.values()))
    for section in sections.members():
        if not first.can_write(section):
            raise PermissionDenied
    candidate = Household.objects.get(pk=household.pk)
    for name, value in changes.items():
        setattr(candidate, name, value)
    candidate.full_clean()
    updated = Household.objects.filter(pk=household.pk, version=version).update(
        **changes, version=F("version") + 1
    )
    if not updated:
        raise VersionConflict(Household.objects.get(pk=household.pk))
    for client_id, access in accesses.items():
        audit_change(
            request,
            client_id=client_id,
            access=access,
            action=Action.UPDATE,
            sections=sections,
            detail="household_update:" + ",".join(sorted(changes))[:180],
        )
    return Household.objects.get(pk=household.pk)


# --- the languages list and the household's members ------------------------------------------


def _require_write(access, sections: Section):
    for section in sections.members():
        if not (access.can_read(section) and access.can_write(section)):
            raise PermissionDenied


@transaction.atomic
def client_language_add(
    request,
    *,
    client: Client,
    access,
    language: str,
    dialect: str = "",
    script: str = "",
    is_mother_tongue: bool = False,
) -> ClientLanguage:
    """Add a language the client speaks. A language already on the list is refused next to the
    field (the unique constraint guards a double submit or two people at once)."""
    _require_write(access, Section.LANGUAGES)
    row = ClientLanguage(
        client=client,
        language=language,
        dialect=(dialect or "").strip(),
        script=script or "",
        is_mother_tongue=is_mother_tongue,
    )
    row.full_clean(exclude=["client"], validate_constraints=False)
    duplicate = ValidationError({"language": _("This language is already on the client's list.")})
    if ClientLanguage.objects.filter(client=client, language=language).exists():
        raise duplicate
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:
        raise duplicate from None
    audit_change(
        request,
        client_id=client.pk,
        access=access,
        action=Action.UPDATE,
        sections=Section.LANGUAGES,
        detail=f"client_language_add:{language}",
    )
    return row


@transaction.atomic
def client_language_remove(request, *, client: Client, access, language_id: int) -> bool:
    """Remove a language from the client's list; removing it twice does nothing the second time."""
    _require_write(access, Section.LANGUAGES)
    row = ClientLanguage.objects.filter(client=client, pk=language_id).first()
    if row is None:
        return False
    row.delete()
    audit_change(
        request,
        client_id=client.pk,
        access=access,
        action=Action.UPDATE,
        sections=Section.LANGUAGES,
        detail=f"client_language_remove:{row.language}",
    )
    return True


MEMBER_FIELD_SECTIONS = {
    "relation": Section.HOUSEHOLD,
    "school_or_childcare": Section.HOUSEHOLD,
    "given_names": Section.HOUSEHOLD,
    "family_name": Section.HOUSEHOLD,
    "birth_year": Section.HOUSEHOLD,
    "birth_month": Section.HOUSEHOLD,
    "birth_day": Section.HOUSEHOLD,
    "reunification_status": Section.ASYLUM,
}
# A member with a dossier keeps the names and date of birth of the client (the BASIS section).
MEMBER_PERSON_FIELDS = ("given_names", "family_name", "birth_year", "birth_month", "birth_day")


def _check_member(member: HouseholdMember):
    _check_birth_parts(member)
    if member.birth_year and member.birth_month and member.birth_day:
        import datetime

        try:
            datetime.date(member.birth_year, member.birth_month, member.birth_day)
        except ValueError:
            raise ValidationError({"birth_day": _("This date does not exist.")}) from None
    if not member.client_id and not (member.family_name or "").strip():
        raise ValidationError({"family_name": _("Fill in the family name (or the single name).")})
    member.full_clean(exclude=["household", "client"])


def _audit_household(request, accesses: dict, *, sections: Section, detail: str):
    for client_id, access in accesses.items():
        audit_change(
            request,
            client_id=client_id,
            access=access,
            action=Action.UPDATE,
            sections=sections,
            detail=detail[:200],
        )


@transaction.atomic
def household_member_update(
    request, *, member: HouseholdMember, accesses: dict, changes: dict, version: int
) -> HouseholdMember:
    """Change a household member (relation, school or childcare, family reunification, and for a
    member without a dossier the names and date of birth), only on the household version the form
    was loaded with; the household's version goes up. `accesses` as for household_update."""
    if member.client_id and any(name in changes for name in MEMBER_PERSON_FIELDS):
        raise PermissionDenied  # a client's names and date of birth are edited in the dossier
    sections = _sections_of(changes, MEMBER_FIELD_SECTIONS)
    _require_write(next(iter(accesses.values())), sections)
    candidate = HouseholdMember.objects.get(pk=member.pk)
    for name, value in changes.items():
        setattr(candidate, name, "" if value is None and name not in _NULLABLE else value)
    _check_member(candidate)
    bumped = Household.objects.filter(pk=member.household_id, version=version).update(
        version=F("version") + 1
    )
    if not bumped:
        raise VersionConflict(HouseholdMember.objects.get(pk=member.pk))
    candidate.save(update_fields=list(changes))
    _audit_household(
        request,
        accesses,
        sections=sections,
        detail="household_member_update:" + ",".join(sorted(changes)),
    )
    return candidate


@transaction.atomic
def household_member_add(
    request, *, household: Household, accesses: dict, values: dict
) -> HouseholdMember:
    """Add a member without a dossier (a young child, family abroad) to an existing household;
    the household's version goes up so open edit forms see the change."""
    sections = Section.HOUSEHOLD
    if values.get("reunification_status") not in (None, "", "nvt"):
        sections |= Section.ASYLUM
    _require_write(next(iter(accesses.values())), sections)
    member = HouseholdMember(household=household, client=None)
    for name, value in values.items():
        if name not in MEMBER_FIELD_SECTIONS:
            raise ValueError(name)
        setattr(member, name, "" if value is None and name not in _NULLABLE else value)
    _check_member(member)
    member.save()
    Household.objects.filter(pk=household.pk).update(version=F("version") + 1)
    _audit_household(
        request, accesses, sections=sections, detail=f"household_member_add:{member.pk}"
    )
    return member

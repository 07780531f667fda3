"""Pages of the brede intake, the leerbaarheidstoets and the PIP decision, per client.

Every page: the client through get_client_for (404 when not visible), the INBURGERING section
readable (404 otherwise: not allowed looks like not found), writable for changes; the health
answers of the intake only with the HEALTH section. Reads are audited, writes go through
services.py.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from koers.accounts.constants import Role
from koers.accounts.decorators import membership_required, role_required
from koers.audit.constants import Action
from koers.audit.services import audit_reads
from koers.clients.constants import Section
from koers.clients.permissions import get_client_with_section
from koers.clients.selectors import dossier_breadcrumbs
from koers.core.forms_views import add_validation_errors, save_form, saved

from .constants import (
    HEALTH_TOPICS,
    INBURGERING_TOPICS,
    AppealKind,
    DecisionStatus,
    IntakeStatus,
    IntakeTopic,
)
from .forms import (
    INTAKE_STEPS,
    AppealForm,
    DecisionForm,
    FinaliseForm,
    IntakeForm,
    LbtForm,
    LetterTemplateForm,
    StepDateForm,
    topic_field,
)
from .letters import (
    LETTER_FIELDS,
    decision_letter_html,
    decision_letter_pdf,
    default_letter_texts,
)
from .models import DecisionAppeal, Intake, LearnabilityTest, PipLetterTemplate
from .selectors import decision_for, decision_initial, pip_overview
from .services import (
    VersionConflict,
    appeal_save,
    decision_create,
    decision_delete,
    decision_finalise,
    decision_hand_out,
    decision_in_force,
    decision_mark_reported,
    decision_update,
    intake_answers,
    intake_save,
    intake_start,
    lbt_record,
    lbt_update,
    letter_template_save,
    may_adopt,
    reasons_for,
)

APPEAL_KINDS = {"bezwaar": AppealKind.OBJECTION, "beroep": AppealKind.APPEAL}


def _pip_client(request, client_pk, *, write=False):
    return get_client_with_section(request.membership, client_pk, Section.INBURGERING, write=write)


def _breadcrumbs(client, label=None):
    return dossier_breadcrumbs(client, _("Intake and PIP"), "pip:client", label)


def _audit_view(request, client, access, sections, detail):
    audit_reads(
        request,
        {client.pk: access},
        action=Action.VIEW,
        sections=Section.BASIS | sections,
        detail=detail,
    )


def _display(field, value) -> str:
    if value in (None, ""):
        return "–"
    choices = getattr(field, "choices", None)
    if choices and not hasattr(value, "pk"):
        return str(dict(choices).get(value, value))
    if value is True:
        return _("Yes")
    if value is False:
        return _("No")
    return str(value)


def _conflict(request, *, client, form, now: dict, heading):
    """Someone else saved first: nothing was written; both values per field (409)."""
    rows = []
    for name, current in now.items():
        if name not in form.fields:
            continue
        tried = form.cleaned_data.get(name)
        if hasattr(current, "pk"):
            current_cmp, tried_cmp = current.pk, getattr(tried, "pk", tried)
        else:
            current_cmp, tried_cmp = current, tried
        if (tried_cmp or None) != (current_cmp or None):
            field = form.fields[name]
            rows.append(
                {
                    "label": field.label,
                    "tried": _display(field, tried),
                    "now": _display(field, current),
                }
            )
    return render(
        request,
        "clients/conflict.html",
        {
            "client": client,
            "rows": rows,
            "heading": heading,
            "back_url": request.path,
            "breadcrumbs": _breadcrumbs(client, heading),
        },
        status=409,
    )


def _stale(request, client, form, heading):
    """The conflict page (409) for a form whose fields are the row's own: `form.values()`
    side by side with the row as it is now."""
    return lambda conflict: _conflict(
        request,
        client=client,
        form=form,
        now={name: getattr(conflict.current, name) for name in form.values()},
        heading=heading,
    )


def _to_decision(request, client, decision, message):
    return saved(request, message, "pip:decision", client_pk=client.pk, pk=decision.pk)


def _changed_meanwhile(request, client, decision, message=None):
    """A step on a decision someone else changed in the meantime: nothing written; back to the
    decision with the message why."""
    messages.error(request, message or _("Someone else changed this in the meantime."))
    return redirect("pip:decision", client_pk=client.pk, pk=decision.pk)


def _decision_form(
    request,
    client,
    access,
    decision,
    form,
    *,
    save,
    done: str,
    conflict,
    detail: str,
    refused=add_validation_errors,
    **page,
):
    """A form page on a decision: `save()` through the service, then back to the decision with
    the message `done`; on a stale version `conflict(error)`; on a rule the form again with
    the errors (placed by `refused`). The page is audited as a read of the decision; `page` is
    the rest of _form_page's arguments (title, submit_label, intro)."""
    response = save_form(
        request,
        form,
        save,
        done=lambda _saved: _to_decision(request, client, decision, done),
        conflict=conflict,
        refused=refused,
    )
    if response is not None:
        return response
    _audit_view(request, client, access, Section.INBURGERING, detail)
    return _form_page(
        request,
        client,
        form,
        cancel_url=reverse("pip:decision", args=[client.pk, decision.pk]),
        **page,
    )


def _form_page(request, client, form, *, title, submit_label=None, intro=None, cancel_url=None):
    return render(
        request,
        "pip/form_page.html",
        {
            "client": client,
            "form": form,
            "title": title,
            "intro": intro,
            "submit_label": submit_label,
            "cancel_url": cancel_url or reverse("pip:client", args=[client.pk]),
            "breadcrumbs": _breadcrumbs(client, title),
        },
    )


# --- overview -----------------------------------------------------------------------------------


@membership_required
@require_GET
def client_pip(request, client_pk):
    client, access = _pip_client(request, client_pk)
    overview = pip_overview(client)
    _audit_view(request, client, access, Section.INBURGERING, "pip:overview")
    return render(
        request,
        "pip/overview.html",
        {
            "client": client,
            **overview,
            "can_edit": access.can_write(Section.INBURGERING),
            "breadcrumbs": _breadcrumbs(client),
        },
    )


# --- the brede intake ---------------------------------------------------------------------------


def _intake_steps(form, *, health_readable, health_answers, lbts):
    """The fieldsets of the intake form: per step the bound fields, or for the health step
    without HEALTH write access the answers as text (readable) or nothing at all."""
    steps = []
    for slug, label, topics in INTAKE_STEPS:
        is_health = topics == list(HEALTH_TOPICS)
        if is_health and not health_readable:
            continue
        step = {"slug": slug, "label": label, "fields": [], "read_only": [], "lbts": None}
        for topic in topics:
            name = topic_field(topic)
            if name in form.fields:
                step["fields"].append(form[name])
            elif is_health:
                step["read_only"].append(
                    {"label": IntakeTopic(topic).label, "text": health_answers.get(topic, "")}
                )
            if topic == IntakeTopic.LANGUAGE:
                step["fields"].append(form["dutch_level_estimate"])
            if topic == IntakeTopic.LBT:
                step["lbts"] = lbts
        steps.append(step)
    steps.append(
        {
            "slug": "conclusie",
            "label": _("Conclusion: proposed learning route"),
            "fields": [
                form["proposed_route"],
                form["proposed_level"],
                form["proposed_literacy"],
                form["conclusion"],
            ],
            "read_only": [],
            "lbts": None,
        }
    )
    return steps


def _intake_page(request, client, form, *, intake, health_readable, health_answers):
    title = (
        _("Brede intake")
        if intake is None
        else _("Brede intake of %(date)s") % {"date": intake.started_on.strftime("%d-%m-%Y")}
    )
    return render(
        request,
        "pip/intake_form.html",
        {
            "client": client,
            "intake": intake,
            "form": form,
            "title": title,
            "started_field": form["started_on"],
            "steps": _intake_steps(
                form,
                health_readable=health_readable,
                health_answers=health_answers,
                lbts=list(LearnabilityTest.objects.filter(client=client)[:3]),
            ),
            "breadcrumbs": _breadcrumbs(client, title),
        },
    )


@membership_required
@require_http_methods(["GET", "POST"])
def intake_new(request, client_pk):
    client, access = _pip_client(request, client_pk, write=True)
    draft = Intake.objects.filter(client=client, status=IntakeStatus.CONCEPT).first()
    if draft is not None:
        messages.info(request, _("There is a draft intake for this client already: continue it."))
        return redirect("pip:intake", client_pk=client.pk, pk=draft.pk)
    health_readable = access.can_read(Section.HEALTH)
    health = health_readable and access.can_write(Section.HEALTH)
    form = IntakeForm(request.POST or None, instance=Intake(client=client), health=health)
    response = save_form(
        request,
        form,
        lambda: intake_start(
            request,
            client=client,
            access=access,
            membership=request.membership,
            values=form.values(),
            answers=form.answers(),
            health_answers=form.health_answers(),
            form_token=form.cleaned_data["form_token"],
        ),
        done=lambda intake: saved(
            request,
            _("The intake is saved as a draft."),
            "pip:intake",
            client_pk=client.pk,
            pk=intake.pk,
        ),
    )
    if response is not None:
        return response
    _audit_view(request, client, access, Section.INBURGERING, "pip:intake_new")
    return _intake_page(
        request, client, form, intake=None, health_readable=health_readable, health_answers={}
    )


@membership_required
@require_http_methods(["GET", "POST"])
def intake_detail(request, client_pk, pk):
    """A draft intake as the form (for who may write INBURGERING), otherwise read only."""
    client, access = _pip_client(request, client_pk)
    intake = get_object_or_404(
        Intake.objects.select_related("conducted_by__user", "completed_by__user"),
        pk=pk,
        client=client,
    )
    health_readable = access.can_read(Section.HEALTH)
    health = health_readable and access.can_write(Section.HEALTH)
    answers, health_answers = intake_answers(intake, health=health_readable)
    sections = Section.INBURGERING | (Section.HEALTH if health_readable else Section.none())
    editable = intake.is_concept and access.can_write(Section.INBURGERING)
    if not editable:
        if request.method == "POST":
            if not access.can_write(Section.INBURGERING):
                raise Http404
            # A second submit of "complete", or a save after someone completed it.
            messages.info(request, _("A completed intake is not changed: start a new intake."))
            return redirect("pip:client", client_pk=client.pk)
        _audit_view(request, client, access, sections, "pip:intake")
        topics = list(INBURGERING_TOPICS) + (list(HEALTH_TOPICS) if health_readable else [])
        return render(
            request,
            "pip/intake_detail.html",
            {
                "client": client,
                "intake": intake,
                "answers": [
                    {
                        "label": IntakeTopic(t).label,
                        "text": {**answers, **health_answers}.get(t, ""),
                        "health": t in HEALTH_TOPICS,
                    }
                    for t in topics
                ],
                "can_edit": access.can_write(Section.INBURGERING),
                "breadcrumbs": _breadcrumbs(client, _("Brede intake")),
            },
        )
    form = IntakeForm(
        request.POST or None,
        instance=intake,
        answers=answers,
        health_answers=health_answers,
        health=health,
    )
    complete = "complete" in request.POST

    def stale(conflict):
        now_answers, now_health = intake_answers(conflict.current, health=health)
        now = {name: getattr(conflict.current, name) for name in form.values()}
        now.update({topic_field(t): v for t, v in {**now_answers, **now_health}.items()})
        for topic in list(INBURGERING_TOPICS) + list(HEALTH_TOPICS):
            now.setdefault(topic_field(topic), "")
        return _conflict(request, client=client, form=form, now=now, heading=_("Brede intake"))

    response = save_form(
        request,
        form,
        lambda: intake_save(
            request,
            intake=intake,
            access=access,
            membership=request.membership,
            values=form.values(),
            answers=form.answers(),
            health_answers=form.health_answers(),
            version=form.cleaned_data["version"],
            complete=complete,
        ),
        done=lambda _saved: (
            saved(request, _("The intake is completed."), "pip:client", client_pk=client.pk)
            if complete
            else saved(
                request,
                _("The intake is saved as a draft."),
                "pip:intake",
                client_pk=client.pk,
                pk=intake.pk,
            )
        ),
        conflict=stale,
    )
    if response is not None:
        return response
    _audit_view(request, client, access, sections, "pip:intake")
    return _intake_page(
        request,
        client,
        form,
        intake=intake,
        health_readable=health_readable,
        health_answers=health_answers,
    )


# --- the leerbaarheidstoets ---------------------------------------------------------------------


@membership_required
@require_http_methods(["GET", "POST"])
def lbt_edit(request, client_pk, pk=None):
    client, access = _pip_client(request, client_pk, write=True)
    test = (
        get_object_or_404(LearnabilityTest, pk=pk, client=client)
        if pk is not None
        else LearnabilityTest(client=client)
    )
    title = _("Learnability test") if pk else _("Register a learnability test")
    form = LbtForm(request.POST or None, instance=test)

    def save():
        if pk is None:
            return lbt_record(
                request,
                client=client,
                access=access,
                membership=request.membership,
                values=form.values(),
                form_token=form.cleaned_data["form_token"],
            )
        return lbt_update(
            request,
            test=test,
            access=access,
            values=form.values(),
            version=form.cleaned_data["version"],
        )

    response = save_form(
        request,
        form,
        save,
        done=lambda _test: saved(
            request, _("The learnability test is saved."), "pip:client", client_pk=client.pk
        ),
        conflict=_stale(request, client, form, title),
    )
    if response is not None:
        return response
    _audit_view(request, client, access, Section.INBURGERING, "pip:lbt")
    return _form_page(request, client, form, title=title)


# --- the PIP decision ---------------------------------------------------------------------------


def _decision(client, pk):
    decision = decision_for(client, pk)
    if decision is None:
        raise Http404
    return decision


@membership_required
@require_http_methods(["GET", "POST"])
def decision_new(request, client_pk):
    client, access = _pip_client(request, client_pk, write=True)
    draft = client.pip_decisions.filter(status=DecisionStatus.CONCEPT).first()
    if draft is not None:
        messages.info(request, _("There is a draft decision for this client already."))
        return redirect("pip:decision", client_pk=client.pk, pk=draft.pk)
    in_force = decision_in_force(client.pk)
    reasons = reasons_for(in_force is not None)
    reason = request.GET.get("reden")
    if reason not in dict(reasons):
        reason = None
    form = DecisionForm(
        request.POST or None,
        initial=decision_initial(client, reason=reason),
        client=client,
        reasons=reasons,
    )
    response = save_form(
        request,
        form,
        lambda: decision_create(
            request,
            client=client,
            access=access,
            membership=request.membership,
            values=form.values(),
            form_token=form.cleaned_data["form_token"],
        ),
        done=lambda decision: _to_decision(
            request, client, decision, _("The draft decision is saved.")
        ),
    )
    if response is not None:
        return response
    _audit_view(request, client, access, Section.INBURGERING, "pip:decision_new")
    title = _("New PIP decision") if in_force is None else _("New PIP decision (change)")
    intro = None
    if in_force is not None:
        intro = _(
            "The decision in force (%(date)s) is never changed: this new decision replaces it "
            "once adopted."
        ) % {"date": in_force.dagtekening.strftime("%d-%m-%Y")}
    return _form_page(request, client, form, title=title, intro=intro)


@membership_required
@require_GET
def decision_detail(request, client_pk, pk):
    client, access = _pip_client(request, client_pk)
    decision = _decision(client, pk)
    appeals = {a.kind: a for a in DecisionAppeal.objects.filter(decision=decision)}
    try:
        replaced_by = decision.superseded_by
    except decision.__class__.DoesNotExist:
        replaced_by = None
    can_edit = access.can_write(Section.INBURGERING)
    in_force = decision_in_force(client.pk)
    _audit_view(request, client, access, Section.INBURGERING, "pip:decision")
    objection = appeals.get(AppealKind.OBJECTION)
    return render(
        request,
        "pip/decision_detail.html",
        {
            "client": client,
            "decision": decision,
            "replaced_by": replaced_by,
            "is_in_force": in_force is not None and in_force.pk == decision.pk,
            "would_supersede": in_force if decision.is_concept else None,
            "objection": objection,
            "appeal": appeals.get(AppealKind.APPEAL),
            "can_edit": can_edit,
            "can_read_plan": access.can_read(Section.PLAN),
            "can_adopt": can_edit and decision.is_concept and may_adopt(request.membership),
            "can_appeal": can_edit
            and bool(objection and objection.decided_on)
            and AppealKind.APPEAL not in appeals,
            "breadcrumbs": _breadcrumbs(client, _("PIP decision")),
        },
    )


@membership_required
@require_http_methods(["GET", "POST"])
def decision_edit(request, client_pk, pk):
    client, access = _pip_client(request, client_pk, write=True)
    decision = _decision(client, pk)
    if not decision.is_concept:
        messages.error(
            request,
            _("An adopted decision is never changed: make a new decision that replaces it."),
        )
        return redirect("pip:decision", client_pk=client.pk, pk=decision.pk)
    title = _("Edit the draft decision")
    form = DecisionForm(
        request.POST or None,
        instance=decision,
        client=client,
        reasons=reasons_for(decision_in_force(client.pk, exclude_pk=decision.pk) is not None),
    )
    return _decision_form(
        request,
        client,
        access,
        decision,
        form,
        save=lambda: decision_update(
            request,
            decision=decision,
            access=access,
            values=form.values(),
            version=form.cleaned_data["version"],
        ),
        done=_("The draft decision is saved."),
        conflict=_stale(request, client, form, title),
        detail="pip:decision_edit",
        title=title,
    )


@membership_required
@require_http_methods(["GET", "POST"])
def decision_remove(request, client_pk, pk):
    """GET asks to confirm; a POST discards the draft."""
    client, access = _pip_client(request, client_pk, write=True)
    decision = decision_for(client, pk)
    if decision is None and request.method == "POST":
        return redirect("pip:client", client_pk=client.pk)  # discarded already
    if decision is None or not decision.is_concept:
        raise Http404
    if request.method == "POST":
        try:
            decision_delete(
                request,
                decision=decision,
                access=access,
                version=int(request.POST.get("version") or 0),
            )
        except VersionConflict:
            messages.error(request, _("Someone else changed this in the meantime."))
            return redirect("pip:client", client_pk=client.pk)
        messages.success(request, _("The draft decision is discarded."))
        return redirect("pip:client", client_pk=client.pk)
    _audit_view(request, client, access, Section.INBURGERING, "pip:decision_remove")
    return render(
        request,
        "pip/decision_remove.html",
        {
            "client": client,
            "decision": decision,
            "breadcrumbs": _breadcrumbs(client, _("Discard the draft decision")),
        },
    )


@membership_required
@require_http_methods(["GET", "POST"])
def decision_adopt(request, client_pk, pk):
    client, access = _pip_client(request, client_pk, write=True)
    if not may_adopt(request.membership):
        raise Http404
    decision = _decision(client, pk)
    if not decision.is_concept:
        return redirect("pip:decision", client_pk=client.pk, pk=decision.pk)
    title = _("Adopt the PIP decision")
    form = FinaliseForm(request.POST or None, initial={"version": decision.version})

    def adopt():
        try:
            return decision_finalise(
                request,
                decision=decision,
                access=access,
                membership=request.membership,
                dagtekening=form.cleaned_data["dagtekening"],
                version=form.cleaned_data["version"],
            )
        except PermissionDenied:
            raise Http404 from None

    return _decision_form(
        request,
        client,
        access,
        decision,
        form,
        save=adopt,
        done=_("The PIP decision is adopted."),
        conflict=lambda _conflict: _changed_meanwhile(
            request,
            client,
            decision,
            _("Someone else changed this decision in the meantime: check it and try again."),
        ),
        detail="pip:decision_adopt",
        title=title,
        submit_label=_("Adopt"),
        intro=_(
            "Once adopted, the decision is never changed. A later change (route switch, "
            "afschalen, a move) is a new decision."
        ),
    )


STEPS = {
    "uitgereikt": (
        DecisionStatus.FINAL,
        decision_hand_out,
        gettext_lazy("Handed out to the client"),
        gettext_lazy("Handed out on"),
        gettext_lazy("The decision is recorded as handed out."),
    ),
    "gemeld": (
        DecisionStatus.HANDED_OUT,
        decision_mark_reported,
        gettext_lazy("Reported to DUO"),
        gettext_lazy("Reported to DUO on"),
        gettext_lazy("The decision is recorded as reported to DUO."),
    ),
}


def _step_errors(form, error) -> None:
    """The form has the one date: every rule on a field is about it."""
    if hasattr(error, "error_dict"):
        form.add_error("on", [e for errs in error.error_dict.values() for e in errs])
    else:
        form.add_error(None, error)


@membership_required
@require_http_methods(["GET", "POST"])
def decision_step(request, client_pk, pk, step):
    if step not in STEPS:
        raise Http404
    status, service, title, label, done = STEPS[step]
    client, access = _pip_client(request, client_pk, write=True)
    decision = _decision(client, pk)
    if decision.status != status:
        return redirect("pip:decision", client_pk=client.pk, pk=decision.pk)
    form = StepDateForm(request.POST or None, label=label, initial={"version": decision.version})
    return _decision_form(
        request,
        client,
        access,
        decision,
        form,
        save=lambda: service(
            request,
            decision=decision,
            access=access,
            on=form.cleaned_data["on"],
            version=form.cleaned_data["version"],
        ),
        done=str(done),
        conflict=lambda _conflict: _changed_meanwhile(request, client, decision),
        refused=_step_errors,
        detail=f"pip:decision_{step}",
        title=str(title),
    )


@membership_required
@require_http_methods(["GET", "POST"])
def appeal_edit(request, client_pk, pk, kind):
    if kind not in APPEAL_KINDS:
        raise Http404
    kind = APPEAL_KINDS[kind]
    client, access = _pip_client(request, client_pk, write=True)
    decision = _decision(client, pk)
    if not decision.is_final:
        raise Http404
    existing = DecisionAppeal.objects.filter(decision=decision, kind=kind).first()
    title = AppealKind(kind).label
    form = AppealForm(
        request.POST or None, instance=existing or DecisionAppeal(decision=decision, kind=kind)
    )
    return _decision_form(
        request,
        client,
        access,
        decision,
        form,
        save=lambda: appeal_save(
            request,
            decision=decision,
            access=access,
            membership=request.membership,
            kind=kind,
            values=form.values(),
            version=form.cleaned_data.get("version"),
        ),
        done=_("Saved."),
        conflict=_stale(request, client, form, title),
        detail="pip:appeal",
        title=str(title),
    )


@membership_required
@require_GET
def decision_letter(request, client_pk, pk):
    """The letter as a PDF, from the municipality's template. A read of the dossier: audited as
    an export (with the address only for who may read CONTACT)."""
    client, access = _pip_client(request, client_pk)
    decision = _decision(client, pk)
    address = None
    sections = Section.BASIS | Section.INBURGERING
    if access.can_read(Section.CONTACT):
        household = client.household
        address = {
            "street": f"{household.street} {household.house_number}".strip(),
            "place": f"{household.postcode} {household.city}".strip(),
        }
        sections |= Section.CONTACT
    pdf = decision_letter_pdf(decision_letter_html(decision, address=address))
    audit_reads(
        request,
        {client.pk: access},
        action=Action.EXPORT,
        sections=sections,
        detail=f"pip:letter:{decision.pk}",
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"pip-besluit-{decision.pk}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- the municipality's letter template (functional administrator) ------------------------------


admin_required = role_required(Role.FUNCTIONAL_ADMIN)


def _admin_municipalities(membership):
    return membership.organisation.municipalities.order_by("name")


@admin_required
@require_GET
def letter_templates(request):
    municipalities = list(_admin_municipalities(request.membership))
    with_template = set(
        PipLetterTemplate.objects.filter(municipality__in=municipalities).values_list(
            "municipality_id", flat=True
        )
    )
    return render(
        request,
        "pip/letter_templates.html",
        {
            "municipalities": [(m, m.pk in with_template) for m in municipalities],
            "breadcrumbs": [{"label": _("PIP letter templates"), "url": ""}],
        },
    )


@admin_required
@require_http_methods(["GET", "POST"])
def letter_template_edit(request, municipality_pk):
    municipality = get_object_or_404(_admin_municipalities(request.membership), pk=municipality_pk)
    template = PipLetterTemplate.objects.filter(municipality=municipality).first()
    initial = None if template else default_letter_texts(municipality)
    form = LetterTemplateForm(
        request.POST or None,
        instance=template or PipLetterTemplate(municipality=municipality),
        initial=initial,
    )
    title = _("PIP letter of %(name)s") % {"name": municipality.name}
    if request.method == "POST" and form.is_valid():
        try:
            letter_template_save(
                request,
                municipality=municipality,
                values=form.values(),
                version=form.cleaned_data.get("version"),
            )
        except VersionConflict as conflict:
            messages.error(request, _("Someone else changed this in the meantime."))
            form = LetterTemplateForm(instance=conflict.current)
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("pip:letter_templates")
    return render(
        request,
        "pip/letter_template_edit.html",
        {
            "form": form,
            "title": title,
            "fields": LETTER_FIELDS,
            "cancel_url": reverse("pip:letter_templates"),
            "breadcrumbs": [
                {"label": _("PIP letter templates"), "url": reverse("pip:letter_templates")},
                {"label": title, "url": ""},
            ],
        },
    )

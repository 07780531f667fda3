"""SectionsFormField: checkboxes <-> a Section bitmask, for every app that edits sections."""

import pytest
from django import forms

from koers.clients.constants import VOLUNTEER_MAX_SECTIONS, Section
from koers.organisations.forms import SectionsFormField


class AllSectionsForm(forms.Form):
    sections = SectionsFormField(label="Onderdelen")


class VolunteerSectionsForm(forms.Form):
    sections = SectionsFormField(allowed=VOLUNTEER_MAX_SECTIONS, required=False)


def test_checked_boxes_clean_to_a_bitmask():
    form = AllSectionsForm({"sections": ["BASIS", "HEALTH", "DOCUMENTS"]})
    assert form.is_valid(), form.errors
    value = form.cleaned_data["sections"]
    assert isinstance(value, Section)
    assert value == Section.BASIS | Section.HEALTH | Section.DOCUMENTS


def test_every_section_is_a_checkbox_with_its_dutch_label():
    html = str(AllSectionsForm()["sections"])
    assert html.count('type="checkbox"') == len(list(Section))
    assert 'value="IDENTITY"' in html
    assert "Identiteitsnummers (BSN, V-nummer)" in html
    assert "Gezondheid" in html


def test_a_bitmask_as_initial_value_checks_its_boxes():
    form = AllSectionsForm(initial={"sections": Section.CONTACT | Section.LANGUAGES})
    html = str(form["sections"])
    checked = [
        part.split('value="')[1].split('"')[0] for part in html.split("<input") if "checked" in part
    ]
    assert checked == ["CONTACT", "LANGUAGES"]


def test_an_int_bitmask_works_as_initial_value_too():
    form = AllSectionsForm(initial={"sections": int(Section.BASIS | Section.PLAN)})
    assert form["sections"].value() == ["BASIS", "PLAN"]


def test_allowed_limits_the_checkboxes_and_refuses_others():
    form = VolunteerSectionsForm()
    names = [name for name, _label in form.fields["sections"].choices]
    assert names == [member.name for member in VOLUNTEER_MAX_SECTIONS.members()]
    refused = VolunteerSectionsForm({"sections": ["BASIS", "HEALTH"]})
    assert not refused.is_valid()
    assert "HEALTH is geen beschikbare keuze" in refused.errors["sections"][0]


def test_nothing_checked_is_an_empty_set_when_optional_and_an_error_when_required():
    optional = VolunteerSectionsForm({})
    assert optional.is_valid()
    assert optional.cleaned_data["sections"] == Section.none()
    required = AllSectionsForm({})
    assert not required.is_valid()
    assert required.errors["sections"] == ["Dit veld is verplicht."]


def test_an_unknown_name_is_refused():
    form = AllSectionsForm({"sections": ["NOPE"]})
    assert not form.is_valid()


@pytest.mark.parametrize(
    ("initial", "data", "changed"),
    [
        (Section.BASIS | Section.CONTACT, ["CONTACT", "BASIS"], False),
        (Section.BASIS, ["BASIS", "CONTACT"], True),
        (None, [], False),
        (Section.none(), ["BASIS"], True),
    ],
)
def test_has_changed_compares_sets(initial, data, changed):
    form = AllSectionsForm({"sections": data}, initial={"sections": initial})
    assert form.has_changed() is changed

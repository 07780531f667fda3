import pytest

from koers.clients.forms import MemberForm, MemberFormSet

pytestmark = pytest.mark.django_db


def member(**values):
    return {
        "kind": "client",
        "family_name": "Haddad",
        "relation": "hoofd",
        "gender": "onbekend",
        "literacy": "onbekend",
        **values,
    }


def test_a_single_name_is_enough():
    form = MemberForm(member())
    assert form.is_valid(), form.errors


def test_a_bad_bsn_gets_a_dutch_message_on_the_bsn_field():
    form = MemberForm(member(bsn="123456789"))
    assert not form.is_valid()
    assert "geen geldig BSN" in form.errors["bsn"][0]


def test_bsn_spaces_are_removed_and_empty_means_unknown():
    assert MemberForm(member(bsn="1112 22 333")).is_valid()
    form = MemberForm(member(bsn="1112 22 333"))
    form.is_valid()
    assert form.cleaned_data["bsn"] == "111222333"
    empty = MemberForm(member(bsn=""))
    empty.is_valid()
    assert empty.cleaned_data["bsn"] is None


@pytest.mark.parametrize(
    ("parts", "field"),
    [
        ({"birth_month": 3}, "birth_year"),
        ({"birth_year": 1990, "birth_day": 4}, "birth_month"),
        ({"birth_year": 2023, "birth_month": 2, "birth_day": 29}, "birth_day"),
    ],
)
def test_birth_parts_must_fit_together(parts, field):
    form = MemberForm(member(**parts))
    assert not form.is_valid()
    assert field in form.errors


def test_unknown_birth_parts_are_allowed_as_the_brp_records_them():
    assert MemberForm(member(birth_year=1990)).is_valid()
    assert MemberForm(member(birth_year=1990, birth_month=6)).is_valid()


def test_identity_fields_are_left_out_without_identity_access():
    form = MemberForm(identity_allowed=False)
    assert "bsn" not in form.fields and "v_number" not in form.fields


def test_a_member_without_dossier_drops_client_fields():
    form = MemberForm(member(kind="member", relation="kind", bsn="111222333", phone="0612345678"))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["bsn"] is None and form.cleaned_data["phone"] == ""


def formset_data(*rows):
    data = {
        "members-TOTAL_FORMS": str(len(rows)),
        "members-INITIAL_FORMS": "0",
        "members-MIN_NUM_FORMS": "1",
        "members-MAX_NUM_FORMS": "20",
    }
    for i, row in enumerate(rows):
        data.update({f"members-{i}-{k}": v for k, v in row.items()})
    return data


def test_the_formset_needs_a_client_and_refuses_the_same_bsn_twice():
    only_child = MemberFormSet(
        formset_data(member(kind="member", relation="kind")), prefix="members"
    )
    assert not only_child.is_valid()
    assert "Minstens één lid" in str(only_child.non_form_errors())
    twice = MemberFormSet(
        formset_data(member(bsn="111222333"), member(bsn="111222333")), prefix="members"
    )
    assert not twice.is_valid()
    assert "twee keer" in str(twice.forms[1].errors["bsn"])


def test_an_untouched_extra_row_is_ignored():
    blank = {"kind": "client", "gender": "onbekend", "literacy": "onbekend", "relation": ""}
    formset = MemberFormSet(formset_data(member(), blank), prefix="members")
    assert formset.is_valid(), formset.errors
    assert len(formset.filled_forms()) == 1

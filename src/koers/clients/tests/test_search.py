import pytest

from koers.clients.search import name_tokens, query_groups, search_key_for, skeleton


@pytest.mark.parametrize(
    "variants",
    [
        ("Mohammed", "Mohamed", "Muhammad", "Mohamad"),
        ("Yohannes", "Johannes"),
        ("Yousef", "Joesef", "Yusuf", "Youssef"),
        ("Ibrahim", "Ebrahim"),
        ("Abdullahi", "Abdulahi"),
        ("Khaled", "Chaled", "Haled"),
        ("Oleksandr", "Aleksandr", "Olexandr"),
        ("Fatima", "Fatimah"),
        ("Hüseyin", "Huseyin"),
    ],
)
def test_transliteration_variants_fold_to_one_skeleton(variants):
    shared = set.intersection(*(name_tokens(name) for name in variants))
    assert shared, [name_tokens(name) for name in variants]


def test_different_names_stay_apart():
    assert skeleton("mohammed") != skeleton("mahmoud")
    assert skeleton("amal") != skeleton("amina")


def test_joined_and_separate_article_both_match():
    joined = search_key_for("Dina", "Alhaddad")
    separate = search_key_for("Dina", "Al-Haddad")
    for group in query_groups("Haddad"):
        assert any(f" {token}" in joined for token in group)
        assert any(f" {token}" in separate for token in group)


def test_search_key_is_space_delimited_tokens():
    key = search_key_for("Amal", "Haddad")
    assert key.startswith(" ") and key.endswith(" ")
    assert set(key.split()) == {"amal", "hadad"}


def test_empty_names_give_an_empty_key():
    assert search_key_for("", "") == ""
    assert query_groups("  -- ") == []
    assert query_groups("al") == []

from datetime import date

import pytest

from koers.clients.tests.factories import ClientFactory
from koers.profiles.constants import LanguageSkill, LevelSource
from koers.profiles.selectors import current_language_levels, language_level_history

from .factories import LanguageLevelFactory

pytestmark = pytest.mark.django_db


def test_current_level_per_skill_is_the_latest_assessment_in_one_query(
    django_assert_num_queries,
):
    client = ClientFactory()
    other = ClientFactory()
    LanguageLevelFactory(client=client, level="A2", assessed_on=date(2025, 1, 10))
    LanguageLevelFactory(
        client=client, level="B1", source=LevelSource.EXAM, assessed_on=date(2025, 6, 1)
    )
    # Recorded later but assessed earlier: not the current level.
    LanguageLevelFactory(
        client=client, level="A1", source=LevelSource.ESTIMATE, assessed_on=date(2024, 12, 1)
    )
    LanguageLevelFactory(
        client=client, skill=LanguageSkill.READING, level="A1", assessed_on=date(2025, 2, 1)
    )
    LanguageLevelFactory(client=other, level="C1", assessed_on=date(2025, 7, 1))
    with django_assert_num_queries(1):
        current = current_language_levels([client.pk, other.pk])
    assert current[client.pk]["speaking"].level == "B1"
    assert current[client.pk]["reading"].level == "A1"
    assert "writing" not in current[client.pk]
    assert current[other.pk]["speaking"].level == "C1"


def test_same_day_assessments_the_latest_recorded_counts():
    client = ClientFactory()
    LanguageLevelFactory(client=client, level="A2", source=LevelSource.INTAKE)
    LanguageLevelFactory(client=client, level="B1", source=LevelSource.EXAM)
    assert current_language_levels([client.pk])[client.pk]["speaking"].level == "B1"


def test_history_keeps_every_assessment_newest_first(django_assert_num_queries):
    client = ClientFactory()
    LanguageLevelFactory(client=client, level="A2", assessed_on=date(2025, 1, 10))
    LanguageLevelFactory(
        client=client, level="B1", source=LevelSource.EXAM, assessed_on=date(2025, 6, 1)
    )
    with django_assert_num_queries(1):
        history = language_level_history(client.pk)
    speaking = next(row for row in history if row["skill"] == "speaking")
    assert [row.level for row in speaking["history"]] == ["B1", "A2"]
    assert speaking["current"].level == "B1"
    assert [row["skill"] for row in history] == ["speaking", "listening", "reading", "writing"]

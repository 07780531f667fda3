"""The benchmark harness on a tiny dataset: its line, its checks, its exit status. Nothing here
is timed: the figures are the harness's job, not the tests'."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from koers.clients.models import Client
from koers.demo import bench
from koers.demo.bench import (
    DATASETS,
    Dataset,
    Request,
    Scenario,
    dataset_mark,
    dataset_marker,
    percentile,
    run_scenario,
)
from koers.demo.dossier import BENCH_LARGE, BENCH_REGION

pytestmark = pytest.mark.django_db

LINE = re.compile(
    r"^bench (?P<scenario>\w+) db=(?P<db>postgresql|sqlite) n=(?P<n>\d+) samples=(?P<k>\d+) "
    r"cold_ms=\d+\.\d p50_ms=\d+\.\d p95_ms=\d+\.\d sql_ms=\d+\.\d "
    r"queries=(?P<small>\d+)/(?P<large>\d+) status=(?P<status>\d{3}) bytes=(?P<bytes>\d+)$"
)


@pytest.fixture
def tiny():
    call_command(
        "demo_data",
        "--bench",
        "--municipalities",
        "1",
        "--clients",
        "300",
        "--timeline-per-client",
        "1",
        stdout=StringIO(),
    )


def dossier_of(text: str):
    """A scenario on the dossier that expects `text` on every page."""

    def inputs(membership):
        client = bench.clients_visible_to(membership).order_by("pk").first()
        return [Request(args=(client.pk,), expected=(text or client.family_name,))]

    return Scenario("dossier_check", "clients:detail", BENCH_LARGE, inputs)


def test_the_line_has_the_documented_format(tiny):
    scenario = next(s for s in bench.SCENARIOS if s.name == "dossier")
    result = run_scenario(scenario, samples=3, warmup=1)
    match = LINE.match(result.line())
    assert match, result.line()
    assert match["scenario"] == "dossier" and match["k"] == "3"
    assert int(match["n"]) == Client.objects.count()  # the region user sees every client
    assert match["status"] == "200" and int(match["bytes"]) > 1000
    assert int(match["small"]) > 0 and int(match["large"]) > 0
    assert not result.failures


def test_a_sample_without_the_expected_text_fails(tiny):
    result = run_scenario(dossier_of("Not on any page, ever"), samples=2, warmup=0)
    assert len(result.failures) == 3  # the cold sample and both samples
    assert "Not on any page" in result.failures[0]
    assert any("failed samples" in reason for reason in result.missed())


def test_a_sample_with_another_status_than_200_fails(tiny):
    def inputs(membership):
        return [Request(args=(Client.objects.order_by("pk").last().pk + 1000,))]

    result = run_scenario(
        Scenario("missing", "clients:detail", BENCH_REGION, inputs), samples=2, warmup=0
    )
    assert result.failures and "status 404" in result.failures[0]
    assert "status=404" in result.line()
    assert result.missed()


def test_the_expected_text_passes_a_sample(tiny):
    result = run_scenario(dossier_of(""), samples=2, warmup=0)
    assert not result.failures


def test_a_page_that_is_not_built_yet_is_skipped_not_failed(tiny):
    scenario = Scenario("future", "caseload:not_built_yet", BENCH_LARGE, lambda m: [Request()])
    result = run_scenario(scenario, samples=2, warmup=0)
    assert result.line() == f"bench future db={result.db} skipped: not built"
    assert result.missed() == []


def test_query_counts_that_grow_with_the_visible_set_miss_the_target():
    result = bench.Result("x", "sqlite", queries_small=9, queries_large=12)
    result.samples = [bench.Sample(ms=1, sql_ms=0.5, queries=9, status=200, size=10)]
    assert "queries grow" in " ".join(result.missed())
    result.queries_large = 9
    assert result.missed() == []


def test_a_missed_target_exits_non_zero(tiny):
    out = StringIO()
    with pytest.raises(CommandError, match="Targets missed"):
        call_command(
            "bench",
            "--dataset",
            "current",
            "--scenario",
            "dossier",
            "--samples",
            "2",
            "--warmup",
            "0",
            "--target-ms",
            "0.001",
            stdout=out,
            stderr=StringIO(),
        )
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("bench git=") and "clients=300" in lines[0]
    assert LINE.match(lines[1])


def test_the_benchmark_refuses_debug(settings):
    settings.DEBUG = True
    with pytest.raises(CommandError, match="DEBUG off"):
        call_command("bench", "--dataset", "current", stdout=StringIO())


def test_percentile_is_nearest_rank():
    values = list(range(1, 101))
    assert percentile(values, 50) == 50
    assert percentile(values, 95) == 95
    assert percentile([7.0], 95) == 7.0
    assert percentile([], 50) == 0.0


def test_the_marker_finds_the_dataset_it_was_written_for():
    assert dataset_marker() is None
    dataset_mark(DATASETS["small"].digest())
    assert dataset_marker() == DATASETS["small"].digest()
    assert DATASETS["small"].digest() != DATASETS["national"].digest()
    assert Dataset("small", 1, 5000, 10).digest() != Dataset("small", 1, 5001, 10).digest()


def test_only_a_database_named_for_the_benchmark_is_emptied(monkeypatch):
    monkeypatch.setattr(bench, "_database_name", lambda: "koers")
    with pytest.raises(RuntimeError, match="must contain 'bench'"):
        bench.dataset_reset()


def test_the_progress_scenario_checks_the_charts_and_warms_every_input(tiny):
    scenario = next(s for s in bench.SCENARIOS if s.name == "client_progress")
    assert scenario.target_p95_ms == 80.0 and scenario.warm_every_input
    actor = bench.membership_of(scenario.actor)
    inputs = scenario.inputs(actor)
    assert inputs and all(request.also == ("<svg",) for request in inputs)
    result = run_scenario(scenario, samples=2, warmup=0)
    assert not result.failures, result.failures
    assert LINE.match(result.line()), result.line()


def test_a_sample_missing_a_required_text_fails(tiny):
    def inputs(membership):
        client = bench.clients_visible_to(membership).order_by("pk").first()
        return [
            Request(args=(client.pk,), expected=(client.family_name,), also=("Never on a page",))
        ]

    result = run_scenario(
        Scenario("also_check", "clients:detail", BENCH_LARGE, inputs), samples=1, warmup=0
    )
    assert result.failures and "Never on a page" in result.failures[0]

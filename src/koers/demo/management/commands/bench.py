import dataclasses

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from koers.demo.bench import (
    DATASETS,
    DEFAULT_SAMPLES,
    DEFAULT_WARMUP,
    SCENARIOS,
    dataset_ensure,
    header,
    run_scenario,
)


class Command(BaseCommand):
    help = (
        "Measure the main pages on a benchmark dataset (built once and reused) and print one "
        "line per scenario; fails when a target is missed. See docs/performance.md."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dataset",
            choices=[*DATASETS, "current"],
            default=None,
            help="Dataset to build (once) and measure: small on SQLite, national on PostgreSQL "
            "by default; 'current' measures the database as it is, building nothing.",
        )
        parser.add_argument("--samples", type=int, default=DEFAULT_SAMPLES)
        parser.add_argument("--warmup", type=int, default=DEFAULT_WARMUP)
        parser.add_argument(
            "--scenario", action="append", help="Only this scenario (may be repeated)."
        )
        parser.add_argument(
            "--target-ms", type=float, default=None, help="Override every scenario's p95 target."
        )

    def handle(self, *args, dataset, samples, warmup, scenario, target_ms, **options):
        if settings.DEBUG:
            raise CommandError("Run the benchmark with DEBUG off: production settings.")
        if samples < 1:
            raise CommandError("--samples must be at least 1.")
        if dataset is None:
            dataset = "small" if connection.vendor == "sqlite" else "national"
        if dataset != "current":
            try:
                dataset_ensure(DATASETS[dataset], log=lambda text: self.stderr.write(text))
            except RuntimeError as exc:
                raise CommandError(str(exc)) from exc
        chosen = [s for s in SCENARIOS if not scenario or s.name in scenario]
        if scenario and len(chosen) != len(set(scenario)):
            known = ", ".join(s.name for s in SCENARIOS)
            raise CommandError(f"Unknown scenario; choose from {known}.")
        self.stdout.write(header(dataset))
        missed = []
        for item in chosen:
            if target_ms is not None:
                item = dataclasses.replace(item, target_p95_ms=target_ms)
            result = run_scenario(item, samples=samples, warmup=warmup)
            self.stdout.write(result.line())
            missed += [f"{result.scenario}: {reason}" for reason in result.missed()]
        if missed:
            raise CommandError("Targets missed:\n  " + "\n  ".join(missed))

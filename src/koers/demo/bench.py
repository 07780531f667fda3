"""The `make bench` harness: pages measured in-process, through every middleware, on cached
benchmark datasets. See docs/performance.md for how to run it and read its lines.

A scenario is a URL name with rotating inputs (arguments, query string, the text the page must
contain) and the user it acts as. Each scenario gets a cold sample, a warm-up, then `samples`
measured requests; every one must answer 200 and contain its expected text. Time in SQL is
measured per request with connection.execute_wrapper. The query count is taken for a user with
a small visible set and one with a large one: a page whose count grows with the caseload has a
query per row somewhere.
"""

from __future__ import annotations

import hashlib
import random
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connection
from django.test import Client as HttpClient
from django.urls import NoReverseMatch, reverse
from django.utils.html import escape

from koers.accounts.models import Membership
from koers.clients.constants import NetworkRole
from koers.clients.models import Client, Household
from koers.clients.permissions import clients_visible_to
from koers.network.models import Involvement

from .dossier import BENCH_LARGE, BENCH_REGION, BENCH_SMALL

DEFAULT_SAMPLES = 100
DEFAULT_WARMUP = 10
TARGET_P95_MS = 50.0
MARKER_TABLE = "koers_bench_dataset"
GENERATOR_FILES = ("services.py", "dossier.py", "trajectory.py", "names.py", "bulk.py")


# --- datasets -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Dataset:
    name: str
    municipalities: int
    clients: int
    timeline_per_client: float
    measurements_per_client: float = 10
    actions_per_client: float = 5
    seed: int = 1

    def digest(self) -> str:
        """Options and generator source: a change in either builds the dataset afresh."""
        here = Path(__file__).resolve().parent
        source = b"".join((here / name).read_bytes() for name in GENERATOR_FILES)
        text = repr(
            (
                self.name,
                self.municipalities,
                self.clients,
                self.timeline_per_client,
                self.measurements_per_client,
                self.actions_per_client,
            )
        )
        return hashlib.sha256(f"{text}:{self.seed}".encode() + source).hexdigest()[:16]


DATASETS = {
    # One municipality: a small site.
    "small": Dataset("small", municipalities=1, clients=5_000, timeline_per_client=10),
    # National scale: 40 municipalities, 1,000,000 timeline entries.
    "national": Dataset("national", municipalities=40, clients=100_000, timeline_per_client=10),
}


def dataset_marker() -> str | None:
    """The digest of the dataset in the database, or None (no marker, or no database)."""
    try:
        tables = connection.introspection.table_names()
    except DatabaseError:  # no database yet
        connection.close()
        return None
    if MARKER_TABLE not in tables:
        return None
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT digest FROM {MARKER_TABLE}")  # noqa: S608
        row = cursor.fetchone()
    return row[0] if row else None


def dataset_mark(digest: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE {MARKER_TABLE} (digest varchar(64) NOT NULL)")
        cursor.execute(f"INSERT INTO {MARKER_TABLE} (digest) VALUES (%s)", [digest])  # noqa: S608


def _database_name() -> str:
    return str(settings.DATABASES["default"]["NAME"])


def dataset_reset() -> None:
    """An empty database for the benchmark: only one whose name says it is one."""
    name = _database_name()
    if "bench" not in name:
        raise RuntimeError(
            f"Refusing to empty {name!r}: the benchmark database's name must contain 'bench'."
        )
    connection.close()
    if connection.vendor == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{name}{suffix}").unlink(missing_ok=True)
        Path(name).parent.mkdir(parents=True, exist_ok=True)
        return
    import psycopg

    params = settings.DATABASES["default"]
    with psycopg.connect(
        dbname="postgres",
        user=params.get("USER") or None,
        password=params.get("PASSWORD") or None,
        host=params.get("HOST") or None,
        port=params.get("PORT") or None,
        autocommit=True,
    ) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
        # JIT compilation costs more than it saves on short OLTP queries.
        admin.execute(f'ALTER DATABASE "{name}" SET jit = off')


def dataset_ensure(dataset: Dataset, *, log: Callable[[str], None]) -> bool:
    """Build the dataset unless the database holds it already; True when it was built."""
    from django.core.management import call_command
    from django.utils import timezone

    digest = dataset.digest()
    if dataset_marker() == digest:
        call_command("migrate", verbosity=0, interactive=False)
        return False
    log(f"building dataset {dataset.name} ({dataset.clients} clients); this happens once")
    started = time.monotonic()
    dataset_reset()
    call_command("migrate", verbosity=0, interactive=False)
    call_command(
        "demo_data",
        bench=True,
        seed=dataset.seed,
        today=timezone.localdate().isoformat(),
        municipalities=dataset.municipalities,
        clients=dataset.clients,
        timeline_per_client=dataset.timeline_per_client,
        measurements_per_client=dataset.measurements_per_client,
        actions_per_client=dataset.actions_per_client,
        stdout=_Writer(log),
    )
    with connection.cursor() as cursor:
        # A freshly loaded table has no visibility map yet (index-only scans would still visit
        # the heap) until autovacuum comes by; a production database has had it long ago.
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    dataset_mark(digest)
    log(f"dataset {dataset.name} built in {time.monotonic() - started:.0f} s")
    return True


class _Writer:
    def __init__(self, log):
        self.log = log

    def write(self, text):
        self.log(text.rstrip("\n"))

    def flush(self):
        pass


# --- measuring ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Request:
    """One input of a scenario: URL arguments, query string, and the texts of which the page
    must contain at least one."""

    args: tuple = ()
    query: dict = field(default_factory=dict)
    expected: tuple[str, ...] = ()
    also: tuple[str, ...] = ()  # texts the page must contain, every one


@dataclass(frozen=True)
class Scenario:
    name: str
    url_name: str
    actor: str  # username of the acting user
    inputs: Callable[[Membership], list[Request]]  # for any acting membership
    target_p95_ms: float = TARGET_P95_MS
    # Warm up on every input once (pages with a per-input cache, such as charts): the samples
    # then measure the warm page, and the cold sample says what a first visit costs.
    warm_every_input: bool = False


@dataclass
class Sample:
    ms: float
    sql_ms: float
    queries: int
    status: int
    size: int
    failure: str = ""


@dataclass
class Result:
    scenario: str
    db: str
    n: int = 0
    samples: list[Sample] = field(default_factory=list)
    cold_ms: float = 0.0
    queries_small: int = 0
    queries_large: int = 0
    skipped: str = ""
    target_p95_ms: float = TARGET_P95_MS

    @property
    def failures(self) -> list[str]:
        return [s.failure for s in self.samples if s.failure]

    @property
    def p50_ms(self) -> float:
        return percentile([s.ms for s in self.samples], 50)

    @property
    def p95_ms(self) -> float:
        return percentile([s.ms for s in self.samples], 95)

    @property
    def sql_ms(self) -> float:
        return percentile([s.sql_ms for s in self.samples], 50)

    @property
    def status(self) -> int:
        bad = [s.status for s in self.samples if s.status != 200]
        return bad[0] if bad else 200

    @property
    def bytes(self) -> int:
        return int(percentile([s.size for s in self.samples], 50))

    def missed(self) -> list[str]:
        """Why this scenario misses its targets (empty: it meets them, or was skipped)."""
        if self.skipped:
            return []
        reasons = []
        if self.failures:
            reasons.append(f"{len(self.failures)} failed samples, first: {self.failures[0]}")
        if self.p95_ms > self.target_p95_ms:
            reasons.append(f"p95 {self.p95_ms:.1f} ms > {self.target_p95_ms:.0f} ms")
        if self.queries_small != self.queries_large:
            reasons.append(
                f"queries grow with the visible set: {self.queries_small} at small, "
                f"{self.queries_large} at large"
            )
        return reasons

    def line(self) -> str:
        if self.skipped:
            return f"bench {self.scenario} db={self.db} skipped: {self.skipped}"
        return (
            f"bench {self.scenario} db={self.db} n={self.n} samples={len(self.samples)} "
            f"cold_ms={self.cold_ms:.1f} p50_ms={self.p50_ms:.1f} p95_ms={self.p95_ms:.1f} "
            f"sql_ms={self.sql_ms:.1f} queries={self.queries_small}/{self.queries_large} "
            f"status={self.status} bytes={self.bytes}"
        )


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile; 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * p // 100))  # ceil
    return ordered[int(rank) - 1]


class _SqlTimer:
    def __init__(self):
        self.seconds = 0.0
        self.queries = 0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started
            self.queries += 1


def signed_in(membership: Membership) -> HttpClient:
    """A test client with an OTP-verified session acting in `membership`, built as
    src/conftest.py's sign_in builds it (the sign-in itself is not what is measured)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from koers.accounts.middleware import SESSION_LAST_SEEN, SESSION_MEMBERSHIP

    client = HttpClient()
    device, _ = TOTPDevice.objects.get_or_create(
        user=membership.user, name="bench", defaults={"confirmed": True}
    )
    client.force_login(membership.user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[SESSION_MEMBERSHIP] = membership.pk
    session[SESSION_LAST_SEEN] = int(time.time())
    session.save()
    return client


def measure(client: HttpClient, url: str, request: Request) -> Sample:
    timer = _SqlTimer()
    with connection.execute_wrapper(timer):
        started = time.perf_counter()
        response = client.get(url, request.query)
        ms = (time.perf_counter() - started) * 1000
    content = response.content.decode(errors="replace")
    failure = ""
    if response.status_code != 200:
        failure = f"{url}: status {response.status_code}"
    elif request.expected and not any(text in content for text in request.expected):
        failure = f"{url}: none of {list(request.expected)[:3]} on the page"
    elif missing := [text for text in request.also if text not in content]:
        failure = f"{url}: {missing[0]!r} not on the page"
    return Sample(
        ms=ms,
        sql_ms=timer.seconds * 1000,
        queries=timer.queries,
        status=response.status_code,
        size=len(response.content),
        failure=failure,
    )


def membership_of(username: str) -> Membership:
    return Membership.objects.select_related("user", "organisation").get(user__username=username)


def run_scenario(
    scenario: Scenario,
    *,
    samples: int = DEFAULT_SAMPLES,
    warmup: int = DEFAULT_WARMUP,
    small: str = BENCH_SMALL,
    large: str = BENCH_LARGE,
) -> Result:
    result = Result(scenario.name, connection.vendor, target_p95_ms=scenario.target_p95_ms)
    actor = membership_of(scenario.actor)
    inputs = scenario.inputs(actor)
    try:
        urls = [reverse(scenario.url_name, args=request.args) for request in inputs]
    except NoReverseMatch:
        result.skipped = "not built"
        return result
    if not inputs:
        result.skipped = "no inputs in this dataset"
        return result
    result.n = clients_visible_to(actor).count()
    client = signed_in(actor)
    cold = measure(client, urls[0], inputs[0])
    result.cold_ms = cold.ms
    warmups = max(warmup, len(inputs)) if scenario.warm_every_input else warmup
    for index in range(warmups):
        measure(client, urls[index % len(urls)], inputs[index % len(inputs)])
    result.samples = [cold] if cold.failure else []
    for index in range(samples):
        position = (index + 1) % len(inputs)
        result.samples.append(measure(client, urls[position], inputs[position]))
    # The same page for a user with a small and one with a large visible set; measured twice
    # and the second counted, so a first request's one-off queries do not count.
    for username, attribute in ((small, "queries_small"), (large, "queries_large")):
        membership = membership_of(username)
        first = scenario.inputs(membership)
        if not first:
            continue
        url = reverse(scenario.url_name, args=first[0].args)
        other = signed_in(membership)
        measure(other, url, first[0])
        setattr(result, attribute, measure(other, url, first[0]).queries)
    return result


# --- the scenarios of issue 3 ------------------------------------------------------------------


def _visible_sample(membership: Membership, count: int) -> list[Client]:
    ids = list(clients_visible_to(membership).order_by("pk").values_list("pk", flat=True))
    chosen = random.Random(f"bench:{membership.pk}").sample(ids, min(count, len(ids)))
    return list(Client.objects.filter(pk__in=chosen).order_by("pk"))


def caseload_inputs(membership: Membership) -> list[Request]:
    names = Household.objects.filter(
        involvements__in=Involvement.objects.active().filter(
            membership=membership, role=NetworkRole.REGISSEUR
        )
    ).values_list("name", flat=True)
    expected = tuple(escape(name) for name in names)
    return [Request(expected=expected)] if expected else []


def dossier_inputs(membership: Membership) -> list[Request]:
    return [
        Request(args=(client.pk,), expected=(escape(client.family_name),))
        for client in _visible_sample(membership, 200)
    ]


SEARCH_TERMS = ("Ali", "Mo", "Mohamed", "Muhammad", "Fatma", "Yusuf", "Johannes", "Haddad")


def search_inputs(membership: Membership) -> list[Request]:
    """Names and BSNs of clients the user may see first (the query count compares pages that
    each find someone), then common and short names and spelling variants."""
    inputs = []
    for client in _visible_sample(membership, 4):
        inputs.append(
            Request(query={"q": client.family_name}, expected=(escape(client.family_name),))
        )
        if client.bsn:
            inputs.append(Request(query={"q": client.bsn}, expected=(escape(client.family_name),)))
    return inputs + [Request(query={"q": term}, expected=(term,)) for term in SEARCH_TERMS]


PROGRESS_CLIENTS = 20


def progress_inputs(membership: Membership) -> list[Request]:
    """Clients measured more than once (so every chart has a line), among those the user may
    see; the page must name the client and carry the charts."""
    from koers.instruments.models import ClientInstrumentSummary

    measured = list(
        ClientInstrumentSummary.objects.filter(
            measurement_count__gt=1, client__in=clients_visible_to(membership)
        )
        .order_by("client_id")
        .values_list("client_id", flat=True)
        .distinct()[:2000]
    )
    chosen = random.Random(f"progress:{membership.pk}").sample(
        measured, min(PROGRESS_CLIENTS, len(measured))
    )
    return [
        Request(args=(client.pk,), expected=(escape(client.family_name),), also=("<svg",))
        for client in Client.objects.filter(pk__in=chosen).order_by("pk")
    ]


SCENARIOS = (
    Scenario("caseload", "caseload:home", BENCH_LARGE, caseload_inputs),
    Scenario("dossier", "clients:detail", BENCH_REGION, dossier_inputs),
    Scenario("client_search", "caseload:search", BENCH_REGION, search_inputs),
    # Issue 4: every instrument of one client with its charts. The charts are cached by the
    # data they draw; the cold sample is the first visit, with the chart engine starting.
    Scenario(
        "client_progress",
        "instruments:progress",
        BENCH_REGION,
        progress_inputs,
        target_p95_ms=80.0,
        warm_every_input=True,
    ),
)


# --- the report -------------------------------------------------------------------------------


def git_sha() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def database_version() -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT sqlite_version()")
        else:
            cursor.execute("SHOW server_version")
        return str(cursor.fetchone()[0]).split()[0]


def header(dataset_name: str) -> str:
    from koers.timeline.models import ContactMoment, Note

    return (
        f"bench git={git_sha()} db={connection.vendor} version={database_version()} "
        f"dataset={dataset_name} clients={Client.objects.count()} "
        f"households={Household.objects.count()} "
        f"timeline={ContactMoment.objects.count() + Note.objects.count()}"
    )

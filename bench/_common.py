"""Helpers shared by the benchmarks: database set-up, a gunicorn server, an HTTP client, statistics.

The benchmarks run from the repository root with the project's virtualenv, for example::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/waterdesk_bench \\
        .venv/bin/python bench/orders.py

They empty the order tables of the database they use, so `read_bench_database` accepts only a
PostgreSQL database on this machine whose name contains "bench".
"""

import dataclasses
import http.client
import io
import json
import os
import platform
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import warnings
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

REPOSITORY_ROOT = Path(__file__).resolve().parent.parent
if str(REPOSITORY_ROOT) not in sys.path:
    sys.path.insert(0, str(REPOSITORY_ROOT))

LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
# The last line of a Python traceback, e.g. "django.db.utils.ProgrammingError: column ...".
EXCEPTION_LINE = re.compile(r"^[A-Za-z_][\w.]*(Error|Exception): ")
POSTGRES_SCHEMES = frozenset({"postgres", "postgresql"})


# --- Database ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class BenchDatabase:
    """The PostgreSQL database named by DATABASE_URL, which the benchmark may empty."""

    url: str
    name: str
    host: str

    def url_for(self, database_name: str) -> str:
        """Return the same URL pointing to another database on the same server."""
        parts = urllib.parse.urlsplit(self.url)
        return urllib.parse.urlunsplit(parts._replace(path="/" + database_name))


def read_bench_database(environ=os.environ) -> BenchDatabase:
    """Read DATABASE_URL and exit with a message unless it names a local bench database."""
    url = environ.get("DATABASE_URL", "").strip()
    example = "DATABASE_URL=postgres://postgres@127.0.0.1:5432/waterdesk_bench"
    if not url:
        sys.exit(f"DATABASE_URL is not set. The benchmark needs PostgreSQL, for example {example}")
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in POSTGRES_SCHEMES:
        sys.exit(
            f"DATABASE_URL must point to PostgreSQL (postgres://...), got the scheme "
            f"{parts.scheme!r}. SQLite numbers say nothing about production. Example: {example}"
        )
    host = parts.hostname or ""
    if host not in LOCAL_HOSTS:
        sys.exit(
            f"DATABASE_URL points to the host {host!r}. The benchmark runs only against a "
            f"PostgreSQL server on this machine (127.0.0.1, localhost or ::1)."
        )
    name = parts.path.lstrip("/")
    if "bench" not in name:
        sys.exit(
            f"The database {name!r} has no 'bench' in its name. The benchmark empties the order "
            f"tables, so it runs only on a database meant for it, such as waterdesk_bench."
        )
    return BenchDatabase(url=url, name=name, host=host)


def create_database_if_missing(database: BenchDatabase) -> bool:
    """Create the bench database through the `postgres` database; return True if it was created."""
    import psycopg
    from psycopg import sql

    with psycopg.connect(database.url_for("postgres"), autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [database.name]
        ).fetchone()
        if exists:
            return False
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database.name)))
    return True


def bench_environment(database: BenchDatabase) -> dict[str, str]:
    """Return the environment for Django in this process and in the servers it starts.

    REDIS_URL is removed so that tasks run in-process, and SECRET_KEY is a fresh random value so
    that settings do not write a key file under var/.
    """
    environment = dict(os.environ)
    environment.pop("REDIS_URL", None)
    environment.update(
        DATABASE_URL=database.url,
        DJANGO_SETTINGS_MODULE="waterdesk.settings",
        WATERDESK_LOG_LEVEL="WARNING",
        SECRET_KEY=environment.get("SECRET_KEY") or secrets.token_urlsafe(50),
    )
    return environment


def setup_django(database: BenchDatabase) -> dict[str, str]:
    """Configure and start Django in this process; return the environment used."""
    environment = bench_environment(database)
    os.environ.update(environment)
    os.environ.pop("REDIS_URL", None)
    # WhiteNoise warns that STATIC_ROOT does not exist until collectstatic has run. The API serves
    # no static files, so the warning would only clutter the output.
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
    import django

    django.setup()
    return environment


def migrate_for_server(environment: dict[str, str]) -> None:
    """Apply new migrations in a subprocess, which imports the code as it is now on disk.

    Another developer may change the models while a long benchmark runs. Servers started later
    import the new code, so the database must match it, and this process's models would not see
    the change. Raises RuntimeError when migrate fails or the models have changes that no
    migration covers.
    """
    manage = [sys.executable, str(REPOSITORY_ROOT / "manage.py")]
    steps = [
        ([*manage, "migrate", "--noinput"], "migrate failed"),
        (
            [*manage, "makemigrations", "--check", "--dry-run"],
            "the models have changes that no migration covers",
        ),
    ]
    for command, problem in steps:
        completed = subprocess.run(
            command, cwd=REPOSITORY_ROOT, env=environment, capture_output=True, text=True
        )
        if completed.returncode != 0:
            output = (completed.stdout + completed.stderr).strip()[-2000:]
            raise RuntimeError(
                f"Before starting gunicorn, {problem}:\n{output}\nRun the benchmark again once "
                f"the code and its migrations are consistent."
            )


def recreate_database(database: BenchDatabase) -> None:
    """Drop the bench database, closing its connections, and create it empty."""
    import psycopg
    from psycopg import sql

    with psycopg.connect(database.url_for("postgres"), autocommit=True) as connection:
        name = sql.Identifier(database.name)
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        connection.execute(sql.SQL("CREATE DATABASE {}").format(name))


def prepare_schema() -> None:
    """Apply the migrations and load the preset departments, categories and policy.

    Exits with a message when the migrations cannot be applied, or when the models have changes
    that no migration covers, because the server would then fail on every request.
    """
    from django.core.management import call_command
    from django.db import DatabaseError
    from django.db.migrations.exceptions import InconsistentMigrationHistory

    try:
        call_command("migrate", interactive=False, verbosity=0)
    except (InconsistentMigrationHistory, DatabaseError) as error:
        sys.exit(
            f"migrate failed on the bench database: {error}\nThe migration files probably changed "
            f"after this database was migrated. Run again with --recreate-database to start from "
            f"an empty bench database."
        )
    try:
        call_command("makemigrations", check=True, dry_run=True, verbosity=0)
    except SystemExit:
        sys.exit(
            "The models have changes that no migration covers, so requests would fail on the "
            "missing columns. Run the benchmark again once the migration exists; "
            "`manage.py makemigrations --check --dry-run` lists the changes."
        )
    call_command("load_preset", stdout=io.StringIO())


def ensure_user(username: str, password: str, roles: list[str]):
    """Create or update a user with these roles and password, and return it."""
    from django.contrib.auth import get_user_model

    user_model = get_user_model()
    user, _created = user_model.objects.get_or_create(username=username)
    user.name = username
    user.roles = roles
    user.is_active = True
    user.set_password(password)
    user.save()
    return user


def empty_order_tables() -> None:
    """Delete every order with all rows that refer to orders, and restart the id sequences.

    TRUNCATE ... CASCADE also empties every table with a foreign key to the orders (events,
    clocks, replies, callbacks and any later ones), so nothing is left pointing at a deleted order.
    """
    from django.db import connection

    from waterdesk.orders.models import OrderNumberSequence, WorkOrder

    tables = ", ".join(
        connection.ops.quote_name(model._meta.db_table)
        for model in (WorkOrder, OrderNumberSequence)
    )
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")


@dataclass
class LoggedQuery:
    sql: str
    params: object
    seconds: float


class QueryLog:
    """The SQL statements run on Django's default connection inside a `with` block.

    Unlike Django's query log, each statement keeps its parameters and a time measured to the
    microsecond, so the statements can be counted, timed and run again under EXPLAIN.
    """

    def __enter__(self) -> "QueryLog":
        from django.db import connection

        self.queries: list[LoggedQuery] = []
        self._wrapper = connection.execute_wrapper(self._record)
        self._wrapper.__enter__()
        return self

    def __exit__(self, *exc_info) -> None:
        self._wrapper.__exit__(*exc_info)

    def _record(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.queries.append(LoggedQuery(sql, params, time.perf_counter() - started))

    @property
    def seconds(self) -> float:
        return sum(query.seconds for query in self.queries)


def explain_analyze(query: LoggedQuery) -> list[str]:
    """Run the query again under EXPLAIN (ANALYZE, BUFFERS) and return the plan's lines."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query.sql, query.params)
        return [row[0] for row in cursor.fetchall()]


def sql_text(query: LoggedQuery) -> str:
    """Return the query with its parameters filled in, for printing."""
    from django.db import connection

    return connection.ops.compose_sql(query.sql, query.params)


# --- Server ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WorkerConfig:
    """A gunicorn worker set-up: `sync:4` is four sync workers, `gthread:2x4` two workers of four
    threads each."""

    worker_class: str
    workers: int
    threads: int = 1

    @classmethod
    def parse(cls, text: str) -> "WorkerConfig":
        worker_class, _separator, size = text.strip().partition(":")
        try:
            if worker_class == "sync":
                return cls("sync", int(size))
            if worker_class == "gthread":
                workers, _separator, threads = size.partition("x")
                return cls("gthread", int(workers), int(threads))
        except ValueError:
            pass
        raise ValueError(
            f"invalid gunicorn configuration {text!r}; use sync:WORKERS or gthread:WORKERSxTHREADS"
        )

    @property
    def label(self) -> str:
        if self.worker_class == "gthread":
            return f"gthread:{self.workers}x{self.threads}"
        return f"{self.worker_class}:{self.workers}"

    def arguments(self) -> list[str]:
        arguments = ["--workers", str(self.workers), "--worker-class", self.worker_class]
        if self.worker_class == "gthread":
            arguments += ["--threads", str(self.threads)]
        return arguments


def find_free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class GunicornServer:
    """A gunicorn process serving `application` on 127.0.0.1, for use in a `with` block.

    Leaving the block stops the server (SIGTERM to the master, which stops its workers), also
    when the block raises. The server's own log goes to a temporary file that `log_tail` reads.
    """

    STARTUP_TIMEOUT_SECONDS = 60
    STOP_TIMEOUT_SECONDS = 20

    def __init__(
        self,
        config: WorkerConfig,
        environment: dict[str, str],
        timeout_seconds: int = 120,
        application: str = "waterdesk.wsgi:application",
    ):
        self.config = config
        self.application = application
        self.environment = environment
        self.timeout_seconds = timeout_seconds
        self.port = find_free_port()
        self.process: subprocess.Popen | None = None
        self._final_exception: str | None = None
        # Kept open for the server's life and read back by log_tail, so no `with` block.
        self._log = tempfile.NamedTemporaryFile(  # noqa: SIM115
            mode="w+b", prefix="waterdesk-gunicorn-", suffix=".log", delete=False
        )

    def __enter__(self) -> "GunicornServer":
        self.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def start(self) -> None:
        """Start gunicorn and wait until it responds to HTTP."""
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            self.application,
            "--bind",
            f"127.0.0.1:{self.port}",
            *self.config.arguments(),
            "--timeout",
            str(self.timeout_seconds),
            "--log-level",
            "warning",
            "--chdir",
            str(REPOSITORY_ROOT),
        ]
        self.process = subprocess.Popen(
            command,
            cwd=REPOSITORY_ROOT,
            env=self.environment,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self._wait_until_ready()

    def _wait_until_ready(self) -> None:
        """Poll the server until it responds; on failure stop it and raise with its log."""
        deadline = time.monotonic() + self.STARTUP_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                message = (
                    f"gunicorn ({self.config.label}) exited with code {self.process.returncode} "
                    f"during start-up. Its log:\n{self.log_tail()}"
                )
                self.stop()
                raise RuntimeError(message)
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                connection.request("GET", "/api/v1/me")
                connection.getresponse().read()
                connection.close()
                return
            except OSError:
                time.sleep(0.2)
        message = (
            f"gunicorn ({self.config.label}) did not respond on port {self.port} within "
            f"{self.STARTUP_TIMEOUT_SECONDS} s. Its log:\n{self.log_tail()}"
        )
        self.stop()
        raise RuntimeError(message)

    def stop(self) -> None:
        """Stop the server if it runs, keep its last exception and delete its log file."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=self.STOP_TIMEOUT_SECONDS)
            except subprocess.TimeoutExpired:
                # The master did not stop its workers in time: kill the process group it leads,
                # which contains only this server's processes because it started a new session.
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        if not self._log.closed:
            self._final_exception = self.last_exception()
            self._log.close()
            Path(self._log.name).unlink(missing_ok=True)

    def log_tail(self, max_chars: int = 4000) -> str:
        self._log.flush()
        text = Path(self._log.name).read_text(encoding="utf-8", errors="replace")
        return text[-max_chars:]

    def last_exception(self) -> str | None:
        """Return the last exception line (`module.SomeError: message`) of the server's log."""
        if self._log.closed:
            return self._final_exception
        self._log.flush()
        text = Path(self._log.name).read_text(encoding="utf-8", errors="replace")
        for line in reversed(text.splitlines()):
            if EXCEPTION_LINE.match(line):
                return line
        return None


# --- HTTP client -------------------------------------------------------------------------------


@dataclass
class Response:
    status: int
    body: bytes
    seconds: float

    def json(self):
        return json.loads(self.body) if self.body else None


class JsonClient:
    """A keep-alive HTTP/1.1 connection that sends and receives JSON.

    http.client reconnects on its own after the server closes a connection (gunicorn's sync
    workers close after every response). A request on a reused connection that the server has
    already closed is sent once more on a new connection.
    """

    def __init__(self, port: int, token: str | None = None, timeout_seconds: float = 120):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout_seconds)
        self.headers = {"Accept": "application/json"}
        if token:
            self.headers["Authorization"] = f"Bearer {token}"
        self.resent = 0

    def request(self, method: str, path: str, body: dict | None = None) -> Response:
        payload = None
        headers = dict(self.headers)
        if body is not None:
            payload = json.dumps(body, ensure_ascii=False).encode("utf-8")
            headers["Content-Type"] = "application/json; charset=utf-8"
        for attempt in (1, 2):
            reused = self.connection.sock is not None
            started = time.perf_counter()
            try:
                self.connection.request(method, path, body=payload, headers=headers)
                response = self.connection.getresponse()
                data = response.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.connection.close()
                if attempt == 2 or not reused:
                    raise
                # NOTE: if the server had already read the request, a POST sent again creates a
                # second order. The count of 201 responses stays exact either way.
                self.resent += 1
                continue
            return Response(response.status, data, time.perf_counter() - started)
        raise AssertionError("unreachable")

    def close(self) -> None:
        self.connection.close()


def request_token(port: int, username: str, password: str) -> str:
    """Log in through POST /api/v1/auth/token and return the bearer token."""
    client = JsonClient(port)
    try:
        response = client.request(
            "POST", "/api/v1/auth/token", {"username": username, "password": password}
        )
    finally:
        client.close()
    if response.status != 200:
        raise RuntimeError(
            f"POST /api/v1/auth/token failed for {username} with HTTP {response.status}: "
            f"{response.body[:500].decode('utf-8', 'replace')}"
        )
    return response.json()["token"]


# --- Load --------------------------------------------------------------------------------------


@dataclass
class LoadResult:
    """The outcome of `run_load`: the latency of each successful request, in seconds, the count
    of each status and the wall time."""

    latencies: list[float] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    wall_seconds: float = 0.0
    failures: list[str] = field(default_factory=list)
    failed: int = 0
    resent: int = 0

    @property
    def requests_per_second(self) -> float:
        """Successful requests per second of wall time."""
        return len(self.latencies) / self.wall_seconds if self.wall_seconds else 0.0


# A request to send: (method, path, JSON body or None).
Request = tuple[str, str, dict | None]
MAX_FAILURES_KEPT = 3


def run_load(
    port: int,
    token: str,
    build_request: Callable[[int], Request],
    count: int,
    clients: int,
    expected_status: int = 200,
) -> LoadResult:
    """Send `count` requests from `clients` threads, each with its own keep-alive connection.

    Request number i is `build_request(i)`; the threads take the next number as they finish one,
    so the load stays at `clients` requests in flight. A response other than `expected_status`
    is counted in `failed`, and the first few are kept in `failures`. Only the latencies of
    responses with `expected_status` are kept, so a fast error page cannot improve a percentile.
    """
    result = LoadResult()
    lock = threading.Lock()
    next_index = iter(range(count))

    def work() -> None:
        client = JsonClient(port, token)
        latencies = []
        try:
            while True:
                with lock:
                    index = next(next_index, None)
                if index is None:
                    break
                method, path, body = build_request(index)
                try:
                    response = client.request(method, path, body)
                except OSError as error:
                    with lock:
                        result.statuses["connection error"] += 1
                        result.failed += 1
                        if len(result.failures) < MAX_FAILURES_KEPT:
                            result.failures.append(f"{method} {path}: {error!r}")
                    continue
                if response.status == expected_status:
                    latencies.append(response.seconds)
                else:
                    with lock:
                        result.failed += 1
                        if len(result.failures) < MAX_FAILURES_KEPT:
                            # One line of the body is enough to tell a JSON error from a page.
                            text = " ".join(response.body.decode("utf-8", "replace").split())
                            result.failures.append(
                                f"{method} {path}: HTTP {response.status} {text[:200]}"
                            )
                with lock:
                    result.statuses[response.status] += 1
        finally:
            client.close()
            with lock:
                result.latencies.extend(latencies)
                result.resent += client.resent

    threads = [threading.Thread(target=work, name=f"client-{number}") for number in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.wall_seconds = time.perf_counter() - started
    return result


def percentile(values: list[float], fraction: float) -> float:
    """Return the `fraction` quantile (0.95 for p95) by linear interpolation between ranks."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    position = (len(ordered) - 1) * fraction
    lower = int(position)
    upper = min(lower + 1, len(ordered) - 1)
    return ordered[lower] + (ordered[upper] - ordered[lower]) * (position - lower)


def milliseconds(seconds: float) -> str:
    return f"{seconds * 1000:.1f}"


# --- CPU use -----------------------------------------------------------------------------------


# The title PostgreSQL gives a client backend: "postgres: 15/main: USER DATABASE HOST(PORT) STATE".
BACKEND_TITLE = re.compile(r"^postgres: [^:]+: \S+ (\S+) (?:\S+\(\d+\)|\[local\])")


@dataclass(frozen=True)
class ProcessCpu:
    name: str
    group: int
    ticks: int
    # Start time in ticks after boot, which distinguishes a reused pid from its earlier owner.
    started: int
    # For a PostgreSQL client backend, the database it is connected to.
    database: str | None


def _read_process_cpu() -> dict[int, ProcessCpu]:
    """Return the CPU ticks used so far by every process, from /proc."""
    processes = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
            name = stat[stat.index("(") + 1 : stat.rindex(")")]
            database = None
            if name.startswith("postgres"):
                title = Path(f"/proc/{entry}/cmdline").read_text().replace("\0", " ")
                match = BACKEND_TITLE.match(title)
                database = match.group(1) if match else None
        except OSError:
            continue  # The process exited while the list was read.
        fields = stat[stat.rindex(")") + 2 :].split()
        # The fields after the name start with state, ppid and pgrp. utime, stime and starttime
        # are fields 14, 15 and 22 of proc(5), so the 12th, 13th and 20th after the name.
        ticks = int(fields[11]) + int(fields[12])
        processes[int(entry)] = ProcessCpu(name, int(fields[2]), ticks, int(fields[19]), database)
    return processes


class CpuUsage:
    """CPU time used on this machine during a `with` block, split into the benchmark's parts.

    A thread reads /proc every SAMPLE_SECONDS, so a process that exits inside the block counts up
    to its last sample. A process that lives shorter than one interval, such as a parallel query
    worker, is missed. PostgreSQL backends of other databases count as other processes, while the
    server's own processes (checkpointer, WAL writer and so on) count as PostgreSQL.
    """

    SAMPLE_SECONDS = 0.5

    def __init__(self, server: "GunicornServer | None" = None, database_name: str | None = None):
        self.server = server
        if database_name is None and server is not None:
            database_name = urllib.parse.urlsplit(server.environment["DATABASE_URL"]).path[1:]
        self.database_name = database_name
        self._first: dict[int, ProcessCpu] = {}
        self._last: dict[int, ProcessCpu] = {}
        self._stop = threading.Event()
        self._sampler = threading.Thread(target=self._sample_until_stopped, name="cpu-sampler")

    def __enter__(self) -> "CpuUsage":
        self._first = _read_process_cpu()
        self._last = dict(self._first)
        self.started = time.monotonic()
        self._sampler.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._stop.set()
        self._sampler.join()
        self._record(_read_process_cpu())
        self.seconds = time.monotonic() - self.started

    def _sample_until_stopped(self) -> None:
        while not self._stop.wait(self.SAMPLE_SECONDS):
            self._record(_read_process_cpu())

    def _record(self, sample: dict[int, ProcessCpu]) -> None:
        for pid, process in sample.items():
            earlier = self._first.get(pid)
            if earlier is None or earlier.started != process.started:
                # Born inside the block, possibly under a reused pid: all its CPU time counts.
                self._first[pid] = dataclasses.replace(process, ticks=0)
            self._last[pid] = process

    def _part(self, pid: int, process: ProcessCpu, server_group: int | None) -> str:
        if server_group is not None and process.group == server_group:
            return "gunicorn"
        if process.name.startswith("postgres"):
            if process.database is None or process.database == self.database_name:
                return "PostgreSQL"
            return "other: postgres (other databases)"
        if pid == os.getpid():
            return "benchmark"
        return f"other: {process.name}"

    def shares(self) -> dict[str, float]:
        """Return the CPU used by each part, in cores (1.0 is one core busy all the time)."""
        ticks_per_second = os.sysconf("SC_CLK_TCK")
        server_group = self.server.process.pid if self.server and self.server.process else None
        used = Counter()
        for pid, process in self._last.items():
            delta = process.ticks - self._first[pid].ticks
            if delta > 0:
                used[self._part(pid, process, server_group)] += delta
        return {part: ticks / ticks_per_second / self.seconds for part, ticks in used.items()}

    def describe(self) -> str:
        """Return e.g. 'CPU in cores: gunicorn 1.20, PostgreSQL 0.35, other processes 0.02'."""
        shares = self.shares()
        own = ["gunicorn", "PostgreSQL", "benchmark"]
        parts = [f"{name} {shares[name]:.2f}" for name in own if name in shares]
        others = sorted(
            (
                (share, name.removeprefix("other: "))
                for name, share in shares.items()
                if name not in own
            ),
            reverse=True,
        )
        other_total = sum(share for share, _name in others)
        busiest = ", ".join(f"{name} {share:.2f}" for share, name in others[:3] if share >= 0.05)
        parts.append(f"other processes {other_total:.2f}" + (f" ({busiest})" if busiest else ""))
        return "CPU in cores: " + ", ".join(parts)


# --- Reporting ---------------------------------------------------------------------------------


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def memory_total() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                kilobytes = int(line.split()[1])
                return f"{kilobytes / 1024 / 1024:.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return "unknown"


def machine_summary() -> list[tuple[str, str]]:
    """Describe the machine, Python and the PostgreSQL server of Django's default database."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        (postgres_version,) = cursor.fetchone()
        settings_of_interest = {}
        for name in ("shared_buffers", "work_mem", "max_connections"):
            cursor.execute(f"SHOW {name}")
            settings_of_interest[name] = cursor.fetchone()[0]
    postgres_settings = ", ".join(f"{name}={value}" for name, value in settings_of_interest.items())
    return [
        ("nproc", str(len(os.sched_getaffinity(0)))),
        ("load average (1, 5, 15 min)", " ".join(Path("/proc/loadavg").read_text().split()[:3])),
        ("CPU", cpu_model()),
        ("memory", memory_total()),
        ("Python", platform.python_version()),
        ("PostgreSQL", postgres_version.split(" on ")[0]),
        ("PostgreSQL settings", postgres_settings),
    ]


def format_table(headers: list[str], rows: list[list[str]]) -> str:
    """Return rows as a plain-text table with columns padded to their widest cell."""

    def width(text: str) -> int:
        # Characters from U+2E80 on (CJK and full-width punctuation) mostly take two columns.
        return sum(2 if ord(character) > 0x2E80 else 1 for character in text)

    columns = list(zip(headers, *rows, strict=True))
    widths = [max(width(cell) for cell in column) for column in columns]

    def line(cells: list[str]) -> str:
        return "  ".join(
            cell + " " * (size - width(cell)) for cell, size in zip(cells, widths, strict=True)
        )

    separator = "  ".join("-" * size for size in widths)
    return "\n".join([line(headers), separator, *(line(row) for row in rows)]).rstrip()

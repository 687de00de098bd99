"""The benchmark: `make bench`, or `.venv/bin/python bench/run.py [options]`.

For each corpus size, on the database engine given by DATABASE_URL:
  1. builds (or reuses) the corpus in its own database;
  2. times the related ranking and each public page in-process (bench/inprocess.py);
  3. drives each page with wrk against gunicorn (2 sync workers), with the page
     cache off ("uncached"), on and warm with the defaults (no Redis: local memory
     per worker, "cached"), and on and warm with Redis as the shared cache ("redis");
  4. "after an edit": saves one publication (which retires every cached page) and,
     with the defaults, drives distinct articles, list pages, and tag, region and
     author pages (bench/after_edit.py picks them, bench/distinct.lua walks them), so
     that every request is for a page nobody has asked for since the edit;
  5. drives a bare constant-page Django view (bench/ceiling.py) the same way, so
     every page gets a ratio to that ceiling.
Prints one table and writes it to bench/results/latest-<engine>.txt (and .json).
Every server it starts it stops, by its own process id.
"""

import argparse
import contextlib
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).with_name("gunicorn"))
DATA = BENCH / "data"
RESULTS = BENCH / "results"
HOST = "127.0.0.1"
# The "redis" runs' cache; emptied before they start.
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/10")


# --- results --------------------------------------------------------------------------


@dataclass
class Load:
    """One wrk run against one URL."""

    requests_per_s: float = 0.0
    p50_ms: float = 0.0
    p99_ms: float = 0.0
    requests: int = 0
    non_2xx: int = 0
    socket_errors: int = 0
    ratio: float = 0.0  # to the ceiling's requests/s
    repeats: int = 0  # after-edit runs: requests for a path already asked in the run


@dataclass
class Page:
    name: str
    path: str
    size: int
    status: int = 0
    queries: int = 0
    median_ms: float = 0.0
    p95_ms: float = 0.0
    uncached: Load = field(default_factory=Load)
    cached: Load = field(default_factory=Load)
    redis: Load = field(default_factory=Load)


@dataclass
class ColdPages:
    """One after-edit run: wrk walking distinct pages of one kind."""

    name: str  # as the Page of the same kind is named, for the cached figures beside
    size: int
    paths: int  # distinct paths in the run's list
    load: Load = field(default_factory=Load)


@dataclass
class SizeResult:
    size: int
    ceiling: Load  # the faster of the two runs below; ratios use it
    ceiling_runs: list[float]  # req/s before and after the site's runs
    related: dict | None
    pages: list[Page]
    after_edit: list[ColdPages] = field(default_factory=list)


# --- configuration ----------------------------------------------------------------------

# pages: in-process timings and wrk on one address per page (uncached, cached, redis);
# after-edit: wrk on distinct addresses right after an edit.
SECTIONS = ("pages", "after-edit")


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", help="comma-separated corpus sizes")
    parser.add_argument("--duration", type=int, default=15, help="seconds of wrk per URL")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections")
    parser.add_argument("--runs", type=int, default=50, help="in-process runs per page")
    parser.add_argument("--quick", action="store_true", help="smoke run: 1000, wrk 3 s, 20 runs")
    parser.add_argument(
        "--sections",
        default=",".join(SECTIONS),
        help=f"comma-separated, of {', '.join(SECTIONS)} (default: all)",
    )
    args = parser.parse_args()
    args.sections = args.sections.split(",")
    if unknown := set(args.sections) - set(SECTIONS):
        parser.error(f"unknown sections: {', '.join(sorted(unknown))}")
    if args.quick:
        args.sizes = args.sizes or "1000"
        args.duration = 3
        args.runs = 20
    return args


def engine_of(database_url):
    scheme = urllib.parse.urlsplit(database_url).scheme if database_url else "sqlite"
    if scheme.startswith("postgres"):
        return "postgresql"
    if scheme.startswith("sqlite"):
        return "sqlite"
    sys.exit(f"bench: unsupported DATABASE_URL scheme {scheme!r} (use postgres:// or sqlite://)")


def default_sizes(engine):
    return [1000, 10000, 100000] if engine == "postgresql" else [1000, 10000]


def database_url_for(engine, base_url, size):
    """One database per corpus size: generate_corpus refuses a second size in one."""
    if engine == "sqlite":
        return f"sqlite:///{DATA / f'bench_{size}.sqlite3'}"
    parts = urllib.parse.urlsplit(base_url)
    return urllib.parse.urlunsplit(parts._replace(path=f"/thinktank_bench_{size}"))


def postgres_connection(base_url, dbname=None):
    """An autocommit connection to the server of `base_url` (CREATE and DROP DATABASE
    refuse a transaction), to `dbname` or the database the URL names."""
    import psycopg2  # the project's venv has it

    parts = urllib.parse.urlsplit(base_url)
    connection = psycopg2.connect(
        dbname=dbname or parts.path.lstrip("/") or "postgres",
        user=urllib.parse.unquote(parts.username or "") or None,
        password=urllib.parse.unquote(parts.password or "") or None,
        host=parts.hostname,
        port=parts.port,
    )
    connection.autocommit = True
    return connection


def ensure_postgres_database(base_url, name):
    connection = postgres_connection(base_url)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone() is None:
                print(f"bench: creating database {name}", flush=True)
                cursor.execute(f'CREATE DATABASE "{name}"')
    finally:
        connection.close()


def base_env(database_url):
    """Production settings (DEBUG off), plain HTTP, a bench-only static root."""
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="thinktank.settings",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=os.environ.get("DJANGO_SECRET_KEY") or secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_STATIC_ROOT=str(DATA / "static"),
        PYTHONUNBUFFERED="1",
    )
    env.pop("THINKTANK_PAGE_CACHE", None)
    env.pop("REDIS_URL", None)  # the defaults; the "redis" runs add it
    return env


def uncached(env):
    return {**env, "THINKTANK_PAGE_CACHE": "0"}


def manage(env, *args):
    print(f"bench: manage.py {' '.join(args)}", flush=True)
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)


def ensure_wrk():
    if shutil.which("wrk"):
        return
    print("bench: wrk is missing; installing it from Debian's packages", flush=True)
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    install = [*sudo, "apt-get", "install", "-y", "-q", "wrk"]
    if subprocess.run(install, check=False).returncode != 0:
        subprocess.run([*sudo, "apt-get", "update", "-q"], check=True)
        subprocess.run(install, check=True)
    if not shutil.which("wrk"):
        sys.exit("bench: could not install wrk")


# --- servers ----------------------------------------------------------------------------


def free_port():
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def no_control_socket():
    """gunicorn 24+ opens one shared control socket per user; ours need none."""
    help_text = subprocess.run([GUNICORN, "--help"], capture_output=True, text=True).stdout
    return ["--no-control-socket"] if "--no-control-socket" in help_text else []


class Server:
    """gunicorn with 2 sync workers on a free port; stopped by its own PID on exit."""

    def __init__(self, name, app, env, chdir=ROOT):
        self.name = name
        self.port = free_port()
        self.log_path = DATA / "logs" / f"{name}.log"
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self.command = [
            GUNICORN,
            app,
            "--chdir",
            str(chdir),
            "-w",
            "2",
            "-k",
            "sync",
            "-b",
            f"{HOST}:{self.port}",
            "--access-logfile",
            str(self.log_path.with_suffix(".access.log")),
            "--error-logfile",
            str(self.log_path),
            *no_control_socket(),
        ]
        self.env = env
        self.process = None

    def url(self, path):
        return f"http://{HOST}:{self.port}{path}"

    def __enter__(self):
        # Fresh logs for each server: access logs of cached runs grow fast.
        self.log_path.with_suffix(".access.log").unlink(missing_ok=True)
        self.log_path.unlink(missing_ok=True)
        with open(self.log_path, "a") as log:
            self.process = subprocess.Popen(
                self.command,
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # Ctrl-C reaches us; we stop it ourselves
            )
        try:
            self.wait_until_ready()
        except BaseException:  # not answering, or Ctrl-C while starting: stop it anyway
            self.stop()
            raise
        return self

    def __exit__(self, *exc):
        self.stop()

    def wait_until_ready(self, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited early; see {self.log_path}")
            try:
                fetch_status(self.url("/"))  # any HTTP answer means a worker is up
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"{self.name} did not answer in {timeout} s; see {self.log_path}")

    def stop(self):
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def fetch_status(url):
    """Status of one GET, not following redirects (anything but 2xx is reported)."""
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(url, timeout=30) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


# --- wrk --------------------------------------------------------------------------------

UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def to_ms(text):
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * UNITS_MS[unit]


def parse_wrk(output):
    load = Load()
    if match := re.search(r"Requests/sec:\s+([\d.]+)", output):
        load.requests_per_s = float(match.group(1))
    if match := re.search(r"^\s+50%\s+(\S+)", output, re.MULTILINE):
        load.p50_ms = to_ms(match.group(1))
    if match := re.search(r"^\s+99%\s+(\S+)", output, re.MULTILINE):
        load.p99_ms = to_ms(match.group(1))
    if match := re.search(r"(\d+) requests in", output):
        load.requests = int(match.group(1))
    if match := re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output):
        load.non_2xx = int(match.group(1))
    if match := re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    ):
        load.socket_errors = sum(int(n) for n in match.groups())
    if match := re.search(r"Repeated paths: (\d+)", output):  # bench/distinct.lua
        load.repeats = int(match.group(1))
    return load


WRK_THREADS = 2


def run_wrk(url, args, script_args=None):
    """wrk on `url`; with `script_args` (a file of paths), bench/distinct.lua walks them."""
    # --timeout 30s: a slow page shows as high latency, not as dropped timeouts.
    command = [
        "wrk",
        f"-t{WRK_THREADS}",
        f"-c{args.connections}",
        f"-d{args.duration}s",
        "--timeout",
        "30s",
        "--latency",
        url,
    ]
    if script_args:
        command[-1:-1] = ["-s", str(BENCH / "distinct.lua")]
        command += ["--", *script_args]
    result = subprocess.run(
        command, capture_output=True, text=True, timeout=args.duration + 60, check=False
    )
    if result.returncode != 0:
        print(result.stdout, result.stderr, file=sys.stderr)
        raise RuntimeError(f"wrk failed on {url}")
    return parse_wrk(result.stdout)


# --- one size ---------------------------------------------------------------------------


def prepare_database(engine, base_url, size):
    url = database_url_for(engine, base_url, size)
    if engine == "postgresql":
        ensure_postgres_database(base_url, f"thinktank_bench_{size}")
    env = base_env(url)
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "generate_corpus", "--publications", str(size), "--seed", "1")
    work_out_related_lists(env, processes=2 if engine == "postgresql" else 1)
    if engine == "postgresql":
        vacuum(base_url, f"thinktank_bench_{size}")
    return env


def vacuum(base_url, name):
    """VACUUM ANALYZE, as autovacuum leaves a database that has been running a while:
    a corpus just loaded has no visibility map, so every index-only read of the list
    entries and related lists also reads the table's rows."""
    started = time.monotonic()
    connection = postgres_connection(base_url, name)
    try:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE)")
    finally:
        connection.close()
    print(f"bench: VACUUM (ANALYZE) {name} in {time.monotonic() - started:.0f} s", flush=True)


def work_out_related_lists(env, processes):
    """What the task worker does after a bulk load, here and now, in `processes`
    processes side by side (SQLite takes one writer at a time); the lists already
    worked out are kept."""
    started = time.monotonic()
    shares = [
        subprocess.Popen(
            [PYTHON, "manage.py", "work_out_related_lists", "--share", f"{part}/{processes}"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
        )
        for part in range(1, processes + 1)
    ]
    if any(share.wait() != 0 for share in shares):
        raise RuntimeError("work_out_related_lists failed")
    elapsed = time.monotonic() - started
    print(f"bench: related lists worked out in {elapsed:.0f} s", flush=True)


def in_process(env, size, args):
    output = DATA / f"inprocess_{size}.json"
    warmup = 5
    print(f"bench: in-process timings ({args.runs} runs after {warmup} warm-up)", flush=True)
    subprocess.run(
        [PYTHON, str(BENCH / "inprocess.py"), str(output), str(args.runs), str(warmup)],
        cwd=ROOT,
        env=uncached(env),
        check=True,
    )
    return json.loads(output.read_text())


def measure_ceiling(size, args):
    env = {k: v for k, v in base_env("").items() if k != "DJANGO_SETTINGS_MODULE"}
    with Server(f"ceiling-{size}", "ceiling:application", env, chdir=BENCH) as server:
        fetch_status(server.url("/"))
        load = run_wrk(server.url("/"), args)
    print(f"bench: ceiling {load.requests_per_s:.0f} req/s", flush=True)
    return load


def with_redis(env):
    import redis  # the project's venv has it

    redis.Redis.from_url(REDIS_URL).flushdb()
    return {**env, "REDIS_URL": REDIS_URL}


MODES = {"uncached": uncached, "cached": dict, "redis": with_redis}


def load_pages(env, size, pages, mode, args):
    """wrk on every page against one gunicorn; `mode` is one of MODES."""
    server_env = MODES[mode](env)
    with Server(f"site-{size}-{mode}", "thinktank.wsgi:application", server_env) as server:
        for page in pages:
            url = server.url(page.path)
            # Warm both workers (each has its own local-memory cache without Redis).
            for _ in range(4):
                fetch_status(url)
            load = run_wrk(url, args)
            setattr(page, mode, load)
            print(
                f"bench: {mode:8} {page.name:8} {load.requests_per_s:8.1f} req/s "
                f"p99 {load.p99_ms:.1f} ms non-2xx {load.non_2xx}",
                flush=True,
            )


# --- after an edit -----------------------------------------------------------------------

# The kinds of page bench/after_edit.py writes paths for, in table order.
COLD_KINDS = ("article", "list", "tag", "region", "author")
# Distinct paths per second of wrk: more than any cold page serves on two workers.
PATHS_PER_SECOND = 1000
STATUS_IN_ACCESS_LOG = re.compile(r'" (\d{3}) ')


def after_edit_helper(env, *args):
    subprocess.run([PYTHON, str(BENCH / "after_edit.py"), *args], cwd=ROOT, env=env, check=True)


def not_2xx_logged(access_log, offset):
    """Responses in `access_log` after byte `offset` whose status is not 2xx; wrk's
    own count leaves 3xx out, and a redirect is not the page asked for either."""
    with open(access_log, "rb") as log:
        log.seek(offset)
        lines = log.read().decode(errors="replace").splitlines()
    statuses = [STATUS_IN_ACCESS_LOG.search(line) for line in lines]
    return sum(1 for status in statuses if status and not status.group(1).startswith("2"))


@contextlib.contextmanager
def task_worker(env, name):
    """The task worker, as deployed beside the site: it works out the related lists
    each edit calls for while wrk runs. Stopped as a deployment stops it (SIGTERM)."""
    log = (DATA / "logs" / f"{name}.log").open("w")
    worker = subprocess.Popen(
        [PYTHON, "manage.py", "db_worker"], cwd=ROOT, env=env, stdout=log, stderr=log
    )
    try:
        yield worker
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
        log.close()


def load_after_edit(env, size, args):
    """Per kind of page: a real edit, then wrk asking only for pages not asked since."""
    results = []
    with tempfile.TemporaryDirectory(prefix="bench-paths-") as directory:
        after_edit_helper(env, "paths", directory, str(args.duration * PATHS_PER_SECOND))
        with (
            Server(f"site-{size}-after-edit", "thinktank.wsgi:application", env) as server,
            task_worker(env, f"worker-{size}-after-edit"),
        ):
            access_log = server.log_path.with_suffix(".access.log")
            lists = {kind: Path(directory) / f"{kind}.txt" for kind in COLD_KINDS}
            # Templates compiled and code loaded in both workers, as in the other runs;
            # the edit below retires the pages these requests cache.
            for paths_file in lists.values():
                for _ in range(4):
                    fetch_status(server.url(paths_file.read_text().split("\n", 1)[0]))
            for kind, paths_file in lists.items():
                paths = len(paths_file.read_text().splitlines())
                after_edit_helper(env, "edit")
                offset = access_log.stat().st_size if access_log.exists() else 0
                load = run_wrk(server.url(""), args, [str(paths_file), str(WRK_THREADS)])
                load.non_2xx = max(load.non_2xx, not_2xx_logged(access_log, offset))
                results.append(ColdPages(name=kind, size=size, paths=paths, load=load))
                print(
                    f"bench: cold     {kind:8} {load.requests_per_s:8.1f} req/s "
                    f"p99 {load.p99_ms:.1f} ms non-2xx {load.non_2xx} repeats {load.repeats}",
                    flush=True,
                )
    return results


def bench_size(engine, base_url, size, args):
    print(f"\nbench: === {engine}, {size} publications ===", flush=True)
    env = prepare_database(engine, base_url, size)
    report = (
        in_process(env, size, args) if "pages" in args.sections else {"related": None, "pages": []}
    )
    pages = [
        Page(
            name=entry["name"],
            path=entry["path"],
            size=size,
            status=entry["status"],
            queries=entry["queries"],
            median_ms=entry["median_ms"],
            p95_ms=entry["p95_ms"],
        )
        for entry in report["pages"]
    ]
    # The ceiling before and after the site: on a shared machine, take the faster.
    ceilings = [measure_ceiling(size, args)]
    if "pages" in args.sections:
        for mode in MODES:
            load_pages(env, size, pages, mode, args)
    after_edit = load_after_edit(env, size, args) if "after-edit" in args.sections else []
    ceilings.append(measure_ceiling(size, args))
    ceiling = max(ceilings, key=lambda load: load.requests_per_s)
    loads = [load for page in pages for load in (page.uncached, page.cached, page.redis)]
    for load in loads + [cold.load for cold in after_edit]:
        load.ratio = load.requests_per_s / ceiling.requests_per_s if ceiling.requests_per_s else 0.0
    return SizeResult(
        size=size,
        ceiling=ceiling,
        ceiling_runs=[load.requests_per_s for load in ceilings],
        related=report["related"],
        pages=pages,
        after_edit=after_edit,
    )


# --- the table --------------------------------------------------------------------------

HEADER = (
    f"{'page':<8} {'size':>7} {'status':>6} {'med ms':>7} {'p95 ms':>7} {'SQL':>4} | "
    f"{'uncached':>9} {'p50':>6} {'p99':>6} {'ratio':>6} | "
    f"{'cached':>9} {'p50':>6} {'p99':>6} {'ratio':>6} | "
    f"{'redis':>9} {'p50':>6} {'p99':>6} {'ratio':>6} | {'non-2xx':>7} {'sockerr':>7}"
)


def page_row(page):
    loads = (page.uncached, page.cached, page.redis)
    return (
        f"{page.name:<8} {page.size:>7} {page.status:>6} {page.median_ms:>7.1f} "
        f"{page.p95_ms:>7.1f} {page.queries:>4} | "
        + "".join(
            f"{load.requests_per_s:>9.1f} {load.p50_ms:>6.1f} {load.p99_ms:>6.1f} "
            f"{load.ratio:>6.1%} | "
            for load in loads
        )
        + f"{sum(load.non_2xx for load in loads):>7} "
        f"{sum(load.socket_errors for load in loads):>7}"
    )


AFTER_EDIT_HEADER = (
    f"{'cold':<8} {'size':>7} {'paths':>6} | {'req/s':>9} {'p50':>7} {'p99':>7} {'ratio':>6} | "
    f"{'non-2xx':>7} {'sockerr':>7} {'repeats':>7} | {'cached':>9} {'ratio':>6}"
)


def after_edit_row(cold, pages):
    """One after-edit run, with the cached figures of the page of the same kind."""
    load = cold.load
    cached = next((page.cached for page in pages if page.name == cold.name), None)
    beside = (
        f"{cached.requests_per_s:>9.1f} {cached.ratio:>6.1%}" if cached else f"{'-':>9} {'-':>6}"
    )
    return (
        f"{cold.name:<8} {cold.size:>7} {cold.paths:>6} | {load.requests_per_s:>9.1f} "
        f"{load.p50_ms:>7.1f} {load.p99_ms:>7.1f} {load.ratio:>6.1%} | {load.non_2xx:>7} "
        f"{load.socket_errors:>7} {load.repeats:>7} | {beside}"
    )


def render(engine, results, args, started):
    lines = [
        f"thinktank bench: {engine}, {os.cpu_count()} CPUs (nproc {nproc()}), "
        f"{started:%Y-%m-%d %H:%M %Z}".rstrip(),
        f"gunicorn 2 sync workers; wrk -t2 -c{args.connections} -d{args.duration}s --timeout 30s; "
        f"in-process: {args.runs} runs after 5 warm-up, page cache off",
        "uncached: THINKTANK_PAGE_CACHE=0; cached: the defaults, no Redis (local memory per "
        f"worker); redis: REDIS_URL={REDIS_URL}",
        "req/s columns are requests/s under load; p50/p99 in ms; ratio = req/s / ceiling req/s;",
        "non-2xx: wrk's 'Non-2xx or 3xx responses'; sockerr: wrk's socket errors (all three runs)",
        "",
    ]
    for result in results:
        related = result.related
        if related:
            cold, warm = related["cold"], related["warm"]
            lines.append(
                f"related ranking, {result.size} publications ({related['slug']}, "
                f"{related['tags']} tags incl. corpus-topic-0, {related['suggestions']} "
                f"suggestions): computed: median {cold['median_ms']:.2f} ms, "
                f"p95 {cold['p95_ms']:.2f} ms, {cold['queries']} queries; "
                f"app cache on: median {warm['median_ms']:.2f} ms, "
                f"p95 {warm['p95_ms']:.2f} ms, {warm['queries']} queries"
            )
            spread = related.get("random")
            if spread:
                lines.append(
                    f"related ranking of {spread['articles']} random articles, each once "
                    f"({spread['from_lists']} from worked-out lists): median "
                    f"{spread['median_ms']:.2f} ms, p95 {spread['p95_ms']:.2f} ms, "
                    f"slowest {spread['max_ms']:.2f} ms"
                )
        elif result.pages:
            lines.append(f"related ranking, {result.size}: no published corpus-topic-0 item")
        c = result.ceiling
        runs = " and ".join(f"{rps:.0f}" for rps in result.ceiling_runs)
        lines.append(
            f"ceiling (bare Django view), {result.size} run: {c.requests_per_s:.1f} req/s, "
            f"p50 {c.p50_ms:.1f} ms, p99 {c.p99_ms:.1f} ms, non-2xx {c.non_2xx}, "
            f"socket errors {c.socket_errors} (before and after the site: {runs} req/s; "
            "ratios use the faster)"
        )
    if any(result.pages for result in results):
        lines += ["", HEADER, "-" * len(HEADER)]
        for result in results:
            lines += [page_row(page) for page in result.pages]
    if any(result.after_edit for result in results):
        lines += [
            "",
            "after an edit: the defaults (page cache on, no Redis); before each kind, one",
            "publication saved through the ORM (every cached page retired), then wrk asks",
            "for distinct pages only (bench/distinct.lua): every request is cold.",
            "paths: distinct paths in the list; repeats: requests for a path already asked",
            "(the list ran out and wrapped: those may be served from the cache, so a row with",
            "repeats overstates the cold rate); non-2xx: any status but 2xx, from the access",
            "log; cached: the same kind's cached figures above (one address, warm)",
            "",
            AFTER_EDIT_HEADER,
            "-" * len(AFTER_EDIT_HEADER),
        ]
        for result in results:
            lines += [after_edit_row(cold, result.pages) for cold in result.after_edit]
    return "\n".join(lines) + "\n"


def nproc():
    try:
        return subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
    except OSError:
        return "?"


def write_results(engine, text, results, args, started):
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"latest-{engine}.txt").write_text(text)
    data = {
        "engine": engine,
        "nproc": nproc(),
        "date": started.isoformat(),
        "args": vars(args),
        "results": [asdict(result) for result in results],
    }
    (RESULTS / f"latest-{engine}.json").write_text(json.dumps(data, indent=2) + "\n")


# --- main -------------------------------------------------------------------------------


def main():
    args = parse_args()
    base_url = os.environ.get("DATABASE_URL", "")
    engine = engine_of(base_url)
    sizes = [int(s) for s in args.sizes.split(",")] if args.sizes else default_sizes(engine)
    started = datetime.now().astimezone()
    DATA.mkdir(parents=True, exist_ok=True)
    ensure_wrk()

    # Ctrl-C and SIGTERM raise KeyboardInterrupt, so the `with Server` blocks stop their
    # servers (SIGINT is set explicitly: a shell may start background jobs ignoring it).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    manage(
        base_env(database_url_for(engine, base_url, sizes[0])),
        "collectstatic",
        "--noinput",
        "-v",
        "0",
    )
    results = []
    try:
        for size in sizes:
            results.append(bench_size(engine, base_url, size, args))
    except KeyboardInterrupt:
        print("\nbench: interrupted; servers stopped; nothing written", file=sys.stderr)
        if results:
            print("\n" + render(engine, results, args, started))
        return 130
    text = render(engine, results, args, started)
    print("\n" + text)
    write_results(engine, text, results, args, started)
    print(f"bench: written to {RESULTS / f'latest-{engine}.txt'} and .json")
    return 0


if __name__ == "__main__":
    sys.exit(main())

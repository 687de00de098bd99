# The two commands: `make run` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Re-install when the dependencies change.
STAMP := $(VENV)/.installed-stamp

.PHONY: run test test-fast lint format bench backup restore

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Python 3.11 or newer is needed")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# make run PORT=8001 serves on another port.
PORT ?= 8000
define PORT_CHECK
import socket, sys
port = sys.argv[1]
if not port.isdigit() or not 0 < int(port) < 65536:
    sys.exit(f"PORT must be a port number such as 8001, not {port!r}.")
try:
    socket.create_server(("127.0.0.1", int(port))).close()
except OSError:
    sys.exit(f"Port {port} is already in use (another make run?). Stop that server, or choose another port: make run PORT={int(port) + 1}")
endef
export PORT_CHECK

# The worker of the task queue THINKTANK_TASKS names (README, "Deploying", step 6).
TASK_WORKER = $(if $(filter redis,$(THINKTANK_TASKS)),rqworker --with-scheduler --job-class django_tasks_rq.Job,db_worker)

# The task worker (THINKTANK_TASKS, README) runs beside the server and stops with it.
# Ctrl-C reaches both: the worker finishes the task in hand and exits, and is waited
# for. If the server stops by itself, the worker is told to stop (SIGTERM).
run: export DJANGO_DEBUG = 1
run: $(STAMP)
	@$(BIN)/python -c "$$PORT_CHECK" '$(PORT)'
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo --if-empty
	$(BIN)/python manage.py createinitialrevisions -v 0
	$(BIN)/python manage.py ensure_demo_admin --port $(PORT)
	$(BIN)/python manage.py $(TASK_WORKER) & worker=$$!; \
	trap 'wait $$worker' INT; \
	trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT; \
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# Tests run with production settings (DEBUG off): see tests/settings.py. Coverage is
# reported, and fails the run below 90%: one database leaves the other's code unrun.
# .ci/run holds its three passes together to the floor in pyproject.toml.
# PYTEST_ARGS adds to pytest's arguments, e.g. make test PYTEST_ARGS='-k search -x'.
test: $(STAMP)
	$(BIN)/python -m pytest --cov --cov-fail-under=90 $(PYTEST_ARGS)

# The inner loop: every test but the browser and the real servers, without coverage.
test-fast: $(STAMP)
	$(BIN)/python -m pytest -m 'not browser and not servers' $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/ruff format --check .
	$(BIN)/djhtml --check templates

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .
	$(BIN)/djhtml templates

# Benchmark figures (not a test): see bench/README.md. e.g. make bench BENCH_ARGS=--quick
bench: $(STAMP)
	$(BIN)/python bench/run.py $(BENCH_ARGS)
	case "$$DATABASE_URL" in \
	  postgres*) $(BIN)/python bench/outages.py && $(BIN)/python bench/notify_latency.py ;; \
	  *) echo "outage figures skipped: they need PostgreSQL in DATABASE_URL, and Redis" ;; \
	esac

# make backup [BACKUP_DIR=folder]: the database, the media files and a manifest, into
# a new folder (backups/<UTC time> unless named). make restore BACKUP_DIR=folder puts
# one back into an empty database and checks it; RESTORE_ARGS=--force replaces data.
# See thinktank/backups.py.
BACKUP_DIR ?= backups/$(shell date -u +%Y%m%dT%H%M%SZ)
backup: $(STAMP)
	$(BIN)/python manage.py backup '$(BACKUP_DIR)'

restore: $(STAMP)
	@test "$(origin BACKUP_DIR)" != file || { echo "Name the backup to restore: make restore BACKUP_DIR=backups/<folder>"; exit 2; }
	$(BIN)/python manage.py restore '$(BACKUP_DIR)' $(RESTORE_ARGS)

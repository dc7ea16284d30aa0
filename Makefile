# The portal's commands. `make run` starts it with demo data; `make test` runs the whole test suite.
# Both create .venv (Python 3.12 or 3.13, which Django 6 needs) and install the project on first use.

HOST ?= 127.0.0.1
PORT ?= 8000
VENV := .venv
PY := $(VENV)/bin/python
# `make bench` works on its own PostgreSQL database (created and migrated if missing).
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/portal_bench
# The sizes of the staff queue's data (requests) that the benchmarks reading QUEUE_REQUESTS run at, each in a
# database of its own (generated on first use: about 2 minutes for 1,000,000).
QUEUE_SIZES ?= 100000 1000000
# `make test ARGS="tests/members -x"` runs a part of the suite.
ARGS ?=
# What mypy checks in `make lint`: the kernel every app uses; the services that hold the rules (the use cases of
# members and its outbox, the request's life in requests_app, surveys' services, the General Assembly's and the
# secret ballot's rules, messaging's provider clients and WhatsApp's webhook); and the slots with the apps that fill
# them (a provider registered with the wrong signature fails). A new service module is added here.
TYPED := members_portal/arabic.py members_portal/broker.py members_portal/cache.py members_portal/db_retry.py \
	members_portal/enqueue.py members_portal/formats members_portal/hijri.py members_portal/html_text.py members_portal/locks.py \
	members_portal/member_input.py members_portal/middleware.py members_portal/one_beat.py members_portal/pdf.py \
	members_portal/private_files.py members_portal/readers.py members_portal/reference.py members_portal/request_id.py \
	members_portal/storage.py members_portal/templatetags \
	members/services.py members/activation.py members/register.py members/announcements.py \
	members/data_exports.py members/code_delivery.py members/importing members/outbox.py \
	members/outbox_sending.py members/outbox_fallback.py members/channels.py members/channel_table.py \
	members/channel_reach.py \
	requests_app/services.py requests_app/workflow.py requests_app/completion.py requests_app/access.py \
	requests_app/status_changes.py requests_app/conversation.py requests_app/notices.py requests_app/drafts.py \
	requests_app/receipts.py requests_app/member_replies.py requests_app/submission.py \
	requests_app/attachments.py requests_app/calendar.py requests_app/reference_data.py \
	surveys/services \
	assembly/services.py assembly/proxies.py assembly/attendance.py assembly/voting.py assembly/approval.py \
	assembly/adjournment.py assembly/notices.py assembly/minutes.py assembly/door.py assembly/passes.py \
	assembly/conduct.py assembly/documents.py assembly/calendar.py assembly/fan_out.py \
	ballots/services.py ballots/nominations.py ballots/voting.py ballots/tally.py ballots/record.py \
	ballots/results.py ballots/credentials.py ballots/log.py ballots/paper.py \
	messaging/http.py messaging/providers.py messaging/delivery_reports.py messaging/report.py \
	messaging/unifonic.py messaging/taqnyat.py messaging/msegat.py messaging/whatsapp.py \
	messaging/whatsapp_receipts.py messaging/whatsapp_replies.py messaging/whatsapp_webhook.py \
	members/slots.py requests_app/slots.py requests_app/member_scope.py requests_app/apps.py surveys/apps.py \
	assembly/slots.py assembly/apps.py ballots/apps.py messaging/apps.py

# The first Python 3.12 or 3.13 that really runs. A pyenv shim only runs when its version is selected, so
# the versions pyenv has are asked for by name (PYENV_VERSION=3.12.1 pyenv which python3).
define find_python
for candidate in "$$PYTHON" python3.12 python3.13 python3; do \
  [ -n "$$candidate" ] || continue; \
  "$$candidate" -c 'import sys; sys.exit(sys.version_info[:2] not in {(3, 12), (3, 13)})' >/dev/null 2>&1 \
    && { command -v "$$candidate"; exit 0; }; \
done; \
if command -v pyenv >/dev/null 2>&1; then \
  for version in $$(pyenv versions --bare | grep -E '^3\.1[23]\.[0-9]+$$' | sort -V); do \
    candidate=$$(PYENV_VERSION=$$version pyenv which python3 2>/dev/null) \
      && "$$candidate" -c 'import sys' >/dev/null 2>&1 && { echo "$$candidate"; exit 0; }; \
  done; \
fi; \
exit 1
endef

.PHONY: run test bench lint typecheck messages compile install help

help:
	@echo "make run    start the portal with demo data on http://$(HOST):$(PORT)/ (and a Celery worker)"
	@echo "make test   run the whole test suite (ARGS=... to pass options to pytest)"
	@echo "make bench  run the benchmarks in bench/ on PostgreSQL ($(BENCH_DATABASE_URL))"
	@echo "make lint   ruff check, ruff format --check and the import layers (lint-imports)"
	@echo "make messages  update the Arabic catalogue (locale/ar/LC_MESSAGES/django.po)"

$(PY):
	@python=$$($(find_python)) || { \
	  echo "No Python 3.12 or 3.13 found (tried python3.12, python3.13, python3 and pyenv)."; \
	  echo "Django 6 needs Python 3.12 or newer: install one, or run 'make run PYTHON=/path/to/python3.12'."; \
	  exit 1; }; \
	echo "Creating $(VENV) with $$python ($$($$python --version))"; \
	"$$python" -m venv $(VENV)

# Installed again only when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $@

install: $(VENV)/.installed

compile: install
	@DEBUG=1 $(PY) manage.py compilemessages --ignore=$(VENV) --ignore=var --verbosity 0

messages: install
	DEBUG=1 $(PY) manage.py makemessages --locale ar --ignore=$(VENV) --ignore=var --ignore=build --ignore=tests --no-obsolete
	@msgfmt --statistics -o /dev/null locale/ar/LC_MESSAGES/django.po

# Links in demo SMS and e-mails point at this server.
run: export SITE_URL ?= http://$(HOST):$(PORT)
run: compile
	@$(PY) -c 'import socket, sys; s = socket.socket(); sys.exit(s.connect_ex(("$(HOST)", $(PORT))) == 0)' \
	  || { echo "Port $(PORT) on $(HOST) is taken; choose another: make run PORT=8001"; exit 1; }
	DEBUG=1 $(PY) manage.py migrate --noinput
	DEBUG=1 $(PY) manage.py load_demo
	@mkdir -p $${VAR_DIR:-var}
	@# Commands run beside the server (load_demo, ops_report…) print links to it: they read this file.
	@echo "$$SITE_URL" > $${VAR_DIR:-var}/site_url
	@DEBUG=1 scripts/supervise_worker.sh $${VAR_DIR:-var}/worker.log \
	  $(VENV)/bin/celery -A members_portal worker --beat --concurrency 1 --loglevel INFO & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null; rm -f $${VAR_DIR:-var}/site_url; \
	  echo "Celery worker stopped."' EXIT; \
	trap 'exit 130' INT TERM; \
	echo ""; \
	echo "The portal:    http://$(HOST):$(PORT)/   (Ctrl-C stops it and the worker)"; \
	echo "Demo logins:   listed above by load_demo"; \
	echo "Demo SMS:      $${VAR_DIR:-var}/sms.log"; \
	echo "Demo e-mails:  $${VAR_DIR:-var}/mail/ (one file per message)"; \
	echo "Celery worker: with beat, log in $${VAR_DIR:-var}/worker.log (restarted, with a notice here, if it dies)"; \
	echo ""; \
	DEBUG=1 $(PY) manage.py runserver $(HOST):$(PORT)

test: compile
	$(VENV)/bin/pytest $(ARGS)

bench: compile
	@if ls bench/[!_]*.py >/dev/null 2>&1; then \
	  export DEBUG=1 BENCH_DATABASE_URL="$(BENCH_DATABASE_URL)" DATABASE_URL="$(BENCH_DATABASE_URL)" PYTHONPATH=. ; \
	  server="$${DATABASE_URL%/*}"; database="$${DATABASE_URL##*/}"; \
	  psql -q "$$server/postgres" -tAc "SELECT 1 FROM pg_database WHERE datname = '$$database'" | grep -q 1 \
	    || psql -q "$$server/postgres" -c "CREATE DATABASE \"$$database\"" || exit 1; \
	  $(PY) manage.py migrate --noinput --verbosity 0 || exit 1; \
	  failed=""; \
	  for script in bench/[!_]*.py; do \
	    if grep -q QUEUE_REQUESTS "$$script"; then sizes="$(QUEUE_SIZES)"; else sizes=default; fi; \
	    for size in $$sizes; do \
	      if [ "$$size" = default ]; then echo "# $$script"; $(PY) "$$script" || failed="$$failed $$script"; \
	      else echo "# $$script at $$size requests"; \
	        QUEUE_REQUESTS=$$size $(PY) "$$script" || failed="$$failed $$script($$size)"; fi; \
	    done; \
	  done; \
	  [ -z "$$failed" ] || { echo "Failed:$$failed"; exit 1; }; \
	fi

typecheck: install
	DEBUG=1 $(VENV)/bin/mypy $(TYPED)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	DEBUG=1 $(VENV)/bin/mypy $(TYPED)

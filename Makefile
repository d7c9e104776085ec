# Bella: `make run` starts the whole stack, `make test` runs every suite.
# Both set themselves up from a fresh clone on a machine with only Python 3.11.
SHELL := /bin/bash
PYTHON ?= python3
# uv is installed with pip into a private bootstrap venv when it is not on PATH.
UV ?= $(shell command -v uv 2>/dev/null || echo .venv-bootstrap/bin/uv)
PY := .venv/bin/python
PROTO_FILES := $(wildcard proto/bella/v1/*.proto)
# `make test PYTEST_ARGS="-k booking -x"`; `make test PYTEST_WORKERS=4`.
PYTEST_WORKERS ?= 2
PYTEST_ARGS ?=

.PHONY: setup run test lint proto bench soak clean fmt

.venv-bootstrap/bin/uv:
	$(PYTHON) -m venv .venv-bootstrap
	.venv-bootstrap/bin/pip install --quiet --disable-pip-version-check uv

# The lock file pins everything; --frozen refuses to run with a stale lock instead of changing it.
setup: $(UV)
	@$(UV) sync --frozen --all-packages
	@echo "setup: .venv ready ($$($(PY) --version))"

run: setup
	$(PY) -m bella_core.stack run

# pytest exits 5 when nothing was collected (e.g. PYTEST_ARGS=-k matched nothing): not a failure.
test: setup
	@rc=0; $(PY) -m pytest -q -n $(PYTEST_WORKERS) --dist loadfile $(PYTEST_ARGS) || rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "make test: no tests collected"; rc=0; fi; exit $$rc

lint: setup
	.venv/bin/ruff check .
	.venv/bin/mypy libs/core/src services/*/src otel/src

fmt: setup
	.venv/bin/ruff check --fix .

# Stubs are generated with the pinned grpcio-tools and mypy-protobuf and committed;
# tests/test_proto_fresh.py fails when they are stale.
proto: setup
	PATH="$(CURDIR)/.venv/bin:$$PATH" \
	$(PY) -m grpc_tools.protoc -Iproto \
		--python_out=proto --grpc_python_out=proto --mypy_out=proto --mypy_grpc_out=proto \
		$(PROTO_FILES)

bench: setup
	$(PY) -m bella_core.bench

soak: setup
	@if [ -f tests/load/soak.py ]; then $(PY) -m tests.load.soak; \
	else echo "make soak: tests/load/soak.py is not there yet (issue 8)"; exit 1; fi

clean:
	rm -rf var .venv .venv-bootstrap

# Bella: `make run` starts the whole stack, `make test` runs every suite.
SHELL := /bin/bash
UV ?= $(shell command -v uv 2>/dev/null || echo .venv-bootstrap/bin/uv)
PY := .venv/bin/python
PROTO_FILES := $(wildcard proto/bella/v1/*.proto)

.PHONY: setup run test lint proto proto-check bench soak clean fmt

# uv is installed with pip into a private bootstrap venv when missing.
.venv-bootstrap/bin/uv:
	python3 -m venv .venv-bootstrap
	.venv-bootstrap/bin/pip install --quiet uv

setup: $(UV)
	$(UV) sync --frozen --all-packages
	@touch .venv/.setup-done

run: setup
	$(PY) -m bella_core.stack run

test: setup
	$(PY) -m pytest -q -n 2 --dist loadfile $(PYTEST_ARGS)

lint: setup
	.venv/bin/ruff check .
	.venv/bin/mypy libs/core/src services/*/src otel/src

fmt: setup
	.venv/bin/ruff check --fix .
	.venv/bin/ruff format .

# Stubs are generated with the pinned grpcio-tools and committed; tests/test_proto_fresh.py fails when stale.
proto: setup
	PATH="$(CURDIR)/.venv/bin:$$PATH" \
	$(PY) -m grpc_tools.protoc -Iproto \
		--python_out=proto --grpc_python_out=proto --mypy_out=proto --mypy_grpc_out=proto \
		$(PROTO_FILES)

bench: setup
	$(PY) -m bella_core.bench

soak: setup
	$(PY) -m tests.load.soak

clean:
	rm -rf var .venv .venv-bootstrap

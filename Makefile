# DARCA platform — the only entry points people need.
# Needs Python 3.11+; Node.js 20+/npm only for `make docs`, `make check` (buf, redocly, tsc), the TypeScript SDK
# and the tests that use them.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cksum < requirements.lock | cut -d' ' -f1)
NODE_STAMP := node_modules/.installed-$(shell cksum < package-lock.json | cut -d' ' -f1)

.PHONY: run migrate test check generate docs sdk bench lock clean node release changelog

$(STAMP): requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11+ is required")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes --no-deps -r requirements.lock
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

$(NODE_STAMP): package-lock.json
	@command -v npm >/dev/null || { echo "npm (Node.js) is needed for this step"; exit 1; }
	npm ci --no-audit --no-fund
	rm -f node_modules/.installed-*
	touch $(NODE_STAMP)

node: $(NODE_STAMP)

## run: start the platform on the embedded default (SQLite + in-process bus), after migrating; with
## Node.js/npm present the docs at /docs are built first (when the contracts changed), without it /docs says how
run: $(STAMP)
	@if command -v npm >/dev/null; then $(MAKE) --no-print-directory $(DOCS_STAMP) || echo "docs not built: /docs says how to build them"; \
	else echo "Node.js/npm not found: the platform runs, /docs says how to build the docs"; fi
	$(PY) -m app run

DOCS_STAMP := build/docs/.built
$(DOCS_STAMP): generated/specs/openapi.json generated/specs/asyncapi.json $(STAMP) $(NODE_STAMP)
	$(PY) -m tools.docs.build
	touch $@

migrate: $(STAMP)
	$(PY) -m app migrate

## test: the whole suite (Node.js steps are installed when npm is present). Bytecode is cached even where the
## environment turns it off: the workers and the dozens of `python -m app` processes the suite starts then
## compile the project once, not each time.
test: $(STAMP)
	@if command -v npm >/dev/null; then $(MAKE) --no-print-directory node; fi
	PYTHONDONTWRITEBYTECODE= $(PY) -m pytest -n 2 --dist loadgroup

## generate: regenerate generated/ and the SDKs in sdks/ from specs/ (the TypeScript SDK when Node.js is present)
generate: $(STAMP)
	$(PY) -m tools.codegen generate

## check: generated code and SDKs current, dependency direction, the house rules (tools/archcheck), contract lint,
##        the TypeScript SDK type-checked, and no breaking change against the last release in specs/released/
##        unless the major version changed (OpenAPI, AsyncAPI, protobuf: ADR 0027)
check: $(STAMP) $(NODE_STAMP)
	$(PY) -m tools.codegen check
	@if [ -d .git ] && command -v git >/dev/null; then git diff --exit-code --stat -- generated/ sdks/; fi
	node_modules/.bin/tsc -p sdks/typescript --noEmit
	$(VENV)/bin/lint-imports
	$(PY) -m tools.archcheck
	$(PY) -m tools.problemscan
	cd specs/proto && ../../node_modules/.bin/buf lint
	node_modules/.bin/redocly lint --config redocly.yaml generated/specs/openapi.json
	$(PY) -m tools.release check

## release: cut the contracts as specs/released/$(VERSION)/ (make release VERSION=1.2.0; the three contracts must
##          carry that version and pass make check). REPLACE=1 re-cuts the last release while nothing depends on it
release: $(STAMP) $(NODE_STAMP)
	@test -n "$(VERSION)" || { echo "usage: make release VERSION=X.Y.Z [REPLACE=1]"; exit 1; }
	@if [ -z "$(REPLACE)" ]; then $(MAKE) --no-print-directory check; fi
	$(PY) -m tools.release cut $(VERSION) $(if $(REPLACE),--replace)
	@if [ -n "$(REPLACE)" ]; then $(MAKE) --no-print-directory check; fi

## changelog: print a draft CHANGELOG.md entry from the diff against the last release, to edit by hand
changelog: $(STAMP) $(NODE_STAMP)
	$(PY) -m tools.release changelog

## docs: self-contained HTML docs of the OpenAPI and AsyncAPI contracts in build/docs
docs: $(STAMP) $(NODE_STAMP)
	$(PY) -m tools.docs.build

## sdk: the SDK packages in build/sdks: @darca/sdk as an npm tarball, darca-sdk as a wheel
sdk: $(STAMP) $(NODE_STAMP)
	mkdir -p build/sdks
	cd sdks/typescript && npm pack --pack-destination ../../build/sdks
	$(PY) -m pip wheel --quiet --no-deps --no-build-isolation -w build/sdks sdks/python
	rm -rf sdks/python/build sdks/python/darca_sdk.egg-info

## bench: benchmarks (results in bench/results/)
bench: $(STAMP)
	$(PY) -m bench

## lock: re-pin dependencies from pyproject.toml into the hashed requirements file
lock: $(STAMP)
	$(VENV)/bin/uv pip compile pyproject.toml --extra dev --generate-hashes --python-version 3.11 -o requirements.lock

clean:
	rm -rf $(VENV) node_modules build var

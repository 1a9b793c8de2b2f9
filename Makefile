# The two commands: `make run` and `make test`. Both set up .venv themselves.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test install migrate bench fuzz openapi clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Python 3.11 or newer is needed")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

install: $(STAMP)

migrate: $(STAMP)
	$(BIN)/roomsets migrate

## run: migrate the SQLite database, load the demo data set, print a ready curl line, serve.
run: migrate
	@key=$$($(BIN)/roomsets demo) && \
	host=$${ROOMSETS_HOST:-127.0.0.1} && port=$${ROOMSETS_PORT:-8000} && \
	echo "" && \
	echo "Demo host API key: $$key" && \
	echo "Try:" && \
	echo "  curl -H 'X-API-Key: $$key' 'http://$$host:$$port/api/v1/social/room/set/mine?page=0&size=20&sort=name,asc'" && \
	echo "Host console: http://$$host:$$port/console   API reference: http://$$host:$$port/docs" && \
	echo ""
	$(BIN)/roomsets serve

## test: every test, on SQLite and PostgreSQL.
test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

## fuzz: the contract fuzz test with many more examples (a few minutes per engine).
fuzz: $(STAMP)
	ROOMSETS_FUZZ_EXAMPLES=$${ROOMSETS_FUZZ_EXAMPLES:-100} $(BIN)/python -m pytest -s tests/test_fuzz.py

## bench: R1 against the limit of its stack and of PostgreSQL, growth, memory (needs wrk and pgbench;
## BENCH_ARGS=--quick for a smoke run). Writes bench/results/r1-*.json and docs/performance.md.
bench: $(STAMP)
	$(BIN)/python -m bench.run $(BENCH_ARGS)

## openapi: write the OpenAPI document this build serves to openapi.json (a test checks it).
openapi: $(STAMP)
	$(BIN)/python -m roomsets.openapi

clean:
	rm -rf $(VENV) .pytest_cache

.PHONY: bench-tiling
## bench-tiling: cut a 16000 × 16000 image into theme tiles; writes bench/results/tiling.json and docs/performance.md.
bench-tiling: $(STAMP)
	$(BIN)/python bench/tiling.py

.PHONY: reliability
## reliability: 60 s of mixed load on PostgreSQL (`roomsets serve --workers 2`), then an audit; writes bench/results/reliability.json.
reliability: $(STAMP)
	$(BIN)/python -m bench.reliability $(RELIABILITY_ARGS)

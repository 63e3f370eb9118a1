# Two commands on a fresh Debian 12 machine (root or sudo):
#   make run    install what is missing, build, create var/redress.db with demo data, serve
#   make test   install what is missing, build with -Werror, run every test
SHELL := /bin/bash
JOBS ?= $(shell nproc)
RELEASE_DIR := build/release
TEST_DIR := build/test
DB ?= var/redress.db
LISTEN ?= 127.0.0.1:8080

.PHONY: run test deps build build-test web bench clean

deps:
	@./scripts/install-deps.sh

build: deps
	@cmake -S . -B $(RELEASE_DIR) -DCMAKE_BUILD_TYPE=Release -DREDRESS_WERROR=OFF >/dev/null
	@cmake --build $(RELEASE_DIR) --target redress -j $(JOBS)

# The web front end (web/dist), served by `redress serve --web-root web/dist`.
web: deps
	@./web/scripts/build.sh

run: build web
	@mkdir -p $(dir $(DB))
	@# The demo database is built under a temporary name and renamed when complete, so an
	@# interrupted first run never leaves a half-loaded database behind.
	@if [ ! -f $(DB) ]; then rm -f $(DB).new $(DB).new-wal $(DB).new-shm && \
	   ./$(RELEASE_DIR)/src/redress demo --db $(DB).new && mv $(DB).new $(DB); \
	 else ./$(RELEASE_DIR)/src/redress demo --logins-only; fi
	@./$(RELEASE_DIR)/src/redress serve --db $(DB) --listen $(LISTEN) --web-root web/dist \
	   --escalation-policy etc/escalation.demo.toml

build-test: deps
	@cmake -S . -B $(TEST_DIR) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DREDRESS_WERROR=ON >/dev/null
	@cmake --build $(TEST_DIR) -j $(JOBS)

# The PostgreSQL tests need a cluster: the wrapper starts a throwaway one around ctest and
# removes it afterwards (scripts/with-test-postgres.sh).
test: build-test
	@cd $(TEST_DIR) && ../../scripts/with-test-postgres.sh ctest --output-on-failure -j $(JOBS) --timeout 300
	@REDRESS_BINARY=$(CURDIR)/$(TEST_DIR)/src/redress SCREENSHOT_DIR=$(CURDIR)/$(TEST_DIR)/screenshots \
	  ./web/scripts/test.sh

bench: build
	@cmake --build $(RELEASE_DIR) -j $(JOBS)
	@./bench/run.sh $(RELEASE_DIR)

clean:
	rm -rf build

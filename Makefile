# The two commands. Both install what they need when it is missing.
.PHONY: run test

# Build Herald (optimised, fast-linking `fast-link` profile) and serve it on http://127.0.0.1:3000 with SQLite in ./data.
run:
	./scripts/run.sh

# Every check and test: fmt, clippy, cargo tests on SQLite and PostgreSQL, Playwright.
test:
	./scripts/test.sh

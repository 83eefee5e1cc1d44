# seedkit: PGXS build
EXTENSION    = seedkit
MODULE_big   = seedkit
OBJS         = $(patsubst %.c,%.o,$(wildcard src/*.c src/*/*.c))
DATA         = $(wildcard seedkit--*.sql)
REGRESS      = $(patsubst sql/%.sql,%,$(sort $(wildcard sql/*.sql)))
REGRESS_OPTS = --encoding=UTF8 --load-extension=seedkit
# Isolation specs (specs/*.spec, outputs in expected/): make installcheck
# runs them after the pg_regress tests, in their own database.
ISOLATION    = $(patsubst specs/%.spec,%,$(sort $(wildcard specs/*.spec)))
ISOLATION_OPTS = --encoding=UTF8 --load-extension=seedkit
PG_CPPFLAGS  = -Isrc $(shell pkg-config --cflags json-c icu-uc icu-i18n)
SHLIB_LINK   = $(shell pkg-config --libs json-c icu-uc icu-i18n)
EXTRA_CLEAN  = results regression.diffs regression.out output_iso

PG_CONFIG   ?= pg_config
PGXS        := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

# Warnings as the project builds them; the test command adds -Werror.
override CFLAGS += -Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers -Wno-sign-compare

# Every object depends on the project's headers (PGXS tracks none of them).
$(OBJS): $(wildcard src/*/*.h)

# Word lists: generated from the installed Faker YAML (Debian ruby-faker,
# read with python3-yaml); the repository keeps no copy (doc/wordlists.md).
FAKER_LOCALES ?= $(lastword $(sort $(wildcard /usr/share/rubygems-integration/all/gems/faker-*/lib/locales)))
PYTHON ?= python3
src/anon/wordlists_data.h: tools/gen_wordlists.py
	@test -n "$(FAKER_LOCALES)" || { echo "Faker's locale YAML not found: apt-get install ruby-faker python3-yaml (or set FAKER_LOCALES)" >&2; exit 1; }
	$(PYTHON) tools/gen_wordlists.py $(FAKER_LOCALES) $@
src/anon/wordlists.o src/anon/wordlists.bc: src/anon/wordlists_data.h
EXTRA_CLEAN += src/anon/wordlists_data.h

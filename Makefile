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

# salesplan — PGXS build.
#
# The version comes from salesplan.control only.  The install script of the
# current version, sql/salesplan--$(EXTVERSION).sql, is assembled from the
# per-family fragments in sql/install/ (in file-name order), so that each
# family's SQL lives next to nothing else.  The upgrade script to the current
# version, sql/salesplan--A--B.sql, is built as well, from
# sql/upgrade/salesplan--A--B.sql.in (the steps only an update needs, and
# marker lines that pull each function's definition from sql/install/) by
# sql/upgrade/include.awk; the build fails on a marker that names nothing
# and on a changed definition no marker brings (doc/testing.md, "The upgrade
# script's layout").  Neither built script is tracked by git.
#
# Released versions are frozen: their install scripts (sql/salesplan--0.1.sql)
# and upgrade scripts are committed, installed as they are and never edited;
# test/frozen.sha256 holds their checksums and "make test" fails if one
# changes.  Releasing version B (doc/testing.md, "Releasing a version"):
# "make", then commit the built sql/salesplan--B.sql and
# sql/salesplan--A--B.sql as they are, add both to test/frozen.sha256,
# "git rm" sql/upgrade/salesplan--A--B.sql.in (and un-ignore the two files in
# .gitignore); with no .in left, nothing below builds them any more.

EXTENSION = salesplan
EXTVERSION = $(shell sed -n "s/^default_version[[:space:]]*=[[:space:]]*'\([^']*\)'.*/\1/p" $(EXTENSION).control)

MODULE_big = $(EXTENSION)
OBJS = $(patsubst %.c,%.o,$(sort $(wildcard src/*.c)))

INSTALL_FRAGMENTS = $(sort $(wildcard sql/install/*.sql))
UPGRADE_SOURCES = $(wildcard sql/upgrade/$(EXTENSION)--*--*.sql.in)
UPGRADE_BUILT = $(patsubst sql/upgrade/%.in,sql/%,$(UPGRADE_SOURCES))
DATA_built = sql/$(EXTENSION)--$(EXTVERSION).sql $(UPGRADE_BUILT)
DATA = $(filter-out $(DATA_built),$(wildcard sql/$(EXTENSION)--*.sql))

# Regression tests live in test/sql with expected output at the top level.
# No test may share a stem with a file in sql/ (pg_regress reads sql/NAME.sql
# first).
TESTS = $(sort $(wildcard test/sql/*.sql))
REGRESS = $(patsubst test/sql/%.sql,%,$(TESTS))
REGRESS_OPTS = --inputdir=test --load-extension=plpgsql
ISOLATION = $(patsubst test/specs/%.spec,%,$(sort $(wildcard test/specs/*.spec)))
ISOLATION_OPTS = --inputdir=test --outputdir=.

EXTRA_CLEAN = $(DATA_built) $(addsuffix .tmp,$(UPGRADE_BUILT)) results/ regression.diffs regression.out output_iso/

PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs 2>/dev/null)
# No LLVM bitcode: JIT gains nothing for these functions, and Debian's pgxs
# would otherwise need clang on every machine that builds us.
override with_llvm := no
ifneq ($(PGXS),)
include $(PGXS)
else
# No PostgreSQL yet: "make test" and "make demo" install it (as root) first.
all install installcheck:
	@echo 'salesplan: pg_config not found; run "make test" or "make demo" as root, or "sudo bash test/deps.sh"' >&2; exit 1
endif

sql/$(EXTENSION)--$(EXTVERSION).sql: $(INSTALL_FRAGMENTS) $(EXTENSION).control
	cat $(INSTALL_FRAGMENTS) > $@

# sql/salesplan--A--B.sql from sql/upgrade/salesplan--A--B.sql.in, the
# fragments and the frozen install script of A (a definition A has word for
# word needs no marker).
$(UPGRADE_BUILT): sql/%.sql: sql/upgrade/%.sql.in sql/upgrade/include.awk $(INSTALL_FRAGMENTS)
	awk -v from=sql/$(firstword $(subst --, ,$*))--$(word 2,$(subst --, ,$*)).sql \
	    -f sql/upgrade/include.awk $(INSTALL_FRAGMENTS) $< > $@.tmp
	mv $@.tmp $@

.PHONY: deps test test-cassert test-citus test-bi fuzz demo demo-citus demo-stop bench

# The PostgreSQL major version "make deps" installs and "make test" builds and
# tests against: "make test PG=17".
PG ?= 15

# Installs PostgreSQL $(PG) and the build tools when run as root (no-op when
# everything is there).
deps:
	bash test/deps.sh $(PG)

# The whole regression suite on a throwaway cluster; ends with "N passed, M failed".
test:
	bash test/run.sh $(PG)

# The same suite on an assert-enabled PostgreSQL 15 built from Debian's
# source package (cached under /var/tmp); see doc/testing.md.
test-cassert:
	bash test/cassert.sh

# salesplan on a Citus 12.1 cluster (a coordinator and two workers, built
# from ../shared/vendor and cached under /var/tmp): every aggregate splits
# across the workers with a single node's result, the bindings, the time
# zone; skipped when no Citus source or install is there.  See doc/scaling.md.
test-citus:
	bash test/citus.sh

# The sample CRM distributed on a Citus cluster (as test-citus builds and
# starts it) and the demo reports, printed and compared byte for byte with
# a single node's (also the last part of test-citus).  See doc/scaling.md.
demo-citus:
	@SALESPLAN_CITUS_DEMO_ONLY=1 SALESPLAN_CITUS_DEMO_SHOW=1 bash test/citus.sh

# sqlsmith against the sample CRM and salesplan for FUZZ_SECONDS (default
# 120); fails on a backend crash or an XX000 raised by salesplan.
fuzz:
	bash test/fuzz.sh

# What psqlODBC (isql) and pgjdbc report about bound views: names, types,
# booleans, numeric precision, comments (doc/bi-tools.md).  Installs the
# drivers and a JDK as root; skips with a message otherwise.
test-bi:
	bash test/bi.sh

# A local cluster with a sample CRM that stays up; "make demo-stop" stops it.
demo:
	@bash test/demo.sh start

demo-stop:
	@bash test/demo.sh stop

bench:
	bash test/bench/run.sh

# tubes - small Unix networking commands that build every header by hand
#
#   make                 build lib/libtubes.a and every cmd/*.c program
#   make test            build, then run the unit tests and every bats file
#   make SANITIZE=1 test the same under ASan+UBSan
#   make STATIC=1        static binaries (smallest: make STATIC=1 CC=musl-gcc CFLAGS=-Oz)
#   make VALGRIND=1 test every command run in the bats suite under valgrind
#   make bench           side-by-side benchmarks (bench/*.sh)
#   make demo            the life of a request, in namespaces of its own (root)
#   make install         PREFIX=/usr/local DESTDIR=
#   make install-strip   the same, binaries stripped

PREFIX   ?= /usr/local
BINDIR   ?= $(PREFIX)/bin
MANDIR   ?= $(PREFIX)/share/man
COMPDIR  ?= $(PREFIX)/share/bash-completion/completions
CC       ?= cc
AR       ?= ar

WARN     = -std=c11 -Wall -Wextra -Wshadow -Wformat=2 -Wpointer-arith \
           -Wstrict-prototypes -Wmissing-prototypes -Wvla -Werror
DEFS     = -D_GNU_SOURCE

ifeq ($(SANITIZE),1)
O        ?= build/san
OPT      = -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
           -fno-sanitize-recover=all
LDOPT    = -fsanitize=address,undefined
else
O        ?= build/rel
OPT      = -O2 -g -D_FORTIFY_SOURCE=2 -fstack-protector-strong
LDOPT    =
endif
# static: unused functions dropped, no unwind tables (C has no use for
# them), and no page of padding before and after the code (separate-code
# would keep the ELF header and read-only data out of the executable
# mapping; in a 100 KiB program it costs 4-8 KiB of file)
ifeq ($(STATIC),1)
OPT     += -ffunction-sections -fdata-sections -fno-asynchronous-unwind-tables
LDOPT   += -static -Wl,--gc-sections -Wl,-z,noseparate-code
endif

CFLAGS  ?=
LDFLAGS ?=
# musl-gcc does not search the kernel's UAPI headers (linux/, asm/): give it
# a directory of links to them, after its own
ifneq ($(findstring musl,$(CC)),)
KHDRS    = $(O)/khdrs
KHDRFLAG = -idirafter $(KHDRS)
# musl's static start-up never makes PT_GNU_RELRO read-only (a static
# musl program can write its .data.rel.ro: tested), so the relro segment
# protects nothing there and its page-aligned end only pads the file
# (up to 4 KiB: httpget 308,776 -> 304,904 bytes); glibc's does apply it.
# And a small common page size: ld then starts the data segment right
# after the text in the file (mapped at the next page, as usual) instead
# of padding the file to a page boundary when that saves a page of memory
# that a 300 KiB program does not miss (httpget 307,272 -> 305,288 bytes,
# dig-lite 304,888 -> 303,512; none grows)
ifeq ($(STATIC),1)
LDOPT   += -Wl,-z,norelro -Wl,-z,common-page-size=64
endif
endif
ALL_CFLAGS  = $(WARN) $(DEFS) $(OPT) -Ilib -Ilib/wire -Ilib/sys -Ilib/session $(KHDRFLAG) $(CFLAGS)
ALL_LDFLAGS = $(LDOPT) $(LDFLAGS)

LIBSRC  := $(sort $(wildcard lib/*/*.c))
LIBOBJ  := $(LIBSRC:%.c=$(O)/%.o)
LIB     := $(O)/libtubes.a
CMDS    := $(sort $(notdir $(basename $(wildcard cmd/*.c))))
BINS    := $(CMDS:%=$(O)/bin/%)
UNITSRC := $(sort $(wildcard tests/unit/t_*.c))
UNITS   := $(UNITSRC:tests/unit/%.c=$(O)/tests/%)
PEERSRC := $(sort $(wildcard tests/peers/*.c))
PEERS   := $(PEERSRC:tests/peers/%.c=$(O)/tests/%)
# crypto test programs: constant-time checks (ct_*), differential drivers
# against openssl (x_*) and speed drivers (speed_*), run by tests/crypto*.bats
# and bench/crypto.sh
CRYPSRC := $(sort $(wildcard tests/crypto/*.c))
CRYPTS  := $(CRYPSRC:tests/crypto/%.c=$(O)/tests/%)
MANS    := $(sort $(wildcard man/*.1 man/*.7))
FUZZSRC := $(sort $(wildcard fuzz/fz_*.c))
REPLAYS := $(FUZZSRC:fuzz/%.c=$(O)/fuzz/replay-%)
FUZZERS := $(FUZZSRC:fuzz/%.c=$(O)/fuzz/%)
SHIM    := $(O)/tests/libfault.so

all: $(BINS)
	@mkdir -p bin && for b in $(CMDS); do ln -sf ../$(O)/bin/$$b bin/$$b; done

$(O)/khdrs:
	@mkdir -p $@
	for d in linux asm-generic; do ln -sfn /usr/include/$$d $@/$$d; done
	ln -sfn /usr/include/$$($(CC) -dumpmachine | sed 's/-musl/-gnu/')/asm $@/asm 2>/dev/null || \
	  ln -sfn /usr/include/asm $@/asm

$(O)/%.o: %.c $(wildcard lib/*/*.h) | $(KHDRS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(LIB): $(LIBOBJ)
	@rm -f $@
	$(AR) rcs $@ $(LIBOBJ)

$(O)/bin/%: $(O)/cmd/%.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(LIB) $(ALL_LDFLAGS)

$(O)/tests/%: tests/unit/%.c tests/unit/tap.h $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Itests/unit -o $@ $< $(LIB) $(ALL_LDFLAGS)

$(O)/tests/%: tests/crypto/%.c $(wildcard tests/crypto/*.h) tests/unit/tap.h $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Itests/crypto -Itests/unit -o $@ $< $(LIB) $(ALL_LDFLAGS)

$(O)/tests/%: tests/peers/%.c $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(LIB) $(ALL_LDFLAGS)

$(O)/fuzz/replay-%: fuzz/%.c fuzz/replay.c fuzz/fuzz.h $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Ifuzz -o $@ fuzz/replay.c $< $(LIB) $(ALL_LDFLAGS)

$(O)/fuzz/fz_%: fuzz/fz_%.c fuzz/fuzz.h $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Ifuzz -fsanitize=fuzzer -o $@ $< $(LIB) $(ALL_LDFLAGS)

# the I/O fault shim is preloaded into commands under test: no sanitizer in it
$(SHIM): tests/faults/shim.c
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(DEFS) -O2 -fPIC -shared -o $@ $< -ldl

check-build: all $(UNITS) $(PEERS) $(CRYPTS) $(REPLAYS) $(SHIM)

# what the suite uses comes first (a fresh machine may lack even the compiler)
test:
	@sh tests/deps.sh
	@$(MAKE) --no-print-directory check-build
	@TUBES_DEPS_DONE=1 O=$(O) VALGRIND=$(VALGRIND) SANITIZE=$(SANITIZE) sh tests/run.sh $(TESTS)

deps:
	@sh tests/deps.sh

# libFuzzer targets, built with clang into build/fuzz (make fuzz; make fuzz-run SECONDS=N)
FUZZ_CC ?= clang
fuzz:
	$(MAKE) O=build/fuzz CC=$(FUZZ_CC) WARN='-std=c11 -Wall -Wextra' \
	  OPT='-g -O1 -fno-omit-frame-pointer -fsanitize=fuzzer-no-link,address,undefined' \
	  LDOPT='-fsanitize=address,undefined' fuzzers

fuzzers: $(FUZZERS)

SECONDS ?= 60
fuzz-run: fuzz
	sh fuzz/run.sh $(SECONDS)

bench: all
	@O=$(O) sh bench/run.sh

# the life of a request, on a small internet of namespaces (needs root)
demo: all check-build
	@O=$(O) bash demo/demo.sh

lint-man:
	@sh tests/lint-man.sh $(MANS)

# install keeps the symbols (-g) for a packager's own strip step, as GNU
# projects do; install-strip is the same with the symbols stripped
# (STRIP names a cross strip)
INSTALL_PROGRAM ?= install -m 755
STRIP ?= strip
install: all
	mkdir -p $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man7
	for b in $(CMDS); do $(INSTALL_PROGRAM) $(O)/bin/$$b $(DESTDIR)$(BINDIR)/$$b; done
	for m in $(wildcard man/*.1); do install -m 644 $$m $(DESTDIR)$(MANDIR)/man1/; done
	for m in $(wildcard man/*.7); do install -m 644 $$m $(DESTDIR)$(MANDIR)/man7/; done
	if [ -d completions ]; then mkdir -p $(DESTDIR)$(COMPDIR) && \
	  for c in completions/*; do install -m 644 $$c $(DESTDIR)$(COMPDIR)/; done; fi

install-strip:
	$(MAKE) INSTALL_PROGRAM='install -m 755 -s --strip-program=$(STRIP)' install

uninstall:
	for b in $(CMDS); do rm -f $(DESTDIR)$(BINDIR)/$$b; done
	for m in $(notdir $(wildcard man/*.1)); do rm -f $(DESTDIR)$(MANDIR)/man1/$$m; done
	for m in $(notdir $(wildcard man/*.7)); do rm -f $(DESTDIR)$(MANDIR)/man7/$$m; done
	if [ -d completions ]; then for c in completions/*; do \
	  rm -f $(DESTDIR)$(COMPDIR)/$${c#completions/}; done; fi

clean:
	rm -rf build bin

.PHONY: all test deps check-build fuzz fuzzers fuzz-run bench demo lint-man install install-strip uninstall clean
.SECONDARY:

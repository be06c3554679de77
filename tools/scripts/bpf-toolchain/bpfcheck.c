// SPDX-License-Identifier: GPL-2.0-only
/*
 * bpfcheck: load and attach one BPF program per test, each through a
 * fresh skeleton with every other program's autoload off (so one attach
 * type that a kernel lacks fails alone), and report a RESULT line each:
 *
 *   RESULT <test> ok hits=<n>
 *   RESULT <test> fail <open|load|attach|run> <-errno> <ERRNO-NAME> <text>
 *
 * Tests: raw_tp, kprobe, fentry (attach to this arch's getpid syscall
 * handler and must count the calls made here), kprobe-aux, fentry-aux
 * (attach to perf_aux_output_begin with CO-RE reads: load and attach only,
 * nothing calls it without an AUX PMU).  Built natively and as a static
 * arm64 binary by tools/scripts/bpf-toolchain.sh, which runs it in
 * Debian's arm64 kernels under QEMU.
 *
 * Usage: bpfcheck [-v] TEST...   (-v: libbpf's debug log too)
 * Exit status: 0 every test ok, 1 some failed, 2 usage.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include "bpfcheck.skel.h"

/*
 * getpid()'s syscall handler.  fentry needs it in the kernel's BTF, where
 * some x86 kernels (6.18) keep only the inner __do_sys_getpid: so the
 * fentry test takes the first of these that the BTF has.
 */
#if defined(__aarch64__)
#define GETPID_HANDLER "__arm64_sys_getpid"
#elif defined(__x86_64__)
#define GETPID_HANDLER "__x64_sys_getpid"
#else
#error "bpfcheck: no getpid syscall handler name for this architecture"
#endif
static const char *const fentry_targets[] = { GETPID_HANDLER, "__do_sys_getpid" };

#define CALLS 10

static int verbose;

static int print_fn(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_DEBUG && !verbose)
		return 0;
	/* Indented, so the host can tell libbpf's lines from RESULT lines. */
	fputs("    ", stdout);
	return vfprintf(stdout, fmt, ap);
}

/* Kernel-internal errnos that strerror() does not know. */
static const char *errno_name(int e)
{
	switch (e) {
	case EPERM: return "EPERM";
	case ENOENT: return "ENOENT";
	case EINVAL: return "EINVAL";
	case E2BIG: return "E2BIG";
	case EACCES: return "EACCES";
	case EBUSY: return "EBUSY";
	case ENODEV: return "ENODEV";
	case ENOSYS: return "ENOSYS";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	case ESRCH: return "ESRCH";
	case 524: return "ENOTSUPP";
	case 525: return "ETOOSMALL";
	default: return "E?";
	}
}

struct test {
	const char *name;
	int fires;	/* must count this process's getpid() calls */
};

static const struct test tests[] = {
	{ "raw_tp", 1 }, { "kprobe", 1 }, { "fentry", 1 },
	{ "kprobe-aux", 0 }, { "fentry-aux", 0 },
};

static struct bpf_program *prog_of(struct bpfcheck_bpf *s, const char *name)
{
	if (!strcmp(name, "raw_tp")) return s->progs.raw_tp_fire;
	if (!strcmp(name, "kprobe")) return s->progs.kprobe_fire;
	if (!strcmp(name, "fentry")) return s->progs.fentry_fire;
	if (!strcmp(name, "kprobe-aux")) return s->progs.kprobe_aux;
	return s->progs.fentry_aux;
}

static int fail(const char *test, const char *stage, int err)
{
	char buf[128];

	libbpf_strerror(err, buf, sizeof(buf));
	printf("RESULT %s fail %s %d %s %s\n", test, stage, err, errno_name(-err), buf);
	return 1;
}

static int run(const struct test *t)
{
	struct bpfcheck_bpf *s;
	struct bpf_program *want, *p;
	struct bpf_link *link = NULL;
	int err, i;

	s = bpfcheck_bpf__open();
	if (!s)
		return fail(t->name, "open", -errno);
	s->rodata->target_tgid = getpid();
	want = prog_of(s, t->name);
	bpf_object__for_each_program(p, s->obj)
		bpf_program__set_autoload(p, p == want);
	if (want == s->progs.fentry_fire) {
		for (i = 0; i < (int)(sizeof(fentry_targets) / sizeof(fentry_targets[0])); i++)
			if (!(err = bpf_program__set_attach_target(want, 0, fentry_targets[i])))
				break;
		if (err) {
			bpfcheck_bpf__destroy(s);
			return fail(t->name, "open", err);
		}
	}
	err = bpfcheck_bpf__load(s);
	if (err) {
		bpfcheck_bpf__destroy(s);
		return fail(t->name, "load", err);
	}
	if (want == s->progs.kprobe_fire)
		link = bpf_program__attach_kprobe(want, false, GETPID_HANDLER);
	else
		link = bpf_program__attach(want);
	if (!link) {
		err = -errno;
		bpfcheck_bpf__destroy(s);
		return fail(t->name, "attach", err);
	}
	for (i = 0; i < CALLS; i++)
		syscall(SYS_getpid);
	unsigned long long hits = s->bss->hits;
	bpf_link__destroy(link);
	bpfcheck_bpf__destroy(s);
	if (t->fires && hits < CALLS) {
		printf("RESULT %s fail run 0 - attached but counted %llu of %d getpid calls\n",
		       t->name, hits, CALLS);
		return 1;
	}
	printf("RESULT %s ok hits=%llu\n", t->name, hits);
	return 0;
}

int main(int argc, char **argv)
{
	int i, j, bad = 0;

	if (argc > 1 && !strcmp(argv[1], "-v")) {
		verbose = 1;
		argv++, argc--;
	}
	if (argc < 2) {
		fprintf(stderr, "usage: bpfcheck [-v] TEST... (raw_tp kprobe fentry kprobe-aux fentry-aux)\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	libbpf_set_print(print_fn);
	printf("LIBBPF %u.%u\n", libbpf_major_version(), libbpf_minor_version());
	for (i = 1; i < argc; i++) {
		for (j = 0; j < (int)(sizeof(tests) / sizeof(tests[0])); j++)
			if (!strcmp(argv[i], tests[j].name))
				break;
		if (j == (int)(sizeof(tests) / sizeof(tests[0]))) {
			fprintf(stderr, "bpfcheck: unknown test '%s'\n", argv[i]);
			return 2;
		}
		bad |= run(&tests[j]);
	}
	return bad;
}

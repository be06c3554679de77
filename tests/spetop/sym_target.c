// SPDX-License-Identifier: GPL-2.0-only
/*
 * A test ELF for tests/spetop/test_sym.c: functions with known names and
 * different sizes (never inlined), built as a PIE executable, a shared
 * object and a non-PIE executable.  Never run; only its symbols matter.
 */
#define NOINLINE __attribute__((noinline, used))

volatile int tf_sink;

int tf_00(int x);
int tf_01(int x);
int tf_02(int x);
int tf_03(int x);
int tf_04(int x);
int tf_05(int x);
int tf_06(int x);
int tf_07(int x);
int tf_08(int x);
int tf_09(int x);
int tf_10(int x);
int tf_11(int x);
int tf_weak(int x);
int tf_section(int x);
int main(int argc, char **argv);

NOINLINE int tf_00(int x)
{
	return x + 1;
}

NOINLINE int tf_01(int x)
{
	return x * 3 + tf_sink;
}

NOINLINE int tf_02(int x)
{
	int i, s = 0;

	for (i = 0; i < x; i++)
		s += i * tf_sink;
	return s;
}

NOINLINE int tf_03(int x)
{
	switch (x) {
	case 0: return tf_sink;
	case 1: return tf_sink * 2;
	case 2: return tf_sink * 3 + 1;
	case 3: return tf_sink ^ 7;
	case 4: return tf_sink - 11;
	case 5: return tf_sink << 3;
	default: return -1;
	}
}

/* A big one: the middle is far from both ends */
NOINLINE int tf_04(int x)
{
	volatile int a[64];
	int i, s = 0;

	for (i = 0; i < 64; i++)
		a[i] = i * x;
#define STEP(n) s += a[(n) & 63] * (n) + tf_sink;
#define STEP8(n) STEP(n) STEP(n + 1) STEP(n + 2) STEP(n + 3) \
		 STEP(n + 4) STEP(n + 5) STEP(n + 6) STEP(n + 7)
	STEP8(0) STEP8(8) STEP8(16) STEP8(24) STEP8(32) STEP8(40) STEP8(48) STEP8(56)
	STEP8(64) STEP8(72) STEP8(80) STEP8(88) STEP8(96) STEP8(104) STEP8(112) STEP8(120)
	return s;
}

NOINLINE int tf_05(int x)
{
	return tf_00(x) + tf_01(x);
}

NOINLINE int tf_06(int x)
{
	return x > 3 ? tf_02(x - 1) : tf_03(x);
}

NOINLINE int tf_07(int x)
{
	tf_sink = x;
	return 0;
}

NOINLINE int tf_08(int x)
{
	int s = 0;

	while (x > 1) {
		x = x & 1 ? 3 * x + 1 : x / 2;
		s++;
	}
	return s + tf_sink;
}

NOINLINE int tf_09(int x)
{
	return tf_08(x) * tf_07(x) + tf_06(x);
}

NOINLINE int tf_10(int x)
{
	volatile char buf[32];
	int i;

	for (i = 0; i < 32; i++)
		buf[i] = (char)(x + i);
	return buf[x & 31];
}

NOINLINE int tf_11(int x)
{
	return tf_10(x) - tf_09(x) + tf_05(x) + tf_04(x);
}

/* Local binding: in .symtab, not in .dynsym */
static NOINLINE int tf_static(int x)
{
	return x * tf_sink - 5;
}

__attribute__((weak)) NOINLINE int tf_weak(int x)
{
	return tf_static(x) + 2;
}

/* In a section of its own */
__attribute__((section(".text.tfsec"))) NOINLINE int tf_section(int x)
{
	return tf_weak(x) * 7;
}

/* A label of hand-written code: global, no type, no size */
__asm__(".text\n"
	".globl tf_asm_label\n"
	"tf_asm_label:\n"
	"\tnop\n\tnop\n\tnop\n\tnop\n\tret\n");

/*
 * Hand-written code with a size: an unsized alias at its start and a label
 * inside (neither is a function of its own)
 */
__asm__(".text\n"
	".p2align 5\n"
	".globl zz_alias\n"
	".type zz_alias, STT_FUNC\n"
	".globl tf_asm_func\n"
	".type tf_asm_func, STT_FUNC\n"
	"zz_alias:\n"
	"tf_asm_func:\n"
	"\tnop\n\tnop\n\tnop\n\tnop\n"
	".globl tf_asm_inner\n"
	"tf_asm_inner:\n"
	"\tnop\n\tnop\n\tnop\n\tnop\n\tret\n"
	".size tf_asm_func, .-tf_asm_func\n");

int main(int argc, char **argv)
{
	return tf_11(argc) + tf_section(argc);
}

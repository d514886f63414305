#ifndef DLNTUI_CCPUFEATURES_H
#define DLNTUI_CCPUFEATURES_H
/* The CPU's identity and the instruction sets it and the operating system support, read with
   CPUID and XGETBV (x86 only; elsewhere dln_cpu_is_x86() is 0 and every field is zero). Thin on
   purpose: the decision what to do with these bits is Swift (DLNEngine's KernelChoice). */

typedef struct {
    unsigned int eax, ebx, ecx, edx;
} dln_cpuid_regs;

/* 1 on x86-64 / i386 builds, 0 elsewhere. */
int dln_cpu_is_x86(void);

/* CPUID(leaf, subleaf). All zero if the leaf is above the CPU's maximum or not on x86. */
dln_cpuid_regs dln_cpuid(unsigned int leaf, unsigned int subleaf);

/* XGETBV(0) = XCR0, the register state the OS saves on a context switch; 0 unless CPUID says
   OSXSAVE (the instruction faults otherwise). */
unsigned long long dln_xgetbv0(void);

/* Sets name=value and marker=marker_value in the environment and replaces the process image with
   execve("/proc/self/exe", argv, environ): the same binary, in place (same pid, arguments byte for
   byte, open files and terminal; the parent waits on the same process). Returns only on failure:
   -1 with errno set, the two variables removed again (the caller only re-executes when neither
   was set). */
int dln_reexec_self(char *const argv[], const char *name, const char *value, const char *marker,
                    const char *marker_value);

#endif

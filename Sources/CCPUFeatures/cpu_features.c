#include "CCPUFeatures.h"
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

extern char **environ;

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>

int dln_cpu_is_x86(void) { return 1; }

dln_cpuid_regs dln_cpuid(unsigned int leaf, unsigned int subleaf) {
    dln_cpuid_regs r = {0, 0, 0, 0};
    /* __get_cpuid_max checks the range (basic or extended) the leaf belongs to. */
    if (__get_cpuid_max(leaf & 0x80000000u, 0) < leaf) return r;
    __cpuid_count(leaf, subleaf, r.eax, r.ebx, r.ecx, r.edx);
    return r;
}

unsigned long long dln_xgetbv0(void) {
    dln_cpuid_regs one = dln_cpuid(1, 0);
    if (!(one.ecx & (1u << 27))) return 0; /* OSXSAVE clear: XGETBV would raise #UD */
    unsigned int lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    return ((unsigned long long)hi << 32) | lo;
}

#else

int dln_cpu_is_x86(void) { return 0; }

dln_cpuid_regs dln_cpuid(unsigned int leaf, unsigned int subleaf) {
    (void)leaf; (void)subleaf;
    dln_cpuid_regs r = {0, 0, 0, 0};
    return r;
}

unsigned long long dln_xgetbv0(void) { return 0; }

#endif

int dln_reexec_self(char *const argv[], const char *name, const char *value, const char *marker,
                    const char *marker_value) {
    if (setenv(name, value, 1) != 0) return -1;
    if (setenv(marker, marker_value, 1) != 0) {
        int saved = errno;
        unsetenv(name);
        errno = saved;
        return -1;
    }
    execve("/proc/self/exe", argv, environ);
    int saved = errno;
    unsetenv(name);
    unsetenv(marker);
    errno = saved;
    return -1;
}

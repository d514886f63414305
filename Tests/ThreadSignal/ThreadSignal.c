#define _GNU_SOURCE
#include "ThreadSignal.h"
#include <sys/syscall.h>
#include <unistd.h>

int thread_signal_send(pid_t pid, pid_t tid, int sig) {
    return (int)syscall(SYS_tgkill, pid, tid, sig);
}

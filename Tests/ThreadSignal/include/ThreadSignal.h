#ifndef DLN_THREAD_SIGNAL_H
#define DLN_THREAD_SIGNAL_H

#include <sys/types.h>

/// Sends `sig` to one thread `tid` of process `pid` (Linux tgkill; Swift cannot call the variadic
/// syscall()). Returns 0 or -1 with errno set.
int thread_signal_send(pid_t pid, pid_t tid, int sig);

#endif

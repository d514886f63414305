#include "AllocationCounter.h"

// initial-exec: static TLS, so reading or writing the tally from inside malloc never calls
// __tls_get_addr, which may itself allocate on a thread's first access.
static __thread int64_t t_count __attribute__((tls_model("initial-exec"))) = 0;
static __thread int64_t t_bytes __attribute__((tls_model("initial-exec"))) = 0;

void allocation_counter_record(size_t size) {
    t_count += 1;
    t_bytes += (int64_t)size;
}

int64_t allocation_counter_thread_count(void) { return t_count; }

int64_t allocation_counter_thread_bytes(void) { return t_bytes; }

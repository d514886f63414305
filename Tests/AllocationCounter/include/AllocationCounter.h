#ifndef DLN_ALLOCATION_COUNTER_H
#define DLN_ALLOCATION_COUNTER_H

#include <stddef.h>
#include <stdint.h>

/// The hook to install with malloc-interposer's `setAllocationHook`: it runs on the allocating
/// thread and adds one to that thread's tally. It never allocates.
void allocation_counter_record(size_t size);

/// The calling thread's tally of allocations since the process started (while the hook was installed).
int64_t allocation_counter_thread_count(void);

/// The calling thread's tally of requested bytes.
int64_t allocation_counter_thread_bytes(void);

#endif

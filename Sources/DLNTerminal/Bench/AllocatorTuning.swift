import CMalloc

/// glibc gives the top of its heap back to the system whenever more than 128 KiB of it is free, and a
/// frame frees about that much (the 160 x 50 cell buffer alone is 128 KB): every frame then faulted
/// its memory back in, zeroed by the kernel, about 100 page faults and a fifth of the frame's time
/// (`dlntui bench --frame`). The interface keeps what it frees instead; its memory stays at its
/// high-water mark, which is flatter, not larger.
public enum AllocatorTuning {
    public static func keepFreedMemory() {
        #if os(Linux)
        // Setting either turns off glibc's dynamic thresholds, so both are set.
        _ = mallopt(M_TRIM_THRESHOLD, 32 << 20)
        _ = mallopt(M_MMAP_THRESHOLD, 4 << 20)
        #endif
    }
}

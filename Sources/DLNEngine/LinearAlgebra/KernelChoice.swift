/// Which OpenBLAS kernel the process should run (issue 13). OpenBLAS (DYNAMIC_ARCH) picks its kernel
/// by CPU model when it loads; a CPU newer than the library gets a generic SSE3 kernel (`Prescott`),
/// 5-7x slower than the AVX-512 one. The choice is read from `OPENBLAS_CORETYPE` once, at load time,
/// so the only remedy is to set it and re-execute the program. This is the decision, a pure
/// function of (kernel chosen, CPU, kernels the library has, environment); `KernelReexec` acts on it.
public enum KernelChoice {
    /// OpenBLAS's own variable: a value the user set is always honoured, empty or not.
    public static let coretypeVariable = "OPENBLAS_CORETYPE"
    /// Set by the re-execution (to the kernel OpenBLAS had chosen): a process that has it never
    /// re-executes again, and `dlntui doctor` can say what happened.
    public static let markerVariable = "DLNTUI_BLAS_REEXEC"
    /// For tests of the real binary: treat the kernel OpenBLAS chose as this one (e.g. `Prescott`),
    /// so the fallback path runs on a machine that OpenBLAS detects correctly.
    public static let assumeVariable = "DLNTUI_TEST_BLAS_KERNEL"

    public enum Decision: Equatable, Sendable {
        /// Run on with the kernel loaded, for this reason.
        case keep(Reason)
        /// Re-execute with `OPENBLAS_CORETYPE` set to this kernel name.
        case reexecute(kernel: String)
        /// The user's `OPENBLAS_CORETYPE` made OpenBLAS load a kernel this CPU cannot run (0.3.21
        /// loads SkylakeX on a CPU without AVX-512, and the first product stops the process with
        /// SIGILL): re-execute with the best kernel the CPU runs, saying so on stderr.
        case replaceUnrunnable(user: String, kernel: String)
    }

    public enum Reason: Equatable, Sendable {
        /// Not x86: OpenBLAS's core types there are other names, and its detection is not at fault.
        case notX86
        /// `OPENBLAS_CORETYPE` was set by the user (the value, possibly empty).
        case userValue(String)
        /// This process is the re-execution (the marker holds the kernel first chosen).
        case alreadyReexecuted(from: String)
        /// The kernel is one OpenBLAS picks only on a CPU it recognises (Haswell, Zen, SkylakeX, ...).
        case detected
        /// A generic kernel, but neither the CPU nor this OpenBLAS offers a better one.
        case noBetterKernel
    }

    /// Kernels that use AVX2 and FMA or AVX-512, or that OpenBLAS picks only for the AMD family it
    /// names (Bulldozer to Excavator): a correct detection, never second-guessed. Any other kernel
    /// (Prescott, Nehalem, Sandybridge, Core2, ...) on a CPU with usable AVX2 and FMA is a fallback:
    /// no such CPU is best served by a pre-AVX2 kernel.
    public static let detectedKernels: Set<String> = [
        "haswell", "zen", "skylakex", "cooperlake", "sapphirerapids",
        "bulldozer", "piledriver", "steamroller", "excavator",
    ]

    /// The best kernel for `cpu` among `available` (OpenBLAS's names, any case), or nil: AVX-512
    /// (F, DQ, BW, VL and the OS's ZMM state) gets Cooperlake when the CPU also has BF16, else
    /// SkylakeX; AVX2 and FMA get Haswell (Zen on AMD); AVX alone Sandybridge. On AMD Zen 4 the AVX-512 kernels run the
    /// products as fast as Haswell's or faster (README, Performance: measured per kernel).
    public static func bestKernel(for cpu: CPUFeatures, available: Set<String>) -> String? {
        guard cpu.isX86 else { return nil }
        let have = Set(available.map { $0.lowercased() })
        var candidates: [String] = []
        if cpu.usableAVX512 {
            if cpu.avx512bf16 { candidates.append("Cooperlake") }
            candidates.append("SkylakeX")
        }
        if cpu.usableAVX2 {
            candidates += cpu.isAMD ? ["Zen", "Haswell"] : ["Haswell", "Zen"]
        }
        if cpu.avx && cpu.osSavesYMM { candidates.append("Sandybridge") }
        return candidates.first { have.contains($0.lowercased()) }
    }

    /// Keep the kernel OpenBLAS chose, or re-execute with a better one; see `Reason` for the order of
    /// the rules. `chosen` is `openblas_get_corename()`; `environment` the process's.
    public static func decide(
        chosen: String, cpu: CPUFeatures, available: Set<String>, environment: [String: String]
    ) -> Decision {
        guard cpu.isX86 else { return .keep(.notX86) }
        if let from = environment[markerVariable] { return .keep(.alreadyReexecuted(from: from)) }
        if let value = environment[coretypeVariable] {
            if canRun(chosen, on: cpu) == false, let best = bestKernel(for: cpu, available: available) {
                return .replaceUnrunnable(user: value, kernel: best)
            }
            return .keep(.userValue(value))
        }
        let assumed = environment[assumeVariable].flatMap { $0.isEmpty ? nil : $0 } ?? chosen
        if detectedKernels.contains(assumed.lowercased()) { return .keep(.detected) }
        guard let best = bestKernel(for: cpu, available: available),
            best.lowercased() != assumed.lowercased()
        else { return .keep(.noBetterKernel) }
        return .reexecute(kernel: best)
    }

    /// Whether `cpu` has the instructions OpenBLAS's kernel of that name uses (nil: a name not
    /// known here). The AVX-512 kernels need `usableAVX512` (Cooperlake's double-precision kernels
    /// are SkylakeX's; its BF16 ones are not on any path dlntui calls), Haswell and Zen AVX2 and FMA,
    /// Sandybridge and AMD's Bulldozer family AVX; the SSE kernels every x86-64 CPU runs.
    public static func canRun(_ kernel: String, on cpu: CPUFeatures) -> Bool? {
        guard cpu.isX86 else { return nil }
        switch kernel.lowercased() {
        case "skylakex", "cooperlake", "sapphirerapids": return cpu.usableAVX512
        case "haswell", "zen": return cpu.usableAVX2
        case "sandybridge", "bulldozer", "piledriver", "steamroller", "excavator": return cpu.avx && cpu.osSavesYMM
        case "prescott", "core2", "penryn", "dunnington", "nehalem", "atom", "opteron", "opteron_sse3",
            "barcelona", "bobcat", "nano", "katmai", "coppermine", "northwood", "banias", "athlon":
            return true
        default: return nil
        }
    }

    /// The candidates `bestKernel` may name: the caller asks the library which of them it has.
    public static let candidateKernels = ["Cooperlake", "SkylakeX", "Haswell", "Zen", "Sandybridge"]
}

import Foundation
import Testing
@testable import DLNEngine

/// Issue 13: the start-up decision, keep OpenBLAS's kernel or re-execute with a better one, over the
/// machines the issue names and the environment rules (a user value wins, no second re-execution).
@Suite("The BLAS kernel choice")
struct KernelChoiceTests {
    /// Everything Debian's OpenBLAS 0.3.21 exports a table for (`nm -D`: gotoblas_COOPERLAKE, ...).
    static let all: Set<String> = ["Cooperlake", "SkylakeX", "Haswell", "Zen", "Sandybridge"]

    /// The Intel Xeon of the issue (family 6 model 207, unknown to OpenBLAS 0.3.21): AVX-512 with BF16.
    static let xeon = CPUFeatures(
        vendor: "GenuineIntel", family: 6, model: 207, avx: true, fma: true, avx2: true, avx512f: true,
        avx512dq: true, avx512bw: true, avx512vl: true, avx512bf16: true, osSavesYMM: true, osSavesZMM: true)
    /// An AVX2-only Intel (no AVX-512 at all).
    static let avx2Intel = CPUFeatures(
        vendor: "GenuineIntel", family: 6, model: 151, avx: true, fma: true, avx2: true, osSavesYMM: true)
    /// AMD EPYC Zen 3: AVX2 and FMA, no AVX-512.
    static let zen3 = CPUFeatures(
        vendor: "AuthenticAMD", family: 25, model: 1, avx: true, fma: true, avx2: true, osSavesYMM: true)
    /// AMD EPYC Zen 4 (this project's other machine): AVX-512 with BF16.
    static let zen4 = CPUFeatures(
        vendor: "AuthenticAMD", family: 25, model: 17, avx: true, fma: true, avx2: true, avx512f: true,
        avx512dq: true, avx512bw: true, avx512vl: true, avx512bf16: true, osSavesYMM: true, osSavesZMM: true)

    static func decide(_ chosen: String, _ cpu: CPUFeatures, available: Set<String> = all,
                       _ environment: [String: String] = [:]) -> KernelChoice.Decision {
        KernelChoice.decide(chosen: chosen, cpu: cpu, available: available, environment: environment)
    }

    @Test("Prescott on an AVX-512 CPU re-executes with the AVX-512 kernel (Cooperlake with BF16, else SkylakeX)")
    func prescottOnAVX512() {
        #expect(Self.decide("Prescott", Self.xeon) == .reexecute(kernel: "Cooperlake"))
        var noBF16 = Self.xeon
        noBF16.avx512bf16 = false
        #expect(Self.decide("Prescott", noBF16) == .reexecute(kernel: "SkylakeX"))
        // A library without Cooperlake (older than 0.3.11): the next best it has.
        #expect(Self.decide("Prescott", Self.xeon, available: ["SkylakeX", "Haswell"]) == .reexecute(kernel: "SkylakeX"))
    }

    @Test("Prescott on an AVX2-only CPU re-executes with Haswell (Zen on AMD)")
    func prescottOnAVX2() {
        #expect(Self.decide("Prescott", Self.avx2Intel) == .reexecute(kernel: "Haswell"))
        #expect(Self.decide("Prescott", Self.zen3) == .reexecute(kernel: "Zen"))
        // Other generic kernels of an unknown model are fallbacks too.
        #expect(Self.decide("Nehalem", Self.avx2Intel) == .reexecute(kernel: "Haswell"))
        #expect(Self.decide("Sandybridge", Self.avx2Intel) == .reexecute(kernel: "Haswell"))
    }

    @Test("correctly detected kernels never re-execute (Zen, Haswell, SkylakeX, Cooperlake, AMD's families)")
    func detectedKernelsStay() {
        #expect(Self.decide("Zen", Self.zen3) == .keep(.detected))
        #expect(Self.decide("Cooperlake", Self.zen4) == .keep(.detected))
        #expect(Self.decide("SkylakeX", Self.xeon) == .keep(.detected))
        // Even when a "better" one exists: OpenBLAS recognised the CPU, and is not second-guessed.
        #expect(Self.decide("Haswell", Self.xeon) == .keep(.detected))
        #expect(Self.decide("Zen", Self.zen4) == .keep(.detected))
        #expect(Self.decide("Excavator", Self.zen3) == .keep(.detected))
        // OpenBLAS's spelling varies; the comparison does not.
        #expect(Self.decide("HASWELL", Self.avx2Intel) == .keep(.detected))
    }

    @Test("a user's OPENBLAS_CORETYPE is honoured, an empty one included")
    func userValueWins() {
        #expect(Self.decide("Prescott", Self.xeon, ["OPENBLAS_CORETYPE": "Prescott"]) == .keep(.userValue("Prescott")))
        #expect(Self.decide("Haswell", Self.xeon, ["OPENBLAS_CORETYPE": "Haswell"]) == .keep(.userValue("Haswell")))
        // Empty: OpenBLAS reads it as an unknown name and picks by features; still the user's choice.
        #expect(Self.decide("Prescott", Self.xeon, ["OPENBLAS_CORETYPE": ""]) == .keep(.userValue("")))
        // The test variable does not override a user value either.
        #expect(Self.decide("Cooperlake", Self.zen4, ["OPENBLAS_CORETYPE": "", "DLNTUI_TEST_BLAS_KERNEL": "Prescott"])
            == .keep(.userValue("")))
    }

    @Test("a user's kernel this CPU cannot run (OpenBLAS 0.3.21 loads SkylakeX on Zen 3: SIGILL at the first product) is replaced, once")
    func unrunnableUserValue() {
        #expect(Self.decide("SkylakeX", Self.zen3, ["OPENBLAS_CORETYPE": "SkylakeX"])
            == .replaceUnrunnable(user: "SkylakeX", kernel: "Zen"))
        #expect(Self.decide("SkylakeX", Self.avx2Intel, ["OPENBLAS_CORETYPE": "skylakex"])
            == .replaceUnrunnable(user: "skylakex", kernel: "Haswell"))
        // OpenBLAS fell back by itself (Cooperlake on Zen 3 loads Haswell): the user's value stands.
        #expect(Self.decide("Haswell", Self.zen3, ["OPENBLAS_CORETYPE": "Cooperlake"]) == .keep(.userValue("Cooperlake")))
        // A kernel the CPU runs is never replaced, nor a name this table does not know.
        #expect(Self.decide("SkylakeX", Self.zen4, ["OPENBLAS_CORETYPE": "SkylakeX"]) == .keep(.userValue("SkylakeX")))
        #expect(Self.decide("Sandybridge", Self.zen3, ["OPENBLAS_CORETYPE": "Sandybridge"]) == .keep(.userValue("Sandybridge")))
        #expect(Self.decide("Mystery", Self.zen3, ["OPENBLAS_CORETYPE": "Mystery"]) == .keep(.userValue("Mystery")))
        // The replacement carries the marker: it does not re-execute again.
        #expect(Self.decide("Zen", Self.zen3, ["OPENBLAS_CORETYPE": "Zen", "DLNTUI_BLAS_REEXEC": "SkylakeX"])
            == .keep(.alreadyReexecuted(from: "SkylakeX")))
        // Nothing runnable to go to: keep (and let OpenBLAS fail as it would without dlntui).
        let sse = CPUFeatures(vendor: "GenuineIntel", family: 6, model: 15)
        #expect(Self.decide("Haswell", sse, ["OPENBLAS_CORETYPE": "Haswell"]) == .keep(.userValue("Haswell")))
    }

    @Test("which kernels a CPU runs")
    func canRun() {
        #expect(KernelChoice.canRun("SkylakeX", on: Self.zen3) == false)
        #expect(KernelChoice.canRun("COOPERLAKE", on: Self.zen3) == false)
        #expect(KernelChoice.canRun("Zen", on: Self.zen3) == true)
        #expect(KernelChoice.canRun("Haswell", on: Self.avx2Intel) == true)
        #expect(KernelChoice.canRun("Cooperlake", on: Self.zen4) == true)
        #expect(KernelChoice.canRun("Prescott", on: CPUFeatures(vendor: "GenuineIntel", family: 6, model: 15)) == true)
        #expect(KernelChoice.canRun("Sandybridge", on: CPUFeatures(vendor: "GenuineIntel", family: 6, model: 15)) == false)
        #expect(KernelChoice.canRun("Mystery", on: Self.zen3) == nil)
        #expect(KernelChoice.canRun("Zen", on: CPUFeatures(isX86: false)) == nil)
    }

    @Test("the re-executed process never re-executes again, whatever its kernel")
    func noLoop() {
        // The kernel asked for did not load (still Prescott): the marker stops a second round.
        let env = ["DLNTUI_BLAS_REEXEC": "Prescott", "OPENBLAS_CORETYPE": "Cooperlake"]
        #expect(Self.decide("Prescott", Self.xeon, env) == .keep(.alreadyReexecuted(from: "Prescott")))
        #expect(Self.decide("Prescott", Self.xeon, ["DLNTUI_BLAS_REEXEC": "Prescott"])
            == .keep(.alreadyReexecuted(from: "Prescott")))
    }

    @Test("a non-x86 machine never re-executes")
    func nonX86() {
        let arm = CPUFeatures(isX86: false)
        #expect(Self.decide("ARMV8", arm) == .keep(.notX86))
        #expect(Self.decide("Prescott", arm, ["DLNTUI_TEST_BLAS_KERNEL": "Prescott"]) == .keep(.notX86))
        #expect(KernelChoice.bestKernel(for: arm, available: Self.all) == nil)
    }

    @Test("the registers must be usable: CPUID bits without the OS's XSAVE state do not count")
    func osSupport() {
        var noZMM = Self.xeon
        noZMM.osSavesZMM = false
        #expect(Self.decide("Prescott", noZMM) == .reexecute(kernel: "Haswell"))
        var noYMM = Self.xeon
        noYMM.osSavesYMM = false
        noYMM.osSavesZMM = false
        #expect(Self.decide("Prescott", noYMM) == .keep(.noBetterKernel))
        // AVX-512F alone (no DQ/BW/VL, as on Xeon Phi) is not what the SkylakeX kernels need.
        var onlyF = Self.xeon
        onlyF.avx512dq = false
        onlyF.avx512bw = false
        onlyF.avx512vl = false
        #expect(Self.decide("Prescott", onlyF) == .reexecute(kernel: "Haswell"))
        // AVX without AVX2: Sandybridge is the best there is; a Sandybridge pick stays.
        let sandy = CPUFeatures(vendor: "GenuineIntel", family: 6, model: 42, avx: true, osSavesYMM: true)
        #expect(Self.decide("Prescott", sandy) == .reexecute(kernel: "Sandybridge"))
        #expect(Self.decide("Sandybridge", sandy) == .keep(.noBetterKernel))
    }

    @Test("nothing to switch to: an SSE-only CPU, or a library without kernel tables")
    func noBetterKernel() {
        let sse = CPUFeatures(vendor: "GenuineIntel", family: 6, model: 15)
        #expect(Self.decide("Prescott", sse) == .keep(.noBetterKernel))
        // Not DYNAMIC_ARCH: OPENBLAS_CORETYPE would change nothing, so do not re-execute.
        #expect(Self.decide("Prescott", Self.xeon, available: []) == .keep(.noBetterKernel))
    }

    @Test("the test variable makes a detected kernel look like the fallback (and only that)")
    func assumedKernel() {
        #expect(Self.decide("Cooperlake", Self.zen4, ["DLNTUI_TEST_BLAS_KERNEL": "Prescott"])
            == .reexecute(kernel: "Cooperlake"))
        #expect(Self.decide("Cooperlake", Self.zen4, ["DLNTUI_TEST_BLAS_KERNEL": ""]) == .keep(.detected))
        #expect(Self.decide("Prescott", Self.zen3, ["DLNTUI_TEST_BLAS_KERNEL": "Zen"]) == .keep(.detected))
    }
}

/// This machine's CPUID reading against the kernel's own view of the CPU (/proc/cpuinfo, whose flags
/// the kernel clears for registers it does not save), and the library's kernel tables against what the
/// library reports about itself.
@Suite("This machine's CPU features")
struct CPUFeaturesTests {
    static func cpuinfo() -> [String: String]? {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return nil }
        var fields: [String: String] = [:]
        for line in text.split(separator: "\n") {
            if line.isEmpty { break }  // the first processor only
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2 else { continue }
            fields[parts[0].trimmingCharacters(in: .whitespaces)] = parts[1].trimmingCharacters(in: .whitespaces)
        }
        return fields
    }

    @Test("CPUID and XGETBV agree with /proc/cpuinfo")
    func agreesWithCPUInfo() throws {
        #if arch(x86_64)
        let info = try #require(Self.cpuinfo())
        let flags = Set((info["flags"] ?? "").split(separator: " ").map(String.init))
        let cpu = CPUFeatures.current
        #expect(cpu.isX86)
        #expect(cpu.vendor == info["vendor_id"])
        #expect(cpu.family == Int(info["cpu family"] ?? ""))
        #expect(cpu.model == Int(info["model"] ?? ""))
        #expect(cpu.stepping == Int(info["stepping"] ?? ""))
        #expect(cpu.brand == info["model name"])
        #expect(cpu.usableAVX2 == (flags.contains("avx2") && flags.contains("fma")))
        #expect(cpu.usableAVX512 == ["avx512f", "avx512dq", "avx512bw", "avx512vl"].allSatisfy(flags.contains))
        #expect(cpu.avx512bf16 == flags.contains("avx512_bf16"))
        #else
        #expect(!CPUFeatures.current.isX86)
        #endif
    }

    @Test("the kernel this process runs is one the library's build line names, and among its tables")
    func libraryKernel() {
        // `openblas_get_config()` ends with the running kernel in a DYNAMIC_ARCH build.
        #expect(BLAS.configuration.contains(BLAS.kernelName))
        let running = BLAS.kernelName.lowercased()
        if KernelChoice.candidateKernels.contains(where: { $0.lowercased() == running }) {
            #expect(BLAS.availableKernels.contains { $0.lowercased() == running })
        }
    }
}

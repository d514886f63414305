import Foundation
import Testing
@testable import DLNEngine

/// Issue 13 on the real binary: the re-execution happens in place (same pid, same arguments, the
/// child's exit status), lands on the better kernel, happens once, and leaves a user's
/// OPENBLAS_CORETYPE alone. OpenBLAS detects this machine correctly, so `DLNTUI_TEST_BLAS_KERNEL`
/// makes the decision see the fallback (`Prescott`) it would see on a CPU newer than the library.
@Suite struct BLASKernelBinaryTests {
    struct Outcome {
        let pid: Int32
        let status: Int32
        let stdout: String
        let stderr: String
        func value(_ key: String) -> String? {
            stdout.lines.first { $0.hasPrefix(key + "=") }.map { String($0.dropFirst(key.count + 1)) }
        }
    }

    /// Runs dlntui with the test's environment minus every variable of the choice, plus `extra`.
    static func run(_ arguments: [String], _ extra: [String: String]) throws -> Outcome {
        var environment = ProcessInfo.processInfo.environment
        for key in [KernelChoice.coretypeVariable, KernelChoice.markerVariable, KernelChoice.assumeVariable] {
            environment[key] = nil
        }
        environment.merge(extra) { $1 }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Binary.path)
        process.arguments = arguments
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(pid: process.processIdentifier, status: process.terminationStatus,
                       stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData, as: UTF8.self))
    }

    /// The kernel the rules of the README name for this CPU, from the kernel's /proc/cpuinfo flags
    /// (not from CPUID): nil when there is none better than SSE3.
    static func expectedBest() -> String? {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
            let flagsLine = text.split(separator: "\n").first(where: { $0.hasPrefix("flags") })
        else { return nil }
        let flags = Set(flagsLine.split(separator: " ").map(String.init))
        let amd = text.contains("AuthenticAMD")
        if ["avx512f", "avx512dq", "avx512bw", "avx512vl"].allSatisfy(flags.contains) {
            return flags.contains("avx512_bf16") ? "Cooperlake" : "SkylakeX"
        }
        if flags.contains("avx2") && flags.contains("fma") { return amd ? "Zen" : "Haswell" }
        if flags.contains("avx") { return "Sandybridge" }
        return nil
    }

    @Test("a fallback kernel re-executes once, in place, onto the best kernel")
    func reexecutesInPlace() throws {
        let r = try Self.run(["doctor"], [KernelChoice.assumeVariable: "Prescott"])
        #expect(r.status == 0)
        // Same process: the pid the parent started is the one the new image reports.
        #expect(r.value("pid") == "\(r.pid)")
        guard let best = Self.expectedBest() else {
            #expect(r.value("blas_kernel_choice")?.hasPrefix("kept") == true)
            return
        }
        #expect(r.value("blas_kernel")?.lowercased() == best.lowercased())
        #expect(r.value("blas_kernel_choice") == "re-executed from Prescott with OPENBLAS_CORETYPE=\(best)")
        // Printed once: the first image printed nothing before it was replaced.
        #expect(r.stdout.lines.filter { $0.hasPrefix("pid=") }.count == 1)
    }

    @Test("the re-executed child keeps the arguments and its exit status is the one seen")
    func argumentsAndStatus() throws {
        let ok = try Self.run(["bench", "--gemm", "-d", "12", "--repeat", "1"], [KernelChoice.assumeVariable: "Prescott"])
        #expect(ok.status == 0)
        #expect(ok.stdout.lines.count == 2)
        #expect(ok.value("blas_kernel")?.lowercased() == Self.expectedBest()?.lowercased())
        #expect(ok.value("gemm_gflops").flatMap(Double.init).map { $0 > 0 } == true)
        let bad = try Self.run(["bench", "--gemm", "-d", "0"], [KernelChoice.assumeVariable: "Prescott"])
        #expect(bad.status == 64)
        #expect(bad.stderr.components(separatedBy: "invalid value '0' for -d").count == 2)
        #expect(bad.stdout.isEmpty)
    }

    @Test("a user's OPENBLAS_CORETYPE is honoured, every kernel the library can switch to, and an empty one")
    func userValue() throws {
        for kernel in BLAS.availableKernels.sorted() {
            let r = try Self.run(["doctor"], [KernelChoice.coretypeVariable: kernel, KernelChoice.assumeVariable: "Prescott"])
            #expect(r.value("blas_kernel")?.lowercased() == kernel.lowercased())
            #expect(r.value("blas_kernel_choice") == "kept: OPENBLAS_CORETYPE=\(kernel) set by the user")
        }
        let empty = try Self.run(["doctor"], [KernelChoice.coretypeVariable: "", KernelChoice.assumeVariable: "Prescott"])
        #expect(empty.value("blas_kernel_choice")?.hasPrefix("kept: OPENBLAS_CORETYPE is set but empty") == true)
        #expect(empty.value("pid") == "\(empty.pid)")
    }

    @Test("a detected kernel does not re-execute")
    func detected() throws {
        let r = try Self.run(["doctor"], [:])
        #expect(r.value("blas_kernel_choice")?.hasPrefix("kept") == true)
    }
}

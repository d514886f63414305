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
        let r = try Binary.run(arguments, environment: environment)
        return Outcome(pid: r.pid, status: r.status, stdout: r.stdout, stderr: r.stderr)
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

    /// OpenBLAS starts its idle workers when it loads and they spin before they sleep, taking CPU
    /// from the program's own threads; at one BLAS thread dlntui shuts them down.
    @Test("OpenBLAS's worker threads started at load are gone once dlntui is at one BLAS thread")
    func serverThreadsAreShutDown() throws {
        let r = try Self.run(["doctor"], [:])
        let value = try #require(r.value("blas_server_threads"), "\(r.stdout)")
        let numbers = value.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
        try #require(numbers.count == 2, "\(value)")
        #expect(numbers[0] == 0, "\(value)")
        // Without OPENBLAS_NUM_THREADS the library starts one per core less one: the check above
        // then has something to show (on one core there is nothing to shut down).
        if ProcessInfo.processInfo.activeProcessorCount > 1 && ProcessInfo.processInfo.environment["OPENBLAS_NUM_THREADS"] == nil {
            #expect(numbers[1] > 0, "\(value)")
        }
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

    /// The kernels this CPU can run, from /proc/cpuinfo's flags: OpenBLAS loads any other one named
    /// in OPENBLAS_CORETYPE as a kernel it can run instead.
    static func runnableKernels() -> Set<String> {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
            let flagsLine = text.split(separator: "\n").first(where: { $0.hasPrefix("flags") })
        else { return [] }
        let flags = Set(flagsLine.split(separator: " ").map(String.init))
        var kernels: Set<String> = []
        if flags.contains("avx") { kernels.insert("sandybridge") }
        if flags.contains("avx2") && flags.contains("fma") { kernels.formUnion(["haswell", "zen"]) }
        if ["avx512f", "avx512dq", "avx512bw", "avx512vl"].allSatisfy(flags.contains) { kernels.formUnion(["skylakex", "cooperlake"]) }
        return kernels
    }

    @Test("a user's OPENBLAS_CORETYPE is honoured, every kernel the library can switch to, and an empty one")
    func userValue() throws {
        let runnable = Self.runnableKernels()
        for kernel in BLAS.availableKernels.sorted() {
            let r = try Self.run(["doctor"], [KernelChoice.coretypeVariable: kernel, KernelChoice.assumeVariable: "Prescott"])
            if runnable.contains(kernel.lowercased()) {
                #expect(r.value("blas_kernel")?.lowercased() == kernel.lowercased())
                #expect(r.value("blas_kernel_choice") == "kept: OPENBLAS_CORETYPE=\(kernel) set by the user")
            } else {
                // A kernel this CPU cannot run: OpenBLAS either falls back by itself (the fallback is
                // named), or loads it (0.3.21 loads SkylakeX without AVX-512) and dlntui re-executes
                // onto a kernel it runs, saying so, instead of dying at the first product.
                let loaded = r.value("blas_kernel") ?? ""
                let choice = r.value("blas_kernel_choice") ?? ""
                #expect(loaded.lowercased() != kernel.lowercased())
                #expect(choice.hasPrefix("kept: OPENBLAS_CORETYPE=\(kernel) set by the user; OpenBLAS loaded \(loaded) instead")
                    || (choice == "re-executed from \(kernel) with OPENBLAS_CORETYPE=\(loaded)"
                        && r.stderr.contains("OPENBLAS_CORETYPE=\(kernel) made OpenBLAS load")), "\(choice) \(r.stderr)")
                let bench = try Self.run(["bench", "--gemm", "-d", "64", "--repeat", "1"], [KernelChoice.coretypeVariable: kernel])
                #expect(bench.status == 0, "\(bench.stderr)")
            }
            #expect(r.status == 0 && r.value("pid") == "\(r.pid)")
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

/// `run --from` under the kernel the session recorded: re-executed onto it when this OpenBLAS has
/// it and the user chose none, so the rows match bit for bit; otherwise a warning says they will not.
@Suite struct ReplayKernelBinaryTests {
    @Test func aRerunUsesTheRecordedKernel() throws {
        let dir = Binary.temporaryDirectory()
        let loaded = try BLASKernelBinaryTests.run(["bench", "--gemm", "-d", "4", "--repeat", "1"], [:]).value("blas_kernel") ?? ""
        // A kernel whose products round differently from the one this machine loads, so the rerun
        // must change kernel: Zen's dgemm is Haswell's (same bits), Sandybridge's is another.
        let recorded = ["zen", "haswell", "sandybridge"].contains(loaded.lowercased())
            && loaded.lowercased() != "sandybridge" ? "Sandybridge" : "Haswell"
        // d = 40: products past the small-matrix path, where kernels round differently.
        let args = ["run", "--steps", "40", "-d", "40", "--output", dir + "/s.csv"]
        let record = try BLASKernelBinaryTests.run(args, [KernelChoice.coretypeVariable: recorded])
        #expect(record.status == 0, "\(record.stderr)")
        let rows = try String(contentsOfFile: dir + "/s.csv", encoding: .utf8)
        let rerun = try BLASKernelBinaryTests.run(["run", "--from", dir + "/s.csv.json"], [:])
        #expect(rerun.status == 0 && rerun.stderr.isEmpty, "\(rerun.stderr)")
        #expect(rerun.stdout == rows, "rows under the recorded kernel")
        // The user's kernel is honoured, with a warning; those rows differ (this is what the
        // re-execution prevents).
        let user = try BLASKernelBinaryTests.run(["run", "--from", dir + "/s.csv.json"], [KernelChoice.coretypeVariable: loaded])
        #expect(user.status == 0 && user.stderr.contains("not match the session's bit for bit") && user.stderr.contains(recorded), "\(user.stderr)")
        #expect(user.stdout != rows)
        // A kernel this OpenBLAS lacks: a warning, and the run goes on.
        var json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/s.csv.json"))) as? [String: Any])
        json["blas_kernel"] = "Nosuchcore"
        try JSONSerialization.data(withJSONObject: json).write(to: URL(fileURLWithPath: dir + "/other.json"))
        let other = try BLASKernelBinaryTests.run(["run", "--from", dir + "/other.json"], [:])
        #expect(other.status == 0 && other.stderr.contains("Nosuchcore kernel, which this OpenBLAS does not have"), "\(other.stderr)")
    }

    @Test func theDecision() {
        #expect(ReplayKernel.decide(recorded: "Haswell", chosen: "haswell", available: true, environment: [:]) == .same)
        #expect(ReplayKernel.decide(recorded: "Haswell", chosen: "Cooperlake", available: true, environment: [:]) == .reexecute(kernel: "Haswell"))
        guard case .warn = ReplayKernel.decide(recorded: "Haswell", chosen: "Cooperlake", available: false, environment: [:]) else { Issue.record("no warning"); return }
        guard case .warn = ReplayKernel.decide(recorded: "Haswell", chosen: "Cooperlake", available: true, environment: [KernelChoice.coretypeVariable: "Cooperlake"]) else { Issue.record("user value overridden"); return }
        // Recorded under a kernel this CPU cannot run (SkylakeX, rerun without AVX-512): warn, never exec onto it.
        guard case .warn(let m) = ReplayKernel.decide(recorded: "SkylakeX", chosen: "Zen", available: true, runnable: false, environment: [:]),
              m.contains("instructions this CPU does not have") else { Issue.record("re-executed onto an unrunnable kernel"); return }
        // Already re-executed and still another kernel: warn, never loop.
        guard case .warn = ReplayKernel.decide(recorded: "Haswell", chosen: "Cooperlake", available: true,
                                               environment: [KernelChoice.coretypeVariable: "Haswell", KernelChoice.markerVariable: "Cooperlake"]) else { Issue.record("loop"); return }
    }
}

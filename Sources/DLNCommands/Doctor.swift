import ArgumentParser
import DLNEngine
import DLNOutput
import DLNTerminal
import Foundation

/// `dlntui doctor`: what this machine gives dlntui, as key=value lines (one a line, for people and
/// for scripts): the BLAS kernel and why it is the one, BLAS threads, the CPU, the terminal.
struct Doctor: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Report the BLAS kernel and threads, the CPU and the terminal's colours and UTF-8.")

    func run() {
        let environment = ProcessInfo.processInfo.environment
        let defaultThreads = BLAS.threads
        BLAS.configureThreads(1)
        // doctor starts no thread of its own: every thread beside the main one is OpenBLAS's.
        let serverAfter = BLAS.processThreadCount() - 1, serverBefore = BLAS.idleThreadsAtLoad
        let cpu = CPUFeatures.current
        let terminal = TerminalProbe.probe(environment: environment)
        var lines: [(String, String)] = [
            ("version", Sidecar.version),
            ("blas_kernel", BLAS.kernelName),
            ("blas_kernel_choice", Self.choice(KernelReexec.decision(environment: environment))),
            ("blas_config", BLAS.configuration),
            ("blas_kernels_switchable", BLAS.availableKernels.sorted().joined(separator: " ")),
            ("blas_best_kernel", KernelChoice.bestKernel(for: cpu, available: BLAS.availableKernels) ?? "none"),
            ("blas_threads", "\(BLAS.threads)"),
            ("blas_threads_default", "\(defaultThreads)"),
            // OpenBLAS's idle workers, started at load and shut down at one thread (BLAS.configureThreads).
            ("blas_server_threads", "\(serverAfter) (\(serverBefore) at load)"),
        ]
        if cpu.isX86 {
            lines += [
                ("cpu_vendor", cpu.vendor), ("cpu_model", cpu.brand), ("cpu_family", "\(cpu.family)"),
                ("cpu_model_number", "\(cpu.model)"), ("cpu_features", cpu.featureList.joined(separator: " ")),
                ("cpu_os_saves", cpu.osSavesZMM ? "ymm zmm" : cpu.osSavesYMM ? "ymm" : "none"),
            ]
        } else {
            lines.append(("cpu_vendor", "not x86"))
        }
        lines += [
            ("terminal", terminal.term ?? "(TERM unset)"),
            ("terminal_is_tty", terminal.isTerminal ? "yes" : "no"),
            ("terminal_colors", terminal.depth?.rawValue ?? "unknown (no terminfo entry)"),
            ("terminal_utf8", terminal.utf8 ? "yes" : "no (\(terminal.codeset): ASCII drawing)"),
            ("pid", "\(getpid())"),
        ]
        for (key, value) in lines { print("\(key)=\(value)") }
    }

    /// Why the kernel is the one loaded, in words.
    static func choice(_ decision: KernelChoice.Decision) -> String {
        switch decision {
        case .reexecute(let kernel):
            // Only when the re-execution failed (the binary would not be here otherwise).
            return "\(kernel) is due but the re-execution failed"
        case .replaceUnrunnable(_, let kernel):
            return "\(kernel) is due (the user's kernel cannot run here) but the re-execution failed"
        case .keep(let reason):
            switch reason {
            case .notX86: return "kept: not x86"
            case .userValue(let v) where v.isEmpty:
                return "kept: OPENBLAS_CORETYPE is set but empty (OpenBLAS then picks by CPU features)"
            case .userValue(let v) where v.lowercased() != BLAS.kernelName.lowercased():
                // OpenBLAS falls back when the CPU cannot run the named kernel (SkylakeX on a CPU
                // without AVX-512 loads Haswell): say so, or the user believes the kernel named.
                return "kept: OPENBLAS_CORETYPE=\(v) set by the user; OpenBLAS loaded \(BLAS.kernelName) instead (this CPU lacks that kernel's instructions, or this OpenBLAS has no such kernel)"
            case .userValue(let v): return "kept: OPENBLAS_CORETYPE=\(v) set by the user"
            case .alreadyReexecuted(let from):
                return "re-executed from \(from) with OPENBLAS_CORETYPE=\(BLAS.kernelName)"
            case .detected: return "kept: OpenBLAS recognised this CPU"
            case .noBetterKernel: return "kept: no better kernel for this CPU in this OpenBLAS"
            }
        }
    }
}

import CCPUFeatures
import Foundation

/// Acts on `KernelChoice.decide` at start-up: the one place that re-executes the program.
public enum KernelReexec {
    public enum Outcome: Equatable, Sendable {
        /// The kernel loaded stays (the decision's reason).
        case kept(KernelChoice.Reason)
        /// execve failed (its errno text): the program runs on with the kernel loaded.
        case failed(kernel: String, error: String)
    }

    /// The decision for this process: the kernel OpenBLAS chose, this CPU, the kernels this OpenBLAS
    /// has, the environment.
    public static func decision(environment: [String: String] = ProcessInfo.processInfo.environment)
        -> KernelChoice.Decision
    {
        KernelChoice.decide(
            chosen: BLAS.kernelName, cpu: CPUFeatures.current, available: BLAS.availableKernels,
            environment: environment)
    }

    /// Decide and, if a better kernel is due, re-execute this binary in place with
    /// `OPENBLAS_CORETYPE` set (does not return then). Call first thing in `main`, before any
    /// product and before anything is printed or any terminal state is changed: the new image
    /// starts from scratch with the same pid, arguments, open files and environment plus the two
    /// variables, and its exit status is the one the parent sees.
    public static func atStartUp() -> Outcome {
        let environment = ProcessInfo.processInfo.environment
        switch decision(environment: environment) {
        case .keep(let reason):
            return .kept(reason)
        case .reexecute(let kernel):
            // The marker names the kernel the decision saw (the test variable's, if set).
            let from = environment[KernelChoice.assumeVariable].flatMap { $0.isEmpty ? nil : $0 } ?? BLAS.kernelName
            dln_reexec_self(
                CommandLine.unsafeArgv, KernelChoice.coretypeVariable, kernel, KernelChoice.markerVariable,
                from)
            return .failed(kernel: kernel, error: String(cString: strerror(errno)))
        case .replaceUnrunnable(let user, let kernel):
            // Said before the exec: stderr is the new image's too, and nothing else is printed yet.
            FileHandle.standardError.write(Data("dlntui: \(unrunnableWarning(user: user, loaded: BLAS.kernelName, kernel: kernel))\n".utf8))
            dln_reexec_self(CommandLine.unsafeArgv, KernelChoice.coretypeVariable, kernel, KernelChoice.markerVariable, user)
            return .failed(kernel: kernel, error: String(cString: strerror(errno)))
        }
    }

    /// What the user is told when their OPENBLAS_CORETYPE would stop the process at the first product.
    public static func unrunnableWarning(user: String, loaded: String, kernel: String) -> String {
        "OPENBLAS_CORETYPE=\(user) made OpenBLAS load its \(loaded) kernel, whose instructions this CPU does not have "
            + "(the first product would stop with an illegal instruction): running with OPENBLAS_CORETYPE=\(kernel) instead"
    }

    /// `run --from` of a session recorded under `recorded`: re-executes with that kernel when this
    /// OpenBLAS has it and the user did not choose one (does not return then); otherwise the
    /// warning to print, or nil when the kernel is already the recorded one. Replaces `atStartUp`
    /// for such a run: a "better" kernel would not be the session's.
    public static func forReplay(recorded: String) -> String? {
        let environment = ProcessInfo.processInfo.environment
        let has = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "gotoblas_\(recorded.uppercased())") != nil
        let runs = KernelChoice.canRun(recorded, on: CPUFeatures.current) ?? true
        switch ReplayKernel.decide(recorded: recorded, chosen: BLAS.kernelName, available: has, runnable: runs, environment: environment) {
        case .same: return nil
        case .warn(let message): return message
        case .reexecute(let kernel):
            dln_reexec_self(CommandLine.unsafeArgv, KernelChoice.coretypeVariable, kernel, KernelChoice.markerVariable, BLAS.kernelName)
            return "could not re-execute with OPENBLAS_CORETYPE=\(kernel) (\(String(cString: strerror(errno)))); rows will not match the session's bit for bit"
        }
    }
}

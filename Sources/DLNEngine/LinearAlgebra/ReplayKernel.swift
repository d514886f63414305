/// `run --from` reruns a session bit for bit only under the OpenBLAS kernel it ran with (the
/// sidecar's `blas_kernel`): different kernels sum the products in different orders. The decision,
/// pure like `KernelChoice.decide`; `KernelReexec.forReplay` acts on it before any product.
public enum ReplayKernel {
    public enum Decision: Equatable, Sendable {
        /// The kernel loaded is the recorded one.
        case same
        /// Re-execute with `OPENBLAS_CORETYPE` set to the recorded kernel.
        case reexecute(kernel: String)
        /// Run on, saying why the rows will differ.
        case warn(String)
    }

    /// `recorded`: the sidecar's kernel; `chosen`: the one loaded; `available`: whether this
    /// OpenBLAS has the recorded one; `runnable`: whether this CPU has its instructions (a session
    /// recorded under SkylakeX on an AVX-512 machine, rerun on one without: re-executing onto it
    /// would stop the process at the first product); `environment`: the process's.
    public static func decide(recorded: String, chosen: String, available: Bool, runnable: Bool = true,
                              environment: [String: String]) -> Decision {
        if recorded.lowercased() == chosen.lowercased() { return .same }
        let consequence = "rows will not match the session's bit for bit"
        if let value = environment[KernelChoice.coretypeVariable], environment[KernelChoice.markerVariable] == nil {
            return .warn("the session ran with OpenBLAS's \(recorded) kernel, this run with \(chosen) (OPENBLAS_CORETYPE=\(value) is set): \(consequence)")
        }
        if environment[KernelChoice.markerVariable] != nil {
            return .warn("the session ran with OpenBLAS's \(recorded) kernel, but OpenBLAS loaded \(chosen) when asked for it: \(consequence)")
        }
        guard available else {
            return .warn("the session ran with OpenBLAS's \(recorded) kernel, which this OpenBLAS does not have (it runs \(chosen)): \(consequence)")
        }
        guard runnable else {
            return .warn("the session ran with OpenBLAS's \(recorded) kernel, whose instructions this CPU does not have (it runs \(chosen)): \(consequence)")
        }
        return .reexecute(kernel: recorded)
    }
}

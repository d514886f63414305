import DLNCommands
import DLNEngine
import Foundation

// First, before any product, any output or any terminal change. `run --from` a sidecar recorded
// under another OpenBLAS kernel re-executes with that kernel (or warns that the rows will differ);
// otherwise, when OpenBLAS fell back to a generic kernel on a CPU that has a better one, this
// re-executes the binary in place with OPENBLAS_CORETYPE set and does not return (issue 13;
// KernelChoice and ReplayKernel have the rules).
if let recorded = ReplayKernelScan.recordedKernel() {
    if let warning = KernelReexec.forReplay(recorded: recorded) {
        FileHandle.standardError.write(Data("dlntui: \(warning)\n".utf8))
    }
} else if case .failed(let kernel, let error) = KernelReexec.atStartUp() {
    let note = "dlntui: could not re-execute with OPENBLAS_CORETYPE=\(kernel) (\(error)); "
        + "running on with OpenBLAS's \(BLAS.kernelName) kernel\n"
    FileHandle.standardError.write(Data(note.utf8))
}

// One BLAS thread, and OpenBLAS's idle workers (started when it loaded) gone, while this is the
// only thread: they spin before they sleep, taking CPU from the simulation's threads.
BLAS.releaseIdleThreads()

DLNTUI.main()

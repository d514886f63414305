import DLNCommands
import DLNEngine
import Foundation

// First, before any product, any output or any terminal change: when OpenBLAS fell back to a generic
// kernel on a CPU that has a better one, this re-executes the binary in place with
// OPENBLAS_CORETYPE set and does not return (issue 13; KernelChoice has the rules).
if case .failed(let kernel, let error) = KernelReexec.atStartUp() {
    let note = "dlntui: could not re-execute with OPENBLAS_CORETYPE=\(kernel) (\(error)); "
        + "running on with OpenBLAS's \(BLAS.kernelName) kernel\n"
    FileHandle.standardError.write(Data(note.utf8))
}

DLNTUI.main()

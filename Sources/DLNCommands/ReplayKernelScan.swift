import Foundation

/// Before any product: whether the command line is `run ... --from PATH`, and the kernel that
/// PATH's sidecar records (`blas_kernel`). Read in `main` so the re-execution comes first.
public enum ReplayKernelScan {
    public static func recordedKernel(_ arguments: [String] = CommandLine.arguments) -> String? {
        guard arguments.count > 2, arguments[1] == "run" else { return nil }
        var path: String? = nil
        for (i, a) in arguments.enumerated().dropFirst(2) {
            if a == "--from", i + 1 < arguments.count { path = arguments[i + 1] }
            if a.hasPrefix("--from=") { path = String(a.dropFirst("--from=".count)) }
        }
        guard let path, let data = FileManager.default.contents(atPath: path),
              let top = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let kernel = top["blas_kernel"] as? String, !kernel.isEmpty else { return nil }
        return kernel
    }
}

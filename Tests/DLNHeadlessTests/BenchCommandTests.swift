import Foundation
import Testing

/// `dlntui bench` as a user meets it: the table runs whole, each flow's case runs at an N it accepts,
/// and a flag a mode would not read is refused (64) instead of dropped.
@Suite("The bench command")
struct BenchCommandTests {
    @Test("flags a mode would drop, or an integrator the flow refuses, exit 64 naming the flag", arguments: [
        (["-d", "4", "-N", "4"], "-d"),
        (["-N", "4"], "-N"),
        (["--frame", "-d", "3"], "-d"),
        (["--gemm", "-N", "3"], "-N"),
        (["--gemm", "--frame"], "--gemm"),
        (["--gemm", "--flow", "upstairs"], "--flow"),
        (["--flow", "bures-wasserstein", "-N", "4"], "-N"),
        (["--flow", "langevin", "--integrator", "dopri5"], "--integrator"),
        (["--flow", "rle-upstairs", "--integrator", "dopri5"], "--integrator"),
        (["--flow", "dyson", "--integrator", "rk4"], "--integrator"),
    ])
    func refusals(_ c: ([String], String)) throws {
        let r = try Binary.run(["bench"] + c.0)
        #expect(r.status == 64, "\(c.0): \(r.status) \(r.stderr)")
        #expect(r.stderr.contains(c.1), "\(c.0): \(r.stderr)")
    }

    @Test("bures-wasserstein's case runs at N = 2 when -N is not given")
    func buresWasserstein() throws {
        let r = try Binary.run(["bench", "--flow", "bures-wasserstein", "-d", "4", "--steps", "3", "--repeat", "1"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("steps_per_second="))
    }

    @Test("the whole table runs (it stopped at bures-wasserstein's N = 4), and names the rows an integrator cannot step")
    func table() throws {
        let r = try Binary.run(["bench", "--integrator", "rk4", "--steps", "1", "--repeat", "1"])
        #expect(r.status == 0, "\(r.stderr)")
        let rows = r.stdout.lines.dropFirst(2)
        // 5 flows at 2 depths, bures-wasserstein at N = 2 and dyson once, each at 3 sizes.
        #expect(rows.count == 3 * (5 * 2 + 2), "\(r.stdout)")
        #expect(rows.filter { $0.hasPrefix("bures-wasserstein") }.allSatisfy { $0.contains("   2   ") })
        #expect(rows.filter { $0.contains("euler only") }.count == 3 * (2 + 2 + 1), "\(r.stdout)")
    }
}

import DLNEngine
import DLNOutput
import Foundation
import Testing

/// `dlntui run --preset dyson --steps 10` through `HeadlessRun`: the ordinary row schema, with the
/// eigenvalues (signed, descending) in the sigma columns and S = 2 log van(x) (11.5) in the entropy.
@Suite struct DysonRunTests {
    @Test func presetRunsHeadless() throws {
        var p = try #require(Preset.named("dyson")).parameters
        p.steps = 10; p.every = 5
        let dir = Binary.temporaryDirectory()
        let out = dir + "/dyson.csv"
        var messages: [String] = []
        let status = HeadlessRun.run(p, outputs: RunOutputs(output: out), log: { messages.append($0) })
        #expect(status == ExitStatus.success, "\(messages)")
        let lines = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(lines[0] == "step,time,energy,entropy,free_energy,effective_rank,numerical_rank,stable_rank,balance_defect,"
                + (1...5).map { "sigma_\($0)" }.joined(separator: ",") + ",error,error_unobserved")
        let rows = lines.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        #expect(rows.map { Int($0[0])! } == [0, 5, 10])
        for row in rows {
            #expect(row.count == 9 + 5 + 2)
            #expect(row[8].isEmpty, "no balance defect")
            #expect(row[14].isEmpty && row[15].isEmpty, "no ground truth")
            let x = row[9..<14].map { Double($0)! }
            #expect(zip(x, x.dropFirst()).allSatisfy { $0 > $1 })
            var s = 0.0
            for i in 0..<5 { for j in (i + 1)..<5 { s += 2 * log(abs(x[i] - x[j])) } }
            #expect(abs(Double(row[3])! - s) < 1e-12 * max(1, abs(s)))
            #expect(abs(Double(row[2])! - 0.5 * x.reduce(0) { $0 + $1 * $1 }) < 1e-12)
        }
        // Step 0 is the evenly spaced start on [-1, 1].
        let first = rows[0][9..<14].map { Double($0)! }
        #expect(zip(first, [1.0, 0.5, 0, -0.5, -1]).allSatisfy { abs($0 - $1) < 1e-14 }, "\(first)")
        let sidecar = try String(contentsOfFile: out + ".json", encoding: .utf8)
        #expect(sidecar.contains("\"dyson\""))
    }
}

/// The sidecar says what each column holds: for dyson the sigma_k are signed eigenvalues and there
/// is no target (error columns empty), its entropy is 2 log van(x) (11.5); bures-wasserstein's
/// error is against the PSD part of the symmetrised target.
@Suite struct SidecarColumnMeaningTests {
    static func sidecar(_ arguments: [String]) throws -> [String: Any] {
        let dir = Binary.temporaryDirectory()
        let r = try Binary.run(["run", "--steps", "4", "--output", dir + "/r.csv"] + arguments)
        #expect(r.status == 0, "\(r.stderr)")
        let data = try Data(contentsOf: URL(fileURLWithPath: dir + "/r.csv.json"))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test func dysonSaysEigenvaluesAndNoTarget() throws {
        let s = try Self.sidecar(["--preset", "dyson"])
        let columns = try #require(s["columns"] as? [String: String])
        #expect(columns["sigma_1...sigma_5"]?.contains("signed eigenvalues x_1 >= ... >= x_d of the Hermitian lift") == true, "\(columns)")
        #expect(columns["error"]?.contains("no target") == true && columns["error_unobserved"]?.contains("no target") == true)
        let problem = try #require(s["problem"] as? [String: Any])
        #expect((problem["origin"] as? String)?.hasPrefix("none: the dyson flow") == true, "\(problem)")
        #expect(problem["ground_truth"] is NSNull)
        #expect((s["entropy_constant"] as? String)?.contains("2 log van(x) (11.5)") == true)
    }

    @Test func otherFlowsSaySingularValuesAndTheirGroundTruth() throws {
        let bw = try Self.sidecar(["--preset", "bures-wasserstein"])
        let problem = try #require(bw["problem"] as? [String: Any])
        #expect((problem["ground_truth"] as? String)?.contains("positive semidefinite part of the symmetrised target") == true)
        let columns = try #require(bw["columns"] as? [String: String])
        #expect(columns["sigma_1...sigma_8"] == "singular values of W, descending")
        #expect(columns["error"]?.contains("positive semidefinite part") == true)
        let completion = try Self.sidecar([])
        #expect((completion["entropy_constant"] as? String)?.contains("(N-1) log c_d") == true)
        #expect(((completion["problem"] as? [String: Any])?["ground_truth"] as? String) == "the clean target")
    }
}

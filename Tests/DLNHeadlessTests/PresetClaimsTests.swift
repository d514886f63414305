import DLNEngine
import Foundation
import Testing

/// Each preset shows what `dlntui presets` says it shows: every claim is read off the rows of
/// `dlntui run --preset NAME` (the preset's own steps, dt, start and problem), as a user sees it.
@Suite struct PresetClaimsTests {
    struct Rows {
        let header: [String]
        let rows: [[String]]
        func column(_ name: String) -> [Double] {
            let k = header.firstIndex(of: name)!
            return rows.map { Double($0[k]) ?? .nan }
        }
        var last: [String: Double] {
            Dictionary(uniqueKeysWithValues: zip(header, rows.last!.map { Double($0) ?? .nan }))
        }
        var sigmaColumns: [String] { header.filter { $0.hasPrefix("sigma_") } }
    }

    static func rows(_ preset: String, _ extra: [String] = []) throws -> Rows {
        let r = try Binary.run(["run", "--preset", preset] + extra, timeout: 120)
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.lines.map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        return Rows(header: lines[0], rows: Array(lines.dropFirst()))
    }

    /// How long the live demonstration takes at the preset's own speed: its time horizon over the
    /// simulated time per second under an adaptive method, its steps over the steps per second otherwise.
    static func liveSeconds(_ p: Parameters) -> Double {
        p.pacesTime ? p.untilTime! / p.speed! : Double(p.steps) / p.speed!
    }

    /// The rank sequence as runs of (rank, rows).
    static func runs(_ ranks: [Double]) -> [(rank: Int, rows: Int)] {
        var runs: [(rank: Int, rows: Int)] = []
        for r in ranks.map({ Int($0) }) {
            if let last = runs.last, last.rank == r { runs[runs.count - 1].rows += 1 } else { runs.append((r, 1)) }
        }
        return runs
    }

    static func staircase(_ rows: Rows, rank r: Int, name: String) {
        let runs = Self.runs(rows.column("numerical_rank"))
        let text = runs.map { "\($0.rank) x \($0.rows)" }.joined(separator: ", ")
        #expect(runs.map(\.rank) == Array(0...r), "\(name): rank runs \(text)")
        // A plateau at every intermediate rank: at least 3% of the run each.
        let total = rows.rows.count
        #expect(runs.dropFirst().dropLast().allSatisfy { $0.rows * 100 >= 3 * total }, "\(name): plateaus \(text)")
        // The last value ends well above the tolerance (learned, not parked on it) and the first
        // unlearned one well below.
        let last = rows.last
        #expect(last["sigma_\(r)"]! > 10 * 1e-2, "\(name): sigma_\(r) = \(last["sigma_\(r)"]!)")
        #expect(last["sigma_\(r + 1)"]! < 1e-2 / 2, "\(name): sigma_\(r + 1) = \(last["sigma_\(r + 1)"]!)")
    }

    @Test func completionRecoversItsTargetOneValueAtATimeInAboutTenSeconds() throws {
        let p = Preset.named("completion")!.parameters
        // Live at its own speed the whole demonstration takes untilTime / speed seconds (dopri5 is
        // paced in simulated time per second).
        #expect(Self.liveSeconds(p) <= 10.5)
        let rows = try Self.rows("completion")
        #expect(rows.column("time").last == p.untilTime)
        Self.staircase(rows, rank: p.targetRank, name: "completion")
        let last = rows.last
        #expect(last["error"]! < 1e-2, "error \(last["error"]!)")
        #expect(last["error_unobserved"]! < 1e-2, "error on the unobserved entries \(last["error_unobserved"]!)")
    }

    @Test func infiniteDepthLearnsEachValueNotParkedOnTheThreshold() throws {
        let p = Preset.named("infinite-depth")!.parameters
        #expect(Self.liveSeconds(p) <= 10.5)
        let rows = try Self.rows("infinite-depth")
        Self.staircase(rows, rank: p.targetRank, name: "infinite-depth")
        // Each learned value is within 2% of the target's (read from the saved target).
        let dir = Binary.temporaryDirectory()
        _ = try Binary.run(["run", "--preset", "infinite-depth", "--steps", "0", "--save-problem", dir])
        let target = try MatrixCSV.read(path: dir + "/target.csv")
        let want = try SVD.of(target).sigma
        for k in 1...p.targetRank {
            let got = rows.last["sigma_\(k)"]!
            #expect(abs(got - want[k - 1]) < 0.02 * want[k - 1], "sigma_\(k) = \(got), target \(want[k - 1])")
        }
    }

    @Test func sensingRecoversItsTargetFromItsMeasurements() throws {
        let rows = try Self.rows("sensing")
        let p = Preset.named("sensing")!.parameters
        #expect(p.measurementCount == 64)
        #expect(rows.last["error"]! < 1e-2, "error \(rows.last["error"]!)")
        #expect(rows.last["numerical_rank"]! == Double(p.targetRank))
    }

    @Test func denoiseLearnsTheSignalFastAndTheNoiseSlowlyOneByOne() throws {
        let rows = try Self.rows("denoise")
        let ranks = Self.runs(rows.column("numerical_rank"))
        // The signal's two values come first; the run to rank 2 takes a small part of the run, the
        // noise directions after it take longer each, one at a time.
        #expect(ranks.map(\.rank) == Array(0...ranks.last!.rank) && ranks.last!.rank > 2, "\(ranks)")
        let stepsToSignal = ranks.prefix(2).map(\.rows).reduce(0, +)
        #expect(stepsToSignal * 10 < rows.rows.count, "\(ranks)")
        let noisePlateaus = ranks.dropFirst(2).dropLast().map(\.rows)
        #expect(noisePlateaus.allSatisfy { $0 > stepsToSignal }, "\(ranks)")
    }

    @Test func entropyHoldsTheSmallValuesAwayFromZeroAndFDecreases() throws {
        let rows = try Self.rows("entropy")
        let f = rows.column("free_energy")
        #expect(zip(f, f.dropFirst()).allSatisfy { $1 <= $0 + 1e-12 })
        let d = rows.sigmaColumns.count
        #expect(rows.last["sigma_\(d)"]! > 0.1, "smallest sigma \(rows.last["sigma_\(d)"]!)")
    }

    @Test func buresWassersteinLearnsThePositivePartOfTheSymmetrisedTarget() throws {
        let dir = Binary.temporaryDirectory()
        let rows = try Self.rows("bures-wasserstein", ["--save-problem", dir, "--final-matrix", dir + "/w.csv"])
        // The saved target is the symmetrised one; its positive eigenvalues are what W = W_1^T W_1 can learn.
        let a = try MatrixCSV.read(path: dir + "/target.csv")
        let positive = try symmetricEigenvalues(a).filter { $0 > 1e-9 }.sorted(by: >)
        #expect(!positive.isEmpty)
        for (k, lambda) in positive.enumerated() {
            let got = rows.last["sigma_\(k + 1)"]!
            #expect(abs(got - lambda) < 0.01 * lambda, "sigma_\(k + 1) = \(got), positive eigenvalue \(lambda)")
        }
        // W stays symmetric positive semidefinite: its eigenvalues are its singular values.
        let w = try MatrixCSV.read(path: dir + "/w.csv")
        let eigen = try symmetricEigenvalues(w).sorted(by: >)
        #expect(eigen.last! > -1e-9, "W has a negative eigenvalue \(eigen.last!)")
    }

    /// Eigenvalues of a symmetric matrix as the singular values of A + cI minus c (c > ||A||).
    func symmetricEigenvalues(_ a: Matrix) throws -> [Double] {
        let c = 2 * a.frobeniusNorm + 1
        var shifted = a
        for i in 0..<a.rows { shifted[i, i] += c }
        return try SVD.of(shifted).sigma.map { $0 - c }
    }

    @Test func twoByTwoReachesARankOneLimit() throws {
        let dir = Binary.temporaryDirectory()
        let rows = try Self.rows("two-by-two", ["--final-matrix", dir + "/w.csv"])
        let w = try MatrixCSV.read(path: dir + "/w.csv")
        // A zero of E (14.1) of rank one: the diagonal fitted, w12 w21 = w11 w22 = 1, and the
        // off-diagonal pair near +-(1, 1) ("near": balancedness fixes them only approximately).
        #expect(rows.last["energy"]! < 1e-12)
        #expect(abs(w[0, 0] - 1) < 1e-6 && abs(w[1, 1] - 1) < 1e-6, "W = \(w.storage)")
        #expect(abs(w[0, 1] * w[1, 0] - 1) < 1e-2, "W = \(w.storage)")
        #expect(abs(abs(w[0, 1]) - 1) < 0.2 && abs(abs(w[1, 0]) - 1) < 0.2 && w[0, 1] * w[1, 0] > 0, "W = \(w.storage)")
        #expect(rows.last["numerical_rank"]! == 1)
        // No ground truth: only the diagonal is given (14.1).
        let k = rows.header.firstIndex(of: "error")!
        #expect(rows.rows.allSatisfy { $0[k].isEmpty })
    }
}

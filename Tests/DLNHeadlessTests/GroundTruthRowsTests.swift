import DLNEngine
import Foundation
import Testing

/// `error` and `error_unobserved` in the rows: appended after sigma_d, recomputed here from the
/// files the run itself wrote (`--save-problem`, `--final-matrix`), empty or null where the
/// problem has no ground truth.
@Suite struct GroundTruthRowsTests {
    static let fixed = "step,time,energy,entropy,free_energy,effective_rank,numerical_rank,stable_rank,balance_defect"

    @Test func columnsAreAppendedAfterSigmaAndMatchTheSavedMatrices() throws {
        let dir = Binary.temporaryDirectory()
        let r = try Binary.run(["run", "--preset", "completion", "-d", "6", "--target-rank", "2", "--observed", "0.5",
                                "--steps", "2500", "--every", "500", "--save-problem", dir, "--final-matrix", dir + "/w.csv"])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.lines
        #expect(lines[0] == Self.fixed + "," + (1...6).map { "sigma_\($0)" }.joined(separator: ",") + ",error,error_unobserved")
        let last = lines.last!.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        #expect(last.count == 9 + 6 + 2)
        let a = try MatrixCSV.read(path: dir + "/target.csv"), m = try MatrixCSV.read(path: dir + "/mask.csv")
        let w = try MatrixCSV.read(path: dir + "/w.csv")
        var all = 0.0, allA = 0.0, un = 0.0, unA = 0.0
        for k in 0..<36 {
            let e = (w.storage[k] - a.storage[k]) * (w.storage[k] - a.storage[k]), t = a.storage[k] * a.storage[k]
            all += e; allA += t
            if m.storage[k] == 0 { un += e; unA += t }
        }
        let error = (all / allA).squareRoot(), unobserved = (un / unA).squareRoot()
        #expect(abs(Double(last[15])! - error) <= 1e-12 * error, "\(last[15]) vs \(error)")
        #expect(abs(Double(last[16])! - unobserved) <= 1e-12 * unobserved, "\(last[16]) vs \(unobserved)")
    }

    @Test func emptyInCSVAndNullInJSONLWithoutGroundTruth() throws {
        for preset in ["dyson", "two-by-two"] {
            let csv = try Binary.run(["run", "--preset", preset, "--steps", "20", "--every", "10"])
            #expect(csv.status == 0, "\(csv.stderr)")
            let header = csv.stdout.lines[0].split(separator: ",").map(String.init)
            #expect(Array(header.suffix(2)) == ["error", "error_unobserved"])
            for line in csv.stdout.lines.dropFirst() {
                let fields = line.split(separator: ",", omittingEmptySubsequences: false)
                #expect(fields.count == header.count && fields.suffix(2).allSatisfy(\.isEmpty), "\(preset): \(line)")
            }
            let jsonl = try Binary.run(["run", "--preset", preset, "--steps", "20", "--every", "10", "--format", "jsonl"])
            for line in jsonl.stdout.lines {
                let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
                #expect(object["error"] is NSNull && object["error_unobserved"] is NSNull, "\(preset): \(line)")
            }
        }
    }

    @Test func denoiseAndSensingHaveAnErrorButNoUnobservedOne() throws {
        for preset in ["denoise", "sensing"] {
            let jsonl = try Binary.run(["run", "--preset", preset, "--steps", "20", "--every", "10", "--format", "jsonl"])
            #expect(jsonl.status == 0, "\(jsonl.stderr)")
            for line in jsonl.stdout.lines {
                let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
                #expect(object["error"] is Double && object["error_unobserved"] is NSNull, "\(preset): \(line)")
            }
        }
    }
}

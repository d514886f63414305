import DLNEngine
import DLNOutput
import Foundation
import Testing

/// The headless contract of issue 2, section 3, checked on the real binary.
@Suite struct RunContractTests {
    @Test func headerIsExactAndRowsFollowTheSchedule() throws {
        let r = try Binary.run(["run", "--preset", "sensing", "--steps", "25", "--every", "10"])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.lines
        #expect(lines[0] == "step,time,energy,entropy,free_energy,effective_rank,numerical_rank,stable_rank,balance_defect,"
                + (1...8).map { "sigma_\($0)" }.joined(separator: ",") + ",error,error_unobserved")
        let steps = lines.dropFirst().map { Int($0.split(separator: ",")[0])! }
        #expect(steps == [0, 10, 20, 25])
        // Every row has 9 + d + 2 fields; upstairs rows carry a balance defect.
        for line in lines.dropFirst() {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            #expect(fields.count == 9 + 8 + 2)
            #expect(!fields[8].isEmpty)
        }
    }

    @Test func downstairsRowsLeaveTheBalanceDefectEmptyAndJSONLUsesNull() throws {
        // W itself stepped (--lift none): no factors, no defect. The preset's dopri5 steps the
        // riemannian flow in its balanced factors, whose defect the rows then carry.
        let lifted = try Binary.run(["run", "--preset", "denoise", "--steps", "3", "--every", "1"])
        #expect(lifted.status == 0)
        for line in lifted.stdout.lines.dropFirst() {
            #expect(!line.split(separator: ",", omittingEmptySubsequences: false)[8].isEmpty)
        }
        let csv = try Binary.run(["run", "--preset", "denoise", "--lift", "none", "--steps", "3", "--every", "1"])
        #expect(csv.status == 0)
        for line in csv.stdout.lines.dropFirst() {
            #expect(line.split(separator: ",", omittingEmptySubsequences: false)[8].isEmpty)
        }
        let jsonl = try Binary.run(["run", "--preset", "denoise", "--lift", "none", "--steps", "3", "--every", "1", "--format", "jsonl"])
        #expect(jsonl.status == 0)
        let rows = jsonl.stdout.lines
        #expect(rows.count == 4)
        for (row, line) in zip(rows, csv.stdout.lines.dropFirst()) {
            let object = try JSONSerialization.jsonObject(with: Data(row.utf8)) as! [String: Any]
            #expect(object["balance_defect"] is NSNull)
            let sigma = object["sigma"] as! [Double]
            #expect(sigma.count == 8)
            // The same numbers as the CSV row (Foundation's JSON reader may round the last bit).
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            #expect(abs((object["energy"] as! Double) - Double(fields[2])!) <= 4 * Double(fields[2])!.ulp)
            #expect(abs(sigma[0] - Double(fields[9])!) <= 4 * Double(fields[9])!.ulp)
        }
    }

    @Test func infinitiesArePrintedAsInf() throws {
        // N = 3 from a rank-deficient start: two zero singular values give S = -inf.
        let dir = Binary.temporaryDirectory()
        try "1,0,0\n0,0,0\n0,0,0\n".write(toFile: dir + "/w0.csv", atomically: true, encoding: .utf8)
        let r = try Binary.run(["run", "--energy", "denoise", "--flow", "riemannian", "-d", "3", "--target-rank", "1",
                                "--initial", dir + "/w0.csv", "--steps", "0"])
        #expect(r.status == 0, "\(r.stderr)")
        let fields = r.stdout.lines[1].split(separator: ",", omittingEmptySubsequences: false)
        #expect(fields[3] == "-inf")
        let j = try Binary.run(["run", "--energy", "denoise", "--flow", "riemannian", "-d", "3", "--target-rank", "1",
                                "--initial", dir + "/w0.csv", "--steps", "0", "--format", "jsonl", "--beta", "5"])
        let object = try JSONSerialization.jsonObject(with: Data(j.stdout.lines[0].utf8)) as! [String: Any]
        #expect(object["entropy"] as? String == "-inf")
        #expect(object["free_energy"] as? String == "inf")
    }

    @Test func twoRunsAreIdenticalBitForBit() throws {
        let args = ["run", "--preset", "langevin", "--steps", "200", "--every", "50"]
        let a = try Binary.run(args), b = try Binary.run(args)
        #expect(a.status == 0 && b.status == 0)
        #expect(a.stdout == b.stdout)
        let c = try Binary.run(args + ["--seed", "2"])
        #expect(c.stdout != a.stdout)
    }

    @Test func untilEnergyStopsAtTheFirstRowBelowIt() throws {
        let r = try Binary.run(["run", "--preset", "two-by-two", "--until-energy", "1e-3", "--every", "100000"])
        #expect(r.status == 0)
        let rows = r.stdout.lines.dropFirst().map { $0.split(separator: ",") }
        #expect(rows.count == 2)  // step 0 and the stopping step
        let last = rows.last!
        #expect(Double(last[2])! < 1e-3)
        #expect(Int(last[0])! < 4000)
        // One step earlier the energy was not yet below: rerun that many steps minus one.
        let before = try Binary.run(["run", "--preset", "two-by-two", "--steps", "\(Int(last[0])! - 1)", "--every", "100000"])
        let prior = before.stdout.lines.last!.split(separator: ",")
        #expect(Double(prior[2])! >= 1e-3)
    }

    @Test func outputSidecarAndFinalMatrix() throws {
        let dir = Binary.temporaryDirectory()
        let r = try Binary.run(["run", "--preset", "two-by-two", "--steps", "50", "--every", "10",
                                "--output", dir + "/rows.csv", "--final-matrix", dir + "/w.csv", "-N", "3"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.isEmpty)
        let rows = try String(contentsOfFile: dir + "/rows.csv", encoding: .utf8).lines
        #expect(rows.count == 1 + 6)
        let sidecar = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/rows.csv.json"))) as! [String: Any]
        let params = sidecar["parameters"] as! [String: Any]
        #expect(params["N"] as? Int == 3)
        #expect(params["preset"] as? String == "two-by-two")
        #expect(params["beta"] as? String == "inf")
        #expect(sidecar["version"] as? String == Sidecar.version)
        #expect(sidecar["steps_done"] as? Int == 50)
        let w = try MatrixCSV.read(path: dir + "/w.csv")
        #expect(w.rows == 2)
        // The final matrix is the state the last row describes: its energy matches.
        let e = 0.5 * ((w[0, 0] - 1) * (w[0, 0] - 1) + (w[1, 1] - 1) * (w[1, 1] - 1))
        let lastEnergy = Double(rows.last!.split(separator: ",")[2])!
        #expect(abs(e - lastEnergy) <= 1e-15 + 1e-12 * lastEnergy)
        // No temporary files are left behind.
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.contains(".tmp-") }
        #expect(leftovers.isEmpty)
    }

    @Test func aSavedProblemReproducesTheRun() throws {
        let dir = Binary.temporaryDirectory()
        let base = ["run", "--preset", "completion", "--steps", "40", "--every", "20"]
        let generated = try Binary.run(base + ["--save-problem", dir])
        #expect(generated.status == 0)
        let reread = try Binary.run(base + ["--target", dir + "/target.csv", "--mask", dir + "/mask.csv"])
        #expect(reread.status == 0, "\(reread.stderr)")
        #expect(reread.stdout == generated.stdout)
    }
}

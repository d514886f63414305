import Foundation
import Testing

/// `run --from` under the same rules as a run without it: the clash checks on the overridden
/// parameters (only the flags typed count as given), run's usage on a usage error, the sidecar's
/// values named as the sidecar's, data files found from anywhere, and a snapshot's row spacing.
@Suite struct RunFromHonestyTests {
    /// A completion run's sidecar (the default preset), in a fresh folder.
    static func sidecar(_ flags: [String] = [], in dir: String = Binary.temporaryDirectory()) throws -> String {
        let r = try Binary.run(["run", "--steps", "6", "--output", dir + "/s.csv"] + flags)
        #expect(r.status == 0, "\(r.stderr)")
        return dir + "/s.csv.json"
    }

    @Test(arguments: [
        (["--energy", "sensing", "--mask", "/tmp/none.csv"], ["--mask /tmp/none.csv", "--energy sensing"]),
        (["--flow", "dyson"], ["--flow dyson", "the sidecar's start", "energy completion"]),
        (["--kappa", "1"], ["--kappa 1", "the sidecar's start"]),
        (["--energy", "denoise", "--observed", "0.3"], ["--observed 0.3", "--energy denoise"]),
    ])
    func clashesAreCheckedOnTheOverriddenParameters(flags: [String], named: [String]) throws {
        let s = try Self.sidecar()
        let r = try Binary.run(["run", "--from", s] + flags)
        #expect(r.status == 64, "\(flags): \(r.stderr)")
        for part in named { #expect(r.stderr.contains(part), "\(flags): \(r.stderr)") }
        #expect(r.stderr.contains("Usage: dlntui run") && r.stdout.isEmpty)
    }

    @Test func theStartsOwnValuesAndUntypedFlagsAreNotClashes() throws {
        // A langevin start with kappa 1 switched to another flow: kappa is the start's, not typed.
        let s = try Self.sidecar(["--preset", "langevin"])
        let r = try Binary.run(["run", "--from", s, "--flow", "riemannian"])
        #expect(r.status == 0, "\(r.stderr)")
        // A dyson start keeps running as dyson with an override it reads.
        let d = try Self.sidecar(["--preset", "dyson"])
        #expect(try Binary.run(["run", "--from", d, "--beta", "4"]).status == 0)
    }

    @Test func messagesSpeakOfWhatTheUserTyped() throws {
        let s = try Self.sidecar()
        let preset = try Binary.run(["run", "--from", s, "--preset", "two-by-two"])
        #expect(preset.status == 64 && preset.stderr.contains("Usage: dlntui run") && !preset.stderr.contains("<subcommand>"), "\(preset.stderr)")
        let bw = try Binary.run(["run", "--from", s, "--flow", "bures-wasserstein"])
        #expect(bw.status == 64, "\(bw.stderr)")
        #expect(bw.stderr.contains("the sidecar's N = 4") && bw.stderr.contains("-N 2") && !bw.stderr.contains("for -N"), "\(bw.stderr)")
        #expect(try Binary.run(["run", "--from", s, "--flow", "bures-wasserstein", "-N", "2"]).status == 0)
        let dir = Binary.temporaryDirectory()
        try "{not json".write(toFile: dir + "/bad.json", atomically: true, encoding: .utf8)
        let bad = try Binary.run(["run", "--from", dir + "/bad.json"])
        #expect(bad.status == 2 && bad.stderr.contains("not valid JSON") && !bad.stderr.contains("could not be completed"), "\(bad.stderr)")
        let missing = try Binary.run(["run", "--from", dir + "/none.json"])
        #expect(missing.status == 2 && missing.stderr.contains("no such file"), "\(missing.stderr)")
    }

    /// A session that read `t.csv` relative to its folder reruns from any other folder, with or
    /// without the recorded absolute path; a file gone says "no such file" with the resolved path.
    @Test func relativeDataFilesAreFoundFromTheSidecarsFolder() throws {
        let dir = Binary.temporaryDirectory()
        try "1,0.2,0\n0,0.5,0\n0.1,0,0.2\n".write(toFile: dir + "/t.csv", atomically: true, encoding: .utf8)
        // Recorded from inside the folder, through a shell so the path is typed relative.
        let record = Process()
        record.executableURL = URL(fileURLWithPath: Binary.path)
        record.arguments = ["run", "--steps", "6", "--target", "t.csv", "--output", "s.csv"]
        record.currentDirectoryURL = URL(fileURLWithPath: dir)
        record.standardError = FileHandle.nullDevice
        try record.run(); record.waitUntilExit()
        #expect(record.terminationStatus == 0)
        let rows = try String(contentsOfFile: dir + "/s.csv", encoding: .utf8)
        let again = try Binary.run(["run", "--from", dir + "/s.csv.json"])
        #expect(again.status == 0 && again.stdout == rows, "\(again.stderr)")
        // Without the absolute path (an older sidecar): the folder of the sidecar.
        var json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/s.csv.json"))) as? [String: Any])
        var inputs = try #require(json["inputs"] as? [[String: Any]])
        #expect(inputs[0]["absolute_path"] as? String == String(cString: realpath(dir, nil)) + "/t.csv")
        inputs[0]["absolute_path"] = nil
        json["inputs"] = inputs
        try JSONSerialization.data(withJSONObject: json).write(to: URL(fileURLWithPath: dir + "/old.json"))
        let old = try Binary.run(["run", "--from", dir + "/old.json"])
        #expect(old.status == 0 && old.stdout == rows, "\(old.stderr)")
        try FileManager.default.removeItem(atPath: dir + "/t.csv")
        let gone = try Binary.run(["run", "--from", dir + "/old.json"])
        #expect(gone.status == 2 && gone.stderr.contains(String(cString: realpath(dir, nil)) + "/t.csv: no such file"), "\(gone.stderr)")
    }

    /// A snapshot records its rows every `row_stride` steps: the rerun's rows default to that spacing.
    @Test func aSnapshotsRowStrideIsTheDefaultEvery() throws {
        let dir = Binary.temporaryDirectory()
        let s = try Self.sidecar(["--every", "20"], in: dir)
        var json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: s))) as? [String: Any])
        json["row_stride"] = 2
        try JSONSerialization.data(withJSONObject: json).write(to: URL(fileURLWithPath: dir + "/snap.json"))
        let r = try Binary.run(["run", "--from", dir + "/snap.json"])
        #expect(r.status == 0, "\(r.stderr)")
        let steps = r.stdout.lines.dropFirst().map { $0.split(separator: ",")[0] }
        #expect(steps == ["0", "2", "4", "6"], "\(steps)")
        // --every still overrides it.
        let every = try Binary.run(["run", "--from", dir + "/snap.json", "--every", "3"])
        #expect(every.stdout.lines.dropFirst().map { $0.split(separator: ",")[0] } == ["0", "3", "6"])
    }
}

import DLNEngine
import DLNOutput
import Foundation
import Testing

/// What the command line accepts: negative values read as values, the usage of the command that
/// ran, flags that cannot apply refused naming both sides, files named in plain words, every
/// output path checked before the first step, the user's own text quoted.
@Suite struct CommandLineHonestyTests {
    static let folder: String = {
        let dir = Binary.temporaryDirectory()
        try? "1,0,0\n0,1,0\n0,0,1\n".write(toFile: dir + "/t3.csv", atomically: true, encoding: .utf8)
        try? "1,0,0\n0,1,1\n0,0,1\n".write(toFile: dir + "/m3.csv", atomically: true, encoding: .utf8)
        try? FileManager.default.createDirectory(atPath: dir + "/adir", withIntermediateDirectories: true)
        return dir
    }()

    @Test(arguments: [(["--beta", "-1"], "'-1' for --beta"), (["--kappa", "-1"], "'-1' for --kappa"),
                      (["--seed", "-1"], "'-1' for --seed"), (["--steps", "-5"], "'-5' for --steps"),
                      (["-d", "-3"], "'-3' for -d"), (["--dt", "-0.1"], "'-0.1' for --dt"),
                      (["--init-scale", "-1e-3"], "'-1e-3' for --init-scale"), (["--dt", "1e-1000"], "'1e-1000' for --dt"),
                      (["--until-energy", "-1"], "'-1' for --until-energy"), (["--until-energy", "0"], "'0' for --until-energy")])
    func negativeAndTinyValuesGetTheRangeMessage(arguments: [String], quoted: String) throws {
        let r = try Binary.run(["run"] + arguments)
        #expect(r.status == 64)
        #expect(r.stderr.contains("invalid value \(quoted): expected"), "\(r.stderr)")
        #expect(!r.stderr.contains("Missing value"), "\(r.stderr)")
    }

    @Test func validationErrorsPrintTheUsageOfTheCommandThatRan() throws {
        let run = try Binary.run(["run", "--beta", "-1"])
        #expect(run.stderr.contains("Usage: dlntui run"), "\(run.stderr)")
        // The live interface is the default command: refused before any terminal is touched.
        let live = try Binary.run(["--kappa", "-2"])
        #expect(live.status == 64)
        #expect(live.stderr.contains("Usage: dlntui live"), "\(live.stderr)")
        #expect(!run.stderr.contains("<subcommand>") && !live.stderr.contains("<subcommand>"))
    }

    @Test(arguments: [
        (["--target", "t3.csv", "-d", "5"], Int32(2), ["t3.csv", "3 x 3", "-d 5"]),
        (["--preset", "two-by-two", "--target", "t3.csv"], Int32(64), ["--target", "--preset two-by-two"]),
        (["--energy", "sensing", "--mask", "m3.csv"], Int32(64), ["--mask", "--energy sensing"]),
        (["--flow", "dyson", "--energy", "completion"], Int32(64), ["--energy completion", "--flow dyson"]),
        (["--target", "t3.csv", "--target-rank", "2"], Int32(64), ["--target-rank 2", "--target"]),
        (["--energy", "denoise", "--observed", "0.3"], Int32(64), ["--observed 0.3", "--energy denoise"]),
        (["--mask", "m3.csv", "--observed", "0.3", "--target", "t3.csv"], Int32(64), ["--observed", "--mask"]),
        (["--preset", "dyson", "--noise", "0.5"], Int32(64), ["--noise 0.5", "--preset dyson"]),
        // kappa acts only in the langevin flow's noise; the dyson flow reads neither kappa nor the time scale.
        (["--kappa", "1", "--flow", "upstairs"], Int32(64), ["--kappa 1", "--flow upstairs"]),
        (["--kappa", "1"], Int32(64), ["--kappa 1", "the default preset"]),
        (["--flow", "dyson", "--kappa", "1"], Int32(64), ["--kappa 1", "--flow dyson"]),
        (["--flow", "dyson", "--time-scale", "depth"], Int32(64), ["--time-scale depth", "--flow dyson"]),
        // The preset's energy is the problem the dyson flow would silently drop.
        (["--flow", "dyson"], Int32(64), ["--flow dyson", "the default preset (completion) (energy completion)"]),
    ])
    func flagsThatCannotApplyAreRefusedNamingBothSides(arguments: [String], status: Int32, named: [String]) throws {
        let r = try Binary.run(["run", "--steps", "1"] + arguments.map { $0.hasSuffix(".csv") ? Self.folder + "/" + $0 : $0 })
        #expect(r.status == status, "\(arguments): \(r.stderr)")
        for part in named { #expect(r.stderr.contains(part), "\(arguments): \(r.stderr)") }
        #expect(r.stdout.isEmpty, "no rows for a refused run")
    }

    @Test(arguments: [["--preset", "dyson", "--energy", "denoise", "--noise", "0", "-N", "1"],
                      ["--preset", "two-by-two", "-d", "2"], ["--preset", "dyson", "--kappa", "0", "--time-scale", "plain"],
                      ["--flow", "langevin", "--kappa", "1"], ["--flow", "upstairs", "--kappa", "0"], ["--preset", "denoise", "--flow", "dyson", "--noise", "0"],
                      ["--preset", "langevin", "--flow", "rle-upstairs", "--kappa", "1"], ["--target", "t3.csv", "-d", "3"],
                      ["--energy", "completion", "--mask", "m3.csv", "--target", "t3.csv"]])
    func aValueThePresetOrAFileFixesIsFineWhenRestated(arguments: [String]) throws {
        let r = try Binary.run(["run", "--steps", "2"] + arguments.map { $0.hasSuffix(".csv") ? Self.folder + "/" + $0 : $0 })
        #expect(r.status == 0, "\(arguments): \(r.stderr)")
    }

    @Test func dataFilesAreNamedInPlainWords() throws {
        for (path, words) in [(Self.folder + "/adir", "is a directory"), (Self.folder + "/none.csv", "no such file")] {
            let r = try Binary.run(["run", "--steps", "1", "--target", path])
            #expect(r.status == 2)
            #expect(r.stderr.contains(words) && !r.stderr.contains("NSCocoaErrorDomain"), "\(r.stderr)")
        }
    }

    @Test func everyOutputPathIsCheckedBeforeTheFirstStep() throws {
        // A run far too long to finish: refused at once, before a row is written.
        for option in ["--final-matrix", "--output"] {
            let r = try Binary.run(["run", "--steps", "100000000", option, Self.folder + "/adir"], timeout: 20)
            #expect(r.status == 1, "\(option): \(r.stderr)")
            #expect(r.stderr.contains("is a directory") && r.stdout.isEmpty, "\(option): \(r.stderr)")
        }
        let r = try Binary.run(["run", "--steps", "100000000", "--save-problem", Self.folder + "/t3.csv"], timeout: 20)
        #expect(r.status == 1 && r.stderr.contains("not a directory"), "\(r.stderr)")
        let missing = try Binary.run(["run", "--steps", "100000000", "--final-matrix", Self.folder + "/no/such/w.csv"], timeout: 20)
        #expect(missing.status == 1 && missing.stderr.contains("no such directory"), "\(missing.stderr)")
    }

    @Test func anUnboundedFreeEnergyIsNamedAsSuchNotAsATooLargeDt() throws {
        for dt in ["0.05", "0.01"] {
            let r = try Binary.run(["run", "--preset", "two-by-two", "--flow", "free-energy", "--beta", "5", "--dt", dt, "--steps", "20000", "--every", "100000"])
            #expect(r.status == 3)
            #expect(r.stderr.contains("unbounded below") && !r.stderr.contains("smaller --dt"), "dt \(dt): \(r.stderr)")
        }
        // A dt past Euler's limit on a bounded problem: the advice stays "a smaller dt".
        let r = try Binary.run(["run", "--preset", "completion", "--dt", "3", "--every", "100000"])
        #expect(r.status == 3)
        #expect(r.stderr.contains("smaller --dt") && !r.stderr.contains("unbounded"), "\(r.stderr)")
        #expect(r.stderr.contains("(dt = 3)"), "numbers in messages are short: \(r.stderr)")
    }
}

/// Two outputs of one run never write the same file: the later one destroyed the earlier and the
/// run still exited 0 (`--output x.csv --final-matrix x.csv` left only the final matrix).
@Suite struct OutputClashTests {
    @Test func outputsThatWriteTheSameFileAreRefusedBeforeAnything() throws {
        let dir = Binary.temporaryDirectory()
        try FileManager.default.createSymbolicLink(atPath: dir + "/link", withDestinationPath: dir)
        for (a, b) in [(["--output", dir + "/x.csv"], ["--final-matrix", dir + "/x.csv"]),
                       (["--output", dir + "/x.csv"], ["--final-matrix", dir + "/./sub/../x.csv.json"]),
                       (["--save-problem", dir], ["--final-matrix", dir + "//target.csv"]),
                       (["--save-problem", dir + "/p"], ["--output", dir + "/p/mask.csv"]),
                       (["--output", dir + "/link/x.csv"], ["--final-matrix", dir + "/x.csv"])] {
            let r = try Binary.run(["run", "--steps", "3"] + a + b)
            #expect(r.status == 64, "\(a) \(b): \(r.stderr)")
            #expect(r.stderr.contains(a[0]) && r.stderr.contains(b[0]) && r.stderr.contains("Usage: dlntui run"), "\(r.stderr)")
            #expect(!FileManager.default.fileExists(atPath: dir + "/x.csv"), "nothing written")
        }
        // Distinct files are fine, and a relative path meets its absolute twin.
        let fine = try Binary.run(["run", "--steps", "3", "--output", dir + "/x.csv", "--final-matrix", dir + "/w.csv"])
        #expect(fine.status == 0, "\(fine.stderr)")
        let real = String(cString: realpath(dir, nil))
        #expect(OutputClashes.resolved(dir + "/link/sub/../x.csv") == real + "/x.csv")
        let cwd = FileManager.default.currentDirectoryPath
        #expect(OutputClashes.resolved("./a/../x.csv") == String(cString: realpath(cwd, nil)) + "/x.csv")
    }
}

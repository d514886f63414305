import DLNEngine
import Foundation
import Testing

/// The README stands on its own and says what the program does: its flag table against
/// `dlntui run --help`, its preset table against `dlntui presets`, no path outside the repository.
/// (The key table is checked against the interface's key list in DLNTerminalTests/ReadmeKeysTests.)
@Suite struct ReadmeTests {
    static let text: String = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return (try? String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)) ?? ""
    }()

    /// The rows of the Markdown table whose header row starts with `| first |`, as cells.
    static func table(startingWith first: String) -> [[String]] {
        let lines = text.components(separatedBy: "\n")
        guard let start = lines.firstIndex(where: { $0.hasPrefix("| \(first) |") }) else { return [] }
        return lines[(start + 2)...].prefix { $0.hasPrefix("|") }.map { line in
            // Split on | not escaped as \|.
            var cells: [String] = [], cell = "", previous: Character = " "
            for c in line.dropFirst() {
                if c == "|" && previous != "\\" { cells.append(cell.trimmingCharacters(in: .whitespaces)); cell = "" } else { cell.append(c) }
                previous = c
            }
            return cells
        }
    }

    /// `--flag` and `-d`-style names in a text.
    static func flags(in s: String) -> Set<String> {
        let regex = try! NSRegularExpression(pattern: "(?<![\\w-])(--[a-z][a-z-]*|-[dNh])\\b")
        return Set(regex.matches(in: s, range: NSRange(s.startIndex..., in: s)).map { (s as NSString).substring(with: $0.range(at: 1)) })
    }

    @Test func theFlagTableListsEveryFlagOfRunAndNoOther() throws {
        let help = try Binary.run(["run", "--help"]).stdout
        let program = Self.flags(in: help).subtracting(["--help", "-h", "--version"])
        let documented = Set(Self.table(startingWith: "flag").compactMap { Self.flags(in: $0[0]).first })
        #expect(program.subtracting(documented).isEmpty, "missing from the README: \(program.subtracting(documented).sorted())")
        #expect(documented.subtracting(program).isEmpty, "not flags of run: \(documented.subtracting(program).sorted())")
        // The live interface's own flags are documented in its section.
        let live = Self.flags(in: try Binary.run(["live", "--help"]).stdout).subtracting(program).subtracting(["--help", "-h", "--version"])
        for flag in live { #expect(Self.text.contains("[\(flag)"), "live flag \(flag) not in the README") }
    }

    @Test func everyChoiceOfEveryFlagIsNamed() throws {
        let rows = Dictionary(Self.table(startingWith: "flag").map { (Self.flags(in: $0[0]).first ?? "", $0) }) { a, _ in a }
        let help = try Binary.run(["run", "--help"]).stdout
        for (flag, names) in [("--preset", Preset.all.map(\.name)), ("--init", InitKind.allCases.map(\.rawValue)),
                              ("--flow", FlowKind.allCases.map(\.rawValue)), ("--energy", EnergyKind.allCases.map(\.rawValue))] {
            let row = try #require(rows[flag]).joined(separator: " ")
            for name in names {
                #expect(row.contains("`\(name)`") || row.contains("|\(name)") || row.contains(" \(name)"), "README row \(flag) lacks \(name)")
                #expect(help.contains(name), "--help lacks \(name) for \(flag)")
            }
        }
    }

    @Test func thePresetTableMatchesDlntuiPresets() throws {
        let listing = try Binary.run(["presets"]).stdout.lines
        var program: [String: [String: String]] = [:]
        for line in listing {
            let fields = line.split(separator: "#")[0].split(separator: " ").map(String.init)
            program[fields[0]] = Dictionary(fields.dropFirst().compactMap { f -> (String, String)? in
                let kv = f.split(separator: "=", maxSplits: 1).map(String.init)
                return kv.count == 2 ? (kv[0], kv[1]) : nil
            }) { a, _ in a }
        }
        let rows = Self.table(startingWith: "preset")
        let names = rows.map { $0[0].split(separator: "`").first.map(String.init) ?? "" }
        #expect(Set(names) == Set(program.keys), "README \(names) vs dlntui presets \(program.keys.sorted())")
        for (name, row) in zip(names, rows) {
            guard let p = program[name] else { continue }
            // preset | energy | flow | d | N | beta | kappa | dt | steps | integrated by | start | shows
            #expect(row[2] == p["flow"], "\(name): flow \(row[2]) vs \(p["flow"] ?? "")")
            #expect(row[3] == p["d"], "\(name): d \(row[3]) vs \(p["d"] ?? "")")
            if name != "dyson" { #expect(row[4] == p["N"], "\(name): N \(row[4]) vs \(p["N"] ?? "")") }
            #expect(row[5] == p["beta"] && row[6] == p["kappa"], "\(name): beta, kappa")
            #expect(Double(row[7]) == Double(p["dt"] ?? ""), "\(name): dt \(row[7]) vs \(p["dt"] ?? "")")
            #expect(row[8] == p["steps"], "\(name): steps \(row[8]) vs \(p["steps"] ?? "")")
            // The integrator and, with a time horizon, its time and row spacing.
            #expect(row[9].hasPrefix(p["integrator"] ?? "?"), "\(name): integrated by \(row[9]) vs \(p["integrator"] ?? "")")
            if let u = p["until-time"], let h = p["every-time"] {
                #expect(row[9].contains("to t = \(u), a row every \(h)"), "\(name): \(row[9]) vs until-time \(u), every-time \(h)")
            }
        }
    }

    @Test func itStandsOnItsOwn() {
        #expect(!Self.text.isEmpty)
        for outside in ["../", "/work/", "shared/", "Issue 7", "issue 7"] {
            #expect(!Self.text.contains(outside), "the README mentions \(outside)")
        }
        #expect(Self.text.contains("G. Menon, *The geometry of the deep linear network*") && Self.text.contains("arXiv:2411.09004"))
        #expect(!Self.text.contains("the seed's generator"))
    }
}

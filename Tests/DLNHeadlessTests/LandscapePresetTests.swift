import DLNEngine
import Foundation
import Testing

/// The `landscape` preset's two runs, headless (`dlntui run --preset landscape --energy E`, as its
/// configurations are): on (14.1)'s energy free-energy descent runs off (sigma_1 growing about
/// linearly, E -> 0, F still falling), without a refused step; on the denoising energy it settles.
@Suite struct LandscapePresetTests {
    static func rows(_ energy: String) throws -> [[String: Double]] {
        let r = try Binary.run(["run", "--preset", "landscape", "--energy", energy, "--until-time", "300", "--every-time", "50"], timeout: 120)
        #expect(r.status == 0, "\(energy): \(r.stderr)")
        let lines = r.stdout.lines
        let header = lines[0].split(separator: ",").map(String.init)
        return lines.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, $0.split(separator: ",", omittingEmptySubsequences: false).map { Double($0) ?? .nan })) }
    }

    @Test func theTwoByTwoRunRunsOffAndTheDenoisingRunSettles() throws {
        let preset = Preset.named("landscape")!
        #expect(preset.compare == ["energy=two-by-two", "energy=denoise"])
        let off = try Self.rows("two-by-two")
        #expect(off.count == 7 && off.last!["time"] == 300)
        let sigma = off.map { $0["sigma_1"]! }, f = off.map { $0["free_energy"]! }
        // Growing at a steady rate (sigma_1 / t between 0.3 and 0.7 from t = 100 on) and never turning.
        #expect(zip(sigma, sigma.dropFirst()).allSatisfy { $0 < $1 }, "sigma_1 \(sigma)")
        for row in off.dropFirst(2) { #expect(abs(row["sigma_1"]! / row["time"]! - 0.5) < 0.2, "sigma_1 / t at \(row["time"]!): \(row["sigma_1"]! / row["time"]!)") }
        #expect(zip(f, f.dropFirst()).dropFirst().allSatisfy { $0 > $1 }, "F \(f)")
        #expect(off.last!["energy"]! < 1e-8, "E \(off.last!["energy"]!)")
        let settled = try Self.rows("denoise")
        let g = settled.map { $0["free_energy"]! }
        #expect(abs(g[g.count - 1] - g[g.count - 2]) < 1e-9, "denoise F \(g)")
        #expect(settled.last!["sigma_1"]! < 2)
    }
}

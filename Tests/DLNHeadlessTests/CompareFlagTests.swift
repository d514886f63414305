import Foundation
import Testing

/// `dlntui --compare`: a bad configuration is a usage error, said in words with status 2, before
/// any terminal is touched (so even without one).
@Suite struct CompareFlagTests {
    @Test func badConfigurationsExitTwoWithAClearMessage() throws {
        let cases: [([String], String)] = [
            (["--compare", "N=2"], "--compare needs 2 to 4 configurations (given 1)"),
            (["--compare", "N=1", "N=2", "N=3", "N=4", "N=5"], "--compare takes at most 4 configurations (given 5)"),
            (["--compare", "speed=2", "N=2"], "unknown key 'speed' in configuration 'speed=2' for --compare: expected one of energy, flow, N, beta"),
            (["--compare", "N=2", "N=four"], "invalid value 'four' for N in configuration 'N=four' for --compare"),
            (["--compare", "N=2", "kappa=-1"], "invalid value '-1' for kappa"),
            (["--compare", "N=2", "beta"], "'beta' is not key=value"),
            (["--compare", "N=2", "flow=rle-upstairs,N=inf"], "configuration 'flow=rle-upstairs,N=inf' for --compare: invalid value 'inf' for N"),
            (["--preset", "two-by-two", "--compare", "N=2", "energy=nothing"], "invalid value 'nothing' for energy"),
            // The flag rules hold for the keys: kappa on a flow that does not read it, --observed on denoise.
            (["--compare", "kappa=1", "kappa=2"], "configuration 'kappa=1' for --compare: --kappa 1 cannot be used with"),
            (["--observed", "0.5", "--compare", "N=2", "energy=denoise"], "configuration 'energy=denoise' for --compare: --observed 0.5 cannot be used with"),
            // Two configurations of the same parameters: one run drawn twice. Single runs and ensembles.
            (["--compare", "N=2", "N=2"], "configurations 'N=2' and 'N=2' for --compare resolve to the same parameters"),
            (["-N", "3", "--compare", "N=2", "beta=inf", "N=3"], "configurations 'beta=inf' and 'N=3' for --compare resolve to the same parameters"),
            (["--preset", "hyperbola", "--members", "20", "--compare", "N=2", "depth=2"], "configurations 'N=2' and 'depth=2' for --compare resolve to the same parameters"),
        ]
        for (arguments, want) in cases {
            let r = try Binary.run(arguments)
            #expect(r.status == 2, "\(arguments): status \(r.status), stderr \(r.stderr)")
            #expect(r.stderr.contains(want), "\(arguments): stderr \(r.stderr)")
            #expect(r.stdout.isEmpty, "\(arguments): nothing on standard output, got \(r.stdout)")
        }
    }

    @Test func goodConfigurationsPassTheChecksAndOnlyThenNeedATerminal() throws {
        // Without a terminal a valid comparison gets as far as the interface: status 64, not 2.
        for arguments in [["--compare", "N=2", "N=4"], ["--compare", "N=2", "N=3,beta=10", "flow=riemannian", "N=1"], ["--preset", "depth"],
                          ["--preset", "landscape"]] {
            let r = try Binary.run(arguments)
            #expect(r.status == 64 && r.stderr.contains("not a terminal"), "\(arguments): status \(r.status), stderr \(r.stderr)")
        }
        let help = try Binary.run(["live", "--help"])
        #expect(help.stdout.contains("--compare"))
    }
}

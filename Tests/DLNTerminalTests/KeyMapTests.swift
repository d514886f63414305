import DLNEngine
import Testing
@testable import DLNTerminal

/// Applies keys as the interface does: the key map's commands, then the worker's parameter edit.
func press(_ keys: String, _ p: Parameters, view: ViewState = ViewState()) -> (Parameters, ViewState) {
    var p = p, v = view
    for c in keys {
        let out = KeyMap.handle(.character(c), view: v)
        v = out.view
        for command in out.commands { p = command.applied(to: p) }
    }
    return (p, v)
}

@Suite struct KeyMapTests {
    /// The completion preset at its fixed step (dt is what - and + change; dopri5 takes them for rtol).
    let start: Parameters = {
        var p = Preset.named("completion")!.parameters
        p.useFixedStep()
        return p
    }()

    @Test func betaLadderReachesInfinityBothWays() {
        #expect(start.beta == .infinity)
        var (p, _) = press("b", start)
        #expect(p.beta == 1e6)
        (p, _) = press("b", p)
        #expect(p.beta == 5e5)
        (p, _) = press("B", p)
        #expect(p.beta == 1e6)
        (p, _) = press("B", p)
        #expect(p.beta == .infinity)
        (p, _) = press("B", p)
        #expect(p.beta == .infinity)
        // Halving many times stays positive (beta > 0 is required).
        (p, _) = press(String(repeating: "b", count: 200), p)
        #expect(p.beta == Ladders.betaFloor)
        #expect((try? p.validate()) != nil)
        // From 7e5 doubling passes 1e6: inf.
        var q = start
        q.beta = 7e5
        (q, _) = press("B", q)
        #expect(q.beta == .infinity)
    }

    @Test func kappaLadderThroughZero() {
        #expect(start.kappa == 0)
        var (p, _) = press("K", start)
        #expect(p.kappa == 1e-3)
        (p, _) = press("K", p)
        #expect(p.kappa == 2e-3)
        (p, _) = press("kk", p)
        #expect(p.kappa == 0)  // 2e-3 -> 1e-3 -> 5e-4 < 1e-3 -> 0
        (p, _) = press("k", p)
        #expect(p.kappa == 0)
        (p, _) = press("K", p)
        #expect(p.kappa == 1e-3)
    }

    @Test func depthStaysWithinOneToAThousand() {
        var (p, _) = press("N", start)
        #expect(p.depth == .finite(start.depth.factors! + 1))
        (p, _) = press(String(repeating: "n", count: 10), p)
        #expect(p.depth == 1)
        var q = start
        q.depth = 999
        (q, _) = press("NNN", q)
        #expect(q.depth == 1000)
        (q, _) = press("n", q)
        #expect(q.depth == 999)
    }

    @Test func downstairsDepthStepsPastAThousandToInfinity() {
        var p = start
        p.flow = .riemannian
        p.depth = 999
        (p, _) = press("NN", p)
        #expect(p.depth == Depth.infinite)
        (p, _) = press("N", p)
        #expect(p.depth == Depth.infinite)
        (p, _) = press("n", p)
        #expect(p.depth == .finite(Parameters.maxDepth))
        // The factor flows stop at 1000, also from inf.
        var q = start
        q.depth = Depth.infinite
        (q, _) = press("N", q)
        #expect(q.depth == .finite(Parameters.maxDepth))
    }

    @Test func dtHalvesAndDoubles() {
        var (p, _) = press("-", start)
        #expect(p.dt == start.dt / 2)
        (p, _) = press("+=", p)
        #expect(p.dt == start.dt * 2)
        (p, _) = press(String(repeating: "-", count: 100), p)
        #expect(p.dt == Ladders.dtFloor)
        #expect((try? p.validate()) != nil)
    }

    /// `f` cycles every flow the run's energy can take: dyson only on a denoise problem (the dyson
    /// preset's placeholder), as headless refuses `--flow dyson` with any other energy.
    @Test func flowKeyCyclesEveryFlowTheEnergyAllows() throws {
        for preset in ["completion", "sensing", "denoise", "dyson"] {
            let first = Preset.named(preset)!.parameters
            var p = first
            var seen: [FlowKind] = []
            repeat {
                seen.append(p.flow)
                (p, _) = press("f", p)
            } while p.flow != first.flow && seen.count <= FlowKind.allCases.count
            let fits = first.energy == .denoise
            #expect(Set(seen) == Set(FlowKind.allCases.filter { fits || $0 != .dyson }), "\(preset): \(seen)")
            #expect(seen.count == (fits ? FlowKind.allCases.count : FlowKind.allCases.count - 1), "\(preset)")
        }
    }

    @Test func helpClosesOnAnyKeyButQuitStillQuits() {
        var v = ViewState()
        var out = KeyMap.handle(.character("?"), view: v)
        #expect(out.view.helpShown)
        v = out.view
        out = KeyMap.handle(.character("b"), view: v)
        #expect(!out.view.helpShown)
        #expect(out.commands.isEmpty)  // the key only closed the help
        out = KeyMap.handle(.character("q"), view: v)
        #expect(out.quit)
    }

    @Test func viewKeysAndRunKeys() {
        let (_, v) = press("lw", start)
        #expect(!v.logSigma && v.recentWindow)
        #expect(KeyMap.handle(.character(" "), view: v).commands == [.togglePause])
        #expect(KeyMap.handle(.character("."), view: v).commands == [.stepOnce])
        #expect(KeyMap.handle(.character("R"), view: v).commands == [.restart(newSeed: true)])
        #expect(KeyMap.handle(.character("r"), view: v).commands == [.restart(newSeed: false)])
        #expect(KeyMap.handle(.character("p"), view: v).commands == [.nextPreset])
        #expect(KeyMap.handle(.character(">"), view: v).commands == [.faster])
        #expect(KeyMap.handle(.character("<"), view: v).commands == [.slower])
        #expect(KeyMap.handle(.character("t"), view: v).nextTheme)
        #expect(KeyMap.handle(.character("s"), view: v).saveSnapshot)
        #expect(KeyMap.handle(.resize, view: v) == KeyOutcome(view: v))
    }

    @Test func speedLadderFromOneToUnlimited() {
        var s: Double? = 1
        var visited: [Double?] = [s]
        while let current = s {
            s = Ladders.faster(current)
            visited.append(s)
        }
        #expect(visited.first! == 1 && visited.last! == nil)
        #expect(Ladders.slower(nil) == Ladders.speeds.last)
        #expect(Ladders.slower(1) == 1)
        // A preset's calibrated speed off the ladder steps to its neighbours.
        #expect(Ladders.faster(400) == 500 && Ladders.slower(400) == 200)
    }

    @Test func everyHelpedKeyIsHandled() {
        for (keys, _) in KeyMap.help {
            for token in keys.split(separator: " ") where token != "/" {
                let c: Character = token == "space" ? " " : token.first!
                let out = KeyMap.handle(.character(c), view: ViewState())
                let acted = out.quit || !out.commands.isEmpty || out.nextTheme || out.saveSnapshot || out.view != ViewState()
                #expect(acted, "key \(token)")
            }
        }
    }
}

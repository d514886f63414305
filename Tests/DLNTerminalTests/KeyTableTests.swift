import DLNEngine
import Testing
@testable import DLNTerminal

/// One key table feeds the handler, the help and the footer; the footer fits the width, the
/// message line wraps, `?` shows the last messages whole, the too-small screen takes only q.
@Suite struct KeyTableTests {
    /// The bottom two rows of a rendered screen.
    func footerRows(_ i: DashboardInput, width: Int, height: Int = 40) -> [String] {
        let rows = Dashboard.render(i, width: width, height: height).text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        return Array(rows.suffix(2))
    }

    @Test func everyKeyOfTheTableIsHandledAsTheTableSays() {
        var seen = Set<Character>()
        for binding in KeyTable.bindings {
            for (key, action) in binding.keys {
                #expect(!seen.contains(key), "key \(key) twice in the table")
                seen.insert(key)
                let out = KeyMap.handle(.character(key), view: ViewState())
                switch action {
                case .command(let c): #expect(out.commands == [c], "\(key)")
                case .quit: #expect(out.quit)
                case .help: #expect(out.view.helpShown)
                case .save: #expect(out.saveSnapshot)
                case .nextTheme: #expect(out.nextTheme)
                case .toggleLogAxis: #expect(!out.view.logSigma)
                case .toggleWindow: #expect(out.view.recentWindow)
                case .toggleEnsemble: #expect(out.view.ensemble)
                case .nextStatistic: #expect(out.view.statistic == 1)
                }
            }
        }
        // A key outside the table says so.
        #expect(KeyMap.handle(.character("z"), view: ViewState()).message?.contains("does nothing") == true)
    }

    @Test(arguments: [80, 100, 120, 140, 160, 200])
    func footerHintsFitTheWidthWholeAndDropTheLowestPriorityFirst(width: Int) throws {
        let frame = try offlineFrame(steps: 5)
        var i = input(frame)
        i.message = Notice(serial: 1, text: "short")
        let hints = footerRows(i, width: width)[0]
        let shown = KeyTable.footerHints(width: width - 1)
        // Every hint shown is whole: its keys and its word, and the line ends with the last one.
        for b in shown { #expect(hints.contains(b.footerLabel + " " + b.hint!), "\(width): \(b.label)") }
        #expect(hints.trimmingCharacters(in: .whitespaces).hasSuffix(shown.last!.footerLabel + " " + shown.last!.hint!), "\(width): \(hints)")
        // Dropped hints have a priority no better than any shown one's.
        let dropped = KeyTable.bindings.filter { b in b.hint != nil && !shown.contains { $0.label == b.label } }
        if let best = dropped.map(\.priority).min() { #expect(shown.allSatisfy { $0.priority <= best }, "\(width)") }
        #expect(shown.contains { $0.hint == "quit" } && shown.contains { $0.hint == "help" } && shown.contains { $0.hint == "pause" })
        if width >= 170 { #expect(dropped.isEmpty) }
    }

    @Test func aLongMessageWrapsOntoTheHintRowAndQuestionMarkShowsItAll() throws {
        let frame = try offlineFrame(steps: 5)
        var i = input(frame)
        let long = "step 1234 rejected at dt = 0.8, rolled back to step 1200 (||W|| 1.7, was 512 at step 1234): lower dt with - and resume with space; factor W_1 diverged (grew 1000-fold in one step, or past 1e+100)"
        i.message = Notice(serial: 2, text: long, warning: true)
        let rows = footerRows(i, width: 120)
        let joined = rows.map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
        #expect(joined == long, "\(rows)")
        // Longer than two rows: the end is pointed to `?`, whose overlay has the message whole.
        let longer = long + "; " + long
        i.message = Notice(serial: 3, text: longer, warning: true)
        #expect(footerRows(i, width: 120)[1].contains("? shows all"))
        i.messages = [Notice(serial: 1, text: "theme: line 3: unknown key 'x'"), i.message!]
        i.view.helpShown = true
        let screen = Dashboard.render(i, width: 160, height: 50).text
        for line in Dashboard.wrap(longer, width: Dashboard.helpTextWidth(screenWidth: 160)) {
            #expect(screen.contains(line), "the help lacks '\(line)'")
        }
        #expect(screen.contains("theme: line 3: unknown key 'x'") && screen.contains("last messages"))
    }

    @Test func onTheTooSmallScreenOnlyQActs() {
        for binding in KeyTable.bindings {
            for (key, action) in binding.keys {
                let out = KeyMap.handle(.character(key), view: ViewState(), tooSmall: true)
                if action == .quit {
                    #expect(out.quit)
                } else {
                    #expect(out == KeyOutcome(view: ViewState()), "key \(key) acted on the too-small screen")
                }
            }
        }
        #expect(Dashboard.isTooSmall(width: 79, height: 40) && Dashboard.isTooSmall(width: 120, height: 23) && !Dashboard.isTooSmall(width: 80, height: 24))
    }

    /// The message comes from what was applied: "W kept" only when W was kept.
    @Test func flowMessagesSayWhatChanged() throws {
        var p = Preset.named("completion")!.parameters
        p.flow = .rleUpstairs
        p.depth = 3  // the messages below name N 3 -> 2
        let sim = try Simulation(parameters: p)
        for _ in 0..<5 { try sim.advance() }
        let into = try sim.apply(Command.nextFlow.edit(from: sim.parameters)!)
        #expect(sim.parameters.flow == .buresWasserstein)
        let text = EditMessage.text(into, by: .nextFlow)
        #expect(!text.contains("W kept") && !text.contains("N kept") && text.contains("N 3 -> 2") && text.contains("positive semidefinite")
                && text.contains("next f restores"), "\(text)")
        #expect(Command.depthUp.edit(from: sim.parameters) == nil && Command.depthUp.limitText(sim.parameters).contains("N is 2"))
        let out = try sim.apply(Command.nextFlow.edit(from: sim.parameters)!)
        let back = EditMessage.text(out, by: .nextFlow)
        #expect(back.contains("N 2 -> 3") && back.contains("restored"), "\(back)")
        var q = Preset.named("completion")!.parameters
        q.flow = .riemannian
        let kept = try Simulation(parameters: q)
        #expect(EditMessage.text(try kept.apply(.flow(.freeEnergy)), by: .nextFlow) == "flow: free-energy, W and N kept")
    }

    /// `i` cycles the integrator through the worker's one edit path; under dopri5 `-` / `+` halve
    /// and double rtol (dt is then only the first step); a flow with noise keeps euler.
    @Test func theIntegratorKeyProducesTheEditAndDopri5TakesRtolKeys() throws {
        guard case .command(let cycle) = KeyTable.action(for: "i") else { Issue.record("i is not a command"); return }
        var p = Preset.named("completion")!.parameters
        p.flow = .riemannian; p.size = 5; p.targetRank = 2
        p.useFixedStep()  // the cycle from euler
        let sim = try Simulation(parameters: p)
        var seen: [IntegratorKind] = []
        for _ in 0..<4 {
            let edit = try #require(cycle.edit(from: sim.parameters))
            let applied = try sim.apply(edit)
            seen.append(sim.parameters.integrator)
            #expect(EditMessage.text(applied, by: cycle).hasPrefix("integrator: \(sim.parameters.integrator.rawValue)"))
            try sim.advance()
            #expect(sim.steppingIntegrator.kind == sim.parameters.integrator)
        }
        #expect(seen == [.heun, .rk4, .dopri5, .euler])
        #expect(sim.edits.map(\.parameter) == ["integrator", "integrator", "integrator", "integrator"])

        var q = sim.parameters
        q.integrator = .dopri5; q.rtol = 1e-6
        guard case .command(let down) = KeyTable.action(for: "-"), case .command(let up) = KeyTable.action(for: "+") else { return }
        #expect(down.edit(from: q) == .rtol(5e-7) && up.edit(from: q) == .rtol(2e-6))
        q.integrator = .rk4
        #expect(down.edit(from: q) == .dt(q.dt / 2))

        var noisy = Preset.named("langevin")!.parameters
        noisy.integrator = .euler
        #expect(cycle.edit(from: noisy) == nil && cycle.limitText(noisy).contains("keeps euler"))
    }
}

import DLNEngine
import DLNOutput

/// What a snapshot's sidecar says of a comparison: every run, first (the one the rows and the rest
/// of the sidecar describe) first, with its label, its configuration in `--compare`'s form, and the
/// values of every comparison key it started from and runs with now; one problem and seed for all.
enum ComparisonSidecar {
    /// The sidecar's extra entries: none for a single run.
    static func entries(_ frame: WorkerFrame) -> [(String, String)] {
        guard !frame.others.isEmpty else { return [] }
        let now = frame.runParameters
        let starts = [frame.start ?? frame.snapshot.parameters] + frame.others.map { $0.start ?? $0.snapshot.parameters }
        let labels = Comparison.labels(starts), specs = Comparison.specs(starts)
        let indent = "    "
        let runs = starts.indices.map { i -> String in
            let start = Comparison.keys.map { ($0, JSON.string(Comparison.value($0, starts[i]))) }
            let current = Comparison.keys.map { ($0, JSON.string(Comparison.value($0, now[i]))) }
            let o = i == 0 ? frame.snapshot.observation : frame.others[i - 1].snapshot.observation
            return JSON.object([
                ("label", JSON.string(labels[i])),
                ("compare", JSON.string(specs[i])),
                ("start", JSON.object(start, indent: indent + "  ")),
                ("now", JSON.object(current, indent: indent + "  ")),
                ("effective_rank", JSON.number(o.effectiveRank)),
                ("energy", JSON.number(o.energy)),
                ("error", o.error.map(JSON.number) ?? "null"),
            ], indent: indent)
        }
        return [("comparison", "[\n" + runs.map { indent + $0 }.joined(separator: ",\n") + "\n  ]"),
                ("comparison_rows", JSON.string("the rows are the first run's (\(labels[0])); rerun another with dlntui run and its configuration's flags"))]
    }
}

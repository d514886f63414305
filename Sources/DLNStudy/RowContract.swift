import DLNEngine
import DLNOutput
import Synchronization

/// The observables of a study, read off the row contract of `dlntui run` (`Rows.csvHeader`,
/// `Rows.csvLine`) by name, so a column appended to the contract flows into summary.csv and
/// quantiles.csv with no change here, and a member's values are the bytes its `run` row holds.
struct RowContract: Sendable {
    /// Every column of the contract after `step` and `time`.
    let names: [String]
    /// Positions in `names` of the quantities summarised over members at each saved time: the
    /// energy, every error column, the effective and numerical ranks and every sigma_k.
    let quantities: [Int]
    /// Position of `numerical_rank` in `names`.
    let numericalRank: Int?

    /// The contract of size d, built once per size (a member's set-up built it from the header's
    /// text each time: 150k instructions, 7% of a 2 x 2 member of 2,000 steps).
    static func of(size d: Int) -> RowContract {
        if let c = cache.withLock({ $0[d] }) { return c }
        let c = RowContract(size: d)
        cache.withLock { $0[d] = c }
        return c
    }
    private static let cache = Mutex<[Int: RowContract]>([:])

    init(size d: Int) {
        var header = Rows.csvHeader(size: d)
        if header.hasSuffix("\n") { header.removeLast() }
        let all = header.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let names = Array(all.dropFirst(2))
        self.names = names
        quantities = names.indices.filter { Self.isQuantity(names[$0]) }
        numericalRank = names.firstIndex(of: "numerical_rank")
    }

    static func isQuantity(_ name: String) -> Bool {
        name == "energy" || name.hasPrefix("error") || name == "effective_rank" || name == "numerical_rank"
            || name.hasPrefix("sigma_")
    }

    /// The contract's row text for an observation, without the newline.
    static func line(_ o: Observation) -> String {
        var line = Rows.csvLine(o)
        if line.hasSuffix("\n") { line.removeLast() }
        return line
    }

    /// The fields of a row after `step` and `time`.
    static func observables(ofLine line: Substring) -> [Substring] {
        Array(line.split(separator: ",", omittingEmptySubsequences: false).dropFirst(2))
    }

    /// A field as a number (inf, -inf, nan as written by %.17g); nil for an empty field.
    static func number(_ field: Substring) -> Double? {
        field.isEmpty ? nil : Double(field)
    }
}

import DLNCharts

/// The charts a run's rows can show, by the names `dlntui plot --charts` takes: the dashboard's
/// charts (singular values, energy, entropy, free energy, ranks, the balance defect) and the ground
/// truth's error when the rows hold it.
public enum RunChart: String, CaseIterable, Sendable {
    case sigma
    case energy
    case entropy
    case freeEnergy = "free-energy"
    case rank
    case error
    case balance

    public static var names: [String] { allCases.map(\.rawValue) }

    /// Whether the rows hold what the chart draws: free energy only where it differs from E (finite
    /// beta), the error where a ground truth gave values, the balance defect upstairs.
    public func supported(by t: RowTable) -> Bool {
        switch self {
        case .sigma, .energy, .entropy, .rank: return true
        case .freeEnergy:
            guard let f = t.column("free_energy"), let e = t.column("energy") else { return false }
            return zip(f, e).contains { $0 != $1 && !($0.isNaN && $1.isNaN) }
        case .error: return t.hasData("error")
        case .balance: return t.hasData("balance_defect")
        }
    }
}

/// Chart models of a run's rows, one per chart asked for.
public struct RunCharts {
    public var table: RowTable
    public var sidecar: SidecarInfo?
    /// nil: each chart's own default (log while the values are positive, linear otherwise).
    public var scale: AxisScale?

    public init(table: RowTable, sidecar: SidecarInfo?, scale: AxisScale?) {
        self.table = table
        self.sidecar = sidecar
        self.scale = scale
    }

    var times: [Double] { table.column("time") ?? [] }
    var dyson: Bool { sidecar?.value("flow") == "dyson" }
    var timeTitle: String { sidecar?.value("time_scale") == "depth" ? "time t (depth-normalised, t/N)" : "time t" }

    func positiveScale(_ columns: [[Double]]) -> AxisScale {
        if let scale { return scale }
        return columns.allSatisfy { $0.allSatisfy { !($0 <= 0) } } ? .log10 : .linear
    }

    func last(_ ys: [Double]) -> String? { ys.last(where: { !$0.isNaN }).map(Ticks.short) }

    func fitted(_ title: String, _ yTitle: String, _ series: [Series], scale: AxisScale, includeZero: Bool = false,
                references: [ReferenceLine] = []) -> ChartModel {
        let legend = series.map { LegendEntry(label: $0.label, style: $0.style, value: last($0.ys)) }
        return ChartModel.fitted(title: title, xTitle: timeTitle, yTitle: yTitle + (scale == .log10 ? " (log)" : ""),
                                 series: series, scale: scale, includeZero: includeZero, references: references,
                                 legend: legend, maxXTicks: 6, maxYTicks: 6, widen: true)
    }

    public func model(_ chart: RunChart) -> ChartModel {
        let t = times
        switch chart {
        case .sigma:
            let sigma = table.sigma
            let name = dyson ? "x" : "σ"
            let series = sigma.enumerated().map { k, ys in Series(label: "\(name)\(k + 1)", xs: t, ys: ys, style: k) }
            // Dyson's eigenvalues are signed: a log axis would hide half of them.
            let s = scale ?? (dyson ? .linear : .log10)
            let refs = (sidecar?.targetSigma ?? []).enumerated().map { k, v in ReferenceLine(value: v, label: "target σ\(k + 1) \(Ticks.short(v))") }
            return fitted(dyson ? "eigenvalues x_k(t) of M" : "singular values σ_k(t)", dyson ? "x_k" : "σ_k", series,
                          scale: s, includeZero: s == .linear && !dyson, references: dyson ? [] : refs)
        case .energy:
            let e = table.column("energy") ?? []
            return fitted("energy E(t)", "E(W)", [Series(label: "E", xs: t, ys: e, style: 0)], scale: positiveScale([e]))
        case .entropy:
            let s = table.column("entropy") ?? []
            return fitted("entropy S(t)", "S(W)", [Series(label: "S", xs: t, ys: s, style: 0)], scale: scale ?? .linear)
        case .freeEnergy:
            let f = table.column("free_energy") ?? []
            let beta = sidecar?.value("beta").map { ", β = \($0)" } ?? ""
            return fitted("free energy F(t)\(beta)", "F_β = E − S/β", [Series(label: "F", xs: t, ys: f, style: 0)], scale: positiveScale([f]))
        case .rank:
            let eff = table.column("effective_rank") ?? [], num = table.column("numerical_rank") ?? []
            let stable = table.column("stable_rank") ?? []
            return fitted("ranks", "rank", [
                Series(label: "effective", xs: t, ys: eff, style: 0),
                Series(label: "numerical", xs: t, ys: num, style: 1, steps: true),
                Series(label: "stable", xs: t, ys: stable, style: 2),
            ], scale: scale ?? .linear, includeZero: (scale ?? .linear) == .linear)
        case .error:
            var series = [Series(label: "error", xs: t, ys: table.column("error") ?? [], style: 0)]
            if table.hasData("error_unobserved") {
                series.append(Series(label: "unobserved", xs: t, ys: table.column("error_unobserved")!, style: 1))
            }
            return fitted("error against the ground truth", "‖W − A‖_F / ‖A‖_F", series, scale: positiveScale(series.map(\.ys)))
        case .balance:
            let b = table.column("balance_defect") ?? []
            return fitted("balance defect", "‖G‖ (balance)", [Series(label: "balance", xs: t, ys: b, style: 0)], scale: positiveScale([b]))
        }
    }
}

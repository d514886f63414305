import DLNEngine

/// The row formats of `dlntui run` (and of the interface's snapshots): one row per recorded step.
public enum RowFormat: String, CaseIterable, Sendable {
    case csv
    case jsonl
}

public enum Rows {
    /// `step,time,energy,entropy,free_energy,effective_rank,numerical_rank,stable_rank,balance_defect,sigma_1,...,sigma_d,error,error_unobserved`:
    /// columns are only ever appended, so scripts that index the older ones keep working.
    public static func csvHeader(size d: Int) -> String {
        let fixed = "step,time,energy,entropy,free_energy,effective_rank,numerical_rank,stable_rank,balance_defect"
        return fixed + (1...max(d, 1)).map { ",sigma_\($0)" }.joined() + ",error,error_unobserved\n"
    }

    /// Numbers with %.17g, infinities as inf / -inf, the balance defect empty where it does not apply.
    public static func csvLine(_ o: Observation) -> String {
        var s = "\(o.step)," + NumberFormat.g17(o.time)
        for v in observables(o) { s += "," + (v.map { NumberFormat.g17($0) } ?? "") }
        return s + "\n"
    }

    /// The CSV row's columns after `step` and `time`, as numbers (nil where the row is empty): the
    /// values a study keeps per member, taken here without formatting and reading back the text
    /// (%.17g reads back to the same double, so the two agree bit for bit; a whole integer such
    /// as the numerical rank prints as the integer).
    public static func observables(_ o: Observation) -> [Double?] {
        var v: [Double?] = [o.energy, o.entropy, o.freeEnergy, o.effectiveRank, Double(o.numericalRank), o.stableRank,
                            o.balanceDefect]
        v.reserveCapacity(v.count + o.sigma.count + 2)
        for x in o.sigma { v.append(x) }
        v.append(o.error)
        v.append(o.errorUnobserved)
        return v
    }

    /// One JSON object with the CSV's keys, `sigma` as an array, null where a value does not apply,
    /// the strings "inf" / "-inf" for infinities.
    public static func jsonLine(_ o: Observation) -> String {
        var s = "{\"step\":\(o.step)"
        s += ",\"time\":" + JSON.number(o.time)
        s += ",\"energy\":" + JSON.number(o.energy)
        s += ",\"entropy\":" + JSON.number(o.entropy)
        s += ",\"free_energy\":" + JSON.number(o.freeEnergy)
        s += ",\"effective_rank\":" + JSON.number(o.effectiveRank)
        s += ",\"numerical_rank\":\(o.numericalRank)"
        s += ",\"stable_rank\":" + JSON.number(o.stableRank)
        s += ",\"balance_defect\":" + (o.balanceDefect.map { JSON.number($0) } ?? "null")
        s += ",\"sigma\":[" + o.sigma.map { JSON.number($0) }.joined(separator: ",") + "]"
        s += ",\"error\":" + (o.error.map { JSON.number($0) } ?? "null")
        s += ",\"error_unobserved\":" + (o.errorUnobserved.map { JSON.number($0) } ?? "null") + "}"
        return s + "\n"
    }

    public static func header(_ format: RowFormat, size d: Int) -> String {
        format == .csv ? csvHeader(size: d) : ""
    }

    public static func line(_ format: RowFormat, _ o: Observation) -> String {
        format == .csv ? csvLine(o) : jsonLine(o)
    }
}

/// Just enough JSON writing for rows and sidecars.
public enum JSON {
    /// %.17g for finite numbers; "inf", "-inf", "nan" as strings (JSON has no literals for them).
    public static func number(_ x: Double) -> String {
        x.isFinite ? NumberFormat.g17(x) : "\"\(NumberFormat.g17(x))\""
    }

    public static func string(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    out += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count)
                        + String(scalar.value, radix: 16)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// An object from ordered key / already-encoded value pairs.
    public static func object(_ pairs: [(String, String)], indent: String = "") -> String {
        if pairs.isEmpty { return "{}" }
        let inner = indent + "  "
        return "{\n" + pairs.map { inner + string($0.0) + ": " + $0.1 }.joined(separator: ",\n") + "\n" + indent + "}"
    }
}

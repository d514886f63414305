import DLNEngine
import Foundation

/// A sidecar read back (`dlntui run --from`): the start, the edit log, the data files with their
/// hashes, and how far the recorded rows go.
public struct RecordedSession: Sendable {
    public var start: Parameters
    public var edits: [LiveEdit]
    public var inputs: [InputFile]
    /// The step the snapshot was saved at, or the steps a headless run did.
    public var lastStep: Int?
    public var version: String?
    /// The step a live session's snapshot was saved at (`saved_at_step`); nil for a headless run's sidecar.
    public var savedAtStep: Int?
    /// A snapshot's row spacing (`row_stride`): the rerun's default `every`, so its rows are the snapshot's.
    public var rowStride: Int?
    /// The absolute path each data file had when the session read it (`inputs[].absolute_path`).
    public var absolutePaths: [String: String] = [:]

    /// Parses a sidecar's text; errors name the key at fault.
    public init(json text: String, path: String) throws(ReplayError) {
        let object: Any
        do { object = try JSONSerialization.jsonObject(with: Data(text.utf8)) } catch {
            throw ReplayError("\(path): not valid JSON (a sidecar is the .json file written beside the rows)")
        }
        guard let top = object as? [String: Any] else { throw ReplayError("\(path): not a JSON object") }
        version = top["version"] as? String
        guard let start = top["start"] as? [String: Any] else {
            throw ReplayError("\(path): no \"start\" object (sidecars before dlntui 0.3.0 record only the end's parameters): it cannot be rerun exactly")
        }
        self.start = try Self.parameters(start, path: path)
        guard let list = top["edits"] as? [Any] else { throw ReplayError("\(path): no \"edits\" list") }
        edits = try list.enumerated().map { (i, item) throws(ReplayError) -> LiveEdit in
            guard let e = item as? [String: Any], let step = Self.integer(e["step"]), let parameter = e["parameter"] as? String,
                  let value = Self.value(e["value"]) else {
                throw ReplayError("\(path): edit \(i + 1) is not an object with an integer \"step\", a \"parameter\" and a \"value\"")
            }
            let entry = LiveEdit(step: step, parameter: parameter, value: value, cause: e["cause"] as? String)
            // An edit's value in its own kind (JSON does not tell 1e6 from the integer 1000000).
            return entry.edit.map { LiveEdit(step: step, edit: $0, cause: entry.cause) } ?? entry
        }
        inputs = ((top["inputs"] as? [Any]) ?? []).compactMap { item in
            guard let f = item as? [String: Any], let role = f["role"] as? String, let p = f["path"] as? String else { return nil }
            return InputFile(role: role, path: p, sha256: f["sha256"] as? String)
        }
        for case let f as [String: Any] in (top["inputs"] as? [Any]) ?? [] {
            if let role = f["role"] as? String, let absolute = f["absolute_path"] as? String { absolutePaths[role] = absolute }
        }
        rowStride = Self.integer(top["row_stride"])
        savedAtStep = Self.integer(top["saved_at_step"])
        lastStep = savedAtStep ?? Self.integer(top["steps_done"])
    }

    public init(path: String) throws(ReplayError) {
        guard let data = FileManager.default.contents(atPath: path) else {
            var isDirectory: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
            throw ReplayError("\(path): " + (!exists ? "no such file" : isDirectory.boolValue ? "is a directory"
                : access(path, R_OK) != 0 ? "permission denied" : "cannot be read"))
        }
        try self.init(json: String(decoding: data, as: UTF8.self), path: path)
    }

    /// The start's data files as this process must open them: the absolute path recorded, else a
    /// relative path taken from the sidecar's folder (a session run elsewhere is rerun from here).
    public mutating func resolvePaths(sidecar: String) {
        let folder = OutputPreflight.parent(of: OutputClashes.resolved(sidecar))
        func resolved(_ role: String, _ path: String?) -> String? {
            guard let path else { return nil }
            if let absolute = absolutePaths[role], FileManager.default.fileExists(atPath: absolute) { return absolute }
            return path.hasPrefix("/") ? path : OutputClashes.resolved(folder + "/" + path)
        }
        start.targetPath = resolved("target", start.targetPath)
        start.maskPath = resolved("mask", start.maskPath)
        start.initialPath = resolved("initial", start.initialPath)
        inputs = inputs.map { f in
            let now = f.role == "target" ? start.targetPath : f.role == "mask" ? start.maskPath : start.initialPath
            return InputFile(role: f.role, path: now ?? f.path, sha256: f.sha256)
        }
    }

    /// The data files the start still names whose bytes changed since the session: one message each.
    public func changedInputs(_ p: Parameters) -> [String] {
        let now = [("target", p.targetPath), ("mask", p.maskPath), ("initial", p.initialPath)]
        return inputs.compactMap { f -> String? in
            guard let recorded = f.sha256, now.contains(where: { $0.0 == f.role && $0.1 == f.path }) else { return nil }
            guard let current = SHA256.hex(ofFile: f.path) else {
                return "--\(f.role) \(f.path): " + (FileManager.default.fileExists(atPath: f.path) ? "cannot be read any more" : "no such file")
            }
            return current == recorded ? nil
                : "--\(f.role) \(f.path) changed since the session (SHA-256 \(recorded.prefix(12))... recorded, \(current.prefix(12))... now)"
        }
    }

    static func integer(_ x: Any?) -> Int? {
        // Not `x is Bool`: on Linux an NSNumber 0 or 1 from JSON is a Bool too (N = 1 was refused);
        // JSON's true and false are the ones whose type is a C char.
        guard let n = x as? NSNumber, String(cString: n.objCType) != "c" else { return nil }
        let d = n.doubleValue
        guard d == d.rounded(), abs(d) < 9.007e15 else { return nil }
        return n.intValue
    }

    static func double(_ x: Any?) -> Double? {
        if let s = x as? String { return ["inf", "infinity"].contains(s) ? .infinity : s == "-inf" ? -.infinity : nil }
        return (x as? NSNumber).map(exactDouble)
    }

    /// The Double a JSON number's text names. Foundation reads a long mantissa such as %.17g's
    /// 9.9999999999999995e-07 as an NSDecimalNumber whose doubleValue is off by ulps
    /// (1.0000000000000002e-06): a dopri5 run's rtol then differed on `run --from`. Its decimal
    /// text, parsed by Double, is correctly rounded.
    static func exactDouble(_ n: NSNumber) -> Double {
        if let d = n as? NSDecimalNumber, let x = Double(d.stringValue) { return x }
        return n.doubleValue
    }

    static func value(_ x: Any?) -> EditValue? {
        if let s = x as? String { return .text(s) }
        guard let n = x as? NSNumber else { return nil }
        // JSON's 3 and 3.0 are one number: integers stay integers (N, rollback targets), and an
        // integral beta or dt reads back as the same Double either way.
        let text = "\(n)"
        if !text.contains(".") && !text.contains("e") && !text.contains("E"), let i = integer(n) { return .integer(i) }
        return .number(exactDouble(n))
    }

    /// `Sidecar.fields` read back.
    static func parameters(_ o: [String: Any], path: String) throws(ReplayError) -> Parameters {
        func need<T>(_ key: String, _ read: (Any?) -> T?) throws(ReplayError) -> T {
            guard let v = read(o[key]) else { throw ReplayError("\(path): start.\(key) is missing or not the right kind of value") }
            return v
        }
        func optional<T>(_ key: String, _ read: (Any?) -> T?) throws(ReplayError) -> T? {
            if o[key] == nil || o[key] is NSNull { return nil }
            return try need(key, read)
        }
        func word<T: RawRepresentable>(_ key: String, _ type: T.Type) throws(ReplayError) -> T where T.RawValue == String {
            try need(key) { ($0 as? String).flatMap(T.init(rawValue:)) }
        }
        var p = Parameters()
        p.preset = try optional("preset") { $0 as? String }
        p.energy = try word("energy", EnergyKind.self)
        p.flow = try word("flow", FlowKind.self)
        p.size = try need("d", integer)
        p.depth = try need("N") { x in
            if let text = x as? String { return Depth(text).flatMap { $0.isInfinite ? $0 : nil } }  // "inf", not "3"
            return integer(x).map(Depth.finite)
        }
        p.timeScale = try word("time_scale", TimeScale.self)
        p.beta = try need("beta", double)
        p.kappa = try need("kappa", double)
        p.dt = try need("dt", double)
        p.steps = try need("steps", integer)
        p.every = try need("every", integer)
        p.untilEnergy = try optional("until_energy", double)
        p.seed = try need("seed") { ($0 as? NSNumber)?.uint64Value }
        p.initialization = try word("init", InitKind.self)
        p.initScale = try need("init_scale", double)
        p.observed = try need("observed", double)
        p.targetRank = try need("target_rank", integer)
        p.noise = try need("noise", double)
        p.measurements = try optional("measurements", integer)
        p.rankTol = try need("rank_tol", double)
        p.member = try optional("member", integer)
        // Sidecars before the integrators (0.3.0) have no integrator: every run then was euler.
        p.integrator = try optional("integrator") { ($0 as? String).flatMap(IntegratorKind.init(rawValue:)) } ?? .euler
        p.rtol = try optional("rtol", double) ?? p.rtol
        p.atol = try optional("atol", double) ?? p.atol
        // Sidecars before --lift have none: every riemannian run then stepped W itself.
        p.lift = try optional("lift") { ($0 as? String).flatMap(Lift.init(rawValue:)) } ?? .ambient
        p.untilTime = try optional("until_time", double)
        p.everyTime = try optional("every_time", double)
        p.targetPath = try optional("target") { $0 as? String }
        p.maskPath = try optional("mask") { $0 as? String }
        p.initialPath = try optional("initial") { $0 as? String }
        return p
    }
}

import Foundation

/// What a figure takes from a row file's sidecar (ROWS.json beside it), read defensively: any JSON
/// object is accepted and whatever is found is used. The run's parameters come from `start` (the
/// values the run started from) or else `parameters`; the seed and version from the top level or
/// those objects; a target's singular values from any number array whose key names the target's
/// sigma or singular values.
public struct SidecarInfo: Sendable, Equatable {
    /// Parameter name and value as text, in the order a caption lists them.
    public var parameters: [(key: String, value: String)] = []
    public var version: String?
    public var seed: String?
    public var targetSigma: [Double] = []
    public var editCount = 0
    /// The sidecar's file name (not its folder: the same rows elsewhere give the same figure).
    public var name: String?

    public init() {}

    public static func == (a: SidecarInfo, b: SidecarInfo) -> Bool {
        a.parameters.map(\.key) == b.parameters.map(\.key) && a.parameters.map(\.value) == b.parameters.map(\.value)
            && a.version == b.version && a.seed == b.seed && a.targetSigma == b.targetSigma && a.editCount == b.editCount
    }

    public func value(_ key: String) -> String? { parameters.first { $0.key == key }?.value }

    /// Caption order: the parameters that define a run first, the rest by name.
    static let order = ["preset", "energy", "flow", "d", "N", "time_scale", "beta", "kappa", "dt", "steps", "every", "seed", "init"]

    /// The sidecar at `path`, nil if there is none; a file that is not a JSON object is an error
    /// the caller reports (it is named beside the rows, so it was meant to describe them).
    public static func read(path: String) throws -> SidecarInfo? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let data = FileManager.default.contents(atPath: path),
              let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw SidecarError(path: path)
        }
        var info = SidecarInfo()
        info.name = (path as NSString).lastPathComponent
        let params = (object["start"] as? [String: Any]) ?? (object["parameters"] as? [String: Any]) ?? (object["spec"] as? [String: Any]) ?? [:]
        let keys = order.filter { params[$0] != nil } + params.keys.filter { !order.contains($0) }.sorted()
        for k in keys {
            if let text = Self.text(params[k]!) { info.parameters.append((k, text)) }
        }
        info.version = object["version"] as? String
        info.seed = (object["seed"]).flatMap(Self.text) ?? info.value("seed")
        if let edits = object["edits"] as? [Any] { info.editCount = edits.count }
        info.targetSigma = Self.targetSigma(in: object) ?? []
        return info
    }

    /// A scalar as short text (numbers as the rows print them, strings as they are); nil for
    /// objects, arrays and null.
    static func text(_ raw: Any) -> String? {
        if raw is NSNull { return nil }
        if type(of: raw) == Bool.self { return (raw as! Bool) ? "true" : "false" }
        // JSON's true and false come back on Linux as NSNumbers of ObjC type "c" (they read as 0 and 1).
        if let n = raw as? NSNumber, String(cString: n.objCType) == "c" { return n.boolValue ? "true" : "false" }
        if let s = raw as? String { return s }
        if let i = raw as? Int { return String(i) }
        if let d = raw as? Double { return d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) : String(d) }
        return nil
    }

    static func targetSigma(in object: [String: Any]) -> [Double]? {
        for key in object.keys.sorted() {
            let k = key.lowercased()
            if k.contains("target") && (k.contains("sigma") || k.contains("singular")),
               let array = object[key] as? [Any] {
                let values = array.compactMap { ($0 as? Double) ?? ($0 as? Int).map(Double.init) }
                if values.count == array.count && !values.isEmpty { return values }
            }
            if let inner = object[key] as? [String: Any], let found = targetSigma(in: inner) { return found }
        }
        return nil
    }
}

public struct SidecarError: Error, CustomStringConvertible {
    public let path: String
    public var description: String { "\(path): not a JSON object (a sidecar describes the rows beside it)" }
}

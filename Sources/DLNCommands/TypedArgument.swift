import ArgumentParser
import DLNEngine
import DLNOutput

/// A value as the user typed it: messages quote the text (`--dt 1e-1000` is refused as
/// '1e-1000', not as the 0.0 it rounds to). Options of this type are parsed with
/// `.unconditional`, so `--beta -1` reads -1 as the value rather than as a flag.
struct Typed<Value: LosslessStringConvertible & Sendable>: ExpressibleByArgument, Sendable {
    let value: Value
    let text: String

    init?(argument: String) {
        guard let v = Value(argument) else { return nil }
        value = v
        text = argument
    }
}

/// --seed: any integer is read, so a negative one gets the range message instead of "invalid".
struct SeedArgument: ExpressibleByArgument, Sendable {
    let value: UInt64?
    let text: String

    init?(argument: String) {
        if let v = UInt64(argument) {
            value = v
        } else if Int(argument) != nil || (Double(argument).map { $0.rounded() == $0 } ?? false) {
            value = nil  // an integer out of range: refused by `check`
        } else {
            return nil
        }
        text = argument
    }

    func check() throws -> UInt64 {
        guard let value else {
            throw ValidationError("invalid value '\(text)' for --seed: expected an integer in 0...\(UInt64.max)")
        }
        return value
    }
}

extension ParameterError {
    /// The same error quoting the user's text for its flag, when the user gave one.
    func quoting(_ typed: [String: String]) -> ParameterError {
        guard let text = typed[flag] else { return self }
        return ParameterError(flag: flag, accepted: accepted, given: text)
    }
}

/// --format: csv or jsonl, refused by the parser (status 64, the choices listed) otherwise.
extension RowFormat: ExpressibleByArgument {}

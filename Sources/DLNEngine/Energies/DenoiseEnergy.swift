/// Denoising: every entry observed, E = 1/2 ||W - Y||_F^2 with Y the (possibly noisy) observation.
public final class DenoiseEnergy: Energy {
    public let kind = EnergyKind.denoise
    public let observation: Matrix

    public init(observation: Matrix) { self.observation = observation }

    public var size: Int { observation.rows }

    public func value(_ w: Matrix) -> Double {
        var e = 0.0
        for k in 0..<w.storage.count {
            let r = w.storage[k] - observation.storage[k]
            e += r * r
        }
        return 0.5 * e
    }

    public func gradient(_ w: Matrix, into g: inout Matrix) {
        g.copy(from: w)
        g.add(observation, scaledBy: -1)
    }
}

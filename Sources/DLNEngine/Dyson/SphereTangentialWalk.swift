import Foundation

/// The example of section 11.2: dm = P_m dW in R^d (11.10), P_m = I - m m^T / |m|^2, stepped by
/// Euler-Maruyama. Every increment is tangent to the sphere through m, yet Ito's formula gives
/// d|m|^2 = tr(P_m) dt = (d - 1) dt, so r = |m| grows deterministically, dr/dt = (d-1)/(2r) (11.11):
/// the spheres move by minus one half their mean curvature. In the scheme too, m . P_m dW = 0, so
/// |m_{n+1}|^2 = |m_n|^2 + |P_m dW|^2 exactly.
public struct SphereTangentialWalk: Sendable {
    public private(set) var position: [Double]

    public init(position m: [Double]) {
        precondition(m.contains { $0 != 0 }, "the walk starts off the origin")
        position = m
    }

    public var radius: Double { position.reduce(0) { $0 + $1 * $1 }.squareRoot() }

    public mutating func step(dt: Double, rng: inout Xoshiro256) {
        let s = dt.squareRoot()
        let dw = position.map { _ in s * rng.gaussian() }
        var mm = 0.0, mw = 0.0
        for i in position.indices {
            mm += position[i] * position[i]
            mw += position[i] * dw[i]
        }
        let c = mw / mm
        for i in position.indices { position[i] += dw[i] - c * position[i] }
    }
}

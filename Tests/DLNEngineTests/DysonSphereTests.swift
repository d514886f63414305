import Foundation
import Testing
@testable import DLNEngine

/// Section 11.2: tangential noise dm = P_m dW (11.10) moves the radius deterministically,
/// dr/dt = (d-1)/(2r) (11.11), i.e. r_t^2 = r_0^2 + (d-1) t.
@Suite("Dyson Brownian motion: tangential noise on a sphere")
struct DysonSphereTests {
    @Test("mean r_t follows r' = (d-1)/(2r), to within standard errors 50x smaller than the effect",
          arguments: [2, 3, 5])
    func radiusGrowsByMeanCurvature(dimension d: Int) {
        let r0 = 1.0, dt = 1e-3, paths = 400
        let checkpoints = [250, 500, 1000]  // t = 0.25, 0.5, 1
        var rng = Xoshiro256(seed: 9500 + UInt64(d))
        var radii = [[Double]](repeating: [], count: checkpoints.count)
        var worstTangent = 0.0
        for _ in 0..<paths {
            var start = (0..<d).map { _ in rng.gaussian() }
            let norm = start.reduce(0) { $0 + $1 * $1 }.squareRoot()
            start = start.map { r0 * $0 / norm }
            var walk = SphereTangentialWalk(position: start)
            for step in 1...checkpoints.last! {
                let before = walk.position
                walk.step(dt: dt, rng: &rng)
                var dot = 0.0
                for i in 0..<d { dot += before[i] * (walk.position[i] - before[i]) }
                worstTangent = max(worstTangent, abs(dot))
                if let k = checkpoints.firstIndex(of: step) { radii[k].append(walk.radius) }
            }
        }
        #expect(worstTangent < 1e-14, "every increment is tangent to the sphere through m")
        func meanAndError(_ sample: [Double]) -> (Double, Double) {
            let n = Double(sample.count)
            let mean = sample.reduce(0, +) / n
            let variance = sample.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)
            return (mean, (variance / n).squareRoot())
        }
        for (k, step) in checkpoints.enumerated() {
            let t = Double(step) * dt
            let exact = (r0 * r0 + Double(d - 1) * t).squareRoot()
            let (mean, error) = meanAndError(radii[k])
            #expect(abs(mean - exact) < 4 * error, "d=\(d) t=\(t): z = \((mean - exact) / error)")
            // Power: a walk without the Ito drift (r constant, the naive reading of 'tangential
            // steps stay on the sphere') would be off by more than 50 standard errors.
            #expect(exact - r0 > 50 * error)
            // In the scheme |m_{n+1}|^2 - |m_n|^2 = |P_m dW|^2, a sum of (d-1) n chi-square(1) dt^2:
            // its spread is sqrt(2 (d-1) t dt), so r_t is deterministic as dt -> 0.
            let squares = radii[k].map { $0 * $0 }
            let meanSquare = squares.reduce(0, +) / Double(paths)
            let variance = squares.reduce(0) { $0 + ($1 - meanSquare) * ($1 - meanSquare) } / Double(paths - 1)
            let ratio = variance / (2 * Double(d - 1) * t * dt)
            #expect(abs(ratio - 1) < 4 * (2 / Double(paths - 1)).squareRoot(), "d=\(d) t=\(t): ratio \(ratio)")
        }
    }
}

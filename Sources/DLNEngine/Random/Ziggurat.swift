import Foundation

/// The standard normal by the ziggurat method (Marsaglia and Tsang 2000, in Doornik's 2005 form):
/// 128 layers of equal area V under exp(-x^2 / 2), the base layer holding the tail beyond R. One
/// 64-bit draw gives a uniform u in [-1, 1) (53 bits) and a layer i (7 other bits); u x_i is returned
/// at once when |u| < x_{i+1} / x_i, which is 99% of draws, so a variate costs a multiply and a
/// compare where Box-Muller pays a logarithm, a sine and a cosine. The Wiener increments use it: at
/// d = 256 a Langevin step draws 65,536 of them.
enum Ziggurat {
    static let layers = 128
    /// Where the tail starts, and each layer's area (Marsaglia and Tsang's constants for 128 layers).
    static let r = 3.442619855899
    static let area = 9.91256303526217e-3

    /// x_0 = V / f(R) (the base layer's width, as if it were a rectangle), x_1 = R, ..., x_128 = 0;
    /// and the ratios x_{i+1} / x_i.
    struct Tables: Sendable {
        let x: [Double]
        let ratio: [Double]
    }

    static let tables: Tables = {
        var x = [Double](repeating: 0, count: layers + 1)
        var f = exp(-0.5 * r * r)
        x[0] = area / f
        x[1] = r
        for i in 2..<layers {
            // Layer i - 1 has area V: x_{i-1} (f(x_i) - f(x_{i-1})) = V.
            x[i] = (-2 * log(area / x[i - 1] + f)).squareRoot()
            f = exp(-0.5 * x[i] * x[i])
        }
        x[layers] = 0
        return Tables(x: x, ratio: (0..<layers).map { x[$0 + 1] / x[$0] })
    }()
}

extension Xoshiro256 {
    /// A standard normal variate by the ziggurat (see `Ziggurat`).
    @inline(__always)
    private mutating func zigguratGaussian(_ x: UnsafePointer<Double>, _ ratio: UnsafePointer<Double>) -> Double {
        while true {
            let bits = next()
            let u = Double(bits >> 11) * 0x1.0p-52 - 1
            let i = Int(bits & 0x7F)
            if abs(u) < ratio[i] { return u * x[i] }
            if i == 0 { return tail(negative: u < 0) }
            // The wedge between layer i's rectangle and the curve: accept under the curve.
            let v = u * x[i]
            let f0 = exp(-0.5 * (x[i] * x[i] - v * v))
            let f1 = exp(-0.5 * (x[i + 1] * x[i + 1] - v * v))
            if f1 + uniform() * (f0 - f1) < 1 { return v }
        }
    }

    /// Beyond R (Marsaglia 1964): x = -log(u1) / R, accepted when -2 log(u2) >= x^2.
    private mutating func tail(negative: Bool) -> Double {
        while true {
            var u1 = uniform(), u2 = uniform()
            while u1 == 0 { u1 = uniform() }
            while u2 == 0 { u2 = uniform() }
            let x = log(u1) / Ziggurat.r
            let y = log(u2)
            if -2 * y >= x * x { return negative ? x - Ziggurat.r : Ziggurat.r - x }
        }
    }

    /// Fills m with independent N(0, scale^2) entries by the ziggurat (the Wiener increments).
    public mutating func fillGaussian(_ m: inout Matrix, scale: Double = 1) {
        let t = Ziggurat.tables
        t.x.withUnsafeBufferPointer { x in
            t.ratio.withUnsafeBufferPointer { ratio in
                m.storage.withUnsafeMutableBufferPointer { out in
                    for k in 0..<out.count { out[k] = scale * zigguratGaussian(x.baseAddress!, ratio.baseAddress!) }
                }
            }
        }
    }

    /// n independent standard normal variates by the ziggurat (for tests and scripts).
    public mutating func zigguratSample(_ n: Int) -> [Double] {
        var m = Matrix(rows: 1, cols: n)
        fillGaussian(&m)
        return m.storage
    }
}

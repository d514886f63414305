/// A rectangle of cells; layout is arithmetic on these and nothing else.
public struct Rect: Hashable, Sendable, CustomStringConvertible {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = max(0, width)
        self.height = max(0, height)
    }

    public static let zero = Rect(x: 0, y: 0, width: 0, height: 0)

    public var isEmpty: Bool { width <= 0 || height <= 0 }
    public var right: Int { x + width }
    public var bottom: Int { y + height }
    public var description: String { "\(width)x\(height)+\(x)+\(y)" }

    public func inset(_ n: Int) -> Rect { inset(horizontal: n, vertical: n) }

    public func inset(horizontal h: Int, vertical v: Int) -> Rect {
        Rect(x: x + h, y: y + v, width: width - 2 * h, height: height - 2 * v)
    }

    public func intersection(_ other: Rect) -> Rect {
        let x0 = max(x, other.x), y0 = max(y, other.y)
        let x1 = min(right, other.right), y1 = min(bottom, other.bottom)
        return Rect(x: x0, y: y0, width: x1 - x0, height: y1 - y0)
    }

    /// A rectangle of at most the given size centred in this one.
    public func centred(width w: Int, height h: Int) -> Rect {
        let w = min(w, width), h = min(h, height)
        return Rect(x: x + (width - w) / 2, y: y + (height - h) / 2, width: w, height: h)
    }

    /// The top `n` rows and the rest.
    public func splitTop(_ n: Int) -> (Rect, Rect) {
        let n = min(max(0, n), height)
        return (Rect(x: x, y: y, width: width, height: n), Rect(x: x, y: y + n, width: width, height: height - n))
    }

    public func splitBottom(_ n: Int) -> (Rect, Rect) {
        let (top, bottom) = splitTop(height - min(max(0, n), height))
        return (top, bottom)
    }

    /// The left `n` columns and the rest.
    public func splitLeft(_ n: Int) -> (Rect, Rect) {
        let n = min(max(0, n), width)
        return (Rect(x: x, y: y, width: n, height: height), Rect(x: x + n, y: y, width: width - n, height: height))
    }

    public func splitRight(_ n: Int) -> (Rect, Rect) {
        splitLeft(width - min(max(0, n), width))
    }

    /// `count` columns of near-equal width covering this rectangle exactly (the first ones one wider).
    public func columns(_ count: Int) -> [Rect] {
        guard count > 0 else { return [] }
        let base = width / count, extra = width % count
        var cx = x
        return (0..<count).map { i in
            let w = base + (i < extra ? 1 : 0)
            defer { cx += w }
            return Rect(x: cx, y: y, width: w, height: height)
        }
    }

    public func rows(_ count: Int) -> [Rect] {
        guard count > 0 else { return [] }
        let base = height / count, extra = height % count
        var cy = y
        return (0..<count).map { i in
            let h = base + (i < extra ? 1 : 0)
            defer { cy += h }
            return Rect(x: x, y: cy, width: width, height: h)
        }
    }
}

/// Colours as data (btop's format): a name and one colour per key, every key present. Keys a
/// file leaves out keep the built-in default's colour.
public struct Theme: Sendable, Equatable {
    public var name: String
    /// Where it was read from; nil for the built-in default.
    public var path: String?
    public private(set) var colors: [String: Color]

    public init(name: String, path: String? = nil, colors: [String: Color]) {
        self.name = name
        self.path = path
        var all = Theme.builtInColors
        for (k, v) in colors where Theme.builtInColors[k] != nil { all[k] = v }
        self.colors = all
    }

    public func color(_ key: Key) -> Color { colors[key.rawValue] ?? .terminal }

    public func rgb(_ key: Key, fallback: RGB) -> RGB {
        if case .rgb(let c) = color(key) { return c }
        return fallback
    }

    public mutating func set(_ key: String, _ color: Color) {
        if colors[key] != nil { colors[key] = color }
    }

    /// The colour of the k-th singular value's series (k from 0), cycling through series1...8.
    public func series(_ k: Int) -> Color {
        colors["series\(k % 8 + 1)"] ?? .terminal
    }

    /// Every key a theme file may set, with what it colours (themes/README.md lists the same).
    public enum Key: String, CaseIterable, Sendable {
        case mainBg = "main_bg"
        case mainFg = "main_fg"
        case title
        case hiFg = "hi_fg"
        case inactiveFg = "inactive_fg"
        case divLine = "div_line"
        case messageFg = "message_fg"
        case warningFg = "warning_fg"
        case pausedFg = "paused_fg"
        case series1, series2, series3, series4, series5, series6, series7, series8
        case energy
        case freeEnergy = "free_energy"
        case entropy
        case effectiveRank = "effective_rank"
        case numericalRank = "numerical_rank"
        case heatNeg = "heat_neg"
        case heatMid = "heat_mid"
        case heatPos = "heat_pos"

        public var meaning: String {
            switch self {
            case .mainBg: return "background of the whole screen; \"\" keeps the terminal's own"
            case .mainFg: return "ordinary text and values"
            case .title: return "box titles"
            case .hiFg: return "key names in the footer and the help overlay"
            case .inactiveFg: return "secondary text: parameter names, axis labels"
            case .divLine: return "box borders and chart axes"
            case .messageFg: return "the message line"
            case .warningFg: return "warnings (theme errors, a rejected step)"
            case .pausedFg: return "the paused state in the panel"
            case .series1, .series2, .series3, .series4, .series5, .series6, .series7, .series8:
                return "singular value sigma_k, k = 1...8, 9...16 (cycled)"
            case .energy: return "energy E(t)"
            case .freeEnergy: return "free energy F(t)"
            case .entropy: return "entropy S(t)"
            case .effectiveRank: return "effective rank (Roy-Vetterli)"
            case .numericalRank: return "numerical rank"
            case .heatNeg: return "heat map of W: most negative entry"
            case .heatMid: return "heat map of W: zero"
            case .heatPos: return "heat map of W: most positive entry"
            }
        }
    }

    /// The dark default, also used when no theme file is found (themes/default.theme matches it).
    static let builtInColors: [String: Color] = [
        "main_bg": .rgb(RGB(hex: 0x1C1E26)),
        "main_fg": .rgb(RGB(hex: 0xD8DEE9)),
        "title": .rgb(RGB(hex: 0xEEEEEE)),
        "hi_fg": .rgb(RGB(hex: 0xF0A04B)),
        "inactive_fg": .rgb(RGB(hex: 0x8A93A6)),
        "div_line": .rgb(RGB(hex: 0x4C566A)),
        "message_fg": .rgb(RGB(hex: 0xA3BE8C)),
        "warning_fg": .rgb(RGB(hex: 0xFF6B6B)),
        "paused_fg": .rgb(RGB(hex: 0xEBCB8B)),
        "series1": .rgb(RGB(hex: 0x5FB3F9)),
        "series2": .rgb(RGB(hex: 0xF78C6C)),
        "series3": .rgb(RGB(hex: 0xC3E88D)),
        "series4": .rgb(RGB(hex: 0xC792EA)),
        "series5": .rgb(RGB(hex: 0xFFCB6B)),
        "series6": .rgb(RGB(hex: 0x89DDFF)),
        "series7": .rgb(RGB(hex: 0xFF5370)),
        "series8": .rgb(RGB(hex: 0xB2CCD6)),
        "energy": .rgb(RGB(hex: 0x5FB3F9)),
        "free_energy": .rgb(RGB(hex: 0xF0A04B)),
        "entropy": .rgb(RGB(hex: 0xC792EA)),
        "effective_rank": .rgb(RGB(hex: 0xC3E88D)),
        "numerical_rank": .rgb(RGB(hex: 0xFF5370)),
        "heat_neg": .rgb(RGB(hex: 0x3D7EFF)),
        "heat_mid": .rgb(RGB(hex: 0x1C1E26)),
        "heat_pos": .rgb(RGB(hex: 0xFF5A36)),
    ]

    public static let builtIn = Theme(name: "built-in", colors: [:])
}

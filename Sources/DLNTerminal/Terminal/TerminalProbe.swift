import CNcurses
import Foundation

/// What the terminal named by TERM can show, read from its terminfo entry without drawing: for
/// `dlntui doctor`. ncurses is started on /dev/null, so no escape sequence reaches the screen.
public enum TerminalProbe {
    public struct Report: Sendable {
        /// TERM, or nil when unset or empty.
        public let term: String?
        /// Whether standard output is a terminal.
        public let isTerminal: Bool
        /// The colour depth the live interface would use; nil without a usable terminfo entry.
        public let depth: ColorDepth?
        /// terminfo's `colors` (-1 when absent).
        public let colors: Int
        /// The locale's character set after setlocale(LC_ALL, ""), e.g. "UTF-8" or "ANSI_X3.4-1968".
        public let codeset: String
        /// Braille and box drawing need it; otherwise the interface draws ASCII.
        public var utf8: Bool { codeset.uppercased().replacingOccurrences(of: "-", with: "") == "UTF8" }
    }

    public static func probe(environment: [String: String]) -> Report {
        setlocale(LC_ALL, "")
        let codeset = String(cString: dln_codeset())
        let tty = isatty(STDOUT_FILENO) == 1
        guard let term = environment["TERM"], !term.isEmpty,
            let out = fopen("/dev/null", "w")
        else { return Report(term: nil, isTerminal: tty, depth: nil, colors: -1, codeset: codeset) }
        defer { fclose(out) }
        guard let input = fopen("/dev/null", "r") else {
            return Report(term: term, isTerminal: tty, depth: nil, colors: -1, codeset: codeset)
        }
        defer { fclose(input) }
        guard let screen = newterm(term, out, input) else {
            return Report(term: term, isTerminal: tty, depth: nil, colors: -1, codeset: codeset)
        }
        let hasColors = has_colors()
        let colors = Int(tigetnum("colors"))
        let rgb = dln_has_rgb() == 1
        endwin()
        delscreen(screen)
        let depth = ColorDepth.detect(
            noColor: environment["NO_COLOR"], hasColors: hasColors, colors: colors, rgbCapability: rgb)
        return Report(term: term, isTerminal: tty, depth: depth, colors: colors, codeset: codeset)
    }
}

import CNcurses
import Foundation

/// The only code that talks to ncurses, always from one thread: starts and ends curses, sends
/// the cells of a frame that changed since the last one, reads keys with a timeout.
final class CursesScreen {
    let depth: ColorDepth
    private var previous: Buffer?
    private var pairs: [UInt64: Int32] = [:]
    private var background: (fg: Color, bg: Color) = (.terminal, .terminal)
    private(set) var ended = false

    private init(depth: ColorDepth) { self.depth = depth }

    /// Why curses could not start.
    enum StartFailure: Error {
        /// No terminfo entry for TERM.
        case unknownTerminal
        /// The entry has no cursor addressing (TERM=dumb): a dashboard cannot be drawn.
        case noCursorAddressing
    }

    static func start(environment: [String: String] = ProcessInfo.processInfo.environment) -> Result<CursesScreen, StartFailure> {
        guard let screen = dln_newterm() else { return .failure(.unknownTerminal) }
        guard dln_can_address_cursor() == 1 else {
            // Nothing has been drawn yet; put the tty back and forget the screen.
            endwin()
            delscreen(screen)
            return .failure(.noCursorAddressing)
        }
        cbreak()
        noecho()
        nonl()
        keypad(dln_stdscr(), true)
        leaveok(dln_stdscr(), true)
        curs_set(0)
        set_escdelay(25)
        let hasColors = has_colors()
        if hasColors {
            start_color()
            use_default_colors()
        }
        let depth = ColorDepth.detect(noColor: environment["NO_COLOR"], hasColors: hasColors, colors: Int(dln_colors()),
                                      rgbCapability: dln_has_rgb() == 1)
        TerminalGuard.setCursesActive(true)
        return .success(CursesScreen(depth: depth))
    }

    var width: Int { Int(dln_cols()) }
    var height: Int { Int(dln_lines()) }

    /// The next frame is sent whole (after a resize, a theme change, a resume).
    func invalidate() {
        previous = nil
        clearok(dln_stdscr(), true)
    }

    /// Colours change meaning with a new theme: forget the pairs.
    func resetColors(background fg: Color, _ bg: Color) {
        pairs.removeAll()
        background = (fg, bg)
        dln_set_background(pair(fg, bg))
        invalidate()
    }

    private func pair(_ fg: Color, _ bg: Color) -> Int32 {
        guard depth.isColor else { return 0 }
        var f = depth.number(fg)
        let b = depth.number(bg)
        // Two theme colours that land on the same terminal colour would hide the text.
        if f == b && f != -1 && fg != bg { f = -1 }
        if f == -1 && b == -1 { return 0 }
        let key = UInt64(UInt32(bitPattern: f)) << 32 | UInt64(UInt32(bitPattern: b))
        if let p = pairs[key] { return p }
        let p = max(0, alloc_pair(f, b))
        pairs[key] = p
        return p
    }

    private func attributes(_ a: Attributes) -> attr_t {
        var out = dln_a_normal()
        if a.contains(.bold) { out |= dln_a_bold() }
        if a.contains(.dim) { out |= dln_a_dim() }
        if a.contains(.reverse) { out |= dln_a_reverse() }
        if a.contains(.underline) { out |= dln_a_underline() }
        return out
    }

    /// Sends the cells that differ from the last frame and updates the terminal once.
    func flush(_ buffer: Buffer) {
        guard !ended else { return }
        let changed = buffer.changes(from: previous)
        let w = buffer.width
        for i in changed {
            let cell = buffer.cells[i]
            let y = Int32(i / w), x = Int32(i % w)
            // The bottom-right cell cannot advance the cursor: ERR is expected there.
            _ = dln_put_cell(y, x, wchar_t(bitPattern: cell.scalar.value), attributes(cell.attributes), pair(cell.fg, cell.bg))
        }
        wnoutrefresh(dln_stdscr())
        doupdate()
        previous = buffer
    }

    func readKey(timeoutMilliseconds ms: Int) -> Key? {
        var value: UInt32 = 0
        switch dln_read_key(Int32(max(0, ms)), &value) {
        case 0:
            guard let scalar = Unicode.Scalar(value) else { return .function(Int32(bitPattern: value)) }
            return .character(Character(scalar))
        case 1:
            return Int32(bitPattern: value) == dln_key_resize() ? .resize : .function(Int32(bitPattern: value))
        default:
            return nil
        }
    }

    /// Ctrl-Z: leaves curses, stops the process, and on `fg` sends the next frame whole (the shell
    /// may have drawn over the screen meanwhile). The next refresh resumes curses.
    func suspend() {
        guard !ended else { return }
        if isendwin() == false { endwin() }
        TerminalGuard.stopSelf()
        // Back in program mode at once (keys unechoed even before the next frame), at the window's
        // size now: a resize while stopped went to the shell.
        _ = dln_sync_window_size()
        invalidate()
        doupdate()
    }

    /// Ends curses once (endwin twice garbles the shell).
    func end() {
        guard !ended else { return }
        ended = true
        if isendwin() == false { endwin() }
        TerminalGuard.setCursesActive(false)
    }
}

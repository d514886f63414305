import Foundation

/// The terminal taken for a full-screen loop and given back however the loop ends: the tty's
/// settings saved, the signal handlers that restore them installed, curses started; after the loop
/// (or a failure to start) curses ended and the settings restored. The replays' one way in; the
/// live interface keeps its own, which also tells TERM=dumb from a terminal it cannot drive.
enum FullScreen {
    /// The loop's result as an exit status: 0 on `q`, 128 + the signal that ended it; 64 when the
    /// terminal's settings cannot be read, 1 when curses cannot drive it (both said on stderr).
    static func run(environment: [String: String], _ loop: (CursesScreen) -> Int32) -> Int32 {
        guard TerminalGuard.save() else {
            FileHandle.standardError.write(Data("dlntui: cannot read the terminal's settings\n".utf8))
            return 64
        }
        TerminalGuard.installSignalHandlers()
        let screen: CursesScreen
        switch CursesScreen.start(environment: environment) {
        case .success(let s): screen = s
        case .failure:
            TerminalGuard.restore()
            FileHandle.standardError.write(Data("dlntui: cannot drive this terminal (TERM=\(environment["TERM"] ?? "")); try TERM=xterm\n".utf8))
            return 1
        }
        let signal = loop(screen)
        screen.end()
        TerminalGuard.restore()
        return signal == 0 ? 0 : 128 + signal
    }
}

import CTerminalGuard

/// The tty's state from before curses, restored on every way out: `q`, a quit signal, a crash.
/// The state is CTerminalGuard's, one C static for the process.
enum TerminalGuard {
    /// Saves the tty settings; false when stdin is not a terminal.
    static func save() -> Bool { dln_tty_save() == 0 }

    static func restore() { dln_tty_restore() }

    /// SIGINT/SIGTERM/SIGHUP and SIGTSTP set flags for the main loop; crash signals restore and re-raise.
    static func installSignalHandlers() { dln_install_signal_handlers() }

    /// Whether Ctrl-Z was pressed since the last call.
    static func takeSuspendRequest() -> Bool { dln_take_suspend_request() != 0 }

    /// Stops the process (as the default SIGTSTP would) with the tty as it was before curses;
    /// returns once the shell continues it.
    static func stopSelf() {
        restore()
        dln_stop_self()
    }

    /// The quit signal received, 0 if none.
    static var pendingSignal: Int32 { dln_pending_quit_signal() }

    /// Whether a crash must also reset the screen (leave the alternate screen, show the cursor).
    static func setCursesActive(_ on: Bool) { dln_set_curses_active(on ? 1 : 0) }
}

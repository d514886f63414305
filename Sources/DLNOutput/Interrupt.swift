import Foundation
import Synchronization

/// SIGINT / SIGTERM during a headless run: the handler only raises a flag; the run loop sees it
/// between steps, flushes what it has and exits with 128 + the signal number.
public enum Interrupt {
    private static let received = Atomic<Int32>(0)

    public static func install() {
        let handler: @convention(c) (Int32) -> Void = { signal in
            Interrupt.received.store(signal, ordering: .relaxed)
        }
        var action = sigaction()
        action.__sigaction_handler.sa_handler = handler
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0
        sigaction(SIGINT, &action, nil)
        sigaction(SIGTERM, &action, nil)
        // A parent may start us with these blocked (Foundation's Process does); unblock them here.
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        sigaddset(&set, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }

    /// The signal received so far, or nil.
    public static var pending: Int32? {
        let s = received.load(ordering: .relaxed)
        return s == 0 ? nil : s
    }
}

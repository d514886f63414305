import CTerminalGuard
import Foundation
import Synchronization

/// What other threads see of a worker's thread: the messages sent to it, a stop request, and the
/// thread itself. The worker thread takes what was sent between its steps or rounds and sleeps
/// until its next deadline or the next message, whichever comes first. The live worker and the
/// ensemble worker both run on one.
final class WorkerThread<Message>: @unchecked Sendable {
    private let condition = NSCondition()
    private var inbox: [Message] = []
    private var stopping = false
    private let finished = DispatchSemaphore(value: 0)
    /// Set while a message or the stop request waits: a loop of steps polls it without the lock.
    let pending = Atomic<Bool>(false)

    func send(_ messages: [Message]) {
        guard !messages.isEmpty else { return }
        condition.lock()
        inbox += messages
        pending.store(true, ordering: .releasing)
        condition.signal()
        condition.unlock()
    }

    func start(name: String, _ body: @escaping @Sendable () -> Void) {
        let thread = Thread { [self] in
            // Resize, job-control and quit signals belong to the thread that runs curses.
            dln_block_async_signals()
            body()
            finished.signal()
        }
        thread.name = name
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// Asks the thread to stop and waits (at most `timeout` seconds) for its body to return.
    @discardableResult
    func stop(timeout: Double) -> Bool {
        condition.lock()
        stopping = true
        pending.store(true, ordering: .releasing)
        condition.signal()
        condition.unlock()
        return finished.wait(timeout: .now() + timeout) == .success
    }

    /// On the worker thread: the messages sent since the last call, and whether to stop.
    func take() -> (messages: [Message], stop: Bool) {
        condition.lock()
        defer { condition.unlock() }
        let messages = inbox
        inbox.removeAll()
        pending.store(false, ordering: .releasing)
        return (messages, stopping)
    }

    /// On the worker thread: sleeps `seconds` (for ever if infinite) unless a message or the stop
    /// request is waiting, or until one arrives.
    func sleep(_ seconds: Double) {
        condition.lock()
        if inbox.isEmpty && !stopping {
            if seconds.isFinite {
                _ = condition.wait(until: Date(timeIntervalSinceNow: seconds))
            } else {
                condition.wait()
            }
        }
        condition.unlock()
    }
}

import Synchronization

/// The most recent value published by one thread for another to read: a writer never waits for a
/// reader beyond one copy under the lock.
public final class Latest<Value: Sendable>: Sendable {
    private let slot: Mutex<Value?>

    public init(_ initial: Value? = nil) { slot = Mutex(initial) }

    public func publish(_ value: Value) { slot.withLock { $0 = value } }

    public func read() -> Value? { slot.withLock { $0 } }
}

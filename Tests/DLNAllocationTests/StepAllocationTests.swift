import AllocationCounter
import DLNEngine
import Foundation
import MallocInterposerSwift
import Testing

/// The calling thread's allocator calls (malloc, calloc, realloc, posix_memalign, ...) made while
/// `body` runs. malloc-interposer sees every thread's calls; its hook runs on the allocating thread
/// and feeds a thread-local tally, so tests running in parallel on other threads cannot pollute the
/// count. The body is synchronous, so it stays on the thread that reads the tally.
func mallocCalls(_ body: () throws -> Void) rethrows -> Int {
    MallocInterposerSwift.setAllocationHook(allocation_counter_record)
    MallocInterposerSwift.hook()
    defer {
        MallocInterposerSwift.unhook()
        MallocInterposerSwift.setAllocationHook(nil)
    }
    let before = allocation_counter_thread_count()
    try body()
    return Int(allocation_counter_thread_count() - before)
}

/// One configuration of a run whose steps are counted.
struct StepCase: CustomTestStringConvertible, Sendable {
    var flow: FlowKind
    var size: Int
    var depth: Int
    var energy: EnergyKind = .completion
    /// A finite beta (and kappa > 0) switches on the diffusion and the entropic drift.
    var noisy: Bool

    var testDescription: String {
        "\(flow.rawValue) \(energy.rawValue) d=\(size) N=\(depth) \(noisy ? "beta=50 kappa=1" : "beta=inf")"
    }

    var parameters: Parameters {
        var p = Parameters()
        p.flow = flow
        p.energy = energy
        p.size = size
        p.depth = .finite(flow == .buresWasserstein ? 2 : depth)
        p.targetRank = min(2, size)
        p.initialization = flow == .dyson ? .evenlySpaced : .balanced
        p.initScale = 1
        p.dt = 1e-3
        if noisy {
            p.beta = 50
            p.kappa = 1
        }
        return p
    }

    /// Both sides of `BLAS.smallSize` (hand-written products below, cblas above) and of LAPACK's
    /// small-matrix paths.
    static let sizes = [2, 4, 8, 16, 40]

    static func all(_ flow: FlowKind) -> [StepCase] {
        // rle-upstairs is slow in a debug build at d = 40 (seconds); at d = 16 it already uses cblas.
        let sizes = flow == .rleUpstairs ? sizes.filter { $0 <= 16 } : sizes
        let cases = sizes.flatMap { d in [false, true].map { StepCase(flow: flow, size: d, depth: 4, noisy: $0) } }
        // N = 1: the factor flows' loops over p = 1 ..< N are empty.
        return flow.isUpstairs ? cases + [StepCase(flow: flow, size: 4, depth: 1, noisy: true)] : cases
    }
}

/// Issue 7: "the inner step allocates nothing (preallocated workspaces)". Each case warms a run up
/// (the first step sizes the integrator's buffers), then counts the allocator calls of
/// `measuredSteps` further steps. Serialized: the interposer's on/off switch is process-wide.
@Suite(.serialized)
struct StepAllocationTests {
    static let warmUpSteps = 3
    static let measuredSteps = 40

    /// The allocator calls of `measuredSteps` steps after warm-up.
    static func stepAllocations(_ c: StepCase) throws -> Int {
        let sim = try Simulation(parameters: c.parameters)
        for _ in 0..<warmUpSteps { try sim.advance() }
        return try mallocCalls {
            for _ in 0..<measuredSteps { try sim.advance() }
        }
    }

    static func expectNoAllocations(_ c: StepCase, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let calls = try stepAllocations(c)
        #expect(calls == 0, "\(calls) allocator calls in \(measuredSteps) steps", sourceLocation: sourceLocation)
    }

    @Test("the counter sees an allocating loop (positive control)")
    func counterCountsAllocations() {
        var sink = 0
        let calls = mallocCalls {
            for k in 1...25 {
                let a = [Double](repeating: Double(k), count: 64 + k)
                sink &+= a.count
            }
        }
        #expect(sink > 0)
        #expect(calls >= 25)
    }

    @Test("the counter ignores other threads' allocations")
    func counterIsPerThread() {
        let started = DispatchSemaphore(value: 0)
        let stop = ManagedAtomicFlag()
        let other = Thread {
            started.signal()
            var sink = 0
            while !stop.isSet {
                let a = [Int](repeating: 1, count: 128)
                sink &+= a.count
            }
            stop.record(sink)
        }
        other.start()
        started.wait()
        let calls = mallocCalls { usleep(20_000) }
        stop.set()
        #expect(calls == 0)
        #expect(stop.waitForRecord() > 0)
    }

    @Test("upstairs steps allocate nothing", arguments: StepCase.all(.upstairs))
    func upstairs(_ c: StepCase) throws { try Self.expectNoAllocations(c) }

    @Test("rle-upstairs steps allocate nothing", arguments: StepCase.all(.rleUpstairs))
    func rleUpstairs(_ c: StepCase) throws { try Self.expectNoAllocations(c) }

    @Test("riemannian steps allocate nothing", arguments: StepCase.all(.riemannian))
    func riemannian(_ c: StepCase) throws { try Self.expectNoAllocations(c) }

    @Test("free-energy steps allocate nothing", arguments: StepCase.all(.freeEnergy))
    func freeEnergy(_ c: StepCase) throws { try Self.expectNoAllocations(c) }

    @Test("langevin steps allocate nothing", arguments: StepCase.all(.langevin))
    func langevin(_ c: StepCase) throws { try Self.expectNoAllocations(c) }

    @Test("bures-wasserstein steps allocate nothing", arguments: StepCase.all(.buresWasserstein))
    func buresWasserstein(_ c: StepCase) throws { try Self.expectNoAllocations(c) }

    @Test("dyson steps allocate nothing", arguments: StepCase.all(.dyson))
    func dyson(_ c: StepCase) throws { try Self.expectNoAllocations(c) }

    @Test(
        "every energy's gradient allocates nothing",
        arguments: [EnergyKind.denoise, .sensing].flatMap { e in
            [2, 8, 16].map { StepCase(flow: .upstairs, size: $0, depth: 3, energy: e, noisy: false) }
        } + [StepCase(flow: .upstairs, size: 2, depth: 3, energy: .twoByTwo, noisy: false)])
    func energies(_ c: StepCase) throws { try Self.expectNoAllocations(c) }
}

/// A stop flag and a result handed between two threads (the control's allocating thread).
final class ManagedAtomicFlag: @unchecked Sendable {
    private let lock = NSCondition()
    private var stopped = false
    private var result: Int?

    var isSet: Bool { lock.lock(); defer { lock.unlock() }; return stopped }
    func set() { lock.lock(); stopped = true; lock.unlock() }

    func record(_ value: Int) {
        lock.lock()
        result = value
        lock.broadcast()
        lock.unlock()
    }

    func waitForRecord() -> Int {
        lock.lock()
        defer { lock.unlock() }
        while result == nil { lock.wait() }
        return result!
    }
}

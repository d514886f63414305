/// Where the session's frames come from: the live worker (which integrates) or a recorded row
/// file (which only reads). The session loop asks for the latest frame at its own pace and redraws
/// when the frame's generation changes.
protocol FrameSource: AnyObject {
    /// The newest frame, nil before there is one.
    func latestFrame() -> WorkerFrame?
}

extension Worker: FrameSource {
    func latestFrame() -> WorkerFrame? { output.read() }
}

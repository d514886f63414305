import DLNEngine
import DLNOutput
import Testing

/// The one mapping from setup failures to statuses, which the interface and `dlntui run` share.
@Suite struct ExitStatusTests {
    @Test func setupFailuresMapToUsageOrDataFile() {
        let parameter = SetupError.parameter(ParameterError(flag: "-d", accepted: "an integer", given: "0"))
        #expect(ExitStatus.of(parameter) == 64)
        #expect(ExitStatus.of(.dataFile(DataFileError(path: "t.csv", message: "no such file"))) == 2)
        #expect(ExitStatus.of(.linearAlgebra(.svdDidNotConverge(info: 1))) == 2)
        #expect(ExitStatus.of(.linearAlgebra(.nonFiniteInput)) == 2)
    }
}

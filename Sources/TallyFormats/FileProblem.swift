import TallyCore
/// An error about a data file (CSV, Parquet, snapshot) whose description names the file and says what is wrong;
/// shown as it is.
public protocol FileProblem: Error, CustomStringConvertible {}

extension CSVError: FileProblem {}
extension ParquetError: FileProblem {}
extension Snapshot.Failure: FileProblem {}

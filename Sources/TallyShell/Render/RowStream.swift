import TallyCore
import TallyFormats

/// A result printed batch by batch as a database sends it, in a row-per-line mode: csv and tsv with their header once,
/// jsonl a line per row.
final class RowStream {
    let mode: OutputMode
    let write: (String) -> Void
    private var wroteHeader = false

    init(mode: OutputMode, write: @escaping (String) -> Void) {
        self.mode = mode
        self.write = write
    }

    /// Prints one batch of rows.
    func show(_ batch: Table) {
        switch mode {
        case .jsonl: write(TextFormats.jsonLines(batch))
        default:
            write(CSVWriter.write(batch, delimiter: mode == .tsv ? "\t" : ",", header: !wroteHeader))
            wroteHeader = true
        }
    }
}

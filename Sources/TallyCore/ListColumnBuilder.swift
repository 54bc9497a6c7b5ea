/// Builds a string column whose values come from a fixed list, appended by their position in it: the column
/// ``ColumnBuilder`` builds from the same strings (dictionary in order of first appearance, equal strings sharing a
/// code), hashing each list entry once instead of every row's string. The demo data generator's columns are of this kind.
struct ListColumnBuilder {
    private let list: [String]
    /// Each list entry's code, or -1 before its first appearance.
    private var codeOfEntry: [Int32]
    private var codeOfString: [String: Int32] = [:]
    private var dictionary: [String] = []
    private var codes: [Int32] = []

    init(_ list: [String], capacity: Int = 0) {
        self.list = list
        codeOfEntry = [Int32](repeating: -1, count: list.count)
        codes.reserveCapacity(capacity)
    }

    mutating func append(entry: Int) {
        var code = codeOfEntry[entry]
        if code < 0 {
            let s = list[entry]
            if let known = codeOfString[s] {
                code = known
            } else {
                code = Int32(dictionary.count)
                codeOfString[s] = code
                dictionary.append(s)
            }
            codeOfEntry[entry] = code
        }
        codes.append(code)
    }

    func finish() -> Column { Column(codes: codes, dictionary: dictionary.isEmpty ? [""] : dictionary) }
}

/// Splits text into the terms `terms` counts: lower-cased runs of letters and digits (an apostrophe inside a
/// word and a point or comma inside a number stay in it), runs of Chinese or Japanese characters as
/// overlapping character pairs (a lone character as itself), without stop words and one-letter words.
/// This follows the main cases of Unicode's word boundaries (UAX #29), which Foundation on Linux does not offer.
enum Words {
    /// Built-in English stop words.
    static let english: Set<String> = [
        "a", "about", "after", "again", "all", "also", "am", "an", "and", "any", "are", "as", "at", "be", "been", "before", "but", "by",
        "can", "could", "did", "do", "does", "for", "from", "had", "has", "have", "he", "her", "his", "how", "i", "if", "in", "into",
        "is", "it", "it's", "its", "just", "me", "my", "no", "not", "of", "on", "or", "our", "out", "she", "so", "than", "that", "the",
        "their", "them", "then", "there", "they", "this", "to", "too", "up", "us", "very", "was", "we", "were", "what", "when", "which",
        "who", "will", "with", "would", "you", "your",
    ]
    /// Built-in Chinese stop words (single characters and common function pairs).
    static let chinese: Set<String> = [
        "的", "了", "是", "在", "和", "就", "都", "也", "我", "你", "他", "她", "它", "这", "那", "有", "不", "吗", "呢", "啊", "吧",
        "我们", "你们", "他们", "这个", "那个", "一个", "没有", "什么", "因为", "所以", "但是", "还是", "就是", "可以",
    ]

    /// Han ideographs and Japanese kana, which are written without spaces between words.
    static func isCJK(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x3040...0x30FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF: return true
        default: return false
        }
    }

    static func isWordPart(_ s: Unicode.Scalar) -> Bool { s.properties.isAlphabetic || s.properties.numericType != nil }

    /// The distinct terms of one text, in order of first appearance.
    static func terms(_ text: String, stop: Set<String>) -> [String] {
        var out: [String] = []
        var seen = Set<String>()
        func emit(_ term: String) {
            if !english.contains(term), !chinese.contains(term), !stop.contains(term), seen.insert(term).inserted { out.append(term) }
        }
        var word = String.UnicodeScalarView(), run: [Unicode.Scalar] = []
        func flushWord() {
            if word.count >= 2 { emit(String(word)) }
            word = String.UnicodeScalarView()
        }
        func flushRun() {
            if run.count == 1 { emit(String(String.UnicodeScalarView(run))) }
            for k in run.indices.dropLast() { emit(String(String.UnicodeScalarView([run[k], run[k + 1]]))) }
            run = []
        }
        let scalars = Array(text.lowercased().unicodeScalars)
        for (i, s) in scalars.enumerated() {
            if isCJK(s) {
                flushWord()
                run.append(s)
            } else if isWordPart(s) {
                flushRun()
                word.append(s)
            } else if s == "'" || s == "\u{2019}", !word.isEmpty, i + 1 < scalars.count, isWordPart(scalars[i + 1]), !isCJK(scalars[i + 1]) {
                word.append("'")
            } else if s == "." || s == ",", let last = word.last, last.properties.numericType != nil, i + 1 < scalars.count,
                      scalars[i + 1].properties.numericType != nil {
                // A decimal point or thousands separator between digits stays in the number, as in Unicode's word rules.
                word.append(s)
            } else {
                flushWord()
                flushRun()
            }
        }
        flushWord()
        flushRun()
        return out
    }
}

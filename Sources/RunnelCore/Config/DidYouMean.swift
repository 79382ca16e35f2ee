/// Suggestions for misspelt names, by edit distance.
public enum DidYouMean {
    /// The candidate closest to `word` (ignoring case), if it is close enough to be a likely
    /// typo: at most 2 edits, or a third of the word's length for longer words.
    public static func bestMatch(for word: String, among candidates: some Sequence<String>) -> String? {
        let target = Array(word.lowercased().unicodeScalars)
        let limit = max(2, target.count / 3)
        var best: (name: String, distance: Int)?
        for candidate in candidates where candidate != word {
            let distance = editDistance(target, Array(candidate.lowercased().unicodeScalars), limit: limit)
            guard distance <= limit else { continue }
            if let current = best, (distance, candidate) >= (current.distance, current.name) { continue }
            best = (candidate, distance)
        }
        return best?.name
    }

    /// "did you mean 'x'?" or nil.
    public static func suggestion(for word: String, among candidates: some Sequence<String>) -> String? {
        bestMatch(for: word, among: candidates).map { "did you mean '\($0)'?" }
    }

    /// Optimal string alignment distance (insertions, deletions, substitutions and adjacent
    /// transpositions each cost 1). Returns `limit + 1` early when the lengths alone exceed it.
    static func editDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar], limit: Int) -> Int {
        if abs(a.count - b.count) > limit { return limit + 1 }
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previousRow = [Int](repeating: 0, count: b.count + 1)
        var row = Array(0...b.count)
        var rowBefore = row
        for i in 1...a.count {
            rowBefore = previousRow
            previousRow = row
            row = [Int](repeating: 0, count: b.count + 1)
            row[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                row[j] = min(previousRow[j] + 1, row[j - 1] + 1, previousRow[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    row[j] = min(row[j], rowBefore[j - 2] + 1)
                }
            }
        }
        return row[b.count]
    }
}

/// "Did you mean" hints for a misspelled name: a config key, a column, an environment variable.
package enum Suggestion {
    /// ` (did you mean `x`?)` for the candidate closest to `name` when it is within 3 edits, else "".
    package static func hint(for name: String, among candidates: some Sequence<String>) -> String {
        guard let closest = closest(to: name, among: candidates) else { return "" }
        return " (did you mean `\(closest)`?)"
    }

    /// The candidate closest to `name` (case-insensitively) when it is within 3 edits and not `name` itself.
    static func closest(to name: String, among candidates: some Sequence<String>) -> String? {
        var best: (candidate: String, distance: Int)?
        for candidate in candidates where candidate != name {
            let distance = editDistance(candidate.lowercased(), name.lowercased())
            if distance <= 3, distance < (best?.distance ?? Int.max) { best = (candidate, distance) }
        }
        return best?.candidate
    }

    /// Levenshtein distance between two strings, by characters.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}

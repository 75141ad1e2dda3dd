import Foundation
import ModelwatchConfiguration
import ModelwatchSources

/// The end of the newest final performance window a run delivered for one model to one InfluxDB destination,
/// kept in the config's state directory (``JobConfiguration/stateDirectory``) so that the next run also
/// finalises the windows that matured while runs were skipped (a stopped job, a host down).
///
/// One small file per model and destination, `finalised/<model>-<hash>.state`, the hash taken over the model
/// name and the destination (URL and database or bucket; never a credential). Two configs never share one: each
/// config has a state directory of its own. The file is written whole (temporary file, rename) after the run's
/// points were delivered or spooled, never before, so a failed run leaves the previous end in place and the next
/// run catches up from there. A file that is not one of these, or belongs to another model, is a configuration
/// error (exit 78) naming its path, like a foreign backfill checkpoint.
struct FinalisedWindowState: Sendable {
    /// The first line of every state file.
    static let header = "modelwatch finalised-window 1"
    /// The longest gap a run catches up: final windows that ended more than this before the current final
    /// window are left provisional (with a warning); `modelwatch backfill` rewrites any range.
    static let maximumCatchUpMs: Int64 = 35 * 86_400_000

    let path: String
    let model: String

    init(stateDirectory: String, model: String, destination: String) {
        let safe = String(model.map { ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "-" || $0 == "_" || $0 == "." ? $0 : "_" }.prefix(64))
        let hash = Fingerprint.fnv1a64Hex(model + "\n" + destination)
        path = stateDirectory + "/finalised/" + (safe.isEmpty ? "model" : safe) + "-" + hash + ".state"
        self.model = model
    }

    /// The destination part of the key: the InfluxDB URL without its query and user information, and the
    /// database (v1, v3) or organisation and bucket (v2).
    static func destination(_ influx: InfluxConfiguration) -> String {
        var url = influx.url
        if var components = URLComponents(string: url) {
            components.user = nil
            components.password = nil
            components.query = nil
            url = components.string ?? url
        }
        switch influx.api {
        case .v1(let database, let retentionPolicy): return "\(url) v1 \(database) \(retentionPolicy ?? "")"
        case .v2(let org, let bucket): return "\(url) v2 \(org) \(bucket)"
        case .v3(let database): return "\(url) v3 \(database)"
        }
    }

    /// The stored window end (epoch ms), or nil when no run has stored one yet.
    func load() throws(JobError) -> Int64? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let text: String
        do {
            text = String(decoding: try FileAccessError.read(path), as: UTF8.self)
        } catch {
            throw JobError(.configError, "finalised-window state: cannot read \(error); fix its permissions or delete it (the next run then finalises only its own window)")
        }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard lines.count >= 3, lines[0] == Self.header, lines[1].hasPrefix("model "), lines[2].hasPrefix("window_end "),
              let end = TimeText.parseRFC3339(String(lines[2].dropFirst("window_end ".count)))
        else {
            throw JobError(.configError, "finalised-window state: `\(path)` is not a modelwatch finalised-window state file; delete it (the next run then finalises only its own window)")
        }
        let owner = String(lines[1].dropFirst("model ".count))
        guard owner == model else {
            throw JobError(.configError, "finalised-window state: `\(path)` belongs to model `\(owner)`, not `\(model)`; delete it (the next run then finalises only its own window)")
        }
        return end
    }

    /// Stores `endMs` (whole file, then rename).
    func save(_ endMs: Int64) throws(JobError) {
        let text = "\(Self.header)\nmodel \(model)\nwindow_end \(TimeText.format(endMs))\n"
        do {
            try AtomicFile.write(Array(text.utf8), to: path)
        } catch {
            throw JobError(.cannotCreate, "finalised-window state: cannot write `\(path)`: \(error)")
        }
    }

    /// The as-of times whose final windows ended after `storedEndMs` and before the final window of `plan`,
    /// oldest first, at most ``maximumCatchUpMs`` back from that window; `capped` when older ones were left out.
    static func catchUp(storedEndMs: Int64?, plan: EvaluationPlan, model: ModelConfiguration) -> (asOfs: [Int64], capped: Bool) {
        guard let stored = storedEndMs, let final = plan.finalWindow else { return ([], false) }
        let windowMs = model.windowSeconds * 1000
        let maturityMs = model.maturitySeconds * 1000
        let currentEnd = final.range.endMs
        // The first aligned as-of time A whose final window (ending A − D) ends after the stored end.
        var first = EvaluationPlan.floor(stored + maturityMs, to: windowMs) + windowMs
        var capped = false
        let oldest = currentEnd - maximumCatchUpMs + maturityMs
        if first < oldest {
            first = EvaluationPlan.floor(oldest + windowMs - 1, to: windowMs)
            capped = true
        }
        var asOfs: [Int64] = []
        var asOf = first
        while asOf < plan.asOfMs {
            asOfs.append(asOf)
            asOf += windowMs
        }
        return (asOfs, capped)
    }
}

import Foundation

/// Where modelwatch keeps what must outlive a run: the run lock, the spool of undelivered points, the
/// dead-letter file and backfill checkpoints.
///
/// The root is chosen once, from the environment and the effective user, in this order:
/// 1. `MODELWATCH_STATE_DIR`, when set (an absolute path);
/// 2. `$STATE_DIRECTORY`, which systemd sets for a unit with `StateDirectory=` (the first of a
///    colon-separated list);
/// 3. `/var/lib/modelwatch` when running as root;
/// 4. `$XDG_STATE_HOME/modelwatch`, else `$HOME/.local/state/modelwatch` (the XDG Base Directory default).
///
/// Each config file gets a directory of its own below the root, named after the file and a hash of its
/// absolute path, so several configs on one host never share a spool or a lock.
public struct StateDirectory: Sendable, Equatable {
    /// The environment variable that overrides every other choice.
    public static let variable = "MODELWATCH_STATE_DIR"
    /// The root used by root when systemd provides none.
    public static let systemRoot = "/var/lib/modelwatch"

    /// The root directory shared by every config.
    public let root: String
    /// Where the root came from, for messages: `MODELWATCH_STATE_DIR`, `STATE_DIRECTORY`, `root` or `XDG_STATE_HOME`.
    public let origin: String

    public init(root: String, origin: String) {
        self.root = root
        self.origin = origin
    }

    /// Resolves the root from `environment`, the effective user id and, as the last resort, the user's home
    /// directory from the password database (`passwordHome`).
    public static func resolve(
        environment: [String: String], effectiveUserID: UInt32, passwordHome: () -> String?
    ) throws(ConfigError) -> StateDirectory {
        if let explicit = environment[variable], !explicit.isEmpty {
            guard explicit.hasPrefix("/") else {
                throw ConfigError(key: variable, "must be an absolute path, got `\(explicit)`")
            }
            return StateDirectory(root: standardized(explicit), origin: variable)
        }
        if let systemd = environment["STATE_DIRECTORY"]?.split(separator: ":").first.map(String.init), systemd.hasPrefix("/") {
            return StateDirectory(root: standardized(systemd), origin: "STATE_DIRECTORY")
        }
        if effectiveUserID == 0 { return StateDirectory(root: systemRoot, origin: "root") }
        if let xdg = environment["XDG_STATE_HOME"], xdg.hasPrefix("/") {
            return StateDirectory(root: standardized(xdg + "/modelwatch"), origin: "XDG_STATE_HOME")
        }
        // The XDG spec ignores a relative XDG_STATE_HOME; so does this.
        guard let home = [environment["HOME"], passwordHome()].compactMap({ $0 }).first(where: { $0.hasPrefix("/") }) else {
            throw ConfigError(key: variable, "no state directory: neither HOME nor XDG_STATE_HOME is set and the user has no home directory; set MODELWATCH_STATE_DIR to a directory this user may write")
        }
        return StateDirectory(root: standardized(home + "/.local/state/modelwatch"), origin: "XDG_STATE_HOME")
    }

    /// The root of this process: the live environment, `geteuid()` and the password database. A caller that
    /// passes an environment of its own (a test, an embedding program) without `MODELWATCH_STATE_DIR` still gets
    /// the process's `MODELWATCH_STATE_DIR`, so an explicit choice of the operator is never bypassed (and a test
    /// run never writes into the real `/var/lib/modelwatch`).
    public static func live(environment: [String: String]) throws(ConfigError) -> StateDirectory {
        var environment = environment
        if environment[variable] == nil, let explicit = ProcessInfo.processInfo.environment[variable], !explicit.isEmpty {
            environment[variable] = explicit
        }
        return try resolve(environment: environment, effectiveUserID: geteuid(), passwordHome: {
            guard let entry = getpwuid(geteuid()), let directory = entry.pointee.pw_dir else { return nil }
            let home = String(cString: directory)
            return home.isEmpty ? nil : home
        })
    }

    /// The directory of the config at `configPath`: `<root>/<file name without extension>-<16 hex digits>`,
    /// the digits a hash of the config's absolute path.
    public func directory(forConfig configPath: String) -> String {
        let absolute = URL(fileURLWithPath: configPath).standardized.path
        let stem = URL(fileURLWithPath: absolute).deletingPathExtension().lastPathComponent
        let safe = String(stem.map { ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "-" || $0 == "_" || $0 == "." ? $0 : "_" }.prefix(64))
        return root + "/" + (safe.isEmpty ? "config" : safe) + "-" + Fingerprint.fnv1a64Hex(absolute)
    }

    private static func standardized(_ path: String) -> String {
        let standard = URL(fileURLWithPath: path).standardized.path
        return standard.count > 1 && standard.hasSuffix("/") ? String(standard.dropLast()) : standard
    }
}

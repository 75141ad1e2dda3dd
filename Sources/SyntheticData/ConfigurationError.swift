/// Why a ``ScenarioConfig`` cannot be generated.
public enum ConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A numeric setting is outside its allowed range; the associated values name it and the range.
    case outOfRange(setting: String, allowed: String)
    /// An incident names a feature column the scenario does not have.
    case unknownFeature(String)

    /// A one-line explanation.
    public var description: String {
        switch self {
        case .outOfRange(let setting, let allowed): return "\(setting) must be in \(allowed)"
        case .unknownFeature(let name): return "incident names unknown feature column '\(name)'"
        }
    }
}

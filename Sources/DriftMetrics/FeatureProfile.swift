/// The reference of one input feature: numeric or categorical.
///
/// Encoded as the wrapped profile's fields plus a `"kind"` discriminator, `"numeric"` or `"categorical"`
/// (the same words as the `kind` tag of `modelwatch_feature`).
public enum FeatureProfile: Sendable, Hashable, Codable {
    /// A numeric feature.
    case numeric(NumericFeatureProfile)
    /// A categorical feature.
    case categorical(CategoricalFeatureProfile)

    /// `"numeric"` or `"categorical"`.
    public var kind: String {
        switch self {
        case .numeric: "numeric"
        case .categorical: "categorical"
        }
    }

    private enum CodingKeys: String, CodingKey {
        case kind
    }

    /// Decodes a profile by its `"kind"`; an unknown kind is a data-corruption error.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let kind = try container.decode(String.self, forKey: .kind)
        switch kind {
        case "numeric": self = .numeric(try NumericFeatureProfile(from: decoder))
        case "categorical": self = .categorical(try CategoricalFeatureProfile(from: decoder))
        default:
            throw DecodingError.dataCorruptedError(
                forKey: .kind, in: container, debugDescription: "unknown feature kind \"\(kind)\""
            )
        }
    }

    /// Encodes the wrapped profile's fields and the `"kind"` discriminator in one object.
    public func encode(to encoder: any Encoder) throws {
        switch self {
        case let .numeric(profile): try profile.encode(to: encoder)
        case let .categorical(profile): try profile.encode(to: encoder)
        }
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(kind, forKey: .kind)
    }

    /// Structural problems of the wrapped profile.
    func problems() -> [String] {
        switch self {
        case let .numeric(profile): profile.problems()
        case let .categorical(profile): profile.problems()
        }
    }
}

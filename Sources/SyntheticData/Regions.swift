extension CategoricalFeature {
    /// The region segment column: five values of unequal volume, some needing CSV quoting or
    /// line-protocol escaping (space, comma, non-ASCII, double quote).
    static let regions = CategoricalFeature(
        levels: regionNames, weights: [0.36, 0.26, 0.18, 0.13, 0.07], effects: [0.0, 0.1, -0.2, 0.15, -0.3]
    )

    /// The region values, most frequent first.
    static let regionNames = ["eu-west", "us east", "São Paulo", "apac,north", "me \"gulf\""]
}

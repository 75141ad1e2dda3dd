/// One numeric feature's cells, kept in four bytes a cell while the column's values allow it, losslessly.
///
/// Feature columns mostly hold integers or decimals with a few fractional digits (counts, ages, amounts,
/// rates rounded by the producer). While every value `v` of the column is exactly (bit for bit)
/// `Double(m) / 10^e` for a 32-bit `m` and the column's exponent `e` in `0...18`, the column stores `m`; the
/// exponent grows when a value needs more digits (the stored codes are rescaled), and the first value that
/// fits no exponent turns the column into plain doubles for good. A value read back is therefore always the
/// double that was parsed. Missing cells are reserved codes (`Int32.min + kind`) in the scaled form and
/// NaNs carrying their kind (``ScoreTable/missing(_:)``) in the double form; reading either gives the NaN.
public struct NumericColumn: Sendable, RandomAccessCollection {
    /// Decimal scaled codes (empty once ``isScaled`` is false).
    @usableFromInline var codes: [Int32] = []
    /// Plain doubles (used once a value fits no decimal scale).
    @usableFromInline var doubles: [Double] = []
    /// True while the column is stored as scaled codes.
    public private(set) var isScaled = true
    /// The decimal exponent of the scaled codes: a cell's value is `code / 10^exponent`.
    public private(set) var exponent = 0
    /// The smallest and largest code of a value stored (a −0 as the code of 0); `lowestValueCode > highestValueCode`
    /// while there is none. They bound the codes (a cell replaced by ``set(_:_:)`` may leave them wider), tell
    /// whether a larger exponent still fits, and size a count of the codes before reading them.
    private var lowestValueCode = Int32.max, highestValueCode = Int32.min

    /// The largest exponent tried (powers of ten up to `10^22` are exact doubles; 32-bit codes of columns
    /// with values near 1 run out of digits long before).
    static let maximumExponent = 18
    /// Codes below this are kept for cells that are not a scaled value: missing cells (`Int32.min + kind`)
    /// and negative zero.
    @usableFromInline package static let missingCeiling = Int32.min + 8
    /// The code of `-0.0` (which `0 / 10^e` would turn into `+0.0`).
    @usableFromInline package static let negativeZeroCode = Int32.min + 7

    /// The sign of the zero a scaled code stands for (`0`: +0, ``negativeZeroCode``: −0), or nil for any other code.
    @inlinable @inline(__always)
    package static func zeroSign(ofCode code: Int32) -> FloatingPointSign? {
        code == 0 ? .plus : code == negativeZeroCode ? .minus : nil
    }

    /// The largest magnitude a value's code may have (the smallest codes are kept for missing cells).
    static let largestCode = UInt32(Int32.max - 8)

    @usableFromInline static let powersOfTen: [Double] = (0...maximumExponent).map { exponent in
        (0..<exponent).reduce(1.0) { value, _ in value * 10 }
    }

    public init() {}

    public var startIndex: Int { 0 }
    public var endIndex: Int { isScaled ? codes.count : doubles.count }

    /// The stored form of a cell: the value, or the NaN carrying its missing kind (``ScoreTable/numericKind(_:)``).
    @inline(__always)
    public subscript(row: Int) -> Double {
        isScaled ? Self.decode(codes[row], scale: scale) : doubles[row]
    }

    /// `10^exponent`: a scaled cell's value is its code divided by this.
    @inlinable var scale: Double { Self.powersOfTen[exponent] }

    /// The codes and their scale while the column is scaled.
    package var scaledCodes: (codes: [Int32], scale: Double)? { isScaled ? (codes, scale) : nil }

    /// The stored doubles once the column holds doubles (a cell is a value or a NaN carrying its kind).
    package var storedDoubles: [Double]? { isScaled ? nil : doubles }

    /// A range holding the code of every value stored while the column is scaled (a −0 as the code of 0); nil
    /// when it holds no value or holds doubles. Known without reading the codes: kept as they are appended.
    package var valueCodeBounds: ClosedRange<Int32>? {
        isScaled && lowestValueCode <= highestValueCode ? lowestValueCode...highestValueCode : nil
    }

    /// The largest |code| of a value stored (0 when there is none).
    private var largestMagnitude: UInt32 {
        lowestValueCode <= highestValueCode ? Swift.max(lowestValueCode.magnitude, highestValueCode.magnitude) : 0
    }

    /// Bytes per cell in the current form (4 scaled, 8 double).
    public var bytesPerCell: Int { isScaled ? 4 : 8 }

    /// Reserves room for `rows` cells.
    public mutating func reserveCapacity(_ rows: Int) {
        if isScaled { codes.reserveCapacity(rows) } else { doubles.reserveCapacity(rows) }
    }

    /// Appends one stored cell: a value, or a NaN carrying its kind (``ScoreTable/missing(_:)``).
    @inline(__always)
    public mutating func append(_ stored: Double) {
        if let code = fittedCode(stored) { codes.append(code) } else { doubles.append(stored) }
    }

    /// Appends stored cells in order.
    ///
    /// `fractionDigits`, when given, holds per cell an `f` such that the cell is the double nearest to an integer
    /// divided by `10^f` (what the reader knows of a decimal it parsed; anything above ``maximumExponent`` for a
    /// cell it does not know). While `f` is at most the column's exponent, the cell's code is its value times
    /// `10^exponent`, rounded: that integer divided by `10^exponent` is the same real number, so the division
    /// gives the value back and the check of ``code(of:scale:)`` (a division a cell) is not needed.
    public mutating func append(contentsOf stored: UnsafeBufferPointer<Double>, fractionDigits: UnsafeBufferPointer<UInt8>? = nil) {
        guard isScaled else {
            doubles.append(contentsOf: stored)
            return
        }
        let start = codes.count
        let scale = self.scale
        let exponent = self.exponent
        var written = 0
        var smallest = lowestValueCode, largest = highestValueCode
        codes.append(contentsOf: repeatElement(0, count: stored.count))
        // Pointers and unchecked arithmetic in this loop, which runs for every numeric cell read.
        let count = stored.count
        let digits = fractionDigits?.baseAddress
        codes.withUnsafeMutableBufferPointer { codes in
            guard let values = stored.baseAddress, let out = codes.baseAddress.map({ $0 + start }) else { return }
            while written < count {
                let value = values[written]
                let code: Int32
                if let digits, Int(digits[written]) <= exponent, value != 0, let decimal = Self.code(ofDecimal: value, scale: scale) {
                    code = decimal
                    smallest = Swift.min(smallest, code)
                    largest = Swift.max(largest, code)
                } else {
                    guard let checked = Self.code(ofStored: value, scale: scale) else { break }
                    code = checked
                    Self.widen(&smallest, &largest, toHold: code)
                }
                out[written] = code
                written &+= 1
            }
        }
        lowestValueCode = smallest
        highestValueCode = largest
        guard written < stored.count else { return }
        codes.removeLast(stored.count - written)
        for value in stored[written...] { append(value) }
    }

    /// Replaces the cell of `row` (a duplicate prediction id's later row).
    public mutating func set(_ row: Int, _ stored: Double) {
        if let code = fittedCode(stored) { codes[row] = code } else { doubles[row] = stored }
    }

    /// Calls `body` with the stored form of each of `rows`' cells, in order (inlinable: specialised for the
    /// caller's row collection, with `body` inlined, in the evaluation's per-slice loops).
    @inlinable
    public func forEach<Rows: Collection>(rows: Rows, _ body: (Double) -> Void) where Rows.Element == Int32 {
        if isScaled {
            let scale = self.scale
            codes.withUnsafeBufferPointer { codes in
                for row in rows { body(Self.decode(codes[Int(row)], scale: scale)) }
            }
        } else {
            doubles.withUnsafeBufferPointer { doubles in
                for row in rows { body(doubles[Int(row)]) }
            }
        }
    }

    // MARK: - Encoding

    @inlinable @inline(__always)
    package static func decode(_ code: Int32, scale: Double) -> Double {
        if code < missingCeiling {
            if code == negativeZeroCode { return -0.0 }
            return ScoreTable.missing(ValueKind(rawValue: UInt8(truncatingIfNeeded: code &- Int32.min)) ?? .nan)
        }
        return Double(code) / scale
    }

    /// The code of a stored cell at `scale` (`10^exponent`): the missing code of a NaN, else ``code(of:scale:)``.
    @inline(__always)
    static func code(ofStored stored: Double, scale: Double) -> Int32? {
        if stored.isNaN { return Int32.min + Int32(ScoreTable.numericKind(stored).rawValue) }
        // A zero's code needs no check (``code(of:scale:)`` gives +0 the code 0 after a division).
        if stored == 0 { return stored.sign == .minus ? negativeZeroCode : 0 }
        return code(of: stored, scale: scale)
    }

    /// Widens `smallest...largest` to hold `code` when it is a value's (a −0 as 0; missing cells hold none).
    @inline(__always)
    static func widen(_ smallest: inout Int32, _ largest: inout Int32, toHold code: Int32) {
        guard code >= missingCeiling || code == negativeZeroCode else { return }
        let value = code == negativeZeroCode ? 0 : code
        smallest = Swift.min(smallest, value)
        largest = Swift.max(largest, value)
    }

    /// ``code(of:scale:)`` for a non-zero `value` known to be the double nearest to an integer divided by `10^f`,
    /// `f` at most the exponent of `scale`: `m`, the value times `scale` rounded to the nearest integer, is that
    /// integer times `10^(exponent - f)` (the value is within half a unit in the 53rd bit of it divided by `scale`,
    /// and |m| is below 2^31, so the product is within 2^-21 of it), and `Double(m) / scale` rounds the same real
    /// number as the parse did. No check needed; nil when |m| exceeds ``largestCode``, as there.
    @inline(__always)
    static func code(ofDecimal value: Double, scale: Double) -> Int32? {
        let scaled = value * scale
        guard scaled.magnitude <= Double(largestCode) else { return nil }
        // Rounded by adding 1.5 × 2^52: the sum's last 32 bits of significand are then the nearest integer (two's
        // complement for a negative one). Ties would go to even, but the product is within 2^-21 of an integer.
        return Int32(truncatingIfNeeded: (scaled + 0x1.8p52).bitPattern)
    }

    /// `m` with `Double(m) / scale` bit-identical to `value` and |m| within ``largestCode``, if any.
    @inline(__always)
    static func code(of value: Double, scale: Double) -> Int32? {
        let scaled = value * scale
        guard scaled.magnitude <= Double(largestCode) else { return nil }
        // Rounded half away from zero by truncating; where adding the half is itself rounded (not within 1e-6 of
        // an integer, so no code fits anyway) the check below fails the same way.
        let code = Int32(scaled < 0 ? scaled - 0.5 : scaled + 0.5)
        guard (Double(code) / scale).bitPattern == value.bitPattern else { return nil }
        return code
    }

    /// The code of `stored` at the column's scale, first raising the exponent or turning the column into
    /// doubles when it does not fit; nil once the column holds doubles.
    @inline(__always)
    private mutating func fittedCode(_ stored: Double) -> Int32? {
        guard isScaled else { return nil }
        var code = Self.code(ofStored: stored, scale: scale)
        if code == nil {
            widen(toFit: stored)
            guard isScaled else { return nil }
            code = Self.code(ofStored: stored, scale: scale)
        }
        if let code { Self.widen(&lowestValueCode, &highestValueCode, toHold: code) }
        return code
    }

    /// Raises the exponent to the smallest that fits `value` and every stored code, or turns the column
    /// into doubles when there is none.
    private mutating func widen(toFit value: Double) {
        var candidate = exponent + 1
        while candidate <= Self.maximumExponent {
            let factor = Self.powersOfTen[candidate - exponent]
            if Double(largestMagnitude) * factor > Double(Self.largestCode) { break }
            if Self.code(of: value, scale: Self.powersOfTen[candidate]) != nil {
                rescale(to: candidate)
                return
            }
            candidate += 1
        }
        let scale = self.scale
        doubles = []
        doubles.reserveCapacity(Swift.max(codes.capacity, codes.count + 1))
        for code in codes { doubles.append(Self.decode(code, scale: scale)) }
        codes = []
        isScaled = false
    }

    /// Multiplies every stored code by `10^(newExponent − exponent)` (it fits: see ``widen(toFit:)``).
    private mutating func rescale(to newExponent: Int) {
        let factor = Self.powersOfTen[newExponent - exponent]
        if largestMagnitude > 0 {
            // Every code times the factor fits (the largest does); zeros stay zeros.
            let integerFactor = Int32(factor)
            codes.withUnsafeMutableBufferPointer { codes in
                for index in codes.indices where codes[index] >= Self.missingCeiling { codes[index] &*= integerFactor }
            }
            lowestValueCode &*= integerFactor
            highestValueCode &*= integerFactor
        }
        exponent = newExponent
    }
}

@testable import DriftMetrics
import Testing
import TestSupport

/// A sample held as runs (distinct values with their counts) must summarise and drift exactly like the same
/// sample written out value by value: the evaluator hands over runs for columns of few distinct values.
@Suite("SortedRuns give what the expanded array gives")
struct SortedRunsTests {
    /// Ascending samples: heavy ties of both signs, a single value, zeros of both signs, values far apart, a
    /// sample with no ties at all.
    static func sample(_ kind: Int, count: Int) -> [Double] {
        var mix = SplitMix64(seed: UInt64(kind) &* 104_729 &+ UInt64(count))
        let values: [Double] = (0..<count).map { _ in
            let u = mix.nextDouble()
            switch kind {
            case 0: return (u * 200).rounded() / 100 - 0.7             // 201 values, both signs
            case 1: return Double(mix.next() % 5)                       // counts 0…4
            case 2: return 3.25                                         // one value
            case 3: return mix.next() % 2 == 0 ? 0.0 : (u * 4).rounded() - 2  // zeros among a few integers
            case 4: return (u < 0.5 ? -1 : 1) * Double(mix.next() % 9) * 1e200  // wide, ties
            default: return (u - 0.5) * 1e6                             // continuous: no ties
            }
        }
        return SortedSample.sortedFinite(values)
    }

    /// A reference profile of the same family (shifted, so bins and KS have something to find), in both KS
    /// forms: exact below 10,000 distinct values, quantiles above.
    static func profiles(_ kind: Int) -> [NumericFeatureProfile] {
        let reference = sample(kind, count: 3_001).map { $0 * 1.1 + 0.05 }
        let continuous = (0..<20_000).map { Double($0) / 7 - 900 }
        return [
            NumericFeatureProfile.build(sortedPresentValues: reference, missingCount: 17),
            NumericFeatureProfile.build(sortedPresentValues: continuous, missingCount: 0),
        ]
    }

    @Test("summary, drift and counts are bit for bit those of the expanded array", arguments: [0, 1, 2, 3, 4, 5])
    func runsEqualExpanded(_ kind: Int) throws {
        for count in [1, 2, 7, 1_000, 50_001] {
            let sorted = Self.sample(kind, count: count)
            let runs = SortedRuns(sorted: sorted)
            #expect(runs.count == sorted.count)
            #expect(runs.expanded().map(\.bitPattern) == sorted.map(\.bitPattern) || sorted.contains(0))
            #expect(runs.values.count == Set(sorted).count)

            let fromArray = try #require(NumericSummary(sortedFiniteValues: sorted))
            let fromRuns = try #require(NumericSummary(sortedRuns: runs))
            #expect(fromRuns == fromArray, "kind \(kind), \(count) values")
            #expect(fromRuns.mean.bitPattern == fromArray.mean.bitPattern && fromRuns.std?.bitPattern == fromArray.std?.bitPattern)

            for profile in Self.profiles(kind) {
                let a = NumericDrift.compare(profile: profile, sortedPresentValues: sorted, missingCount: 3)
                let b = NumericDrift.compare(profile: profile, sortedRuns: runs, missingCount: 3)
                #expect(a == b, "kind \(kind), \(count) values")
            }
            for threshold in [-1e300, -0.5, 0, 0.3, 1, 3.25, 1e300] {
                #expect(runs.countLess(than: threshold) == SortedSample.countLess(sorted, threshold))
                #expect(runs.countLessOrEqual(to: threshold) == SortedSample.countLessOrEqual(sorted, threshold))
            }
            for position in [0, count / 3, count / 2, count - 1] {
                #expect(runs.element(at: position) == sorted[position])
            }
        }
    }

    @Test("zeros of both signs, as runs of one sign each in their input order, give what the array gives, bit for bit",
          arguments: [[FloatingPointSign.minus], [.plus, .minus, .minus, .plus], [.minus, .plus, .plus, .plus, .minus]])
    func signedZeroRunsEqualTheArray(_ signs: [FloatingPointSign]) throws {
        // Values below zero, the zeros in the order a stable sort of doubles keeps them, values above; sized
        // so that the summary's quantiles land on the zeros.
        let below = [-2.5, -1.0], above = [0.75]
        let zeros = signs.map { $0 == .minus ? -0.0 : 0.0 }
        let sorted = below + zeros + above
        var runs = SortedRuns()
        for value in below { runs.append(value, count: 1) }
        runs.appendZeros(signs: signs)
        for value in above { runs.append(value, count: 1) }
        #expect(runs.expanded().map(\.bitPattern) == sorted.map(\.bitPattern))
        for position in sorted.indices { #expect(runs.element(at: position).bitPattern == sorted[position].bitPattern) }
        let fromArray = try #require(NumericSummary(sortedFiniteValues: sorted))
        let fromRuns = try #require(NumericSummary(sortedRuns: runs))
        let fields: [KeyPath<NumericSummary, Double>] = [\.mean, \.min, \.max, \.p01, \.p05, \.p25, \.p50, \.p75, \.p95, \.p99, \.zeroRate]
        for field in fields { #expect(fromRuns[keyPath: field].bitPattern == fromArray[keyPath: field].bitPattern, "\(field)") }
        #expect(fromRuns.std?.bitPattern == fromArray.std?.bitPattern)
        for profile in Self.profiles(3) {
            #expect(NumericDrift.compare(profile: profile, sortedRuns: runs, missingCount: 1)
                == NumericDrift.compare(profile: profile, sortedPresentValues: sorted, missingCount: 1))
        }
        for threshold in [-1.0, -0.0, 0.0, 0.5] {
            #expect(runs.countLess(than: threshold) == SortedSample.countLess(sorted, threshold))
            #expect(runs.countLessOrEqual(to: threshold) == SortedSample.countLessOrEqual(sorted, threshold))
        }
    }

    @Test("runs made from an ascending buffer as it stands give its every value bit for bit, zeros' signs included",
          arguments: [0, 1, 2, 3, 4, 5])
    func runsFromAnAscendingBufferKeepEveryPosition(_ kind: Int) throws {
        for count in [0, 1, 7, 1_000, 50_001] {
            var sorted = Self.sample(kind, count: count)
            // The zeros given signs in an arbitrary order, as a stable sort of doubles leaves them.
            var mix = SplitMix64(seed: UInt64(count))
            for index in sorted.indices where sorted[index] == 0 { sorted[index] = mix.next() % 3 == 0 ? -0.0 : 0.0 }
            let runs = sorted.withUnsafeBufferPointer { SortedRuns(ascending: $0) }
            #expect(runs.count == sorted.count)
            #expect(runs.expanded().map(\.bitPattern) == sorted.map(\.bitPattern), "kind \(kind), \(count) values")
            // One run per distinct value, except one per stretch of one sign among the zeros.
            var stretches = 0
            for index in sorted.indices where index == 0 || sorted[index] != sorted[index - 1]
                || (sorted[index] == 0 && sorted[index].sign != sorted[index - 1].sign) {
                stretches += 1
            }
            #expect(runs.values.count == stretches)
            guard count > 0 else { continue }
            let fromArray = try #require(NumericSummary(sortedFiniteValues: sorted))
            let fromRuns = try #require(NumericSummary(sortedRuns: runs))
            let fields: [KeyPath<NumericSummary, Double>] = [\.mean, \.min, \.max, \.p01, \.p05, \.p25, \.p50, \.p75, \.p95, \.p99, \.zeroRate]
            for field in fields { #expect(fromRuns[keyPath: field].bitPattern == fromArray[keyPath: field].bitPattern, "\(field)") }
            #expect(fromRuns.std?.bitPattern == fromArray.std?.bitPattern)
        }
    }

    @Test func anEmptySampleHasNoSummary() {
        #expect(NumericSummary(sortedRuns: SortedRuns()) == nil)
        #expect(SortedRuns().count == 0 && SortedRuns().countLess(than: 1) == 0)
    }

    @Test func runsAreBuiltInOrder() {
        var runs = SortedRuns()
        runs.append(-2, count: 3)
        runs.append(0.5, count: 1)
        runs.append(7, count: 2)
        #expect(runs.values == [-2, 0.5, 7] && runs.ends == [3, 4, 6])
        #expect(runs.expanded() == [-2, -2, -2, 0.5, 7, 7])
        #expect(runs == SortedRuns(sorted: [-2, -2, -2, 0.5, 7, 7]))
    }

    /// Without ties each value is its own run of one, and the moments are the plain compensated sums of the
    /// values, as before runs existed: a value occurring once contributes exactly itself.
    @Test func withoutTiesTheMomentsAreThePlainCompensatedSums() throws {
        let sorted = Self.sample(5, count: 10_000)
        #expect(Set(sorted).count == sorted.count)
        let summary = try #require(NumericSummary(sortedFiniteValues: sorted))
        let factor = Moments.scale(1, by: -Int(Swift.max(abs(sorted[0]), abs(sorted[sorted.count - 1])).exponent))
        var sum = CompensatedSum()
        for value in sorted { sum.add(value * factor) }
        let scaledMean = sum.value / Double(sorted.count)
        #expect(summary.mean == scaledMean / factor)
        var squares = CompensatedSum(), deviations = CompensatedSum()
        for value in sorted {
            let d = value * factor - scaledMean
            squares.add(d * d)
            deviations.add(d)
        }
        let variance = (squares.value - deviations.value * deviations.value / Double(sorted.count)) / Double(sorted.count - 1)
        #expect(summary.std == variance.squareRoot() / factor)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Logistic recalibration of the labels on lp = logit(clip(score)): calibration-in-the-large, intercept and slope.
///
/// Both are maximum-likelihood fits by Newton's method, stopping when every parameter step is at most
/// ``tolerance`` · (1 + |parameter|) within ``maxIterations``. A fit that does not converge, meets a singular
/// Hessian or runs off towards separation (|slope| > ``maxSlope``) is reported as nil, never as a number.
struct LogisticRecalibration: Equatable {
    /// Convergence tolerance on the Newton step.
    static let tolerance = 1e-10
    /// Newton iterations before giving up.
    static let maxIterations = 100
    /// A slope beyond this means (quasi-)separation; the fit is reported as undefined.
    static let maxSlope = 1e6

    /// Intercept a of logit P(y) = a + lp (lp as offset, slope fixed at 1).
    var calibrationInTheLarge: Double?
    /// Intercept a of the joint fit logit P(y) = a + b·lp.
    var intercept: Double?
    /// Slope b of the joint fit (ideal 1).
    var slope: Double?

    /// Fits both models on the window's distinct scores.
    ///
    /// All three values are nil when the window has one class only (the MLE is infinite). The joint fit is
    /// also nil when the scores separate the classes (AUC 0 or 1, so the slope is infinite) and when every
    /// logit is equal (no slope can be fitted). With both classes present the offset fit always has a finite
    /// solution, since its score equation is monotone in the intercept.
    init(_ sorted: SortedScores, auc: Double?) {
        calibrationInTheLarge = nil
        intercept = nil
        slope = nil
        let nPositive = sorted.nPositive
        let n = nPositive + sorted.nNegative
        guard nPositive > 0, nPositive < n else { return }
        let groups = LogitGroups(sorted)
        calibrationInTheLarge = Self.fitOffsetIntercept(groups)
        guard auc != 0, auc != 1 else { return }
        let baseRate = Double(nPositive) / Double(n)
        let start = (log(baseRate / (1 - baseRate)), 0.0)
        // Plain Newton from the null model almost always converges; the line-searched variant costs one
        // extra log per group and iteration, so it only runs when the plain one fails.
        if let (a, b) = Self.fitInterceptAndSlope(groups, start: start, lineSearch: false)
            ?? Self.fitInterceptAndSlope(groups, start: start, lineSearch: true)
        {
            intercept = a
            slope = b
        }
    }

    /// Safeguarded Newton on the single intercept with the logit as offset.
    ///
    /// The score Σ(y − μ) falls monotonically in the intercept, so each evaluation narrows a bracket around the
    /// root; a Newton step that leaves the bracket is replaced by bisection, and unbracketed steps are capped.
    private static func fitOffsetIntercept(_ groups: LogitGroups) -> Double? {
        var a = 0.0
        var low = -Double.infinity
        var high = Double.infinity
        for _ in 0..<maxIterations {
            var gradient = 0.0
            var hessian = 0.0
            for g in groups.logits.indices {
                let mu = logistic(a + groups.logits[g])
                let total = Double(groups.totals[g])
                gradient += Double(groups.positives[g]) - total * mu
                hessian += total * mu * (1 - mu)
            }
            if gradient > 0 { low = a } else { high = a }
            var next = hessian > 0 ? a + gradient / hessian : .nan
            if !(next > low && next < high) {
                next = low.isFinite && high.isFinite ? (low + high) / 2 : (gradient > 0 ? a + 20 : a - 20)
            } else if !(low.isFinite && high.isFinite) {
                next = min(max(next, a - 20), a + 20)
            }
            let step = next - a
            a = next
            guard a.isFinite else { return nil }
            if abs(step) <= tolerance * (1 + abs(a)) { return a }
        }
        return nil
    }

    /// Sums over the groups at one (a, b): score vector, information matrix and (optionally) log-likelihood.
    private struct Pass {
        var g0 = 0.0, g1 = 0.0
        var h00 = 0.0, h01 = 0.0, h11 = 0.0
        var logLikelihood = 0.0
    }

    /// One pass over the groups at (a, b); the log-likelihood costs an extra `log1p` per group.
    private static func pass(_ groups: LogitGroups, a: Double, b: Double, withLikelihood: Bool) -> Pass {
        var sums = Pass()
        for g in groups.logits.indices {
            let x = groups.logits[g]
            let positives = Double(groups.positives[g])
            let total = Double(groups.totals[g])
            let eta = a + b * x
            let t = exp(-abs(eta))
            let mu = eta >= 0 ? 1 / (1 + t) : t / (1 + t)
            let residual = positives - total * mu
            let w = total * mu * (1 - mu)
            sums.g0 += residual
            sums.g1 += residual * x
            sums.h00 += w
            sums.h01 += w * x
            sums.h11 += w * x * x
            if withLikelihood {
                sums.logLikelihood += positives * eta - total * (max(eta, 0) + log1p(t))
            }
        }
        return sums
    }

    /// Newton/IRLS for (a, b) on the 2×2 normal equations, optionally halving steps that lower the likelihood.
    static func fitInterceptAndSlope(
        _ groups: LogitGroups, start: (Double, Double), lineSearch: Bool
    ) -> (Double, Double)? {
        var (a, b) = start
        var current = pass(groups, a: a, b: b, withLikelihood: lineSearch)
        for _ in 0..<maxIterations {
            let h = current
            let determinant = h.h00 * h.h11 - h.h01 * h.h01
            // A relatively tiny determinant means constant logits (no slope) or saturated weights (separation).
            guard determinant.isFinite, determinant > 1e-12 * h.h00 * h.h11 else { return nil }
            let stepA = (h.h11 * h.g0 - h.h01 * h.g1) / determinant
            let stepB = (h.h00 * h.g1 - h.h01 * h.g0) / determinant
            var scale = 1.0
            var next = pass(groups, a: a + stepA, b: b + stepB, withLikelihood: lineSearch)
            while lineSearch, next.logLikelihood < current.logLikelihood - 1e-12 * abs(current.logLikelihood) {
                scale /= 2
                guard scale > 1e-12 else { return nil }
                next = pass(groups, a: a + scale * stepA, b: b + scale * stepB, withLikelihood: true)
            }
            a += scale * stepA
            b += scale * stepB
            current = next
            guard a.isFinite, b.isFinite, abs(b) <= maxSlope else { return nil }
            if abs(scale * stepA) <= tolerance * (1 + abs(a)), abs(scale * stepB) <= tolerance * (1 + abs(b)) {
                return (a, b)
            }
        }
        return nil
    }
}

/// The window collapsed to its distinct logits: the likelihood depends on a row only through its logit and label.
///
/// Built from the sorted window, so tied scores (and scores clipped to the same logit) cost one term per
/// Newton pass instead of one per row. Counts are `UInt32` to keep the arrays small.
struct LogitGroups {
    /// logit(clip(score, eps, 1 − eps)) per group, descending.
    private(set) var logits: [Double] = []
    /// Positives per group.
    private(set) var positives: [UInt32] = []
    /// Rows per group.
    private(set) var totals: [UInt32] = []

    init(_ sorted: SortedScores) {
        precondition(sorted.nPositive + sorted.nNegative <= Int(UInt32.max), "window too large for UInt32 counts")
        let eps = CalibrationSummary.epsilon
        let capacity = sorted.nPositive + sorted.nNegative
        logits.reserveCapacity(capacity)
        positives.reserveCapacity(capacity)
        totals.reserveCapacity(capacity)
        var groups = sorted.descendingTieGroups()
        while let group = groups.next() {
            let clipped = min(max(group.score, eps), 1 - eps)
            let logit = log(clipped / (1 - clipped))
            if let last = logits.last, last == logit {
                positives[positives.count - 1] += UInt32(group.positives)
                totals[totals.count - 1] += UInt32(group.positives + group.negatives)
            } else {
                logits.append(logit)
                positives.append(UInt32(group.positives))
                totals.append(UInt32(group.positives + group.negatives))
            }
        }
    }
}

/// 1 / (1 + e^−x) without overflow.
@inline(__always)
func logistic(_ x: Double) -> Double {
    let t = exp(-abs(x))
    return x >= 0 ? 1 / (1 + t) : t / (1 + t)
}

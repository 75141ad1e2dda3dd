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

    /// Fits both models.
    ///
    /// All three values are nil when the window has one class only (the MLE is infinite). The joint fit is
    /// also nil when the scores separate the classes (AUC 0 or 1, so the slope is infinite) and when every
    /// logit is equal (no slope can be fitted). With both classes present the offset fit always has a finite
    /// solution, since its score equation is monotone in the intercept.
    init(scores: [Double], labels: [Bool], nPositive: Int, auc: Double?) {
        calibrationInTheLarge = nil
        intercept = nil
        slope = nil
        guard nPositive > 0, nPositive < scores.count else { return }
        let eps = CalibrationSummary.epsilon
        let logits = scores.map { p -> Double in
            let clipped = min(max(p, eps), 1 - eps)
            return log(clipped / (1 - clipped))
        }
        calibrationInTheLarge = Self.fitOffsetIntercept(logits: logits, labels: labels)
        guard auc != 0, auc != 1 else { return }
        let baseRate = Double(nPositive) / Double(scores.count)
        let start = (log(baseRate / (1 - baseRate)), 0.0)
        // Plain Newton from the null model almost always converges; the line-searched variant costs one
        // extra log per row and iteration, so it only runs when the plain one fails.
        if let (a, b) = Self.fitInterceptAndSlope(logits: logits, labels: labels, start: start, lineSearch: false)
            ?? Self.fitInterceptAndSlope(logits: logits, labels: labels, start: start, lineSearch: true)
        {
            intercept = a
            slope = b
        }
    }

    /// Safeguarded Newton on the single intercept with the logit as offset.
    ///
    /// The score Σ(y − μ) falls monotonically in the intercept, so each evaluation narrows a bracket around the
    /// root; a Newton step that leaves the bracket is replaced by bisection, and unbracketed steps are capped.
    private static func fitOffsetIntercept(logits: [Double], labels: [Bool]) -> Double? {
        var a = 0.0
        var low = -Double.infinity
        var high = Double.infinity
        for _ in 0..<maxIterations {
            var gradient = 0.0
            var hessian = 0.0
            for row in logits.indices {
                let mu = logistic(a + logits[row])
                gradient += (labels[row] ? 1 : 0) - mu
                hessian += mu * (1 - mu)
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

    /// Sums over the rows at one (a, b): score vector, information matrix and (optionally) log-likelihood.
    private struct Pass {
        var g0 = 0.0, g1 = 0.0
        var h00 = 0.0, h01 = 0.0, h11 = 0.0
        var logLikelihood = 0.0
    }

    private static func pass(logits: [Double], labels: [Bool], a: Double, b: Double, withLikelihood: Bool) -> Pass {
        var sums = Pass()
        for row in logits.indices {
            let x = logits[row]
            let eta = a + b * x
            let t = exp(-abs(eta))
            let mu = eta >= 0 ? 1 / (1 + t) : t / (1 + t)
            let y = labels[row] ? 1.0 : 0.0
            let residual = y - mu
            let w = mu * (1 - mu)
            sums.g0 += residual
            sums.g1 += residual * x
            sums.h00 += w
            sums.h01 += w * x
            sums.h11 += w * x * x
            if withLikelihood {
                sums.logLikelihood += y * eta - (max(eta, 0) + log1p(t))
            }
        }
        return sums
    }

    /// Newton/IRLS for (a, b) on the 2×2 normal equations, optionally halving steps that lower the likelihood.
    private static func fitInterceptAndSlope(
        logits: [Double], labels: [Bool], start: (Double, Double), lineSearch: Bool
    ) -> (Double, Double)? {
        var (a, b) = start
        var current = pass(logits: logits, labels: labels, a: a, b: b, withLikelihood: lineSearch)
        for _ in 0..<maxIterations {
            let h = current
            let determinant = h.h00 * h.h11 - h.h01 * h.h01
            // A relatively tiny determinant means constant logits (no slope) or saturated weights (separation).
            guard determinant.isFinite, determinant > 1e-12 * h.h00 * h.h11 else { return nil }
            let stepA = (h.h11 * h.g0 - h.h01 * h.g1) / determinant
            let stepB = (h.h00 * h.g1 - h.h01 * h.g0) / determinant
            var scale = 1.0
            var next = pass(logits: logits, labels: labels, a: a + stepA, b: b + stepB, withLikelihood: lineSearch)
            while lineSearch, next.logLikelihood < current.logLikelihood - 1e-12 * abs(current.logLikelihood) {
                scale /= 2
                guard scale > 1e-12 else { return nil }
                next = pass(
                    logits: logits, labels: labels, a: a + scale * stepA, b: b + scale * stepB, withLikelihood: true
                )
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

/// 1 / (1 + e^−x) without overflow.
@inline(__always)
func logistic(_ x: Double) -> Double {
    let t = exp(-abs(x))
    return x >= 0 ? 1 / (1 + t) : t / (1 + t)
}

#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

// The C math functions the generator needs, wrapped so that only this file imports the C library.

@inline(__always) func mathLog(_ x: Double) -> Double { log(x) }
@inline(__always) func mathExp(_ x: Double) -> Double { exp(x) }
@inline(__always) func mathCos(_ x: Double) -> Double { cos(x) }
@inline(__always) func mathSin(_ x: Double) -> Double { sin(x) }

/// The logistic function, 1 / (1 + e^-x).
@inline(__always) func sigmoid(_ x: Double) -> Double { 1 / (1 + exp(-x)) }

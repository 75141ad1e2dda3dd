#ifndef MODELWATCH_CBYTECLASSES_SHIM_H
#define MODELWATCH_CBYTECLASSES_SHIM_H

#include <stdint.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/// Where the CSV structure is in 64 bytes: bit i describes byte i.
typedef struct {
    /// The delimiter and the line feed: the ends of unquoted fields.
    uint64_t separators;
    /// The quote and the carriage return: bytes a plain record does not hold.
    uint64_t specials;
    /// Bytes of 0x80 or more: bytes outside ASCII.
    uint64_t high;
} modelwatch_byte_classes;

/// Classifies the 64 bytes at `bytes` (all of which must be readable). Swift has no portable way to turn a
/// vector comparison into a bit mask (`pmovmskb`), which is what makes this 64 compares in 20 instructions;
/// other processors take the byte-by-byte loop, with the same result.
static inline modelwatch_byte_classes modelwatch_classify64(const uint8_t *bytes, uint8_t delimiter) {
    modelwatch_byte_classes classes = {0, 0, 0};
#if defined(__SSE2__)
    const __m128i delimiters = _mm_set1_epi8((char)delimiter);
    const __m128i lineFeeds = _mm_set1_epi8('\n');
    const __m128i quotes = _mm_set1_epi8('"');
    const __m128i carriageReturns = _mm_set1_epi8('\r');
    for (int lane = 0; lane < 4; lane++) {
        const __m128i chunk = _mm_loadu_si128((const __m128i *)(bytes + 16 * lane));
        const uint64_t separators = (uint32_t)_mm_movemask_epi8(
            _mm_or_si128(_mm_cmpeq_epi8(chunk, delimiters), _mm_cmpeq_epi8(chunk, lineFeeds)));
        const uint64_t specials = (uint32_t)_mm_movemask_epi8(
            _mm_or_si128(_mm_cmpeq_epi8(chunk, quotes), _mm_cmpeq_epi8(chunk, carriageReturns)));
        const uint64_t high = (uint32_t)_mm_movemask_epi8(chunk);
        classes.separators |= separators << (16 * lane);
        classes.specials |= specials << (16 * lane);
        classes.high |= high << (16 * lane);
    }
#else
    for (int index = 0; index < 64; index++) {
        const uint8_t byte = bytes[index];
        const uint64_t bit = (uint64_t)1 << index;
        if (byte == delimiter || byte == '\n') classes.separators |= bit;
        if (byte == '"' || byte == '\r') classes.specials |= bit;
        if (byte >= 0x80) classes.high |= bit;
    }
#endif
    return classes;
}

#endif

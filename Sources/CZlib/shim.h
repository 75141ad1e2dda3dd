#ifndef CZLIB_SHIM_H
#define CZLIB_SHIM_H
#include <zlib.h>

/// deflateInit2 and inflateInit2 are macros in zlib.h; Swift cannot call macros, so wrap them.
static inline int czlib_deflate_init_gzip(z_streamp _Nonnull strm, int level) {
    return deflateInit2(strm, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
}
/// windowBits 15 + 32: detect gzip or zlib headers automatically.
static inline int czlib_inflate_init_auto(z_streamp _Nonnull strm) {
    return inflateInit2(strm, 15 + 32);
}
#endif

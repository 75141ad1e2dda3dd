#ifndef MODELWATCH_CPREFETCH_SHIM_H
#define MODELWATCH_CPREFETCH_SHIM_H

/// Asks the processor to start loading the cache line holding `address` (for reading, into every cache level)
/// and returns at once; it never faults, whatever the address. Swift has no prefetch of its own.
static inline void modelwatch_prefetch(const void *address) {
    __builtin_prefetch(address, 0, 3);
}

#endif

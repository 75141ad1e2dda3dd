#ifndef MODELWATCH_CAFFINITY_SHIM_H
#define MODELWATCH_CAFFINITY_SHIM_H

// glibc declares sched_getaffinity and sched_setaffinity only under _GNU_SOURCE, which Swift's Glibc module does
// not define (and defining it here would give this module system types that differ from Glibc's). They are
// declared here by their ABI instead: pid_t is int, size_t unsigned long, the mask an array of bits.
extern int sched_getaffinity(int pid, unsigned long size, void *mask);
extern int sched_setaffinity(int pid, unsigned long size, const void *mask);

/// The CPUs a mask can name (glibc's CPU_SETSIZE).
#define MODELWATCH_CPU_SETSIZE 1024
#define MODELWATCH_MASK_WORDS (MODELWATCH_CPU_SETSIZE / (8 * sizeof(unsigned long)))

/// Writes the CPUs in the affinity mask of thread `tid` (0: the calling thread) into `cpus`, at most `capacity`
/// of them, ascending; returns how many, or -1 (errno set).
static inline int modelwatch_get_affinity(int tid, int *cpus, int capacity) {
    unsigned long mask[MODELWATCH_MASK_WORDS] = {0};
    if (sched_getaffinity(tid, sizeof mask, mask) != 0) return -1;
    int count = 0;
    for (int cpu = 0; cpu < MODELWATCH_CPU_SETSIZE && count < capacity; cpu++) {
        if (mask[cpu / (8 * sizeof(unsigned long))] & (1UL << (cpu % (8 * sizeof(unsigned long))))) cpus[count++] = cpu;
    }
    return count;
}

/// Confines thread `tid` (0: the calling thread) to the `count` CPUs in `cpus`; 0, or -1 (errno set).
static inline int modelwatch_set_affinity(int tid, const int *cpus, int count) {
    unsigned long mask[MODELWATCH_MASK_WORDS] = {0};
    for (int i = 0; i < count; i++) {
        if (cpus[i] >= 0 && cpus[i] < MODELWATCH_CPU_SETSIZE) {
            mask[cpus[i] / (8 * sizeof(unsigned long))] |= 1UL << (cpus[i] % (8 * sizeof(unsigned long)));
        }
    }
    return sched_setaffinity(tid, sizeof mask, mask);
}

#endif

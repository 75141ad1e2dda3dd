#ifndef MODELWATCH_BUILD_INFO_H
#define MODELWATCH_BUILD_INFO_H

/// The git commit this binary was built from, with "-dirty" when the tree had uncommitted changes, or
/// "unknown" when it was built without `make` (see build_info.c).
const char *modelwatch_build_commit(void);

#endif

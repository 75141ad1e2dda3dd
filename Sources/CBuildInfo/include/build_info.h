#ifndef MODELWATCH_BUILD_INFO_H
#define MODELWATCH_BUILD_INFO_H

/// The git commit this binary was built from (Package.swift passes it as MODELWATCH_COMMIT from the
/// checkout's git information), with "-dirty" when the tree had uncommitted changes; "unknown" outside git.
const char *modelwatch_build_commit(void);

#endif

#include "build_info.h"

// `make` (any target that builds) writes commit.h, git-ignored, with the checkout's HEAD:
//   #define MODELWATCH_COMMIT "<40 hex digits>[-dirty]"
// A plain `swift build` of a clean clone has no such file and reports "unknown".
// (Package.swift's Context.gitInformation is not used: SwiftPM caches the evaluated manifest, so a
// commit made after the first build would not be seen.)
#if __has_include("commit.h")
#include "commit.h"
#endif

#ifndef MODELWATCH_COMMIT
#define MODELWATCH_COMMIT "unknown"
#endif

const char *modelwatch_build_commit(void) { return MODELWATCH_COMMIT; }

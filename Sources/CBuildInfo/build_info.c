#include "build_info.h"

#ifndef MODELWATCH_COMMIT
#define MODELWATCH_COMMIT "unknown"
#endif

const char *modelwatch_build_commit(void) { return MODELWATCH_COMMIT; }

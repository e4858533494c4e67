// A test hook for crash safety: named points in the writer's commit path
// where a test can make the process die as if killed.
#pragma once

namespace dateline {

// When the environment variable DATELINE_FAULT is "NAME" or "NAME:N", the
// N-th time (the first by default) the process reaches fault_point("NAME")
// it kills itself with SIGKILL, leaving its files as a crash would. Without
// the variable it does nothing (one getenv, at the first call).
void fault_point(const char* name);

}  // namespace dateline

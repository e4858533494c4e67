#include "common/fault_point.h"

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <string>

namespace dateline {

namespace {

struct Fault {
  std::string name;
  long at = 0;  // 0: no fault configured
  std::atomic<long> seen{0};
  Fault() {
    const char* v = std::getenv("DATELINE_FAULT");
    if (!v || !*v) return;
    const std::string spec(v);
    const size_t colon = spec.find(':');
    name = spec.substr(0, colon);
    at = colon == std::string::npos ? 1 : std::atol(spec.c_str() + colon + 1);
  }
};

}  // namespace

void fault_point(const char* name) {
  static Fault fault;
  if (fault.at <= 0 || fault.name != name) return;
  if (++fault.seen == fault.at) ::kill(::getpid(), SIGKILL);
}

}  // namespace dateline

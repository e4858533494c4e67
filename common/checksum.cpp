#include "common/checksum.h"

#include <xxhash.h>

#include <new>

namespace dateline {

namespace {
bool skip_inner = false;
}  // namespace

bool inner_checksum_matches(uint64_t stored, uint64_t computed) { return stored == computed || skip_inner; }
void skip_inner_checksums_for_fuzzing() { skip_inner = true; }

uint64_t checksum64(std::string_view data) { return XXH64(data.data(), data.size(), 0); }

uint32_t checksum32(std::string_view data) { return static_cast<uint32_t>(XXH3_64bits(data.data(), data.size())); }

Checksum64::Checksum64() : state_(XXH64_createState()) {
  if (!state_) throw std::bad_alloc();
  XXH64_reset(static_cast<XXH64_state_t*>(state_), 0);
}

Checksum64::~Checksum64() { XXH64_freeState(static_cast<XXH64_state_t*>(state_)); }

void Checksum64::update(std::string_view data) {
  XXH64_update(static_cast<XXH64_state_t*>(state_), data.data(), data.size());
}

uint64_t Checksum64::digest() const { return XXH64_digest(static_cast<const XXH64_state_t*>(state_)); }

}  // namespace dateline

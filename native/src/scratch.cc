#include "scratch.h"

#include <cstdlib>
#include <map>

namespace fcn {
namespace {

/** The calling thread's pooled buffers, freed when the thread ends (a data-parallel worker). */
struct Pool : std::multimap<size_t, void*> {
  ~Pool() {
    for (auto& [bytes, ptr] : *this) std::free(ptr);
  }
};

Pool& pool() {
  static thread_local Pool p;
  return p;
}
thread_local size_t pooled = 0;

size_t limit() {
  static size_t l = [] {
    const char* v = std::getenv("FCN_NATIVE_POOL_MB");
    return (v ? std::strtoull(v, nullptr, 10) : 1024ull) << 20;
  }();
  return l;
}

}  // namespace

Scratch::Scratch(size_t bytes) {
  auto& p = pool();
  // Take a pooled buffer of at least this size and not much larger, else a new one.
  auto it = p.lower_bound(bytes);
  if (it != p.end() && it->first <= bytes + bytes / 4) {
    ptr_ = it->second;
    bytes_ = it->first;
    pooled -= bytes_;
    p.erase(it);
    return;
  }
  bytes_ = bytes;
  ptr_ = std::aligned_alloc(64, (bytes + 63) / 64 * 64);
}

Scratch& Scratch::operator=(Scratch&& o) noexcept {
  std::swap(ptr_, o.ptr_);
  std::swap(bytes_, o.bytes_);
  return *this;
}

Scratch::~Scratch() {
  if (!ptr_) return;
  auto& p = pool();
  p.emplace(bytes_, ptr_);
  pooled += bytes_;
  // Over the limit: free the largest buffers first (they are the rarest sizes).
  while (pooled > limit() && !p.empty()) {
    auto last = std::prev(p.end());
    pooled -= last->first;
    std::free(last->second);
    p.erase(last);
  }
}

void trimScratch() {
  for (auto& [bytes, ptr] : pool()) std::free(ptr);
  pool().clear();
  pooled = 0;
}

}  // namespace fcn

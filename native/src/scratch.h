// Temporary buffers for blocked-layout copies, kept between calls. A convolution reorders its
// input and output through buffers of the same sizes on every call; reusing them saves the
// page faults of fresh 100 MB allocations, which cost as much as a reorder. Each thread has its own pool.
#pragma once
#include <cstddef>

namespace fcn {

/** A buffer borrowed from the pool for the duration of a kernel; returned when it goes out of scope. */
class Scratch {
 public:
  Scratch() = default;
  explicit Scratch(size_t bytes);
  Scratch(const Scratch&) = delete;
  Scratch& operator=(const Scratch&) = delete;
  Scratch(Scratch&& o) noexcept : ptr_(o.ptr_), bytes_(o.bytes_) { o.ptr_ = nullptr; }
  Scratch& operator=(Scratch&& o) noexcept;
  ~Scratch();
  void* get() const { return ptr_; }

 private:
  void* ptr_ = nullptr;
  size_t bytes_ = 0;
};

/** Frees every pooled buffer (the pool also trims itself past FCN_NATIVE_POOL_MB, default 1024). */
void trimScratch();

}  // namespace fcn

// Batched matrix products on oneDNN's matmul primitive: tfjs's BatchMatMul with transposeA,
// transposeB and a batch that one side may broadcast (batch 1). A transposed operand is the
// same memory described with swapped strides, so nothing is copied. Primitives are cached by
// shape, per
// thread (see conv.cc).
#include <algorithm>
#include <memory>
#include <string>
#include <unordered_map>

#include <omp.h>

#include "common.h"

namespace fcn {
namespace {

using dnnl::memory;
using dt = memory::data_type;

/** [batchA, batchB, m, k, n, transposeA, transposeB] */
struct MatmulShape {
  int64_t ba, bb, m, k, n;
  bool ta, tb;

  explicit MatmulShape(const std::vector<int64_t>& s) {
    if (s.size() != 7) throw std::invalid_argument("matmul shape must have 7 entries");
    ba = s[0], bb = s[1], m = s[2], k = s[3], n = s[4], ta = s[5] != 0, tb = s[6] != 0;
    if (ba != bb && ba != 1 && bb != 1) throw std::invalid_argument("matmul batches must agree or be 1");
  }
  int64_t batch() const { return std::max(ba, bb); }
  /** The cache key: the shape and the thread count, which oneDNN fixes when it creates a primitive. */
  std::string key() const {
    std::string s;
    for (int64_t v : {ba, bb, m, k, n, int64_t(ta), int64_t(tb)}) s += std::to_string(v) + ",";
    return s + "t" + std::to_string(omp_get_max_threads());
  }
  // a is [b, m, k], or [b, k, m] when transposed; b is [b, k, n], or [b, n, k].
  memory::desc a() const { return {{ba, m, k}, dt::f32, ta ? memory::dims{m * k, 1, m} : memory::dims{m * k, k, 1}}; }
  memory::desc b() const { return {{bb, k, n}, dt::f32, tb ? memory::dims{k * n, 1, k} : memory::dims{k * n, n, 1}}; }
  memory::desc c() const { return {{batch(), m, n}, dt::f32, memory::dims{m * n, n, 1}}; }
};

struct Matmul {
  dnnl::matmul::primitive_desc pd;
  dnnl::matmul prim;
};

thread_local std::unordered_map<std::string, std::unique_ptr<Matmul>> matmuls;

// matmul(shape, a, b, c)
Napi::Value MatmulForward(const Napi::CallbackInfo& info) {
  return guarded(info, [&] {
    MatmulShape s(ints(info[0]));
    auto& slot = matmuls[s.key()];
    if (!slot) {
      dnnl::matmul::primitive_desc pd(dnnl::matmul::desc(s.a(), s.b(), s.c()), engine());
      slot.reset(new Matmul{pd, dnnl::matmul(pd)});
    }
    memory a(s.a(), engine(), floats(info[1]));
    memory b(s.b(), engine(), floats(info[2]));
    memory c(s.c(), engine(), floats(info[3]));
    slot->prim.execute(stream(), {{DNNL_ARG_SRC, a}, {DNNL_ARG_WEIGHTS, b}, {DNNL_ARG_DST, c}});
    stream().wait();
    return info.Env().Undefined();
  });
}

}  // namespace

void clearMatmuls() { matmuls.clear(); }

size_t matmulCount() { return matmuls.size(); }

void initMatmul(Napi::Env env, Napi::Object exports) { exports.Set("matmul", Napi::Function::New(env, MatmulForward)); }

}  // namespace fcn

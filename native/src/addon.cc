// fcn's native addon: oneDNN convolutions and matmul, and hand-written pooling, LRN and elementwise
// kernels for the `native` TensorFlow.js backend (src/runtime/native/). Every function works
// on Float32Arrays owned by JavaScript, in NHWC, and writes into a preallocated output.
#include <omp.h>

#include "common.h"

namespace fcn {

dnnl::engine& engine() {
  static thread_local dnnl::engine e(dnnl::engine::kind::cpu, 0);
  return e;
}

dnnl::stream& stream() {
  static thread_local dnnl::stream s(engine());
  return s;
}

namespace {

/** oneDNN 2.6's name for the instruction set its kernels use (dnnl_types.h, dnnl_cpu_isa_t). */
const char* isaName(dnnl::cpu_isa isa) {
  switch (isa) {
    case dnnl::cpu_isa::all: return "all";
    case dnnl::cpu_isa::sse41: return "sse41";
    case dnnl::cpu_isa::avx: return "avx";
    case dnnl::cpu_isa::avx2: return "avx2";
    case dnnl::cpu_isa::avx2_vnni: return "avx2_vnni";
    case dnnl::cpu_isa::avx512_mic: return "avx512_mic";
    case dnnl::cpu_isa::avx512_mic_4ops: return "avx512_mic_4ops";
    case dnnl::cpu_isa::avx512_core: return "avx512_core";
    case dnnl::cpu_isa::avx512_core_vnni: return "avx512_core_vnni";
    case dnnl::cpu_isa::avx512_core_bf16: return "avx512_core_bf16";
    case dnnl::cpu_isa::avx512_core_amx: return "avx512_core_amx";
  }
  return "unknown";
}

// setThreads(n): the calling thread's OpenMP thread count (each thread keeps its own).
Napi::Value SetThreads(const Napi::CallbackInfo& info) {
  omp_set_num_threads(info[0].As<Napi::Number>().Int32Value());
  return info.Env().Undefined();
}

Napi::Value Info(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  auto out = Napi::Object::New(env);
  const dnnl_version_t* v = dnnl_version();
  out.Set("onednn", std::to_string(v->major) + "." + std::to_string(v->minor) + "." + std::to_string(v->patch));
  out.Set("threads", omp_get_max_threads());
  out.Set("isa", isaName(dnnl::get_effective_cpu_isa()));
  out.Set("parallelMin", double(kParallelMin));
  return out;
}

}  // namespace
}  // namespace fcn

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("setThreads", Napi::Function::New(env, fcn::SetThreads));
  exports.Set("info", Napi::Function::New(env, fcn::Info));
  fcn::initConv(env, exports);
  fcn::initPool(env, exports);
  fcn::initEltwise(env, exports);
  fcn::initLrn(env, exports);
  fcn::initMatmul(env, exports);
  fcn::initLoss(env, exports);
  return exports;
}

NODE_API_MODULE(fcn_native, Init)

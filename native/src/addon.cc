// fcn's native addon: oneDNN convolutions and matmul, and hand-written pooling, LRN and elementwise
// kernels for the `native` TensorFlow.js backend (src/runtime/native/). Every function works
// on Float32Arrays owned by JavaScript, in NHWC, and writes into a preallocated output.
#include <omp.h>

#include "common.h"

namespace fcn {

void initMatmul(Napi::Env env, Napi::Object exports);  // matmul.cc

dnnl::engine& engine() {
  static dnnl::engine e(dnnl::engine::kind::cpu, 0);
  return e;
}

dnnl::stream& stream() {
  static dnnl::stream s(engine());
  return s;
}

namespace {

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
  const char* isa = "unknown";
  switch (dnnl::get_effective_cpu_isa()) {
    case dnnl::cpu_isa::sse41: isa = "sse41"; break;
    case dnnl::cpu_isa::avx: isa = "avx"; break;
    case dnnl::cpu_isa::avx2: isa = "avx2"; break;
    case dnnl::cpu_isa::avx512_core: isa = "avx512_core"; break;
    default: isa = "other"; break;
  }
  out.Set("isa", isa);
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
  return exports;
}

NODE_API_MODULE(fcn_native, Init)

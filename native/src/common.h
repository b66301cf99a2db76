// Shared pieces of the addon: the oneDNN engine and stream, reading typed arrays and
// integer lists from JavaScript, and turning C++ failures into JavaScript errors.
#pragma once
#include <napi.h>

#include <cstdint>
#include <string>
#include <vector>

#include "oneapi/dnnl/dnnl.hpp"

namespace fcn {

/**
 * Below this many floats of work a loop runs on the calling thread alone (an OpenMP `if`
 * clause): waking the other threads costs more than it saves on a small tensor, and on a busy
 * machine a parallel region waits for a thread the OS has not scheduled, a millisecond or more.
 * A tiny net's step is hundreds of such loops (measured on tiny-fcn8s, README: native backend).
 */
constexpr int64_t kParallelMin = int64_t(1) << 16;

/** The calling thread's CPU engine and stream that its primitives run on (oneDNN's CPU stream is synchronous). */
dnnl::engine& engine();
dnnl::stream& stream();

/** The float data of a Float32Array argument; null for null or undefined. */
inline float* floats(const Napi::Value& v) {
  if (v.IsNull() || v.IsUndefined()) return nullptr;
  return v.As<Napi::Float32Array>().Data();
}

/** Length of a Float32Array argument. */
inline size_t length(const Napi::Value& v) { return v.As<Napi::Float32Array>().ElementLength(); }

/** An Int32Array argument as a vector of int64 (oneDNN's dims). */
inline std::vector<int64_t> ints(const Napi::Value& v) {
  auto a = v.As<Napi::Int32Array>();
  return std::vector<int64_t>(a.Data(), a.Data() + a.ElementLength());
}

/** Runs `f`, turning a C++ exception into a JavaScript error (the addon is built without C++ exceptions in napi). */
template <typename F>
Napi::Value guarded(const Napi::CallbackInfo& info, F f) {
  try {
    return f();
  } catch (const dnnl::error& e) {
    Napi::Error::New(info.Env(), std::string("oneDNN: ") + e.what() + " (status " + std::to_string(e.status) + ")")
        .ThrowAsJavaScriptException();
  } catch (const std::exception& e) {
    Napi::Error::New(info.Env(), e.what()).ThrowAsJavaScriptException();
  }
  return info.Env().Undefined();
}

void initConv(Napi::Env env, Napi::Object exports);
void initPool(Napi::Env env, Napi::Object exports);
void initEltwise(Napi::Env env, Napi::Object exports);
void initLrn(Napi::Env env, Napi::Object exports);
void initMatmul(Napi::Env env, Napi::Object exports);
void initLoss(Napi::Env env, Napi::Object exports);

/** Drops the calling thread's cached matmul primitives (clearCaches). */
void clearMatmuls();
/** How many matmul primitives the calling thread has cached (cacheSizes). */
size_t matmulCount();

}  // namespace fcn

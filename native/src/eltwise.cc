// Elementwise kernels that a training step of an FCN spends its non-convolution time in, on
// all threads: binary arithmetic with the broadcasts the nets use (a bias over the channels,
// a per-pixel mask over the channels, a scalar), ReLU and Step, sums over leading or trailing
// axes (a bias gradient, a loss), and Caffe's SGD update in place. Results are rounded to
// float32 after every operation, as tfjs's cpu backend and Caffe do (built without FMA
// contraction), so the update is bit-identical to theirs.
#include <algorithm>
#include <cmath>

#include <omp.h>

#include "common.h"

namespace fcn {
namespace {

enum Op { ADD = 0, SUB = 1, MUL = 2, DIV = 3, MAXIMUM = 4, MINIMUM = 5 };

template <int O>
inline float apply(float a, float b) {
  if constexpr (O == ADD) return a + b;
  if constexpr (O == SUB) return a - b;
  if constexpr (O == MUL) return a * b;
  if constexpr (O == DIV) return a / b;
  // tfjs: a NaN operand gives NaN.
  if constexpr (O == MAXIMUM) return std::isnan(a) || std::isnan(b) ? NAN : std::max(a, b);
  if constexpr (O == MINIMUM) return std::isnan(a) || std::isnan(b) ? NAN : std::min(a, b);
}

/**
 * out[i] = a[i] op b[j] where b is broadcast: b's value j covers `inner` consecutive outputs
 * and b repeats every m·inner outputs (same shape: m = n, inner = 1; scalar: m = 1; a bias
 * over channels: m = C, inner = 1; a per-pixel value over C channels: m = pixels, inner = C).
 * `swap` computes b[j] op a[i] instead.
 */
template <int O>
void binary(const float* a, const float* b, float* out, int64_t n, int64_t m, int64_t inner, bool swap) {
  auto f = [swap](float x, float y) { return swap ? apply<O>(y, x) : apply<O>(x, y); };
  const bool par = n >= kParallelMin;
  if (m == 1) {
    const float v = b[0];
#pragma omp parallel for schedule(static) if (par)
    for (int64_t i = 0; i < n; i++) out[i] = f(a[i], v);
    return;
  }
  if (inner == 1) {
    const int64_t rows = n / m;
    if (rows >= 64 || !par) {
#pragma omp parallel for schedule(static) if (par)
      for (int64_t r = 0; r < rows; r++)
        for (int64_t j = 0; j < m; j++) out[r * m + j] = f(a[r * m + j], b[j]);
    } else {
      for (int64_t r = 0; r < rows; r++)
#pragma omp parallel for schedule(static)
        for (int64_t j = 0; j < m; j++) out[r * m + j] = f(a[r * m + j], b[j]);
    }
    return;
  }
  const int64_t blocks = n / inner;
#pragma omp parallel for schedule(static) if (par)
  for (int64_t q = 0; q < blocks; q++) {
    const float v = b[q % m];
    const int64_t base = q * inner;
    for (int64_t k = 0; k < inner; k++) out[base + k] = f(a[base + k], v);
  }
}

// binary(op, a, b, out, m, inner, swap): a and out have n elements, b is broadcast (see above).
Napi::Value Binary(const Napi::CallbackInfo& info) {
  return guarded(info, [&] {
    const int op = info[0].As<Napi::Number>().Int32Value();
    const float* a = floats(info[1]);
    const float* b = floats(info[2]);
    float* out = floats(info[3]);
    const int64_t n = length(info[3]);
    const int64_t m = info[4].As<Napi::Number>().Int64Value();
    const int64_t inner = info[5].As<Napi::Number>().Int64Value();
    const bool swap = info[6].ToBoolean();
    if (length(info[1]) != size_t(n) || length(info[2]) != size_t(m) || n % (m * inner) != 0)
      throw std::invalid_argument("binary: operand sizes do not match the broadcast");
    switch (op) {
      case ADD: binary<ADD>(a, b, out, n, m, inner, swap); break;
      case SUB: binary<SUB>(a, b, out, n, m, inner, swap); break;
      case MUL: binary<MUL>(a, b, out, n, m, inner, swap); break;
      case DIV: binary<DIV>(a, b, out, n, m, inner, swap); break;
      case MAXIMUM: binary<MAXIMUM>(a, b, out, n, m, inner, swap); break;
      case MINIMUM: binary<MINIMUM>(a, b, out, n, m, inner, swap); break;
      default: throw std::invalid_argument("binary: unknown op");
    }
    return info.Env().Undefined();
  });
}

// relu(x, y): y = max(x, 0) as Math.max(0, x): NaN stays NaN, −0 becomes 0.
Napi::Value Relu(const Napi::CallbackInfo& info) {
  return guarded(info, [&] {
    const float* x = floats(info[0]);
    float* y = floats(info[1]);
    const int64_t n = length(info[1]);
#pragma omp parallel for schedule(static) if (n >= kParallelMin)
    for (int64_t i = 0; i < n; i++) y[i] = x[i] > 0.f ? x[i] : (std::isnan(x[i]) ? x[i] : 0.f);
    return info.Env().Undefined();
  });
}

// step(x, y, alpha): y = 1 where x > 0, alpha elsewhere, NaN where x is NaN (tfjs's Step).
Napi::Value Step(const Napi::CallbackInfo& info) {
  return guarded(info, [&] {
    const float* x = floats(info[0]);
    float* y = floats(info[1]);
    const float alpha = info[2].As<Napi::Number>().FloatValue();
    const int64_t n = length(info[1]);
#pragma omp parallel for schedule(static) if (n >= kParallelMin)
    for (int64_t i = 0; i < n; i++) y[i] = std::isnan(x[i]) ? NAN : (x[i] > 0.f ? 1.f : alpha);
    return info.Env().Undefined();
  });
}

// reluGrad(dy, y, dx): dx = dy where y > 0, else 0 (a ReLU's gradient from its output).
Napi::Value ReluGrad(const Napi::CallbackInfo& info) {
  return guarded(info, [&] {
    const float* dy = floats(info[0]);
    const float* y = floats(info[1]);
    float* dx = floats(info[2]);
    const int64_t n = length(info[2]);
#pragma omp parallel for schedule(static) if (n >= kParallelMin)
    for (int64_t i = 0; i < n; i++) dx[i] = y[i] > 0.f ? dy[i] : 0.f;
    return info.Env().Undefined();
  });
}

// sumRows(x, out, rows, cols, leading): the sums over the leading axis (out[c] = Σ_r x[r, c])
// or the trailing one (out[r] = Σ_c x[r, c]), accumulated in double as tfjs's cpu backend does.
Napi::Value Sum(const Napi::CallbackInfo& info) {
  return guarded(info, [&] {
    const float* x = floats(info[0]);
    float* out = floats(info[1]);
    const int64_t rows = info[2].As<Napi::Number>().Int64Value();
    const int64_t cols = info[3].As<Napi::Number>().Int64Value();
    const bool leading = info[4].ToBoolean();
    const bool par = rows * cols >= kParallelMin;
    if (!leading) {
#pragma omp parallel for schedule(static) if (par)
      for (int64_t r = 0; r < rows; r++) {
        double s = 0;
        for (int64_t c = 0; c < cols; c++) s += x[r * cols + c];
        out[r] = float(s);
      }
      return info.Env().Undefined();
    }
    // Each thread sums a band of rows into its own partial sums; the bands are then added in order.
    const int threads = par ? omp_get_max_threads() : 1;
    std::vector<double> partial(size_t(threads) * cols, 0.0);
#pragma omp parallel num_threads(threads)
    {
      const int t = omp_get_thread_num(), nt = omp_get_num_threads();
      const int64_t r0 = rows * t / nt, r1 = rows * (t + 1) / nt;
      double* p = partial.data() + size_t(t) * cols;
      for (int64_t r = r0; r < r1; r++)
        for (int64_t c = 0; c < cols; c++) p[c] += x[r * cols + c];
    }
    for (int64_t c = 0; c < cols; c++) {
      double s = 0;
      for (int t = 0; t < threads; t++) s += partial[size_t(t) * cols + c];
      out[c] = float(s);
    }
    return info.Env().Undefined();
  });
}

// sgdUpdate(w, g, h, wOut, hOut, rate, decay, momentum): Caffe's update (sgd_solver.cpp),
//   h' = rate·(decay·w + g) + momentum·h,  w' = w − h'
// rounded to float32 after every operation. wOut and hOut may be w and h (in place).
Napi::Value SgdUpdate(const Napi::CallbackInfo& info) {
  return guarded(info, [&] {
    const float* w = floats(info[0]);
    const float* g = floats(info[1]);
    const float* h = floats(info[2]);
    float* wOut = floats(info[3]);
    float* hOut = floats(info[4]);
    const float rate = info[5].As<Napi::Number>().FloatValue();
    const float decay = info[6].As<Napi::Number>().FloatValue();
    const float momentum = info[7].As<Napi::Number>().FloatValue();
    const int64_t n = length(info[0]);
    const bool par = n >= kParallelMin;
    if (decay == 0.f) {
#pragma omp parallel for schedule(static) if (par)
      for (int64_t i = 0; i < n; i++) {
        const float rg = rate * g[i];
        const float mh = momentum * h[i];
        const float hi = rg + mh;
        hOut[i] = hi;
        wOut[i] = w[i] - hi;
      }
    } else {
#pragma omp parallel for schedule(static) if (par)
      for (int64_t i = 0; i < n; i++) {
        const float wi = w[i];
        const float dw = decay * wi;
        const float diff = dw + g[i];
        const float rd = rate * diff;
        const float mh = momentum * h[i];
        const float hi = rd + mh;
        hOut[i] = hi;
        wOut[i] = wi - hi;
      }
    }
    return info.Env().Undefined();
  });
}

}  // namespace

void initEltwise(Napi::Env env, Napi::Object exports) {
  exports.Set("binary", Napi::Function::New(env, Binary));
  exports.Set("relu", Napi::Function::New(env, Relu));
  exports.Set("step", Napi::Function::New(env, Step));
  exports.Set("reluGrad", Napi::Function::New(env, ReluGrad));
  exports.Set("sum", Napi::Function::New(env, Sum));
  exports.Set("sgdUpdate", Napi::Function::New(env, SgdUpdate));
}

}  // namespace fcn

// LRN across channels (AlexNet, GoogLeNet), forward and backward, on NHWC, with tfjs's
// attributes: y = x · (bias + alpha · Σ x²)^−beta over the channels [c − r, c + r] that
// exist (Caffe's alpha/size arrives as alpha, see CaffeLRN). The window runs along the
// channels, which are contiguous in NHWC, so each pixel is one pass over a short row; pixels
// are split over the threads. A hand loop rather than oneDNN's lrn primitive: oneDNN's
// backward wants the forward's workspace, which tfjs's LRNGrad (x, y, dy) does not carry,
// and a channel window of 5 over a contiguous row is memory-bound either way.
#include <omp.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "common.h"

namespace fcn {
namespace {

struct LrnParams {
  int64_t pixels, c, r;
  float bias, alpha, beta;

  explicit LrnParams(const Napi::CallbackInfo& info, int64_t size) {
    c = info[0].As<Napi::Number>().Int64Value();
    r = info[1].As<Napi::Number>().Int64Value();
    bias = info[2].As<Napi::Number>().FloatValue();
    alpha = info[3].As<Napi::Number>().FloatValue();
    beta = info[4].As<Napi::Number>().FloatValue();
    if (c <= 0 || size % c != 0) throw std::invalid_argument("LRN: the size is not a multiple of the channels");
    if (r < 0) throw std::invalid_argument("LRN: negative depth radius");
    pixels = size / c;
  }

  /** norm[ch] = bias + alpha · Σ x² over the window of ch, for one pixel's row of channels. */
  void norms(const float* x, float* norm) const {
    for (int64_t ch = 0; ch < c; ch++) {
      const int64_t a = std::max<int64_t>(0, ch - r), b = std::min<int64_t>(c - 1, ch + r);
      float sum = 0.f;
      for (int64_t k = a; k <= b; k++) sum += x[k] * x[k];
      norm[ch] = bias + alpha * sum;
    }
  }
};

// lrnForward(c, depthRadius, bias, alpha, beta, x, y)
Napi::Value LrnForward(const Napi::CallbackInfo& info) {
  return guarded(info, [&] {
    const LrnParams p(info, length(info[5]));
    const float* x = floats(info[5]);
    float* y = floats(info[6]);
#pragma omp parallel if (p.pixels * p.c * (2 * p.r + 1) >= kParallelMin)
    {
      std::vector<float> norm(p.c);
#pragma omp for schedule(static)
      for (int64_t i = 0; i < p.pixels; i++) {
        const float* xi = x + i * p.c;
        float* yi = y + i * p.c;
        p.norms(xi, norm.data());
        for (int64_t ch = 0; ch < p.c; ch++) yi[ch] = xi[ch] * std::pow(norm[ch], -p.beta);
      }
    }
    return info.Env().Undefined();
  });
}

// lrnBackward(c, depthRadius, bias, alpha, beta, x, y, dy, dx):
//   dx[k] = dy[k] · norm[k]^−beta − 2·alpha·beta · x[k] · Σ_{|c−k|≤r} dy[c] · y[c] / norm[c]
// (the window is symmetric, so the channels whose window holds k are those in k's window).
Napi::Value LrnBackward(const Napi::CallbackInfo& info) {
  return guarded(info, [&] {
    const LrnParams p(info, length(info[5]));
    const float* x = floats(info[5]);
    const float* y = floats(info[6]);
    const float* dy = floats(info[7]);
    float* dx = floats(info[8]);
    const float scale = -2.f * p.alpha * p.beta;
#pragma omp parallel if (p.pixels * p.c * (2 * p.r + 1) >= kParallelMin)
    {
      std::vector<float> norm(p.c), t(p.c);
#pragma omp for schedule(static)
      for (int64_t i = 0; i < p.pixels; i++) {
        const int64_t o = i * p.c;
        p.norms(x + o, norm.data());
        for (int64_t ch = 0; ch < p.c; ch++) t[ch] = dy[o + ch] * y[o + ch] / norm[ch];
        for (int64_t k = 0; k < p.c; k++) {
          const int64_t a = std::max<int64_t>(0, k - p.r), b = std::min<int64_t>(p.c - 1, k + p.r);
          float sum = 0.f;
          for (int64_t ch = a; ch <= b; ch++) sum += t[ch];
          dx[o + k] = dy[o + k] * std::pow(norm[k], -p.beta) + scale * x[o + k] * sum;
        }
      }
    }
    return info.Env().Undefined();
  });
}

}  // namespace

void initLrn(Napi::Env env, Napi::Object exports) {
  exports.Set("lrnForward", Napi::Function::New(env, LrnForward));
  exports.Set("lrnBackward", Napi::Function::New(env, LrnBackward));
}

}  // namespace fcn

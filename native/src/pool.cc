// Max and average pooling, forward and backward, on NHWC with explicit padding (Caffe's ceil
// mode arrives as extra bottom/right padding). Pooling is memory-bound: one pass with the
// channels innermost, contiguous in NHWC, on all threads. Max pooling follows tfjs's cpu
// backend and Caffe: padding never wins, and each window's gradient goes to its first
// maximum in row-major order. Average pooling divides by the window's cells inside the input
// (tfjs's rule; CaffePool pads explicitly and rescales to Caffe's divisor itself).
#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "common.h"

namespace fcn {
namespace {

/** [n, ih, iw, c, oh, ow, kh, kw, sh, sw, pt, pl] */
struct PoolGeometry {
  int64_t n, ih, iw, c, oh, ow, kh, kw, sh, sw, pt, pl;

  explicit PoolGeometry(const std::vector<int64_t>& g) {
    if (g.size() != 12) throw std::invalid_argument("pool geometry must have 12 entries");
    n = g[0], ih = g[1], iw = g[2], c = g[3], oh = g[4], ow = g[5];
    kh = g[6], kw = g[7], sh = g[8], sw = g[9], pt = g[10], pl = g[11];
  }
  int64_t y0(int64_t i) const { return std::max<int64_t>(0, i * sh - pt); }
  int64_t y1(int64_t i) const { return std::min<int64_t>(ih, i * sh - pt + kh); }
  int64_t x0(int64_t j) const { return std::max<int64_t>(0, j * sw - pl); }
  int64_t x1(int64_t j) const { return std::min<int64_t>(iw, j * sw - pl + kw); }
  /** Whether a pass is worth the other threads: its reads, about every output cell's window. */
  bool parallel() const { return n * oh * ow * c * kh * kw >= kParallelMin; }
};

// maxPoolForward(geometry, x, y)
Napi::Value MaxPoolForward(const Napi::CallbackInfo& info) {
  return guarded(info, [&] {
    PoolGeometry g(ints(info[0]));
    const float* x = floats(info[1]);
    float* y = floats(info[2]);
    const int64_t rows = g.n * g.oh;
#pragma omp parallel for schedule(static) if (g.parallel())
    for (int64_t r = 0; r < rows; r++) {
      const int64_t b = r / g.oh, i = r % g.oh;
      for (int64_t j = 0; j < g.ow; j++) {
        float* out = y + ((r * g.ow) + j) * g.c;
        std::fill(out, out + g.c, -std::numeric_limits<float>::infinity());
        for (int64_t yy = g.y0(i); yy < g.y1(i); yy++)
          for (int64_t xx = g.x0(j); xx < g.x1(j); xx++) {
            const float* in = x + ((b * g.ih + yy) * g.iw + xx) * g.c;
            for (int64_t ch = 0; ch < g.c; ch++) out[ch] = in[ch] > out[ch] ? in[ch] : out[ch];
          }
      }
    }
    return info.Env().Undefined();
  });
}

// maxPoolBackward(geometry, x, dy, dx): each window's gradient to its first maximum.
Napi::Value MaxPoolBackward(const Napi::CallbackInfo& info) {
  return guarded(info, [&] {
    PoolGeometry g(ints(info[0]));
    const float* x = floats(info[1]);
    const float* dy = floats(info[2]);
    float* dx = floats(info[3]);
    std::memset(dx, 0, sizeof(float) * g.n * g.ih * g.iw * g.c);
    // Windows overlap when the stride is below the kernel, so threads split the channels,
    // never the windows: no two threads write the same cell.
    const int64_t block = 16;
    const int64_t blocks = (g.c + block - 1) / block;
#pragma omp parallel for schedule(static) collapse(2) if (g.parallel())
    for (int64_t b = 0; b < g.n; b++)
      for (int64_t cb = 0; cb < blocks; cb++) {
        const int64_t c0 = cb * block, c1 = std::min(g.c, c0 + block);
        float best[block];
        int64_t where[block];
        for (int64_t i = 0; i < g.oh; i++)
          for (int64_t j = 0; j < g.ow; j++) {
            const int64_t ya = g.y0(i), yb = g.y1(i), xa = g.x0(j), xb = g.x1(j);
            if (ya >= yb || xa >= xb) continue;
            for (int64_t ch = c0; ch < c1; ch++) best[ch - c0] = -std::numeric_limits<float>::infinity(), where[ch - c0] = -1;
            for (int64_t yy = ya; yy < yb; yy++)
              for (int64_t xx = xa; xx < xb; xx++) {
                const int64_t base = ((b * g.ih + yy) * g.iw + xx) * g.c;
                for (int64_t ch = c0; ch < c1; ch++) {
                  const float v = x[base + ch];
                  if (v > best[ch - c0]) best[ch - c0] = v, where[ch - c0] = base + ch;
                }
              }
            const float* grad = dy + ((b * g.oh + i) * g.ow + j) * g.c;
            for (int64_t ch = c0; ch < c1; ch++)
              if (where[ch - c0] >= 0) dx[where[ch - c0]] += grad[ch];
          }
      }
    return info.Env().Undefined();
  });
}

// avgPoolForward(geometry, x, y)
Napi::Value AvgPoolForward(const Napi::CallbackInfo& info) {
  return guarded(info, [&] {
    PoolGeometry g(ints(info[0]));
    const float* x = floats(info[1]);
    float* y = floats(info[2]);
    const int64_t rows = g.n * g.oh;
#pragma omp parallel for schedule(static) if (g.parallel())
    for (int64_t r = 0; r < rows; r++) {
      const int64_t b = r / g.oh, i = r % g.oh;
      for (int64_t j = 0; j < g.ow; j++) {
        float* out = y + ((r * g.ow) + j) * g.c;
        std::fill(out, out + g.c, 0.f);
        int64_t count = 0;
        for (int64_t yy = g.y0(i); yy < g.y1(i); yy++)
          for (int64_t xx = g.x0(j); xx < g.x1(j); xx++, count++) {
            const float* in = x + ((b * g.ih + yy) * g.iw + xx) * g.c;
            for (int64_t ch = 0; ch < g.c; ch++) out[ch] += in[ch];
          }
        const float scale = 1.f / float(count);
        for (int64_t ch = 0; ch < g.c; ch++) out[ch] = count ? out[ch] * scale : NAN;
      }
    }
    return info.Env().Undefined();
  });
}

// avgPoolBackward(geometry, dy, dx): each window's gradient spread evenly over its cells.
Napi::Value AvgPoolBackward(const Napi::CallbackInfo& info) {
  return guarded(info, [&] {
    PoolGeometry g(ints(info[0]));
    const float* dy = floats(info[1]);
    float* dx = floats(info[2]);
    std::memset(dx, 0, sizeof(float) * g.n * g.ih * g.iw * g.c);
    const int64_t block = 16;
    const int64_t blocks = (g.c + block - 1) / block;
#pragma omp parallel for schedule(static) collapse(2) if (g.parallel())
    for (int64_t b = 0; b < g.n; b++)
      for (int64_t cb = 0; cb < blocks; cb++) {
        const int64_t c0 = cb * block, c1 = std::min(g.c, c0 + block);
        for (int64_t i = 0; i < g.oh; i++)
          for (int64_t j = 0; j < g.ow; j++) {
            const int64_t ya = g.y0(i), yb = g.y1(i), xa = g.x0(j), xb = g.x1(j);
            const int64_t count = (yb - ya) * (xb - xa);
            if (count <= 0) continue;
            const float* grad = dy + ((b * g.oh + i) * g.ow + j) * g.c;
            for (int64_t yy = ya; yy < yb; yy++)
              for (int64_t xx = xa; xx < xb; xx++) {
                float* d = dx + ((b * g.ih + yy) * g.iw + xx) * g.c;
                for (int64_t ch = c0; ch < c1; ch++) d[ch] += grad[ch] / float(count);
              }
          }
      }
    return info.Env().Undefined();
  });
}

}  // namespace

void initPool(Napi::Env env, Napi::Object exports) {
  exports.Set("maxPoolForward", Napi::Function::New(env, MaxPoolForward));
  exports.Set("maxPoolBackward", Napi::Function::New(env, MaxPoolBackward));
  exports.Set("avgPoolForward", Napi::Function::New(env, AvgPoolForward));
  exports.Set("avgPoolBackward", Napi::Function::New(env, AvgPoolBackward));
}

}  // namespace fcn

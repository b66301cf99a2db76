// Caffe's SoftmaxWithLoss in one pass over NHWC scores (src/runtime/loss.ts has the rule): per
// pixel, the log-softmax over the channels, the picked log-probability clamped at log(FLT_MIN),
// and the gradient p − onehot (zero on ignored pixels). On the cpu backend the same loss is a
// dozen tfjs kernels (exp twice, max, log, one-hot, masks), each a pass over the scores.
// Rounded as tfjs computes it: float32 after each operation, the sums of exp in float32 per
// pixel, the loss accumulated in double.
#include <omp.h>

#include <cmath>
#include <vector>

#include "common.h"

namespace fcn {
namespace {

const float kLogFltMin = std::log(1.1754943508222875e-38f);

// softmaxLoss(scores, labels, grad, channels, ignore, hasIgnore) → [Σ picked over counted pixels, counted pixels]
// scores: float32 [pixels · channels]; labels: int32 [pixels]; grad: float32 like scores, or null.
Napi::Value SoftmaxLoss(const Napi::CallbackInfo& info) {
  return guarded(info, [&]() -> Napi::Value {
    const float* s = floats(info[0]);
    auto labelArray = info[1].As<Napi::Int32Array>();
    const int32_t* labels = labelArray.Data();
    float* grad = floats(info[2]);
    const int64_t c = info[3].As<Napi::Number>().Int64Value();
    const int32_t ignore = info[4].As<Napi::Number>().Int32Value();
    const bool hasIgnore = info[5].ToBoolean();
    const int64_t pixels = int64_t(labelArray.ElementLength());
    if (c <= 0 || length(info[0]) != size_t(pixels * c) || (grad && length(info[2]) != size_t(pixels * c)))
      throw std::invalid_argument("softmaxLoss: scores, labels and gradient sizes do not agree");
    // Each counted pixel's clamped log-probability, summed in order afterwards, so that the loss
    // does not depend on the thread count.
    std::vector<float> picks(size_t(pixels), 0.f);
    std::vector<uint8_t> counts(size_t(pixels), 0);
#pragma omp parallel for schedule(static) if (pixels * c >= kParallelMin)
    for (int64_t p = 0; p < pixels; p++) {
      const float* x = s + p * c;
      const bool valid = !(hasIgnore && labels[p] == ignore);
      // An ignored pixel's label counts as 0 (it is masked out); a label outside [0, c) picks nothing, as tf.oneHot.
      const int32_t label = valid ? labels[p] : 0;
      float m = x[0];
      for (int64_t k = 1; k < c; k++) m = x[k] > m ? x[k] : m;
      float sum = 0.f;
      for (int64_t k = 0; k < c; k++) sum += std::exp(x[k] - m);
      const float logSum = std::log(sum);
      if (valid) {
        const bool inRange = label >= 0 && label < c;
        const float picked = inRange ? (x[label] - m) - logSum : 0.f;
        // std::max would turn a NaN score into log(FLT_MIN); tfjs's maximum keeps the NaN.
        picks[size_t(p)] = std::isnan(picked) || picked > kLogFltMin ? picked : kLogFltMin;
        counts[size_t(p)] = 1;
      }
      if (grad) {
        float* g = grad + p * c;
        for (int64_t k = 0; k < c; k++) {
          const float prob = std::exp((x[k] - m) - logSum);
          g[k] = valid ? prob - (k == label ? 1.f : 0.f) : 0.f;
        }
      }
    }
    double total = 0;
    int64_t counted = 0;
    for (int64_t p = 0; p < pixels; p++)
      if (counts[size_t(p)]) total += picks[size_t(p)], counted++;
    auto out = Napi::Float64Array::New(info.Env(), 2);
    out[0] = total;
    out[1] = double(counted);
    return out;
  });
}

}  // namespace

void initLoss(Napi::Env env, Napi::Object exports) { exports.Set("softmaxLoss", Napi::Function::New(env, SoftmaxLoss)); }

}  // namespace fcn

// Convolutions on oneDNN: forward (with bias and a fused ReLU), backward-data (also the
// forward pass of a transposed convolution) and backward-weights, with stride, explicit
// padding, dilation and groups.
//
// Tensors arrive as tfjs lays them out: activations NHWC, filters [kh, kw, in/group, out].
// Inside, oneDNN picks its preferred (blocked) layouts (`format_tag::any`) and the data is
// reordered in and out: measured on VGG's shapes this is 1.0-1.4x PyTorch, while plain NHWC
// backward-weights reaches only 0.4-0.5x. FCN_NATIVE_LAYOUT=nhwc forces the plain layouts.
// Primitives are cached by geometry; reordered weights by (weight key, layout), so a repeated
// forward pass reorders fc6's 400 MB once.
#include <cstdlib>
#include <map>
#include <memory>
#include <unordered_map>

#include <omp.h>

#include "common.h"
#include "scratch.h"

namespace fcn {
namespace {

using dnnl::memory;
using tag = memory::format_tag;
using dt = memory::data_type;

/** The geometry array from JavaScript, by field. */
struct Geometry {
  int64_t n, ih, iw, ic, oh, ow, oc, kh, kw, sh, sw, dh, dw, pt, pb, pl, pr, groups;

  explicit Geometry(const std::vector<int64_t>& g) {
    if (g.size() != 18) throw std::invalid_argument("conv geometry must have 18 entries");
    n = g[0], ih = g[1], iw = g[2], ic = g[3], oh = g[4], ow = g[5], oc = g[6], kh = g[7], kw = g[8];
    sh = g[9], sw = g[10], dh = g[11], dw = g[12], pt = g[13], pb = g[14], pl = g[15], pr = g[16];
    groups = g[17];
  }

  /** The cache key: the geometry and the thread count, which oneDNN fixes when it creates a primitive. */
  std::string key() const {
    std::string k;
    for (int64_t v : {n, ih, iw, ic, oh, ow, oc, kh, kw, sh, sw, dh, dw, pt, pb, pl, pr, groups})
      k += std::to_string(v) + ",";
    return k + "t" + std::to_string(omp_get_max_threads());
  }

  memory::desc src(tag t) const { return {{n, ic, ih, iw}, dt::f32, t}; }
  memory::desc dst(tag t) const { return {{n, oc, oh, ow}, dt::f32, t}; }
  memory::desc bias() const { return {{oc}, dt::f32, tag::x}; }

  memory::dims weightDims() const {
    if (groups == 1) return {oc, ic, kh, kw};
    return {groups, oc / groups, ic / groups, kh, kw};
  }

  /** tfjs's filter [kh, kw, in/group, out] as strides over oneDNN's (g, o, i, h, w). */
  memory::desc userWeights() const {
    const int64_t ig = ic / groups, og = oc / groups;
    if (groups == 1) return {weightDims(), dt::f32, memory::dims{1, oc, kw * ic * oc, ic * oc}};
    return {weightDims(), dt::f32, memory::dims{og, 1, oc, kw * ig * oc, ig * oc}};
  }

  memory::desc anyWeights() const { return {weightDims(), dt::f32, tag::any}; }
  memory::dims strides() const { return {sh, sw}; }
  // oneDNN counts dilation from 0 (no dilation), tfjs and Caffe from 1.
  memory::dims dilates() const { return {dh - 1, dw - 1}; }
  memory::dims padL() const { return {pt, pl}; }
  memory::dims padR() const { return {pb, pr}; }
};

bool plainLayout() {
  static bool plain = [] {
    const char* v = std::getenv("FCN_NATIVE_LAYOUT");
    return v && std::string(v) == "nhwc";
  }();
  return plain;
}

/** Activation layout inside a primitive: oneDNN's choice, or NHWC when forced. */
tag actTag() { return plainLayout() ? tag::nhwc : tag::any; }

dnnl::convolution_forward::primitive_desc forwardPd(const Geometry& g, bool bias, bool relu) {
  dnnl::post_ops ops;
  if (relu) ops.append_eltwise(1.f, dnnl::algorithm::eltwise_relu, 0.f, 0.f);
  dnnl::primitive_attr attr;
  attr.set_post_ops(ops);
  auto weights = plainLayout() ? g.userWeights() : g.anyWeights();
  auto d = bias ? dnnl::convolution_forward::desc(dnnl::prop_kind::forward_training,
                                                 dnnl::algorithm::convolution_direct, g.src(actTag()), weights,
                                                 g.bias(), g.dst(actTag()), g.strides(), g.dilates(), g.padL(),
                                                 g.padR())
                : dnnl::convolution_forward::desc(dnnl::prop_kind::forward_training,
                                                 dnnl::algorithm::convolution_direct, g.src(actTag()), weights,
                                                 g.dst(actTag()), g.strides(), g.dilates(), g.padL(), g.padR());
  return {d, attr, engine()};
}

struct Forward {
  dnnl::convolution_forward::primitive_desc pd;
  dnnl::convolution_forward prim;
};
struct BackwardData {
  dnnl::convolution_backward_data::primitive_desc pd;
  dnnl::convolution_backward_data prim;
};
struct BackwardWeights {
  dnnl::convolution_backward_weights::primitive_desc pd;
  dnnl::convolution_backward_weights prim;
};

// Every cache is the calling thread's own: data-parallel training runs the backend in worker
// threads (src/runtime/parallel), each with its own weights, keys and thread count.
thread_local std::unordered_map<std::string, std::unique_ptr<Forward>> forwards;
thread_local std::unordered_map<std::string, std::unique_ptr<BackwardData>> backwardDatas;
thread_local std::unordered_map<std::string, std::unique_ptr<BackwardWeights>> backwardWeights;

/** Reordered weights: weight key → (layout key → memory). */
thread_local std::unordered_map<int64_t, std::map<std::string, memory>> weightCache;

Forward& forward(const Geometry& g, bool bias, bool relu) {
  auto key = g.key() + (bias ? "b" : "") + (relu ? "r" : "");
  auto& slot = forwards[key];
  if (!slot) {
    auto pd = forwardPd(g, bias, relu);
    slot.reset(new Forward{pd, dnnl::convolution_forward(pd)});
  }
  return *slot;
}

BackwardData& backwardData(const Geometry& g) {
  auto& slot = backwardDatas[g.key()];
  if (!slot) {
    auto hint = forwardPd(g, false, false);
    auto weights = plainLayout() ? g.userWeights() : g.anyWeights();
    dnnl::convolution_backward_data::desc d(dnnl::algorithm::convolution_direct, g.src(actTag()), weights,
                                            g.dst(actTag()), g.strides(), g.dilates(), g.padL(), g.padR());
    dnnl::convolution_backward_data::primitive_desc pd(d, engine(), hint);
    slot.reset(new BackwardData{pd, dnnl::convolution_backward_data(pd)});
  }
  return *slot;
}

BackwardWeights& backwardWeightsFor(const Geometry& g, bool bias) {
  auto& slot = backwardWeights[g.key() + (bias ? "b" : "")];
  if (!slot) {
    auto hint = forwardPd(g, bias, false);
    // Plain layouts still let oneDNN choose the weights gradient's layout: it is small, and
    // the plain one is what makes backward-weights slow.
    auto weights = g.anyWeights();
    auto d = bias ? dnnl::convolution_backward_weights::desc(dnnl::algorithm::convolution_direct, g.src(actTag()),
                                                             weights, g.bias(), g.dst(actTag()), g.strides(),
                                                             g.dilates(), g.padL(), g.padR())
                  : dnnl::convolution_backward_weights::desc(dnnl::algorithm::convolution_direct, g.src(actTag()),
                                                             weights, g.dst(actTag()), g.strides(), g.dilates(),
                                                             g.padL(), g.padR());
    dnnl::convolution_backward_weights::primitive_desc pd(d, engine(), hint);
    slot.reset(new BackwardWeights{pd, dnnl::convolution_backward_weights(pd)});
  }
  return *slot;
}

/** `user` in layout `want`: itself when it already is, else a reordered copy in `hold`. */
memory asLayout(const memory& user, const memory::desc& want, Scratch& hold) {
  if (user.get_desc() == want) return user;
  hold = Scratch(want.get_size());
  memory m(want, engine(), hold.get());
  dnnl::reorder(user, m).execute(stream(), const_cast<memory&>(user), m);
  return m;
}

/** Where a primitive writes an output that must end in `user`: `user` itself, or a scratch copy in `want`. */
memory outputIn(const memory& user, const memory::desc& want, Scratch& hold) {
  if (user.get_desc() == want) return user;
  hold = Scratch(want.get_size());
  return memory(want, engine(), hold.get());
}

void copyBack(memory& from, memory& user) {
  if (from.get_data_handle() != user.get_data_handle()) dnnl::reorder(from, user).execute(stream(), from, user);
}

/** The weights in layout `want`, from the cache when `key` is non-zero. */
memory cachedWeights(int64_t key, const memory& user, const memory::desc& want, Scratch& hold) {
  if (key == 0 || user.get_desc() == want) return asLayout(user, want, hold);
  auto& byLayout = weightCache[key];
  std::string layout(reinterpret_cast<const char*>(&want.data), sizeof(want.data));
  auto it = byLayout.find(layout);
  if (it != byLayout.end()) return it->second;
  memory m(want, engine());
  dnnl::reorder(user, m).execute(stream(), const_cast<memory&>(user), m);
  byLayout.emplace(layout, m);
  return m;
}

// convForward(geometry, x, w, bias | null, y, relu, weightKey)
Napi::Value ConvForward(const Napi::CallbackInfo& info) {
  return guarded(info, [&] {
    Geometry g(ints(info[0]));
    float* bias = floats(info[3]);
    bool relu = info[5].ToBoolean();
    int64_t key = info[6].As<Napi::Number>().Int64Value();
    auto& f = forward(g, bias != nullptr, relu);
    memory x(g.src(tag::nhwc), engine(), floats(info[1]));
    memory w(g.userWeights(), engine(), floats(info[2]));
    memory y(g.dst(tag::nhwc), engine(), floats(info[4]));
    Scratch xs, ws, ys;
    auto src = asLayout(x, f.pd.src_desc(), xs);
    auto wei = cachedWeights(key, w, f.pd.weights_desc(), ws);
    auto dst = outputIn(y, f.pd.dst_desc(), ys);
    std::unordered_map<int, memory> args{{DNNL_ARG_SRC, src}, {DNNL_ARG_WEIGHTS, wei}, {DNNL_ARG_DST, dst}};
    if (bias) args.emplace(DNNL_ARG_BIAS, memory(g.bias(), engine(), bias));
    f.prim.execute(stream(), args);
    copyBack(dst, y);
    stream().wait();
    return info.Env().Undefined();
  });
}

// convBackwardData(geometry, dy, w, dx, weightKey)
Napi::Value ConvBackwardData(const Napi::CallbackInfo& info) {
  return guarded(info, [&] {
    Geometry g(ints(info[0]));
    int64_t key = info[4].As<Napi::Number>().Int64Value();
    auto& b = backwardData(g);
    memory dy(g.dst(tag::nhwc), engine(), floats(info[1]));
    memory w(g.userWeights(), engine(), floats(info[2]));
    memory dx(g.src(tag::nhwc), engine(), floats(info[3]));
    Scratch dys, ws, dxs;
    auto diffDst = asLayout(dy, b.pd.diff_dst_desc(), dys);
    auto wei = cachedWeights(key, w, b.pd.weights_desc(), ws);
    auto diffSrc = outputIn(dx, b.pd.diff_src_desc(), dxs);
    b.prim.execute(stream(), {{DNNL_ARG_DIFF_DST, diffDst}, {DNNL_ARG_WEIGHTS, wei}, {DNNL_ARG_DIFF_SRC, diffSrc}});
    copyBack(diffSrc, dx);
    stream().wait();
    return info.Env().Undefined();
  });
}

// convBackwardWeights(geometry, x, dy, dw, dbias | null)
Napi::Value ConvBackwardWeights(const Napi::CallbackInfo& info) {
  return guarded(info, [&] {
    Geometry g(ints(info[0]));
    float* dbias = floats(info[4]);
    auto& b = backwardWeightsFor(g, dbias != nullptr);
    memory x(g.src(tag::nhwc), engine(), floats(info[1]));
    memory dy(g.dst(tag::nhwc), engine(), floats(info[2]));
    memory dw(g.userWeights(), engine(), floats(info[3]));
    Scratch xs, dys, dws;
    auto src = asLayout(x, b.pd.src_desc(), xs);
    auto diffDst = asLayout(dy, b.pd.diff_dst_desc(), dys);
    auto diffWei = outputIn(dw, b.pd.diff_weights_desc(), dws);
    std::unordered_map<int, memory> args{
        {DNNL_ARG_SRC, src}, {DNNL_ARG_DIFF_DST, diffDst}, {DNNL_ARG_DIFF_WEIGHTS, diffWei}};
    if (dbias) args.emplace(DNNL_ARG_DIFF_BIAS, memory(g.bias(), engine(), dbias));
    b.prim.execute(stream(), args);
    copyBack(diffWei, dw);
    stream().wait();
    return info.Env().Undefined();
  });
}

// releaseWeights(weightKey): the weights changed or were freed; drop their reordered copies.
Napi::Value ReleaseWeights(const Napi::CallbackInfo& info) {
  weightCache.erase(info[0].As<Napi::Number>().Int64Value());
  return info.Env().Undefined();
}

// clearCaches(): drops every cached primitive, reordered weight and scratch buffer.
Napi::Value ClearCaches(const Napi::CallbackInfo& info) {
  forwards.clear();
  backwardDatas.clear();
  backwardWeights.clear();
  weightCache.clear();
  clearMatmuls();
  trimScratch();
  return info.Env().Undefined();
}

// cacheSizes(): how many primitives and weight copies are cached (for tests).
Napi::Value CacheSizes(const Napi::CallbackInfo& info) {
  auto out = Napi::Object::New(info.Env());
  out.Set("primitives", forwards.size() + backwardDatas.size() + backwardWeights.size() + matmulCount());
  size_t copies = 0;
  for (auto& [k, m] : weightCache) copies += m.size();
  out.Set("weights", copies);
  return out;
}

}  // namespace

void initConv(Napi::Env env, Napi::Object exports) {
  exports.Set("convForward", Napi::Function::New(env, ConvForward));
  exports.Set("convBackwardData", Napi::Function::New(env, ConvBackwardData));
  exports.Set("convBackwardWeights", Napi::Function::New(env, ConvBackwardWeights));
  exports.Set("releaseWeights", Napi::Function::New(env, ReleaseWeights));
  exports.Set("clearCaches", Napi::Function::New(env, ClearCaches));
  exports.Set("cacheSizes", Napi::Function::New(env, CacheSizes));
}

}  // namespace fcn

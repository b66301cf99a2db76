/**
 * The geometry array the addon's convolutions take, from tfjs's conv info:
 * [n, ih, iw, ic, oh, ow, oc, kh, kw, sh, sw, dh, dw, pt, pb, pl, pr, groups].
 */
import type { backend_util } from '@tensorflow/tfjs';

/** The addon's geometry for a tfjs conv info (NHWC) with `groups` channel groups. */
export function convGeometry(info: backend_util.Conv2DInfo, groups = 1): Int32Array {
  const p = info.padInfo;
  return Int32Array.from([
    info.batchSize,
    info.inHeight,
    info.inWidth,
    info.inChannels,
    info.outHeight,
    info.outWidth,
    info.outChannels,
    info.filterHeight,
    info.filterWidth,
    info.strideHeight,
    info.strideWidth,
    info.dilationHeight,
    info.dilationWidth,
    p.top,
    p.bottom,
    p.left,
    p.right,
    groups,
  ]);
}

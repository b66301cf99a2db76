/**
 * Caffe names as .fcn names. Caffe allows any string (GoogLeNet's `inception_3a/1x1`); .fcn
 * names are letters, digits and `_`, never a keyword or a number. The importer and the
 * weight matcher use the same function, so `inception_3a/1x1`'s blobs find the layer
 * `inception_3a_1x1`.
 */
import { KEYWORDS } from '../../parser/tokens.js';

const NUMBER = /^\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/** The .fcn name of a Caffe layer or blob name. */
export function fcnName(caffe: string): string {
  const cleaned = caffe.replace(/[^A-Za-z0-9_]/g, '_') || 'unnamed';
  return (KEYWORDS as readonly string[]).includes(cleaned) || NUMBER.test(cleaned) ? `${cleaned}_` : cleaned;
}

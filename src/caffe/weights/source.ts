/**
 * Where imported parameters come from, in one shape whatever the file: layers by name, each
 * with its blobs in Caffe's layout and order (conv (out, in/g, kh, kw), deconv
 * (in, out/g, kh, kw), inner product (out, in), then the bias), read a slice at a time.
 * A caffemodel is such a source as it is; an fcn model directory is viewed as one.
 */

export interface SourceBlob {
  /** Caffe's shape. */
  shape: number[];
  count: number;
  /** Values `start … start + count − 1` in Caffe's flat order. */
  read(start: number, count: number): Float32Array;
}

export interface SourceLayer {
  /** The name in the file. */
  name: string;
  /** Caffe's type name (`Convolution`, `InnerProduct`, …). */
  type: string;
  blobs: SourceBlob[];
}

export interface ParamSource {
  /** How the source is named in messages (its path). */
  path: string;
  /** Only the layers that hold parameters. */
  layers: SourceLayer[];
  close(): void;
}

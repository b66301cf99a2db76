import test from 'ava';
import { overlayLabels, OVERLAY_ALPHA } from '../src/data/overlay.js';

test('the overlay blends class colours at half strength, leaves background, whitens void', (t) => {
  t.is(OVERLAY_ALPHA, 0.5);
  const image = { width: 4, height: 1, data: new Uint8Array([10, 20, 30, 10, 20, 30, 10, 20, 30, 100, 100, 100]) };
  // background, class 1 (VOC 128,0,0), class 15 (VOC 192,128,128), void
  const labels = { width: 4, height: 1, data: new Uint8Array([0, 1, 15, 255]) };
  const out = overlayLabels(image, labels);
  t.deepEqual([...out.data], [10, 20, 30, 69, 10, 15, 101, 74, 79, 178, 178, 178]);
  t.deepEqual([...image.data], [10, 20, 30, 10, 20, 30, 10, 20, 30, 100, 100, 100], 'the input is not changed');
});

test('the overlay refuses a label map of another size', (t) => {
  const image = { width: 2, height: 1, data: new Uint8Array(6) };
  t.throws(() => overlayLabels(image, { width: 1, height: 1, data: new Uint8Array(1) }), {
    message: 'label map 1x1 does not match image 2x1',
  });
});

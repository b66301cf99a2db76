/**
 * A U-Net reduced to two levels and few channels, written with U-Net's own constructs (3x3
 * valid convolutions, a 2x2 up-convolution, crop(skip), crop(label)): 36x36 tiles give 20x20
 * scores, the skip is cropped by 4 and the label by 8. Small enough to train in a test.
 */
export const MINI_UNET = `
block double(out) {
  conv1: conv { out: out  kernel: 3 }
  relu1: relu
  conv2: conv { out: out  kernel: 3 }
  relu2: relu
}
block up(out) {
  input x
  input skip
  upconv: deconv { bottom: x  out: out  kernel: 2  stride: 2 }
  concat: concat { bottom: [upconv, crop(skip)] }
  double { out: out }
}
net mini_unet {
  input data { channels: 1 }
  input label { kind: label }
  solver { lr: 0.01  momentum: 0.9 }
  enc1: double { out: 4 }
  pool1: pool { kernel: 2  stride: 2 }
  enc2: double { out: 8 }
  dec1: up { out: 4  bottom: [enc2, enc1] }
  score: conv { out: 2  kernel: 1 }
  loss: softmax_loss { bottom: [score, crop(label)] }
}
`;

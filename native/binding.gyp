{
  "targets": [
    {
      "target_name": "fcn_native",
      "sources": ["src/addon.cc", "src/scratch.cc", "src/conv.cc", "src/pool.cc", "src/eltwise.cc", "src/lrn.cc", "src/matmul.cc", "src/loss.cc"],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_VERSION=8", "NAPI_DISABLE_CPP_EXCEPTIONS"],
      "cflags_cc": ["-std=c++17", "-O3", "-march=native", "-fopenmp", "-fno-math-errno", "-ffp-contract=off"],
      "cflags_cc!": ["-fno-exceptions"],
      "libraries": ["-ldnnl", "-fopenmp"]
    }
  ]
}

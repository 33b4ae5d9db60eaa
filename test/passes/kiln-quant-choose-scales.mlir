// Quantized types from recorded ranges, by each method.
// RUN: kiln-opt %s --split-input-file --kiln-quant-choose-scales | FileCheck %s --check-prefix=MINMAX
// RUN: kiln-opt %s --split-input-file --kiln-quant-choose-scales="activations=int8" | FileCheck %s --check-prefix=SYM
// RUN: kiln-opt %s --split-input-file --kiln-quant-choose-scales="method=percentile:90" | FileCheck %s --check-prefix=PCT
// RUN: kiln-opt %s --split-input-file --kiln-quant-choose-scales="method=entropy" | FileCheck %s --check-prefix=KL

// [-1, 3]: scale 4/255, zero point 64 (u8); symmetric: 3/127.
// MINMAX-LABEL: func.func @ramp
// MINMAX: kiln.input_qtype = !quant.uniform<u8:f32, 0.015686274509803921:64>
// MINMAX-NOT: kiln.input_range
// SYM: kiln.input_qtype = !quant.uniform<i8:f32, 0.023622047244094488>
// 90% of the mass up to 2.75 and from -0.75 (16 bins of 1/4).
// PCT: kiln.input_qtype = !quant.uniform<u8:f32, 0.013725490196078431:55>
// A flat histogram keeps its whole range under entropy.
// KL: kiln.input_qtype = !quant.uniform<u8:f32, 0.015686274509803921:64>
func.func @ramp(%x: tensor<1x16x16x16xf32>) -> tensor<1x16x16x16xf32> {
  %w = kiln.constant dense<0.25> : tensor<16x16x3x3xf32>
  %c = kiln.conv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>,
                         kiln.input_range = {min = -1.0 : f32, max = 3.0 : f32,
                                             histogram = array<i64: 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10>}}
      : (tensor<1x16x16x16xf32>, tensor<16x16x3x3xf32>) -> tensor<1x16x16x16xf32>
  return %c : tensor<1x16x16x16xf32>
}

// -----

// A range above 0 still includes it: [0, 8], zero point 0. Entropy clips
// the one outlier in the last of 512 bins: the mass sits in the first 300.
// MINMAX-LABEL: func.func @positive
// MINMAX: kiln.input_qtype = !quant.uniform<u8:f32, 0.031372549019607843>
// KL-LABEL: func.func @positive
// KL: kiln.input_qtype = !quant.uniform<u8:f32, 0.018382352941176{{[0-9]*}}>
func.func @positive(%x: tensor<1x16x16x16xf32>) -> tensor<1x16x16x16xf32> {
  %w = kiln.constant dense<0.25> : tensor<16x16x3x3xf32>
  %c = kiln.conv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>,
                         kiln.input_range = {min = 2.0 : f32, max = 8.0 : f32,
                                             histogram = array<i64: 1000, 997, 994, 991, 988, 985, 982, 979, 976, 973, 970, 967, 964, 961, 958, 955, 952, 949, 946, 943, 940, 937, 934, 931, 928, 925, 922, 919, 916, 913, 910, 907, 904, 901, 898, 895, 892, 889, 886, 883, 880, 877, 874, 871, 868, 865, 862, 859, 856, 853, 850, 847, 844, 841, 838, 835, 832, 829, 826, 823, 820, 817, 814, 811, 808, 805, 802, 799, 796, 793, 790, 787, 784, 781, 778, 775, 772, 769, 766, 763, 760, 757, 754, 751, 748, 745, 742, 739, 736, 733, 730, 727, 724, 721, 718, 715, 712, 709, 706, 703, 700, 697, 694, 691, 688, 685, 682, 679, 676, 673, 670, 667, 664, 661, 658, 655, 652, 649, 646, 643, 640, 637, 634, 631, 628, 625, 622, 619, 616, 613, 610, 607, 604, 601, 598, 595, 592, 589, 586, 583, 580, 577, 574, 571, 568, 565, 562, 559, 556, 553, 550, 547, 544, 541, 538, 535, 532, 529, 526, 523, 520, 517, 514, 511, 508, 505, 502, 499, 496, 493, 490, 487, 484, 481, 478, 475, 472, 469, 466, 463, 460, 457, 454, 451, 448, 445, 442, 439, 436, 433, 430, 427, 424, 421, 418, 415, 412, 409, 406, 403, 400, 397, 394, 391, 388, 385, 382, 379, 376, 373, 370, 367, 364, 361, 358, 355, 352, 349, 346, 343, 340, 337, 334, 331, 328, 325, 322, 319, 316, 313, 310, 307, 304, 301, 298, 295, 292, 289, 286, 283, 280, 277, 274, 271, 268, 265, 262, 259, 256, 253, 250, 247, 244, 241, 238, 235, 232, 229, 226, 223, 220, 217, 214, 211, 208, 205, 202, 199, 196, 193, 190, 187, 184, 181, 178, 175, 172, 169, 166, 163, 160, 157, 154, 151, 148, 145, 142, 139, 136, 133, 130, 127, 124, 121, 118, 115, 112, 109, 106, 103, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1>}}
      : (tensor<1x16x16x16xf32>, tensor<16x16x3x3xf32>) -> tensor<1x16x16x16xf32>
  return %c : tensor<1x16x16x16xf32>
}

// Options it does not know.
// RUN: not kiln-opt %s --split-input-file --kiln-quant-choose-scales="method=median" 2>&1 | FileCheck %s --check-prefix=METHOD
// METHOD: error: kiln-quant-choose-scales: unknown method 'median' (minmax, percentile:P with 0 < P <= 100, or entropy)
// RUN: not kiln-opt %s --split-input-file --kiln-quant-choose-scales="method=percentile:0" 2>&1 | FileCheck %s --check-prefix=PERCENT
// PERCENT: error: kiln-quant-choose-scales: unknown method 'percentile:0'
// RUN: not kiln-opt %s --split-input-file --kiln-quant-choose-scales="activations=int4" 2>&1 | FileCheck %s --check-prefix=ACT
// ACT: error: kiln-quant-choose-scales: activations must be uint8 or int8, not 'int4'

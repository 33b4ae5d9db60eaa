//===- KilnNNOps.td - convolution, matrix, pooling and normalization ops -===//

#ifndef KILN_NN_OPS_TD
#define KILN_NN_OPS_TD

include "dialects/Kiln/KilnBase.td"

//===----------------------------------------------------------------------===//
// Convolution
//===----------------------------------------------------------------------===//

def Kiln_ConvOp : Kiln_Op<"conv"> {
  let summary = "N-dimensional grouped convolution (NCHW-style layout)";
  let description = [{
    Cross-correlates `input` (N x C x D1 x ... x Dn) with `filter`
    (M x C/group x K1 x ... x Kn) and adds the optional per-channel `bias`
    (M). `strides` and `dilations` have one entry per spatial dimension; `pads`
    lists the padding before each spatial dimension, then after each
    (ONNX's begin/end order). ONNX's `auto_pad` is resolved to explicit pads
    by the importer. Output extent per spatial dimension:
    `floor((D + pad_begin + pad_end - dilation * (K - 1) - 1) / stride) + 1`.

    ```mlir
    %y = kiln.conv %x, %w, %b {strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>,
                               pads = array<i64: 3, 3, 3, 3>, group = 1 : i64}
        : (tensor<1x3x224x224xf32>, tensor<64x3x7x7xf32>, tensor<64xf32>) -> tensor<1x64x112x112xf32>
    ```
  }];
  let arguments = (ins Kiln_Tensor:$input, Kiln_Tensor:$filter,
                       Optional<Kiln_Tensor>:$bias,
                       DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$dilations,
                       DenseI64ArrayAttr:$pads,
                       DefaultValuedAttr<Kiln_I64Attr, "1">:$group);
  let results = (outs Kiln_Tensor:$output);
  let assemblyFormat = [{
    $input `,` $filter (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Kiln_ConvTransposeOp : Kiln_Op<"conv_transpose"> {
  let summary = "N-dimensional grouped transposed convolution";
  let description = [{
    The gradient of `kiln.conv` with respect to its input: `input` is
    N x C x D1..Dn, `filter` is C x M/group x K1..Kn, `bias` is M. Output
    extent per spatial dimension:
    `stride * (D - 1) + output_padding + dilation * (K - 1) + 1 - pad_begin - pad_end`.
    ONNX's `output_shape` and `auto_pad` are resolved to `pads` and
    `output_padding` by the importer.

    ```mlir
    %y = kiln.conv_transpose %x, %w {strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>,
                                     pads = array<i64: 0, 0, 0, 0>, output_padding = array<i64: 0, 0>, group = 1 : i64}
        : (tensor<1x16x8x8xf32>, tensor<16x8x2x2xf32>) -> tensor<1x8x16x16xf32>
    ```
  }];
  let arguments = (ins Kiln_Tensor:$input, Kiln_Tensor:$filter,
                       Optional<Kiln_Tensor>:$bias,
                       DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$dilations,
                       DenseI64ArrayAttr:$pads, DenseI64ArrayAttr:$output_padding,
                       DefaultValuedAttr<Kiln_I64Attr, "1">:$group);
  let results = (outs Kiln_Tensor:$output);
  let assemblyFormat = [{
    $input `,` $filter (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Matrix products
//===----------------------------------------------------------------------===//

def Kiln_MatMulOp : Kiln_Op<"matmul"> {
  let summary = "Batched matrix product with numpy semantics";
  let description = [{
    numpy.matmul: the last two dimensions are multiplied, leading (batch)
    dimensions broadcast, and a 1-D operand is treated as a row (lhs) or a
    column (rhs) vector whose unit dimension is dropped from the result.

    ```mlir
    %y = kiln.matmul %a, %b : (tensor<8x1x64x32xf32>, tensor<4x32x16xf32>) -> tensor<8x4x64x16xf32>
    ```
  }];
  let arguments = (ins Kiln_Tensor:$lhs, Kiln_Tensor:$rhs);
  let results = (outs Kiln_Tensor:$output);
  let assemblyFormat = [{
    $lhs `,` $rhs attr-dict `:` functional-type(operands, results)
  }];
}

def Kiln_GemmOp : Kiln_Op<"gemm"> {
  let summary = "General matrix multiply: alpha * op(A) * op(B) + beta * C";
  let description = [{
    `a` and `b` are 2-D, optionally transposed; `c` (optional) broadcasts to
    the M x N result.

    ```mlir
    %y = kiln.gemm %a, %b, %c {alpha = 1.0 : f32, beta = 1.0 : f32, trans_b = true}
        : (tensor<1x2048xf32>, tensor<1000x2048xf32>, tensor<1000xf32>) -> tensor<1x1000xf32>
    ```
  }];
  let arguments = (ins Kiln_Tensor:$a, Kiln_Tensor:$b, Optional<Kiln_Tensor>:$c,
                       DefaultValuedAttr<F32Attr, "1.0f">:$alpha,
                       DefaultValuedAttr<F32Attr, "1.0f">:$beta,
                       DefaultValuedAttr<BoolAttr, "false">:$trans_a,
                       DefaultValuedAttr<BoolAttr, "false">:$trans_b);
  let results = (outs Kiln_Tensor:$output);
  let assemblyFormat = [{
    $a `,` $b (`,` $c^)? attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Kiln_EinsumOp : Kiln_Op<"einsum"> {
  let summary = "Einstein summation";
  let description = [{
    Contracts the operands as `equation` says (numpy.einsum syntax, with an
    explicit `->` output; the importer makes implicit outputs explicit).
    Letters are case-sensitive subscripts, `...` stands for broadcast
    dimensions.

    ```mlir
    %y = kiln.einsum %a, %b {equation = "bij,bjk->bik"}
        : (tensor<2x3x4xf32>, tensor<2x4x5xf32>) -> tensor<2x3x5xf32>
    ```
  }];
  let arguments = (ins Variadic<Kiln_Tensor>:$inputs, StrAttr:$equation);
  let results = (outs Kiln_Tensor:$output);
  let assemblyFormat = [{
    $inputs attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Kiln_DetOp : Kiln_Op<"det"> {
  let summary = "Determinant of square matrices";
  let description = [{
    The determinant of each trailing M x M matrix; leading dimensions are a
    batch.

    ```mlir
    %d = kiln.det %x : (tensor<3x2x2xf32>) -> tensor<3xf32>
    ```
  }];
  let arguments = (ins Kiln_FloatTensor:$input);
  let results = (outs Kiln_FloatTensor:$output);
  let assemblyFormat = [{
    $input attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

// Pooling ops share the window attributes of `kiln.conv` plus `kernel_shape`.
class Kiln_PoolOp<string mnemonic, string summaryText, string doc,
                  Type tensorType, dag extraArgs, dag outs>
    : Kiln_Op<mnemonic> {
  let summary = summaryText;
  let description = doc;
  let arguments = !con((ins tensorType:$input,
                       DenseI64ArrayAttr:$kernel_shape, DenseI64ArrayAttr:$strides,
                       DenseI64ArrayAttr:$dilations, DenseI64ArrayAttr:$pads,
                       DefaultValuedAttr<BoolAttr, "false">:$ceil_mode),
                       extraArgs);
  let results = outs;
  let assemblyFormat = [{
    $input attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Kiln_MaxPoolOp : Kiln_PoolOp<"max_pool", "Max pooling", [{
    Takes the maximum over each window. With `ceil_mode` the output extent
    rounds up (a window that would start past the padded input is dropped).

    ```mlir
    %y = kiln.max_pool %x {kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>,
                           dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>}
        : (tensor<1x64x112x112xf32>) -> tensor<1x64x56x56xf32>
    ```
  }], Kiln_Tensor, (ins), (outs Kiln_Tensor:$output)>;

def Kiln_MaxPoolWithIndicesOp : Kiln_PoolOp<"max_pool_with_indices",
    "Max pooling that also yields the flat indices of the maxima", [{
    As `kiln.max_pool`, and `indices` holds each maximum's flat index into
    the input, in row-major order unless `storage_order` is 1 (column-major
    within each spatial plane). `kiln.max_unpool` consumes such indices.

    ```mlir
    %y, %i = kiln.max_pool_with_indices %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>,
                                            dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>}
        : (tensor<1x1x4x4xf32>) -> (tensor<1x1x2x2xf32>, tensor<1x1x2x2xi64>)
    ```
  }], Kiln_Tensor, (ins DefaultValuedAttr<Kiln_I64Attr, "0">:$storage_order),
  (outs Kiln_Tensor:$output, Kiln_I64Tensor:$indices)>;

def Kiln_AvgPoolOp : Kiln_PoolOp<"avg_pool", "Average pooling", [{
    Averages each window. Padded positions count in the divisor only when
    `count_include_pad` is set.

    ```mlir
    %y = kiln.avg_pool %x {kernel_shape = array<i64: 7, 7>, strides = array<i64: 1, 1>,
                           dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>}
        : (tensor<1x2048x7x7xf32>) -> tensor<1x2048x1x1xf32>
    ```
  }], Kiln_Tensor, (ins DefaultValuedAttr<BoolAttr, "false">:$count_include_pad),
  (outs Kiln_Tensor:$output)>;

def Kiln_LpPoolOp : Kiln_PoolOp<"lp_pool", "Lp-norm pooling", [{
    Computes `(sum over the window of |x|^p)^(1/p)`; padded positions are 0.

    ```mlir
    %y = kiln.lp_pool %x {p = 2 : i64, kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>,
                          dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>}
        : (tensor<1x3x32x32xf32>) -> tensor<1x3x16x16xf32>
    ```
  }], Kiln_FloatTensor, (ins DefaultValuedAttr<Kiln_I64Attr, "2">:$p),
  (outs Kiln_FloatTensor:$output)>;

def Kiln_MaxUnpoolOp : Kiln_Op<"max_unpool"> {
  let summary = "Partial inverse of max pooling";
  let description = [{
    Scatters `input` into a zero tensor at the flat positions `indices` (as
    produced by `kiln.max_pool`). The output spatial extent is
    `(D - 1) * stride + K - pad_begin - pad_end`, unless the optional
    `output_shape` operand gives it.

    ```mlir
    %y = kiln.max_unpool %x, %i {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>,
                                 pads = array<i64: 0, 0, 0, 0>}
        : (tensor<1x1x2x2xf32>, tensor<1x1x2x2xi64>) -> tensor<1x1x4x4xf32>
    ```
  }];
  let arguments = (ins Kiln_Tensor:$input, Kiln_I64Tensor:$indices,
                       Optional<Kiln_I64Tensor>:$output_shape,
                       DenseI64ArrayAttr:$kernel_shape, DenseI64ArrayAttr:$strides,
                       DenseI64ArrayAttr:$pads);
  let results = (outs Kiln_Tensor:$output);
  let assemblyFormat = [{
    $input `,` $indices (`,` $output_shape^)? attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Normalization
//===----------------------------------------------------------------------===//

def Kiln_BatchNormOp : Kiln_Op<"batch_norm"> {
  let summary = "Batch normalization with running statistics (inference)";
  let description = [{
    `y = scale * (x - mean) / sqrt(var + epsilon) + bias` per channel (dim 1).
    All four parameter operands are 1-D of the channel count.
    `kiln-fold-batchnorm` folds it into a preceding conv or gemm.

    ```mlir
    %y = kiln.batch_norm %x, %scale, %bias, %mean, %var {epsilon = 1.0e-05 : f32}
        : (tensor<1x64x56x56xf32>, tensor<64xf32>, tensor<64xf32>, tensor<64xf32>, tensor<64xf32>)
        -> tensor<1x64x56x56xf32>
    ```
  }];
  let arguments = (ins Kiln_FloatTensor:$input, Kiln_FloatTensor:$scale,
                       Kiln_FloatTensor:$bias, Kiln_FloatTensor:$mean,
                       Kiln_FloatTensor:$var,
                       DefaultValuedAttr<F32Attr, "1.0e-5f">:$epsilon);
  let results = (outs Kiln_FloatTensor:$output);
  let assemblyFormat = [{
    $input `,` $scale `,` $bias `,` $mean `,` $var attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Kiln_InstanceNormOp : Kiln_Op<"instance_norm"> {
  let summary = "Instance normalization";
  let description = [{
    Normalizes each (batch, channel) plane over its spatial dimensions, then
    applies the per-channel `scale` and `bias`.

    ```mlir
    %y = kiln.instance_norm %x, %s, %b {epsilon = 1.0e-05 : f32}
        : (tensor<2x3x8x8xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<2x3x8x8xf32>
    ```
  }];
  let arguments = (ins Kiln_FloatTensor:$input, Kiln_FloatTensor:$scale,
                       Kiln_FloatTensor:$bias,
                       DefaultValuedAttr<F32Attr, "1.0e-5f">:$epsilon);
  let results = (outs Kiln_FloatTensor:$output);
  let assemblyFormat = [{
    $input `,` $scale `,` $bias attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Kiln_LayerNormOp : Kiln_Op<"layer_norm"> {
  let summary = "Layer normalization over the trailing dimensions";
  let description = [{
    Normalizes over dimensions `axis` .. rank-1 and applies `scale` and the
    optional `bias`, both broadcastable to those dimensions. It also yields
    the `mean` and the inverse standard deviation, each of the input's shape
    with the normalized dimensions set to 1, in f32 (ONNX's default
    `stash_type`); they are by-products of the normalization, and code
    generation skips them when unused.

    ```mlir
    %y, %mean, %inv = kiln.layer_norm %x, %s, %b {axis = 2 : i64, epsilon = 1.0e-05 : f32}
        : (tensor<1x128x768xf32>, tensor<768xf32>, tensor<768xf32>)
        -> (tensor<1x128x768xf32>, tensor<1x128x1xf32>, tensor<1x128x1xf32>)
    ```
  }];
  let arguments = (ins Kiln_FloatTensor:$input, Kiln_FloatTensor:$scale,
                       Optional<Kiln_FloatTensor>:$bias, Kiln_I64Attr:$axis,
                       DefaultValuedAttr<F32Attr, "1.0e-5f">:$epsilon);
  let results = (outs Kiln_FloatTensor:$output, Kiln_FloatTensor:$mean,
                      Kiln_FloatTensor:$inv_std_dev);
  let assemblyFormat = [{
    $input `,` $scale (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Kiln_LrnOp : Kiln_Op<"lrn"> {
  let summary = "Local response normalization across channels";
  let description = [{
    `y = x / (bias + alpha / size * sum of x^2 over the size nearest channels)^beta`.

    ```mlir
    %y = kiln.lrn %x {size = 5 : i64, alpha = 1.0e-04 : f32, beta = 0.75 : f32, bias = 1.0 : f32}
        : (tensor<1x96x55x55xf32>) -> tensor<1x96x55x55xf32>
    ```
  }];
  let arguments = (ins Kiln_FloatTensor:$input, Kiln_I64Attr:$size,
                       DefaultValuedAttr<F32Attr, "1.0e-4f">:$alpha,
                       DefaultValuedAttr<F32Attr, "0.75f">:$beta,
                       DefaultValuedAttr<F32Attr, "1.0f">:$bias);
  let results = (outs Kiln_FloatTensor:$output);
  let assemblyFormat = [{
    $input attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Softmax family
//===----------------------------------------------------------------------===//

class Kiln_AxisNormOp<string mnemonic, string summaryText, string formula>
    : Kiln_Op<mnemonic> {
  let summary = summaryText;
  let description = "Computes `" # formula # "` along dimension `axis` (ONNX "
    # "opset-13 semantics: one axis, not a flattened 2-D view).\n\n"
    # "```mlir\n%y = kiln." # mnemonic # " %x {axis = 1 : i64} : "
    # "(tensor<1x1000xf32>) -> tensor<1x1000xf32>\n```";
  let arguments = (ins Kiln_FloatTensor:$input, Kiln_I64Attr:$axis);
  let results = (outs Kiln_FloatTensor:$output);
  let assemblyFormat = [{
    $input attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Kiln_SoftmaxOp : Kiln_AxisNormOp<"softmax", "Softmax",
    "exp(x) / sum(exp(x))">;
def Kiln_LogSoftmaxOp : Kiln_AxisNormOp<"log_softmax", "Log of softmax",
    "x - log(sum(exp(x)))">;
def Kiln_HardmaxOp : Kiln_AxisNormOp<"hardmax", "One-hot of the maximum",
    "x == max(x) ? 1 : 0 (first maximum only)">;

//===----------------------------------------------------------------------===//
// Sampling
//===----------------------------------------------------------------------===//

def Kiln_GridSampleOp : Kiln_Op<"grid_sample"> {
  let summary = "Sample an image at grid locations";
  let description = [{
    For each output location, reads `input` (N x C x H x W) at the normalized
    (x, y) coordinates in `grid` (N x Ho x Wo x 2), interpolating by `mode`.

    ```mlir
    %y = kiln.grid_sample %x, %g {mode = #kiln.grid_sample_mode<bilinear>,
                                  padding_mode = #kiln.grid_sample_padding<zeros>, align_corners = false}
        : (tensor<1x1x4x4xf32>, tensor<1x6x6x2xf32>) -> tensor<1x1x6x6xf32>
    ```
  }];
  let arguments = (ins Kiln_FloatTensor:$input, Kiln_FloatTensor:$grid,
                       Kiln_GridSampleModeAttr:$mode,
                       Kiln_GridSamplePaddingAttr:$padding_mode,
                       DefaultValuedAttr<BoolAttr, "false">:$align_corners);
  let results = (outs Kiln_FloatTensor:$output);
  let assemblyFormat = [{
    $input `,` $grid attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Kiln_RoiAlignOp : Kiln_Op<"roi_align"> {
  let summary = "Region-of-interest align";
  let description = [{
    Pools each region `rois[r]` (x1, y1, x2, y2 in input coordinates times
    `spatial_scale`) of image `batch_indices[r]` to an output_height x
    output_width grid, averaging or maximizing bilinear samples.

    ```mlir
    %y = kiln.roi_align %x, %rois, %idx {mode = #kiln.roi_pooling_mode<avg>, output_height = 5 : i64,
        output_width = 5 : i64, sampling_ratio = 2 : i64, spatial_scale = 1.0 : f32, half_pixel = true}
        : (tensor<1x1x10x10xf32>, tensor<3x4xf32>, tensor<3xi64>) -> tensor<3x1x5x5xf32>
    ```
  }];
  let arguments = (ins Kiln_FloatTensor:$input, Kiln_FloatTensor:$rois,
                       Kiln_I64Tensor:$batch_indices,
                       Kiln_RoiPoolingModeAttr:$mode, Kiln_I64Attr:$output_height,
                       Kiln_I64Attr:$output_width, Kiln_I64Attr:$sampling_ratio,
                       F32Attr:$spatial_scale, BoolAttr:$half_pixel);
  let results = (outs Kiln_FloatTensor:$output);
  let assemblyFormat = [{
    $input `,` $rois `,` $batch_indices attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Kiln_NonMaxSuppressionOp : Kiln_Op<"non_max_suppression",
                                      [AttrSizedOperandSegments]> {
  let summary = "Greedy non-maximum suppression of scored boxes";
  let description = [{
    For each batch and class, keeps boxes in descending score order, skipping
    any whose IoU with a kept box exceeds `iou_threshold` or whose score is
    not above `score_threshold`, up to `max_output_boxes_per_class` (absent
    or 0 keeps none). Boxes are [y1, x1, y2, x2] corners, or
    [x_center, y_center, width, height] with `center_point_box`. Yields one
    (batch, class, box) i64 row per kept box; the count is data-dependent.

    ```mlir
    %sel = kiln.non_max_suppression %boxes, %scores max_output %max iou_threshold %iou
        : (tensor<1x6x4xf32>, tensor<1x1x6xf32>, tensor<1xi64>, tensor<1xf32>) -> tensor<?x3xi64>
    ```
  }];
  let arguments = (ins Kiln_FloatTensor:$boxes, Kiln_FloatTensor:$scores,
                       Optional<Kiln_I64Tensor>:$max_output_boxes_per_class,
                       Optional<Kiln_FloatTensor>:$iou_threshold,
                       Optional<Kiln_FloatTensor>:$score_threshold,
                       DefaultValuedAttr<BoolAttr, "false">:$center_point_box);
  let results = (outs Kiln_I64Tensor:$selected_indices);
  let assemblyFormat = [{
    $boxes `,` $scores (`max_output` $max_output_boxes_per_class^)?
    (`iou_threshold` $iou_threshold^)? (`score_threshold` $score_threshold^)?
    attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

#endif // KILN_NN_OPS_TD

//===- KilnTensorOps.td - constants, shapes and data movement ------------===//
//
// Ops whose parameters ONNX passes as tensors (reshape's shape, slice's
// starts, pad's pads, ...) keep them as operands, so that shapes computed in
// the graph can be folded by passes; their result types become static once
// those operands are constants. Parameters that decide a result's rank
// (squeeze and unsqueeze axes, reduction axes) are attributes.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_TENSOR_OPS_TD
#define KILN_TENSOR_OPS_TD

include "dialects/Kiln/KilnBase.td"

def Kiln_ConstantOp : Kiln_Op<"constant", [ConstantLike]> {
  let summary = "Constant tensor";
  let description = [{
    A tensor known at compile time: ONNX initializers, `Constant` nodes and
    everything folding produces. Weights stay here until code generation
    places them in the generated library.

    ```mlir
    %w = kiln.constant dense<0.5> : tensor<64x3x7x7xf32>
    ```
  }];
  let arguments = (ins ElementsAttr:$value);
  let results = (outs Kiln_Tensor:$output);
  let assemblyFormat = "attr-dict $value";
  let hasFolder = 1;
}

def Kiln_ShapeOp : Kiln_Op<"shape"> {
  let summary = "The shape of a tensor as a 1-D i64 tensor";
  let description = [{
    Yields dimensions `start` .. `end` (exclusive; negative values count from
    the end and are clamped, as in ONNX) of the operand's shape. Folds to a
    constant when those dimensions are static.

    ```mlir
    %s = kiln.shape %x {start = 0 : i64} : (tensor<1x3x?x?xf32>) -> tensor<4xi64>
    ```
  }];
  let arguments = (ins Kiln_Tensor:$input,
                       DefaultValuedAttr<Kiln_I64Attr, "0">:$start,
                       OptionalAttr<Kiln_I64Attr>:$end);
  let results = (outs Kiln_I64Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
}

def Kiln_SizeOp : Kiln_Op<"size"> {
  let summary = "The number of elements of a tensor";
  let description = [{
    ```mlir
    %n = kiln.size %x : (tensor<2x3xf32>) -> tensor<i64>
    ```
  }];
  let arguments = (ins Kiln_Tensor:$input);
  let results = (outs Kiln_I64Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
}

def Kiln_ReshapeOp : Kiln_Op<"reshape"> {
  let summary = "Reinterpret a tensor with another shape";
  let description = [{
    Row-major reshape to the 1-D i64 `shape` operand, with ONNX semantics: a
    0 copies the input dimension (unless `allowzero`) and one -1 is inferred
    from the element count. The result is static once `shape` is a constant
    and the input is static.

    ```mlir
    %y = kiln.reshape %x, %shape : (tensor<1x2048x1x1xf32>, tensor<2xi64>) -> tensor<1x2048xf32>
    ```
  }];
  let arguments = (ins Kiln_Tensor:$input, Kiln_I64Tensor:$shape,
                       DefaultValuedAttr<BoolAttr, "false">:$allowzero);
  let results = (outs Kiln_Tensor:$output);
  let assemblyFormat = [{
    $input `,` $shape attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
  let hasFolder = 1;
  let hasCanonicalizer = 1;
}

def Kiln_FlattenOp : Kiln_Op<"flatten"> {
  let summary = "Flatten to 2-D around an axis";
  let description = [{
    Yields a 2-D tensor whose first dimension is the product of dimensions
    before `axis` and whose second is the product of the rest.

    ```mlir
    %y = kiln.flatten %x {axis = 1 : i64} : (tensor<1x512x7x7xf32>) -> tensor<1x25088xf32>
    ```
  }];
  let arguments = (ins Kiln_Tensor:$input, Kiln_I64Attr:$axis);
  let results = (outs Kiln_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
  let hasFolder = 1;
  let hasCanonicalizer = 1;
}

def Kiln_SqueezeOp : Kiln_Op<"squeeze"> {
  let summary = "Drop unit dimensions";
  let description = [{
    Removes the dimensions listed in `axes` (sorted, non-negative), each of
    which must be 1. The importer makes ONNX's default (all unit dimensions)
    explicit.

    ```mlir
    %y = kiln.squeeze %x {axes = array<i64: 2, 3>} : (tensor<1x64x1x1xf32>) -> tensor<1x64xf32>
    ```
  }];
  let arguments = (ins Kiln_Tensor:$input, DenseI64ArrayAttr:$axes);
  let results = (outs Kiln_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
  let hasFolder = 1;
  let hasCanonicalizer = 1;
}

def Kiln_UnsqueezeOp : Kiln_Op<"unsqueeze"> {
  let summary = "Insert unit dimensions";
  let description = [{
    Inserts a dimension of 1 at each position in `axes` (sorted, non-negative
    positions of the result).

    ```mlir
    %y = kiln.unsqueeze %x {axes = array<i64: 0>} : (tensor<64xf32>) -> tensor<1x64xf32>
    ```
  }];
  let arguments = (ins Kiln_Tensor:$input, DenseI64ArrayAttr:$axes);
  let results = (outs Kiln_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
  let hasFolder = 1;
  let hasCanonicalizer = 1;
}

def Kiln_TransposeOp : Kiln_Op<"transpose"> {
  let summary = "Permute dimensions";
  let description = [{
    Result dimension `i` is input dimension `perm[i]`.

    ```mlir
    %y = kiln.transpose %x {perm = array<i64: 0, 2, 3, 1>} : (tensor<1x3x4x5xf32>) -> tensor<1x4x5x3xf32>
    ```
  }];
  let arguments = (ins Kiln_Tensor:$input, DenseI64ArrayAttr:$perm);
  let results = (outs Kiln_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
  let hasFolder = 1;
  let hasCanonicalizer = 1;
}

def Kiln_ConcatOp : Kiln_Op<"concat"> {
  let summary = "Concatenate along an axis";
  let description = [{
    ```mlir
    %y = kiln.concat %a, %b {axis = 1 : i64}
        : (tensor<1x64x56x56xf32>, tensor<1x64x56x56xf32>) -> tensor<1x128x56x56xf32>
    ```
  }];
  let arguments = (ins Variadic<Kiln_Tensor>:$inputs, Kiln_I64Attr:$axis);
  let results = (outs Kiln_Tensor:$output);
  let assemblyFormat = "$inputs attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

def Kiln_SplitOp : Kiln_Op<"split"> {
  let summary = "Split along an axis into pieces of given sizes";
  let description = [{
    Cuts `input` along `axis` into one result per entry of `sizes`, which sum
    to the input extent. The importer resolves ONNX's even split and its
    uneven last piece into `sizes`.

    ```mlir
    %a, %b = kiln.split %x {axis = 1 : i64, sizes = array<i64: 2, 4>}
        : (tensor<3x6xf32>) -> (tensor<3x2xf32>, tensor<3x4xf32>)
    ```
  }];
  let arguments = (ins Kiln_Tensor:$input, Kiln_I64Attr:$axis,
                       DenseI64ArrayAttr:$sizes);
  let results = (outs Variadic<Kiln_Tensor>:$outputs);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

def Kiln_SliceOp : Kiln_Op<"slice", [AttrSizedOperandSegments]> {
  let summary = "Strided slice with ONNX semantics";
  let description = [{
    Takes elements `starts[i]`, `starts[i] + steps[i]`, ... up to (not
    including) `ends[i]` along dimension `axes[i]`, with ONNX's clamping of
    out-of-range and negative values. `axes` defaults to 0..n-1 and `steps`
    to 1. The parameters are 1-D i32 or i64 tensors; the result is static
    once they are constants.

    ```mlir
    %y = kiln.slice %x, %starts, %ends, %axes
        : (tensor<20x10xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<20x3xf32>
    ```
  }];
  let arguments = (ins Kiln_Tensor:$input, Kiln_IndexTensor:$starts,
                       Kiln_IndexTensor:$ends, Optional<Kiln_IndexTensor>:$axes,
                       Optional<Kiln_IndexTensor>:$steps);
  let results = (outs Kiln_Tensor:$output);
  let assemblyFormat = [{
    $input `,` $starts `,` $ends (`,` `axes` $axes^)? (`,` `steps` $steps^)? attr-dict
    `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
  let hasFolder = 1;
}

def Kiln_GatherOp : Kiln_Op<"gather"> {
  let summary = "Gather slices along an axis by index";
  let description = [{
    Result shape: `input.shape[:axis] + indices.shape + input.shape[axis+1:]`.
    Negative indices count from the end of `axis`.

    ```mlir
    %y = kiln.gather %x, %i {axis = 0 : i64} : (tensor<4xi64>, tensor<i64>) -> tensor<i64>
    ```
  }];
  let arguments = (ins Kiln_Tensor:$input, Kiln_IndexTensor:$indices,
                       Kiln_I64Attr:$axis);
  let results = (outs Kiln_Tensor:$output);
  let assemblyFormat = [{
    $input `,` $indices attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
  let hasFolder = 1;
}

def Kiln_GatherElementsOp : Kiln_Op<"gather_elements"> {
  let summary = "Gather single elements along an axis";
  let description = [{
    `y[i][j][k] = input[indices[i][j][k]][j][k]` for axis 0, and so on; the
    result has the shape of `indices`.

    ```mlir
    %y = kiln.gather_elements %x, %i {axis = 1 : i64}
        : (tensor<3x3xf32>, tensor<3x2xi64>) -> tensor<3x2xf32>
    ```
  }];
  let arguments = (ins Kiln_Tensor:$input, Kiln_IndexTensor:$indices,
                       Kiln_I64Attr:$axis);
  let results = (outs Kiln_Tensor:$output);
  let assemblyFormat = [{
    $input `,` $indices attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Kiln_GatherNDOp : Kiln_Op<"gather_nd"> {
  let summary = "Gather slices by N-dimensional index tuples";
  let description = [{
    Each innermost row of `indices` addresses a slice of `input` after the
    first `batch_dims` dimensions, which `input` and `indices` share.

    ```mlir
    %y = kiln.gather_nd %x, %i {batch_dims = 0 : i64}
        : (tensor<2x2xf32>, tensor<2x2xi64>) -> tensor<2xf32>
    ```
  }];
  let arguments = (ins Kiln_Tensor:$input, Kiln_I64Tensor:$indices,
                       DefaultValuedAttr<Kiln_I64Attr, "0">:$batch_dims);
  let results = (outs Kiln_Tensor:$output);
  let assemblyFormat = [{
    $input `,` $indices attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Kiln_ScatterElementsOp : Kiln_Op<"scatter_elements"> {
  let summary = "Scatter single elements along an axis";
  let description = [{
    A copy of `data` where `out[indices[i][j]][j] = updates[i][j]` (axis 0),
    or combined with it by `reduction`.

    ```mlir
    %y = kiln.scatter_elements %d, %i, %u {axis = 1 : i64, reduction = #kiln.scatter_reduction<none>}
        : (tensor<1x5xf32>, tensor<1x2xi64>, tensor<1x2xf32>) -> tensor<1x5xf32>
    ```
  }];
  let arguments = (ins Kiln_Tensor:$data, Kiln_IndexTensor:$indices,
                       Kiln_Tensor:$updates, Kiln_I64Attr:$axis,
                       DefaultValuedAttr<Kiln_ScatterReductionAttr,
                           "::mlir::kiln::ScatterReduction::none">:$reduction);
  let results = (outs Kiln_Tensor:$output);
  let assemblyFormat = [{
    $data `,` $indices `,` $updates attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Kiln_ScatterNDOp : Kiln_Op<"scatter_nd"> {
  let summary = "Scatter slices by N-dimensional index tuples";
  let description = [{
    A copy of `data` where the slice addressed by each innermost row of
    `indices` is replaced by (or combined with) the matching slice of
    `updates`.

    ```mlir
    %y = kiln.scatter_nd %d, %i, %u {reduction = #kiln.scatter_reduction<none>}
        : (tensor<8xf32>, tensor<4x1xi64>, tensor<4xf32>) -> tensor<8xf32>
    ```
  }];
  let arguments = (ins Kiln_Tensor:$data, Kiln_I64Tensor:$indices,
                       Kiln_Tensor:$updates,
                       DefaultValuedAttr<Kiln_ScatterReductionAttr,
                           "::mlir::kiln::ScatterReduction::none">:$reduction);
  let results = (outs Kiln_Tensor:$output);
  let assemblyFormat = [{
    $data `,` $indices `,` $updates attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Kiln_PadOp : Kiln_Op<"pad"> {
  let summary = "Pad a tensor";
  let description = [{
    `pads` (1-D i64, begin values for every dimension then end values) adds
    (or, when negative, removes) elements on each side. `mode` says how new
    elements are made; `constant` uses the optional scalar `constant_value`
    (default 0).

    ```mlir
    %y = kiln.pad %x, %pads {mode = #kiln.pad_mode<constant>}
        : (tensor<1x3x4x4xf32>, tensor<8xi64>) -> tensor<1x3x6x6xf32>
    ```
  }];
  let arguments = (ins Kiln_Tensor:$input, Kiln_I64Tensor:$pads,
                       Optional<Kiln_Tensor>:$constant_value,
                       DefaultValuedAttr<Kiln_PadModeAttr,
                           "::mlir::kiln::PadMode::constant">:$mode);
  let results = (outs Kiln_Tensor:$output);
  let assemblyFormat = [{
    $input `,` $pads (`,` $constant_value^)? attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
  let hasFolder = 1;
}

def Kiln_ResizeOp : Kiln_Op<"resize", [AttrSizedOperandSegments]> {
  let summary = "Resize by interpolation";
  let description = [{
    Resizes every dimension by `scales` (output extent `floor(D * scale)`) or
    to `sizes`; exactly one of the two is given. `roi` is used only with the
    `tf_crop_and_resize` coordinate transform. ONNX's Upsample maps here too.

    ```mlir
    %y = kiln.resize %x scales %s {mode = #kiln.resize_mode<nearest>,
        coordinate_transformation_mode = #kiln.coordinate_transform<asymmetric>,
        nearest_mode = #kiln.nearest_mode<floor>}
        : (tensor<1x64x20x20xf32>, tensor<4xf32>) -> tensor<1x64x40x40xf32>
    ```
  }];
  let arguments = (ins Kiln_Tensor:$input, Optional<Kiln_FloatTensor>:$roi,
                       Optional<Kiln_FloatTensor>:$scales,
                       Optional<Kiln_I64Tensor>:$sizes,
                       Kiln_ResizeModeAttr:$mode,
                       Kiln_CoordinateTransformAttr:$coordinate_transformation_mode,
                       DefaultValuedAttr<Kiln_NearestModeAttr,
                           "::mlir::kiln::NearestMode::round_prefer_floor">:$nearest_mode,
                       DefaultValuedAttr<F32Attr, "-0.75f">:$cubic_coeff_a,
                       DefaultValuedAttr<BoolAttr, "false">:$exclude_outside,
                       DefaultValuedAttr<F32Attr, "0.0f">:$extrapolation_value);
  let results = (outs Kiln_Tensor:$output);
  let assemblyFormat = [{
    $input (`roi` $roi^)? (`scales` $scales^)? (`sizes` $sizes^)? attr-dict
    `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Kiln_ExpandOp : Kiln_Op<"expand"> {
  let summary = "Broadcast to a shape";
  let description = [{
    Broadcasts `input` with the 1-D i64 `shape` operand as numpy does (the
    result may be larger than `shape` where `input` is).

    ```mlir
    %y = kiln.expand %x, %shape : (tensor<3x1xf32>, tensor<2xi64>) -> tensor<3x4xf32>
    ```
  }];
  let arguments = (ins Kiln_Tensor:$input, Kiln_I64Tensor:$shape);
  let results = (outs Kiln_Tensor:$output);
  let assemblyFormat = [{
    $input `,` $shape attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
  let hasFolder = 1;
}

def Kiln_TileOp : Kiln_Op<"tile"> {
  let summary = "Repeat a tensor along each dimension";
  let description = [{
    ```mlir
    %y = kiln.tile %x, %repeats : (tensor<2x3xf32>, tensor<2xi64>) -> tensor<4x3xf32>
    ```
  }];
  let arguments = (ins Kiln_Tensor:$input, Kiln_I64Tensor:$repeats);
  let results = (outs Kiln_Tensor:$output);
  let assemblyFormat = [{
    $input `,` $repeats attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
  let hasFolder = 1;
}

def Kiln_ConstantOfShapeOp : Kiln_Op<"constant_of_shape"> {
  let summary = "A tensor of a computed shape filled with one value";
  let description = [{
    The 1-D i64 `shape` operand gives the result shape; `value` (a scalar
    attribute) gives the fill value and the element type. Folds to a splat
    `kiln.constant` once `shape` is constant.

    ```mlir
    %w = kiln.constant_of_shape %shape {value = 0.0 : f32} : (tensor<4xi64>) -> tensor<64x3x7x7xf32>
    ```
  }];
  let arguments = (ins Kiln_I64Tensor:$shape, TypedAttrInterface:$value);
  let results = (outs Kiln_Tensor:$output);
  let assemblyFormat = "$shape attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

def Kiln_RangeOp : Kiln_Op<"range"> {
  let summary = "Arithmetic sequence";
  let description = [{
    `start, start + delta, ...` while below `limit` (above, for a negative
    `delta`); the three scalar operands share the element type. The length,
    `max(ceil((limit - start) / delta), 0)`, is static when they are constants.

    ```mlir
    %y = kiln.range %start, %limit, %delta : (tensor<i64>, tensor<i64>, tensor<i64>) -> tensor<?xi64>
    ```
  }];
  let arguments = (ins Kiln_Tensor:$start, Kiln_Tensor:$limit, Kiln_Tensor:$delta);
  let results = (outs Kiln_Tensor:$output);
  let assemblyFormat = [{
    $start `,` $limit `,` $delta attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
  let hasFolder = 1;
}

def Kiln_OneHotOp : Kiln_Op<"one_hot"> {
  let summary = "One-hot encoding";
  let description = [{
    Inserts a dimension of extent `depth` (scalar operand) at `axis`; the
    element for each index is `values[1]` and all others are `values[0]`.
    Negative indices count from `depth`.

    ```mlir
    %y = kiln.one_hot %i, %depth, %values {axis = 1 : i64}
        : (tensor<3xi64>, tensor<i64>, tensor<2xf32>) -> tensor<3x10xf32>
    ```
  }];
  let arguments = (ins Kiln_Tensor:$indices, Kiln_Tensor:$depth,
                       Kiln_Tensor:$values, Kiln_I64Attr:$axis);
  let results = (outs Kiln_Tensor:$output);
  let assemblyFormat = [{
    $indices `,` $depth `,` $values attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Kiln_TriluOp : Kiln_Op<"trilu"> {
  let summary = "Upper or lower triangle of the trailing two dimensions";
  let description = [{
    Keeps elements on and above (with `upper`) or on and below the `k`-th
    diagonal (scalar i64 operand, 0 when absent) and zeroes the rest.

    ```mlir
    %y = kiln.trilu %x, %k {upper = true} : (tensor<4x5xf32>, tensor<i64>) -> tensor<4x5xf32>
    ```
  }];
  let arguments = (ins Kiln_Tensor:$input, Optional<Kiln_I64Tensor>:$k,
                       DefaultValuedAttr<BoolAttr, "true">:$upper);
  let results = (outs Kiln_Tensor:$output);
  let assemblyFormat = [{
    $input (`,` $k^)? attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Kiln_EyeLikeOp : Kiln_BaseOp<"eye_like", [SameOperandsAndResultShape]> {
  let summary = "Identity-like 2-D matrix";
  let description = [{
    Ones on the `k`-th diagonal and zeros elsewhere, in the operand's shape
    and the result's element type.

    ```mlir
    %y = kiln.eye_like %x {k = 1 : i64} : (tensor<4x5xf32>) -> tensor<4x5xi32>
    ```
  }];
  let arguments = (ins Kiln_Tensor:$input, DefaultValuedAttr<Kiln_I64Attr, "0">:$k);
  let results = (outs Kiln_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def Kiln_DepthToSpaceOp : Kiln_Op<"depth_to_space"> {
  let summary = "Move channel blocks into spatial blocks";
  let description = [{
    N x C x H x W becomes N x C/(b*b) x H*b x W*b; `mode` says whether the
    channel index is read depth-column-row (`dcr`) or column-row-depth (`crd`).

    ```mlir
    %y = kiln.depth_to_space %x {blocksize = 2 : i64, mode = #kiln.depth_to_space_mode<dcr>}
        : (tensor<1x8x2x3xf32>) -> tensor<1x2x4x6xf32>
    ```
  }];
  let arguments = (ins Kiln_Tensor:$input, Kiln_I64Attr:$blocksize,
                       Kiln_DepthToSpaceModeAttr:$mode);
  let results = (outs Kiln_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def Kiln_SpaceToDepthOp : Kiln_Op<"space_to_depth"> {
  let summary = "Move spatial blocks into channels";
  let description = [{
    N x C x H x W becomes N x C*b*b x H/b x W/b.

    ```mlir
    %y = kiln.space_to_depth %x {blocksize = 2 : i64} : (tensor<1x2x4x6xf32>) -> tensor<1x8x2x3xf32>
    ```
  }];
  let arguments = (ins Kiln_Tensor:$input, Kiln_I64Attr:$blocksize);
  let results = (outs Kiln_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def Kiln_ReverseSequenceOp : Kiln_Op<"reverse_sequence"> {
  let summary = "Reverse variable-length sequences in a batch";
  let description = [{
    For each batch entry b, reverses the first `sequence_lens[b]` elements
    along `time_axis`.

    ```mlir
    %y = kiln.reverse_sequence %x, %lens {batch_axis = 1 : i64, time_axis = 0 : i64}
        : (tensor<4x4xf32>, tensor<4xi64>) -> tensor<4x4xf32>
    ```
  }];
  let arguments = (ins Kiln_Tensor:$input, Kiln_I64Tensor:$sequence_lens,
                       Kiln_I64Attr:$batch_axis, Kiln_I64Attr:$time_axis);
  let results = (outs Kiln_Tensor:$output);
  let assemblyFormat = [{
    $input `,` $sequence_lens attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Kiln_CompressOp : Kiln_Op<"compress"> {
  let summary = "Select slices where a condition holds";
  let description = [{
    Keeps the slices along `axis` (or elements of the flattened input without
    `axis`) whose `condition` entry is true. The result extent is
    data-dependent unless `condition` is a constant.

    ```mlir
    %y = kiln.compress %x, %c {axis = 0 : i64} : (tensor<3x2xf32>, tensor<3xi1>) -> tensor<?x2xf32>
    ```
  }];
  let arguments = (ins Kiln_Tensor:$input, Kiln_BoolTensor:$condition,
                       OptionalAttr<Kiln_I64Attr>:$axis);
  let results = (outs Kiln_Tensor:$output);
  let assemblyFormat = [{
    $input `,` $condition attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Kiln_NonZeroOp : Kiln_Op<"non_zero"> {
  let summary = "Indices of non-zero elements";
  let description = [{
    A rank x count i64 tensor of the coordinates of the non-zero elements in
    row-major order; the count is data-dependent unless the operand is a
    constant.

    ```mlir
    %y = kiln.non_zero %x : (tensor<2x2xf32>) -> tensor<2x?xi64>
    ```
  }];
  let arguments = (ins Kiln_Tensor:$input);
  let results = (outs Kiln_I64Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
}

def Kiln_UniqueOp : Kiln_Op<"unique"> {
  let summary = "Unique elements or slices";
  let description = [{
    Finds the unique elements (or, with `axis`, the unique slices along it)
    of `input`, sorted ascending with `sorted` or in order of first
    occurrence otherwise. Yields the unique values, the index of each one's
    first occurrence, the index into the unique values of each input
    element (or slice), and each unique value's count. The number of unique
    values is data-dependent.

    ```mlir
    %y, %idx, %inv, %cnt = kiln.unique %x {sorted = true}
        : (tensor<6xf32>) -> (tensor<?xf32>, tensor<?xi64>, tensor<6xi64>, tensor<?xi64>)
    ```
  }];
  let arguments = (ins Kiln_Tensor:$input, OptionalAttr<Kiln_I64Attr>:$axis,
                       DefaultValuedAttr<BoolAttr, "true">:$sorted);
  let results = (outs Kiln_Tensor:$output, Kiln_I64Tensor:$indices,
                      Kiln_I64Tensor:$inverse_indices, Kiln_I64Tensor:$counts);
  let assemblyFormat = [{
    $input attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

#endif // KILN_TENSOR_OPS_TD

// RUN: kiln-opt %s --split-input-file --verify-diagnostics --kiln-lower-quant

// A library's inputs and outputs are plain numbers.
// expected-error@+1 {{takes or returns quantized tensors}}
func.func @boundary(%x: tensor<2x!quant.uniform<u8:f32, 0.5>>) -> tensor<2xf32> {
  %d = quant.dcast %x : tensor<2x!quant.uniform<u8:f32, 0.5>> to tensor<2xf32>
  return %d : tensor<2xf32>
}

// -----

func.func @calibrated(%x: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error@+1 {{has a quantized type kiln-lower-quant does not know}}
  %q = quant.qcast %x : tensor<2xf32> to tensor<2x!quant.calibrated<f32<-1.0:1.0>>>
  %d = quant.dcast %q : tensor<2x!quant.calibrated<f32<-1.0:1.0>>> to tensor<2xf32>
  return %d : tensor<2xf32>
}

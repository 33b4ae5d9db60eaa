// RUN: kiln-opt %s --kiln-to-linalg --split-input-file --verify-diagnostics

// Code generation needs static shapes.
func.func @dynamic(%a: tensor<?xf32>) -> tensor<?xf32> {
  // expected-error @+1 {{needs static shapes for code generation, got 'tensor<?xf32>'}}
  %0 = kiln.relu %a : tensor<?xf32> -> tensor<?xf32>
  return %0 : tensor<?xf32>
}

// -----

// Ops without a lowering are reported once per op type, with a count.
func.func @unsupported(%a: tensor<6xf32>) -> (tensor<6xf32>, tensor<6xi64>) {
  // expected-error @+1 {{'kiln.unique' has no CPU lowering yet (2 ops in the model)}}
  %0:4 = kiln.unique %a {sorted = true} : (tensor<6xf32>) -> (tensor<6xf32>, tensor<6xi64>, tensor<6xi64>, tensor<6xi64>)
  %1:4 = kiln.unique %a {sorted = true} : (tensor<6xf32>) -> (tensor<6xf32>, tensor<6xi64>, tensor<6xi64>, tensor<6xi64>)
  return %0#0, %1#1 : tensor<6xf32>, tensor<6xi64>
}

// -----

func.func @loop_trip_count(%n: tensor<i64>, %x: tensor<2xf32>) -> tensor<2xf32> {
  %c = kiln.constant dense<true> : tensor<i1>
  // expected-error @+1 {{needs a constant trip count for code generation}}
  %0 = kiln.loop max_trip_count %n condition %c carried(%x : tensor<2xf32>) -> (tensor<2xf32>) {
  ^bb0(%i: tensor<i64>, %cond: tensor<i1>, %acc: tensor<2xf32>):
    kiln.yield %cond, %acc : tensor<i1>, tensor<2xf32>
  } : tensor<i64>, tensor<i1>
  return %0 : tensor<2xf32>
}

// -----

func.func @loop_early_exit(%x: tensor<2xf32>) -> tensor<2xf32> {
  %n = kiln.constant dense<3> : tensor<i64>
  %c = kiln.constant dense<true> : tensor<i1>
  // expected-error @+1 {{with a condition that can end it early needs dynamic shapes}}
  %0 = kiln.loop max_trip_count %n condition %c carried(%x : tensor<2xf32>) -> (tensor<2xf32>) {
  ^bb0(%i: tensor<i64>, %cond: tensor<i1>, %acc: tensor<2xf32>):
    %stop = kiln.constant dense<false> : tensor<i1>
    kiln.yield %stop, %acc : tensor<i1>, tensor<2xf32>
  } : tensor<i64>, tensor<i1>
  return %0 : tensor<2xf32>
}

// -----

func.func @compress_dynamic(%x: tensor<3xf32>, %c: tensor<3xi1>) -> tensor<2xf32> {
  // expected-error @+1 {{needs a constant condition for code generation}}
  %0 = kiln.compress %x, %c {axis = 0 : i64} : (tensor<3xf32>, tensor<3xi1>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

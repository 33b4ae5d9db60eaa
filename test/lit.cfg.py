# lit configuration for Kiln's tests.
import os

import lit.formats

config.name = "Kiln"
config.test_format = lit.formats.ShTest(execute_external=True)
config.suffixes = [".mlir", ".onnxtxt", ".test"]
config.excludes = ["Inputs", "CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.kiln_obj_root, "test")

# Kiln's tools first, then LLVM's (FileCheck, not, count, split-file).
config.environment["PATH"] = os.pathsep.join(
    [config.kiln_tools_dir, config.llvm_tools_dir, config.environment.get("PATH", "/usr/bin:/bin")])
config.substitutions.append(("%python", config.python_executable))
config.substitutions.append(("%kiln_src", config.kiln_src_root))
config.substitutions.append(("%kiln_obj", config.kiln_obj_root))
config.substitutions.append(("%cmake", config.cmake_command))
config.substitutions.append(("%models", config.shared_models))
config.substitutions.append(("%onnx_testdata", config.onnx_testdata))
# kiln-run's tests: Kiln's tools folder and the hand-written libraries.
config.substitutions.append(("%kiln_tools", config.kiln_tools_dir))
config.substitutions.append(
    ("%fake_lib", os.path.join(config.kiln_obj_root, "test", "lib", "libkiln-fake-model.so")))
config.substitutions.append(
    ("%fake_abi2_lib", os.path.join(config.kiln_obj_root, "test", "lib", "libkiln-fake-model-abi2.so")))

if os.path.isdir(config.shared_models):
    config.available_features.add("shared-models")
if os.path.isdir(config.onnx_testdata):
    config.available_features.add("onnx-testdata")

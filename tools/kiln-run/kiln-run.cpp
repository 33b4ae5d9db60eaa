//===- kiln-run.cpp - runs a Kiln library on ONNX test data ---------------===//
//
// kiln-run LIB.so DIR...: loads a Kiln-generated library through
// kiln_get_model, runs its model on the input_K.pb tensors of each ONNX
// test_data_set directory DIR and compares the outputs with the output_K.pb
// files there. It decodes .pb files itself and links only the C++ standard
// library and libdl, so it runs on any machine the generated library runs on.
//
//===----------------------------------------------------------------------===//

#include "kiln/kiln.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>
#include <numeric>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include <dlfcn.h>
#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
              "kiln-run copies ONNX's little-endian raw_data as native data");

namespace {

constexpr const char *usageText =
    R"(usage: kiln-run LIB.so DIR... [options]

Runs the model of the Kiln library LIB.so on each ONNX test data set DIR
(files input_0.pb, input_1.pb, ...) and compares its outputs with the
output_K.pb files of DIR, if it has any.

options:
  --rtol R            relative tolerance of floating-point outputs (1e-3)
  --atol A            absolute tolerance of floating-point outputs (1e-7)
  --save-outputs OUT  write the outputs as output_K.pb files into OUT
                      (into OUT/<name of DIR>/ with several data sets)
  --bench N           after the checked run, time N more runs of each DIR
  --threads T         threads of the context (0: the library's default)
  --weights PATH      external weights file (default: the one beside LIB)
  --help              print this help

A floating-point element matches when
|actual - expected| <= atol + rtol * |expected|; NaN matches NaN and
infinities must be equal. Integer and bool elements must be equal.
Exit status: 0 when every output matched, 1 otherwise, 2 on usage errors.
)";

constexpr int usageExitCode = 2;
/// The most bytes one tensor may have.
constexpr uint64_t maxTensorBytes = uint64_t(1) << 40;
/// The mismatched elements a report lists.
constexpr size_t maxReportedErrors = 5;
constexpr uint64_t maxBenchRuns = 1000000;

/// printf into a std::string.
[[gnu::format(printf, 1, 2)]] std::string format(const char *fmt, ...) {
  va_list args;
  va_start(args, fmt);
  va_list sizing;
  va_copy(sizing, args);
  int length = std::vsnprintf(nullptr, 0, fmt, sizing);
  va_end(sizing);
  std::string text(length > 0 ? size_t(length) : 0, '\0');
  if (length > 0)
    std::vsnprintf(&text[0], text.size() + 1, fmt, args);
  va_end(args);
  return text;
}

/// Prints "kiln-run: error: MESSAGE" on stderr, after what stdout holds.
void reportError(const std::string &message) {
  std::fflush(stdout);
  std::fprintf(stderr, "kiln-run: error: %s\n", message.c_str());
}

std::string joinPath(const std::string &dir, const std::string &name) {
  if (dir.empty() || dir.back() == '/')
    return dir + name;
  return dir + "/" + name;
}

//===----------------------------------------------------------------------===//
// Element types and buffers
//===----------------------------------------------------------------------===//

enum class ValueKind { Float, Signed, Unsigned };

struct ElementType {
  /// Null for numbers ONNX does not define.
  const char *name;
  /// Bytes per element; 0 for the types Kiln does not support.
  size_t size;
  ValueKind kind;
};

/// Describes an ONNX TensorProto.DataType, which kiln_dtype numbers alike.
ElementType elementType(int32_t dataType) {
  switch (dataType) {
  case KILN_FLOAT32: return {"float32", 4, ValueKind::Float};
  case KILN_UINT8: return {"uint8", 1, ValueKind::Unsigned};
  case KILN_INT8: return {"int8", 1, ValueKind::Signed};
  case KILN_UINT16: return {"uint16", 2, ValueKind::Unsigned};
  case KILN_INT16: return {"int16", 2, ValueKind::Signed};
  case KILN_INT32: return {"int32", 4, ValueKind::Signed};
  case KILN_INT64: return {"int64", 8, ValueKind::Signed};
  case KILN_BOOL: return {"bool", 1, ValueKind::Unsigned};
  case KILN_FLOAT16: return {"float16", 2, ValueKind::Float};
  case KILN_FLOAT64: return {"float64", 8, ValueKind::Float};
  case KILN_UINT32: return {"uint32", 4, ValueKind::Unsigned};
  case KILN_UINT64: return {"uint64", 8, ValueKind::Unsigned};
  case KILN_BFLOAT16: return {"bfloat16", 2, ValueKind::Float};
  case 0: return {"undefined", 0, ValueKind::Float};
  case 8: return {"string", 0, ValueKind::Float};
  case 14: return {"complex64", 0, ValueKind::Float};
  case 15: return {"complex128", 0, ValueKind::Float};
  case 17: return {"float8e4m3fn", 0, ValueKind::Float};
  case 18: return {"float8e4m3fnuz", 0, ValueKind::Float};
  case 19: return {"float8e5m2", 0, ValueKind::Float};
  case 20: return {"float8e5m2fnuz", 0, ValueKind::Float};
  case 21: return {"uint4", 0, ValueKind::Unsigned};
  case 22: return {"int4", 0, ValueKind::Signed};
  case 23: return {"float4e2m1", 0, ValueKind::Float};
  }
  return {nullptr, 0, ValueKind::Float};
}

std::string typeName(int32_t dataType) {
  const char *name = elementType(dataType).name;
  return name ? name : format("data type %d", dataType);
}

/// "float32[2,3]"; a scalar is "float32[]".
std::string describe(int32_t dataType, const int64_t *shape, size_t rank) {
  std::string text = typeName(dataType) + "[";
  for (size_t d = 0; d < rank; ++d)
    text += format(d ? ",%lld" : "%lld", static_cast<long long>(shape[d]));
  return text + "]";
}

std::string describe(const kiln_tensor_info &info) {
  return describe(info.dtype, info.shape, size_t(info.rank));
}

/// A zero-filled byte buffer aligned for vector loads. It always owns at least
/// one block, so that even an empty tensor gets a non-null pointer.
class Buffer {
public:
  explicit Buffer(size_t size = 0)
      : blocks(size / sizeof(Block) + 1), byteSize(size) {}

  unsigned char *data() { return blocks.front().bytes; }
  const unsigned char *data() const { return blocks.front().bytes; }
  size_t size() const { return byteSize; }

private:
  struct alignas(64) Block {
    unsigned char bytes[64];
  };
  std::vector<Block> blocks;
  size_t byteSize;
};

/// A tensor read from a .pb file, its data in native byte order.
struct Tensor {
  std::string name;
  int32_t dataType = 0;
  std::vector<int64_t> dims;
  Buffer data;
};

//===----------------------------------------------------------------------===//
// Protobuf wire format
//===----------------------------------------------------------------------===//

enum WireType : unsigned {
  Varint = 0,
  Fixed64 = 1,
  LengthDelimited = 2,
  StartGroup = 3,
  EndGroup = 4,
  Fixed32 = 5
};

enum class ReadResult { Ok, Truncated, Overlong };

/// Reads wire-format values from a byte range.
class WireReader {
public:
  WireReader() = default;
  WireReader(const unsigned char *begin, const unsigned char *end)
      : begin(begin), pos(begin), end(end) {}

  bool atEnd() const { return pos == end; }
  size_t offset() const { return size_t(pos - begin); }
  const unsigned char *position() const { return pos; }
  size_t remaining() const { return size_t(end - pos); }

  ReadResult varint(uint64_t &value) {
    value = 0;
    for (unsigned shift = 0; shift < 70; shift += 7) {
      if (pos == end)
        return ReadResult::Truncated;
      unsigned char byte = *pos++;
      value |= uint64_t(byte & 0x7f) << shift;
      if (!(byte & 0x80))
        return ReadResult::Ok;
    }
    return ReadResult::Overlong;
  }

  /// Reads one Varint, Fixed32 or Fixed64 value into 64 bits.
  ReadResult scalar(unsigned wireType, uint64_t &value) {
    if (wireType == Varint)
      return varint(value);
    size_t size = wireType == Fixed32 ? 4 : 8;
    if (remaining() < size)
      return ReadResult::Truncated;
    value = 0;
    std::memcpy(&value, pos, size);
    pos += size;
    return ReadResult::Ok;
  }

  /// Reads a length-delimited value; `payload` reads its bytes.
  ReadResult lengthDelimited(WireReader &payload) {
    uint64_t length;
    ReadResult result = varint(length);
    if (result != ReadResult::Ok)
      return result;
    if (length > remaining())
      return ReadResult::Truncated;
    payload = WireReader(pos, pos + length);
    pos += length;
    return ReadResult::Ok;
  }

private:
  const unsigned char *begin = nullptr;
  const unsigned char *pos = nullptr;
  const unsigned char *end = nullptr;
};

/// Decodes a dense onnx.TensorProto; fields it does not need are skipped.
class TensorDecoder {
public:
  /// Decodes `bytes` into `tensor`; on failure, error() says why.
  bool decode(const std::string &bytes, Tensor &tensor);
  const std::string &error() const { return message; }

private:
  bool fail(std::string text) {
    message = std::move(text);
    return false;
  }
  bool check(ReadResult result, uint64_t field);
  bool wrongWireType(uint64_t field, unsigned wireType);
  bool readTag(WireReader &in, uint64_t &field, unsigned &wireType);
  bool readRepeated(WireReader &in, uint64_t field, unsigned wireType,
                    unsigned elementWireType, std::vector<uint64_t> &values);
  bool skip(WireReader &in, uint64_t field, unsigned wireType, unsigned depth);
  bool fill(Tensor &tensor);

  int32_t dataType = 0;
  // Repeated numeric fields, each value as the 64 bits it was read into.
  std::vector<uint64_t> dims, floatData, int32Data, int64Data, doubleData,
      uint64Data;
  bool hasRawData = false;
  WireReader rawData;
  std::string message;
};

bool TensorDecoder::check(ReadResult result, uint64_t field) {
  if (result == ReadResult::Truncated)
    return fail(format("truncated protobuf (field %llu runs past the end)",
                       static_cast<unsigned long long>(field)));
  if (result == ReadResult::Overlong)
    return fail(format("corrupt protobuf (field %llu holds a varint longer "
                       "than 10 bytes)",
                       static_cast<unsigned long long>(field)));
  return true;
}

bool TensorDecoder::wrongWireType(uint64_t field, unsigned wireType) {
  return fail(format("corrupt protobuf (field %llu has wire type %u)",
                     static_cast<unsigned long long>(field), wireType));
}

bool TensorDecoder::readTag(WireReader &in, uint64_t &field,
                            unsigned &wireType) {
  size_t offset = in.offset();
  uint64_t tag;
  ReadResult result = in.varint(tag);
  if (result == ReadResult::Truncated)
    return fail(format(
        "truncated protobuf (the tag at byte %zu runs past the end)", offset));
  if (result == ReadResult::Overlong)
    return fail(
        format("corrupt protobuf (the tag at byte %zu is longer than 10 bytes)",
               offset));
  field = tag >> 3;
  wireType = unsigned(tag & 7);
  constexpr uint64_t maxFieldNumber = (uint64_t(1) << 29) - 1;
  if (field == 0 || field > maxFieldNumber)
    return fail(format("corrupt protobuf (invalid field number %llu at byte "
                       "%zu)",
                       static_cast<unsigned long long>(field), offset));
  return true;
}

/// Reads a repeated scalar field, packed or one value at a time.
bool TensorDecoder::readRepeated(WireReader &in, uint64_t field,
                                 unsigned wireType, unsigned elementWireType,
                                 std::vector<uint64_t> &values) {
  uint64_t value;
  if (wireType == elementWireType) {
    if (!check(in.scalar(wireType, value), field))
      return false;
    values.push_back(value);
    return true;
  }
  if (wireType != LengthDelimited)
    return wrongWireType(field, wireType);
  WireReader packed;
  if (!check(in.lengthDelimited(packed), field))
    return false;
  while (!packed.atEnd()) {
    ReadResult result = packed.scalar(elementWireType, value);
    if (result == ReadResult::Truncated)
      return fail(format("corrupt protobuf (packed field %llu ends inside a "
                         "value)",
                         static_cast<unsigned long long>(field)));
    if (!check(result, field))
      return false;
    values.push_back(value);
  }
  return true;
}

/// Skips the value of a field the decoder does not use, groups included.
bool TensorDecoder::skip(WireReader &in, uint64_t field, unsigned wireType,
                         unsigned depth) {
  uint64_t value;
  WireReader payload;
  switch (wireType) {
  case Varint:
  case Fixed64:
  case Fixed32: return check(in.scalar(wireType, value), field);
  case LengthDelimited: return check(in.lengthDelimited(payload), field);
  case StartGroup: {
    constexpr unsigned maxGroupDepth = 64;
    if (depth == maxGroupDepth)
      return fail("corrupt protobuf (groups nested too deeply)");
    for (;;) {
      if (in.atEnd())
        return check(ReadResult::Truncated, field);
      uint64_t innerField;
      unsigned innerWireType;
      if (!readTag(in, innerField, innerWireType))
        return false;
      if (innerWireType == EndGroup)
        return innerField == field ||
               fail(format("corrupt protobuf (group %llu ends as group %llu)",
                           static_cast<unsigned long long>(field),
                           static_cast<unsigned long long>(innerField)));
      if (!skip(in, innerField, innerWireType, depth + 1))
        return false;
    }
  }
  default:
    // An EndGroup outside its group, or one of the undefined types 6 and 7.
    return wrongWireType(field, wireType);
  }
}

bool TensorDecoder::decode(const std::string &bytes, Tensor &tensor) {
  const auto *begin = reinterpret_cast<const unsigned char *>(bytes.data());
  WireReader in(begin, begin + bytes.size());
  while (!in.atEnd()) {
    uint64_t field;
    unsigned wireType;
    if (!readTag(in, field, wireType))
      return false;
    uint64_t value;
    WireReader payload;
    bool ok;
    switch (field) {
    case 1: // dims
      ok = readRepeated(in, field, wireType, Varint, dims);
      break;
    case 2: // data_type
      if (wireType != Varint)
        return wrongWireType(field, wireType);
      ok = check(in.varint(value), field);
      dataType = static_cast<int32_t>(value);
      break;
    case 4: // float_data
      ok = readRepeated(in, field, wireType, Fixed32, floatData);
      break;
    case 5: // int32_data
      ok = readRepeated(in, field, wireType, Varint, int32Data);
      break;
    case 6: // string_data
      return fail("string tensors are not supported");
    case 7: // int64_data
      ok = readRepeated(in, field, wireType, Varint, int64Data);
      break;
    case 8: // name
      if (wireType != LengthDelimited)
        return wrongWireType(field, wireType);
      ok = check(in.lengthDelimited(payload), field);
      if (ok)
        tensor.name.assign(reinterpret_cast<const char *>(payload.position()),
                           payload.remaining());
      break;
    case 9: // raw_data
      if (wireType != LengthDelimited)
        return wrongWireType(field, wireType);
      ok = check(in.lengthDelimited(rawData), field);
      hasRawData = true;
      break;
    case 10: // double_data
      ok = readRepeated(in, field, wireType, Fixed64, doubleData);
      break;
    case 11: // uint64_data
      ok = readRepeated(in, field, wireType, Varint, uint64Data);
      break;
    case 13: // external_data
      return fail("tensors with external data are not supported");
    case 14: // data_location
      if (wireType != Varint)
        return wrongWireType(field, wireType);
      ok = check(in.varint(value), field);
      if (ok && value == 1) // EXTERNAL
        return fail("tensors with external data are not supported");
      break;
    default: // segment, doc_string and fields newer than this decoder
      ok = skip(in, field, wireType, 0);
      break;
    }
    if (!ok)
      return false;
  }
  return fill(tensor);
}

/// The lowest and highest value int32_data may hold for a type stored there.
std::pair<int64_t, int64_t> int32DataRange(int32_t dataType) {
  switch (dataType) {
  case KILN_INT8: return {INT8_MIN, INT8_MAX};
  case KILN_UINT8: return {0, UINT8_MAX};
  case KILN_INT16: return {INT16_MIN, INT16_MAX};
  case KILN_BOOL: return {0, 1};
  case KILN_UINT16:
  case KILN_FLOAT16:
  case KILN_BFLOAT16: return {0, UINT16_MAX};
  default: return {INT32_MIN, INT32_MAX};
  }
}

/// The typed field that holds the values of a type without raw_data.
const char *typedField(int32_t dataType) {
  switch (dataType) {
  case KILN_FLOAT32: return "float_data";
  case KILN_FLOAT64: return "double_data";
  case KILN_INT64: return "int64_data";
  case KILN_UINT32:
  case KILN_UINT64: return "uint64_data";
  default: return "int32_data";
  }
}

/// Checks the decoded fields and converts the values into tensor.data.
bool TensorDecoder::fill(Tensor &tensor) {
  ElementType type = elementType(dataType);
  if (dataType == 0)
    return fail("the tensor has no data_type");
  if (type.size == 0)
    return fail(typeName(dataType) + " tensors are not supported");
  tensor.dataType = dataType;

  // The element count, checked against the size limit as it grows. Past the
  // limit `count` stops growing, so that a later zero dimension still makes
  // the tensor empty (and fine) without any overflow.
  uint64_t count = 1;
  bool tooLarge = false;
  for (uint64_t bits : dims) {
    int64_t dim = static_cast<int64_t>(bits);
    if (dim < 0)
      return fail(
          format("negative dimension %lld", static_cast<long long>(dim)));
    tensor.dims.push_back(dim);
    if (dim != 0 && count > maxTensorBytes / type.size / uint64_t(dim))
      tooLarge = true;
    else
      count *= uint64_t(dim);
  }
  std::string shape =
      describe(dataType, tensor.dims.data(), tensor.dims.size());
  if (tooLarge && count != 0)
    return fail(format("%s is too large (over 2^40 bytes)", shape.c_str()));
  size_t bytes = size_t(count) * type.size;

  const char *source = hasRawData ? "raw_data" : nullptr;
  const std::vector<uint64_t> *values = nullptr;
  const std::pair<const char *, const std::vector<uint64_t> *> typedFields[] = {
      {"float_data", &floatData},
      {"int32_data", &int32Data},
      {"int64_data", &int64Data},
      {"double_data", &doubleData},
      {"uint64_data", &uint64Data}};
  for (const auto &[name, fieldValues] : typedFields) {
    if (fieldValues->empty())
      continue;
    if (source)
      return fail(
          format("the tensor has values in both %s and %s", source, name));
    source = name;
    values = fieldValues;
  }

  tensor.data = Buffer(bytes);
  unsigned char *out = tensor.data.data();
  if (hasRawData) {
    if (rawData.remaining() != bytes)
      return fail(format("raw_data holds %zu bytes, but %s needs %zu",
                         rawData.remaining(), shape.c_str(), bytes));
    std::memcpy(out, rawData.position(), bytes);
    return true;
  }
  if (!values) {
    if (count == 0)
      return true;
    return fail(format("the tensor holds no values, but %s needs %llu",
                       shape.c_str(), static_cast<unsigned long long>(count)));
  }
  const char *expectedField = typedField(dataType);
  if (std::strcmp(source, expectedField) != 0)
    return fail(format("%s values belong in %s, not %s", type.name,
                       expectedField, source));
  if (values->size() != count)
    return fail(format("%s holds %zu values, but %s needs %llu", source,
                       values->size(), shape.c_str(),
                       static_cast<unsigned long long>(count)));

  auto [low, high] = int32DataRange(dataType);
  for (size_t i = 0; i < count; ++i) {
    uint64_t bits = (*values)[i];
    if (values == &int32Data) {
      int64_t value = static_cast<int32_t>(bits);
      if (value < low || value > high)
        return fail(format("int32_data value %lld is out of range for %s",
                           static_cast<long long>(value), type.name));
    } else if (dataType == KILN_UINT32 && bits > UINT32_MAX) {
      return fail(format("uint64_data value %llu is out of range for uint32",
                         static_cast<unsigned long long>(bits)));
    }
    // Every value sits in the low bytes of `bits`, as the type lays it out.
    std::memcpy(out + i * type.size, &bits, type.size);
  }
  return true;
}

void appendVarint(std::string &out, uint64_t value) {
  for (; value >= 0x80; value >>= 7)
    out += static_cast<char>(value | 0x80);
  out += static_cast<char>(value);
}

void appendTag(std::string &out, unsigned field, WireType wireType) {
  appendVarint(out, uint64_t(field) << 3 | wireType);
}

/// Encodes an output as an onnx.TensorProto: dims, data_type, name, raw_data.
std::string encodeTensor(const kiln_tensor_info &info, const Buffer &data) {
  std::string out;
  for (int32_t d = 0; d < info.rank; ++d) {
    appendTag(out, 1, Varint);
    appendVarint(out, static_cast<uint64_t>(info.shape[d]));
  }
  appendTag(out, 2, Varint);
  appendVarint(out, static_cast<uint64_t>(info.dtype));
  size_t nameSize = std::strlen(info.name);
  appendTag(out, 8, LengthDelimited);
  appendVarint(out, nameSize);
  out.append(info.name, nameSize);
  appendTag(out, 9, LengthDelimited);
  appendVarint(out, info.size_bytes);
  out.append(reinterpret_cast<const char *>(data.data()), info.size_bytes);
  return out;
}

//===----------------------------------------------------------------------===//
// Files
//===----------------------------------------------------------------------===//

/// Reads a whole file; on failure `error` is strerror's text.
bool readFile(const std::string &path, std::string &contents,
              std::string &error) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    error = std::strerror(errno);
    return false;
  }
  struct stat info;
  if (fstat(fd, &info) == 0 && S_ISREG(info.st_mode))
    contents.reserve(size_t(info.st_size));
  char chunk[1 << 16];
  for (;;) {
    ssize_t count = read(fd, chunk, sizeof chunk);
    if (count == 0)
      break;
    if (count < 0) {
      if (errno == EINTR)
        continue;
      error = std::strerror(errno);
      close(fd);
      return false;
    }
    contents.append(chunk, size_t(count));
  }
  close(fd);
  return true;
}

/// Creates `path` and its missing parents, like mkdir -p.
bool makeDirectories(const std::string &path, std::string &error) {
  for (size_t end = path.find('/', 1);; end = path.find('/', end + 1)) {
    std::string prefix = path.substr(0, end);
    if (mkdir(prefix.c_str(), 0777) != 0 && errno != EEXIST) {
      error = format("cannot create '%s': %s", prefix.c_str(),
                     std::strerror(errno));
      return false;
    }
    if (end == std::string::npos)
      break;
  }
  struct stat info;
  if (stat(path.c_str(), &info) != 0 || !S_ISDIR(info.st_mode)) {
    error =
        format("cannot create '%s': %s", path.c_str(), std::strerror(ENOTDIR));
    return false;
  }
  return true;
}

/// Writes a temporary file beside `path` and renames it to `path`, so that
/// readers never see a partial file.
bool writeFileAtomically(const std::string &path, const std::string &contents,
                         std::string &error) {
  std::string temporary = format("%s.tmp%ld", path.c_str(), long(getpid()));
  int fd =
      open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  bool ok = fd >= 0;
  for (size_t written = 0; ok && written < contents.size();) {
    ssize_t count =
        write(fd, contents.data() + written, contents.size() - written);
    if (count >= 0)
      written += size_t(count);
    else
      ok = errno == EINTR;
  }
  int savedErrno = errno;
  if (fd >= 0 && close(fd) != 0 && ok) {
    ok = false;
    savedErrno = errno;
  }
  if (ok && rename(temporary.c_str(), path.c_str()) != 0) {
    ok = false;
    savedErrno = errno;
  }
  if (!ok) {
    if (fd >= 0)
      unlink(temporary.c_str());
    error = format("cannot write '%s': %s", path.c_str(),
                   std::strerror(savedErrno));
  }
  return ok;
}

//===----------------------------------------------------------------------===//
// The model
//===----------------------------------------------------------------------===//

const char *statusName(kiln_status status) {
  switch (status) {
  case KILN_OK: return "KILN_OK";
  case KILN_ERROR_INVALID_ARGUMENT: return "KILN_ERROR_INVALID_ARGUMENT";
  case KILN_ERROR_OUT_OF_MEMORY: return "KILN_ERROR_OUT_OF_MEMORY";
  case KILN_ERROR_IO: return "KILN_ERROR_IO";
  case KILN_ERROR_INTERNAL: return "KILN_ERROR_INTERNAL";
  }
  return "an unknown status";
}

/// Checks that a tensor's description is consistent, as kiln-run sizes its
/// buffers from it; otherwise says what is wrong.
bool checkTensorInfo(const kiln_tensor_info &info, std::string &problem) {
  if (!info.name) {
    problem = "has no name";
    return false;
  }
  ElementType type = elementType(info.dtype);
  if (type.size == 0) {
    problem =
        format("has the unsupported type %s", typeName(info.dtype).c_str());
    return false;
  }
  if (info.rank < 0 || (info.rank > 0 && !info.shape)) {
    problem = format("has an invalid rank (%d) or no shape", info.rank);
    return false;
  }
  uint64_t count = 1;
  for (int32_t d = 0; d < info.rank; ++d) {
    int64_t dim = info.shape[d];
    if (dim < 0 ||
        (dim != 0 && count > maxTensorBytes / type.size / uint64_t(dim))) {
      problem = format("has an invalid shape %s", describe(info).c_str());
      return false;
    }
    count *= uint64_t(dim);
  }
  if (count != info.num_elements || count * type.size != info.size_bytes) {
    problem =
        format("is %s, but claims %zu elements in %zu bytes",
               describe(info).c_str(), info.num_elements, info.size_bytes);
    return false;
  }
  return true;
}

bool checkModel(const kiln_model &model, std::string &problem) {
  if (model.abi_version != KILN_ABI_VERSION) {
    problem = format("its model reports ABI version %u, not %u",
                     model.abi_version, KILN_ABI_VERSION);
    return false;
  }
  if (!model.name || !model.create || !model.destroy || !model.run ||
      !model.error_message || (model.num_inputs && !model.inputs) ||
      (model.num_outputs && !model.outputs)) {
    problem = "its model lacks a name, a function or its tensors";
    return false;
  }
  for (const auto &[kind, infos, count] :
       {std::make_tuple("input", model.inputs, model.num_inputs),
        std::make_tuple("output", model.outputs, model.num_outputs)}) {
    for (size_t i = 0; i < count; ++i) {
      std::string tensorProblem;
      if (!checkTensorInfo(infos[i], tensorProblem)) {
        problem = format("its %s %zu %s", kind, i, tensorProblem.c_str());
        return false;
      }
    }
  }
  return true;
}

/// Loads LIB and returns its model, or null with `error` set.
const kiln_model *loadModel(const std::string &path, std::string &error) {
  // dlopen searches the library path for names without a slash.
  std::string openPath =
      path.find('/') == std::string::npos ? "./" + path : path;
  void *handle = dlopen(openPath.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    const char *reason = dlerror();
    error = format("cannot load '%s': %s", path.c_str(),
                   reason ? reason : "unknown error");
    return nullptr;
  }
  using GetModel = const kiln_model *(*)(uint32_t);
  auto getModel = reinterpret_cast<GetModel>(dlsym(handle, "kiln_get_model"));
  const kiln_model *model = getModel ? getModel(KILN_ABI_VERSION) : nullptr;
  std::string problem;
  if (!getModel)
    error = format("'%s' is not a Kiln library (it does not export "
                   "kiln_get_model)",
                   path.c_str());
  else if (!model)
    error = format("'%s' was built for another version of the Kiln ABI "
                   "(kiln-run uses version %u)",
                   path.c_str(), KILN_ABI_VERSION);
  else if (!checkModel(*model, problem))
    error = format("'%s' is not a valid Kiln library: %s", path.c_str(),
                   problem.c_str());
  else
    return model;
  dlclose(handle);
  return nullptr;
}

struct ContextDeleter {
  const kiln_model *model;
  void operator()(kiln_context *context) const { model->destroy(context); }
};
using ContextPtr = std::unique_ptr<kiln_context, ContextDeleter>;

//===----------------------------------------------------------------------===//
// Data sets
//===----------------------------------------------------------------------===//

struct Options {
  std::string library;
  std::vector<std::string> dataSets;
  double rtol = 1e-3;
  double atol = 1e-7;
  std::string saveDir;
  uint64_t benchRuns = 0;
  int32_t threads = 0;
  std::string weightsPath;
  bool hasWeightsPath = false;
  bool help = false;
};

/// "the model 'fake' has 2 inputs: x float32[2,3], y int64[2]"
std::string signature(const kiln_model &model, const char *kind,
                      const kiln_tensor_info *infos, size_t count) {
  std::string text =
      format("the model '%s' has %zu %ss", model.name, count, kind);
  for (size_t i = 0; i < count; ++i)
    text += format("%s%s %s", i ? ", " : ": ", infos[i].name,
                   describe(infos[i]).c_str());
  return text;
}

/// Reads the KIND_0.pb, KIND_1.pb, ... files of a data set ("input" or
/// "output") into `tensors`, in the model's order: by name when the files'
/// names are exactly the model's names, else by position. Their count, types
/// and shapes must be the model's. With `optional`, a data set without such
/// files gives no tensors.
bool loadTensors(const std::string &dir, const char *kind,
                 const kiln_model &model, const kiln_tensor_info *infos,
                 size_t count, bool optional, std::vector<Tensor> &tensors,
                 std::string &error) {
  std::vector<std::string> paths;
  int missingErrno = ENOENT;
  for (;;) {
    std::string path = joinPath(dir, format("%s_%zu.pb", kind, paths.size()));
    struct stat info;
    if (stat(path.c_str(), &info) != 0) {
      missingErrno = errno;
      break;
    }
    paths.push_back(std::move(path));
  }
  if (paths.empty() && optional)
    return true;
  if (paths.size() < count) {
    error =
        format("%s: %s (%s)",
               joinPath(dir, format("%s_%zu.pb", kind, paths.size())).c_str(),
               std::strerror(missingErrno),
               signature(model, kind, infos, count).c_str());
    return false;
  }
  if (paths.size() > count) {
    error = format("%s: has %zu %s files, but %s", dir.c_str(), paths.size(),
                   kind, signature(model, kind, infos, count).c_str());
    return false;
  }

  std::vector<Tensor> files(count);
  for (size_t i = 0; i < count; ++i) {
    std::string bytes, reason;
    if (!readFile(paths[i], bytes, reason)) {
      error = paths[i] + ": " + reason;
      return false;
    }
    TensorDecoder decoder;
    if (!decoder.decode(bytes, files[i])) {
      error = paths[i] + ": " + decoder.error();
      return false;
    }
  }

  // order[m]: the file of model tensor m.
  std::vector<size_t> order(count, count);
  for (size_t file = 0; file < count; ++file) {
    for (size_t m = 0; m < count; ++m) {
      if (order[m] == count && files[file].name == infos[m].name) {
        order[m] = file;
        break;
      }
    }
  }
  if (std::find(order.begin(), order.end(), count) != order.end())
    std::iota(order.begin(), order.end(), size_t(0));

  for (size_t m = 0; m < count; ++m) {
    Tensor &tensor = files[order[m]];
    const kiln_tensor_info &info = infos[m];
    // ONNX's own test data (up to 1.12) stores bfloat16 tensors as uint16
    // bit patterns.
    if (tensor.dataType == KILN_UINT16 && info.dtype == KILN_BFLOAT16)
      tensor.dataType = KILN_BFLOAT16;
    if (tensor.dataType != info.dtype ||
        !std::equal(tensor.dims.begin(), tensor.dims.end(), info.shape,
                    info.shape + info.rank)) {
      error = format(
          "%s: %s '%s': expected %s, got %s", paths[order[m]].c_str(), kind,
          info.name, describe(info).c_str(),
          describe(tensor.dataType, tensor.dims.data(), tensor.dims.size())
              .c_str());
      return false;
    }
    tensors.push_back(std::move(tensor));
  }
  return true;
}

template <typename T> T load(const unsigned char *data, size_t index) {
  T value;
  std::memcpy(&value, data + index * sizeof(T), sizeof(T));
  return value;
}

double halfToDouble(uint16_t bits) {
  int exponent = (bits >> 10) & 0x1f;
  int mantissa = bits & 0x3ff;
  double magnitude;
  if (exponent == 0)
    magnitude = std::ldexp(mantissa, -24);
  else if (exponent == 0x1f)
    magnitude = mantissa ? NAN : INFINITY;
  else
    magnitude = std::ldexp(mantissa + 0x400, exponent - 25);
  return bits & 0x8000 ? -magnitude : magnitude;
}

int64_t loadSigned(const unsigned char *data, size_t size, size_t index) {
  switch (size) {
  case 1: return load<int8_t>(data, index);
  case 2: return load<int16_t>(data, index);
  case 4: return load<int32_t>(data, index);
  default: return load<int64_t>(data, index);
  }
}

uint64_t loadUnsigned(const unsigned char *data, size_t size, size_t index) {
  switch (size) {
  case 1: return load<uint8_t>(data, index);
  case 2: return load<uint16_t>(data, index);
  case 4: return load<uint32_t>(data, index);
  default: return load<uint64_t>(data, index);
  }
}

double loadDouble(int32_t dataType, const unsigned char *data, size_t index) {
  ElementType type = elementType(dataType);
  switch (dataType) {
  case KILN_FLOAT32: return load<float>(data, index);
  case KILN_FLOAT64: return load<double>(data, index);
  case KILN_FLOAT16: return halfToDouble(load<uint16_t>(data, index));
  case KILN_BFLOAT16: {
    uint32_t bits = uint32_t(load<uint16_t>(data, index)) << 16;
    float value;
    std::memcpy(&value, &bits, sizeof value);
    return value;
  }
  }
  if (type.kind == ValueKind::Signed)
    return double(loadSigned(data, type.size, index));
  return double(loadUnsigned(data, type.size, index));
}

std::string formatElement(int32_t dataType, const unsigned char *data,
                          size_t index) {
  ElementType type = elementType(dataType);
  switch (type.kind) {
  case ValueKind::Float:
    return format(dataType == KILN_FLOAT64 ? "%.17g" : "%.9g",
                  loadDouble(dataType, data, index));
  case ValueKind::Signed:
    return format("%lld",
                  static_cast<long long>(loadSigned(data, type.size, index)));
  case ValueKind::Unsigned:
    return format("%llu", static_cast<unsigned long long>(
                              loadUnsigned(data, type.size, index)));
  }
  return "";
}

/// "[1,2]": the multi-dimensional index of a flat one.
std::string unravel(const kiln_tensor_info &info, size_t flat) {
  std::vector<int64_t> index(size_t(info.rank));
  for (int32_t d = info.rank - 1; d >= 0; --d) {
    index[size_t(d)] = int64_t(flat % uint64_t(info.shape[d]));
    flat /= uint64_t(info.shape[d]);
  }
  std::string text = "[";
  for (size_t d = 0; d < index.size(); ++d)
    text += format(d ? ",%lld" : "%lld", static_cast<long long>(index[d]));
  return text + "]";
}

struct ElementError {
  double absError;
  size_t index;
};

struct Comparison {
  size_t mismatches = 0;
  double maxAbsError = 0;
  double maxRelError = 0;
  /// The mismatched elements with the largest errors, largest first.
  std::vector<ElementError> largest;
};

Comparison compare(const kiln_tensor_info &info, const unsigned char *actual,
                   const unsigned char *expected, const Options &options) {
  Comparison result;
  ElementType type = elementType(info.dtype);
  for (size_t i = 0; i < info.num_elements; ++i) {
    double want = loadDouble(info.dtype, expected, i);
    double got = loadDouble(info.dtype, actual, i);
    double absError;
    bool match;
    if (type.kind != ValueKind::Float) {
      match = std::memcmp(actual + i * type.size, expected + i * type.size,
                          type.size) == 0;
      absError = std::fabs(got - want);
    } else if (std::isnan(got) || std::isnan(want)) {
      match = std::isnan(got) && std::isnan(want);
      absError = match ? 0 : INFINITY;
    } else if (std::isinf(got) || std::isinf(want)) {
      match = got == want;
      absError = match ? 0 : INFINITY;
    } else {
      absError = std::fabs(got - want);
      match = absError <= options.atol + options.rtol * std::fabs(want);
    }
    double relError = absError == 0 ? 0
                      : want == 0   ? INFINITY
                                    : absError / std::fabs(want);
    result.maxAbsError = std::max(result.maxAbsError, absError);
    result.maxRelError = std::max(result.maxRelError, relError);
    if (match)
      continue;
    ++result.mismatches;
    std::vector<ElementError> &largest = result.largest;
    if (largest.size() == maxReportedErrors &&
        absError <= largest.back().absError)
      continue;
    auto position =
        std::upper_bound(largest.begin(), largest.end(), absError,
                         [](double error, const ElementError &other) {
                           return error > other.absError;
                         });
    largest.insert(position, {absError, i});
    if (largest.size() > maxReportedErrors)
      largest.pop_back();
  }
  return result;
}

/// Compares an output with its reference and prints the verdict.
bool checkOutput(const std::string &dir, const kiln_tensor_info &info,
                 const Buffer &actual, const Tensor &expected,
                 const Options &options) {
  Comparison result =
      compare(info, actual.data(), expected.data.data(), options);
  std::string head = format("%s: output '%s' %s", dir.c_str(), info.name,
                            describe(info).c_str());
  bool isFloat = elementType(info.dtype).kind == ValueKind::Float;
  if (result.mismatches == 0) {
    if (isFloat)
      std::printf("%s: ok (max abs err %.2g, max rel err %.2g)\n", head.c_str(),
                  result.maxAbsError, result.maxRelError);
    else
      std::printf("%s: ok (exact)\n", head.c_str());
    return true;
  }
  std::printf("%s: MISMATCH: %zu of %zu elements differ (max abs err %.2g, "
              "max rel err %.2g)\n",
              head.c_str(), result.mismatches, info.num_elements,
              result.maxAbsError, result.maxRelError);
  for (const ElementError &error : result.largest)
    std::printf(
        "  element %zu %s: expected %s, actual %s, abs err %.3g\n", error.index,
        unravel(info, error.index).c_str(),
        formatElement(info.dtype, expected.data.data(), error.index).c_str(),
        formatElement(info.dtype, actual.data(), error.index).c_str(),
        error.absError);
  return false;
}

struct Totals {
  size_t matched = 0;
  size_t mismatched = 0;
};

/// Runs the model on one data set, saves and checks its outputs and
/// benchmarks it as the options ask. False after reporting an error.
bool runDataSet(const std::string &dir, const std::string &saveDir,
                const kiln_model &model, kiln_context *context,
                const Options &options, Totals &totals) {
  std::string error;
  struct stat dirInfo;
  int dirErrno = stat(dir.c_str(), &dirInfo) != 0 ? errno
                 : S_ISDIR(dirInfo.st_mode)       ? 0
                                                  : ENOTDIR;
  if (dirErrno != 0) {
    reportError(dir + ": " + std::strerror(dirErrno));
    return false;
  }
  std::vector<Tensor> inputs, references;
  if (!loadTensors(dir, "input", model, model.inputs, model.num_inputs,
                   /*optional=*/false, inputs, error) ||
      !loadTensors(dir, "output", model, model.outputs, model.num_outputs,
                   /*optional=*/true, references, error)) {
    reportError(error);
    return false;
  }

  std::vector<const void *> inputData;
  std::vector<size_t> inputSizes;
  for (size_t i = 0; i < model.num_inputs; ++i) {
    inputData.push_back(inputs[i].data.data());
    inputSizes.push_back(model.inputs[i].size_bytes);
  }
  std::vector<Buffer> outputs;
  outputs.reserve(model.num_outputs);
  std::vector<void *> outputData;
  std::vector<size_t> outputSizes;
  for (size_t i = 0; i < model.num_outputs; ++i) {
    outputs.emplace_back(model.outputs[i].size_bytes);
    // All ones (NaN, -1, true) make an output the model never writes visible.
    std::memset(outputs.back().data(), 0xff, model.outputs[i].size_bytes);
    outputData.push_back(outputs.back().data());
    outputSizes.push_back(model.outputs[i].size_bytes);
  }
  auto run = [&]() {
    kiln_status status = model.run(context, inputData.data(), inputSizes.data(),
                                   outputData.data(), outputSizes.data());
    if (status == KILN_OK)
      return true;
    const char *message = model.error_message(context);
    reportError(format("run failed: %s",
                       message && *message ? message : statusName(status)));
    return false;
  };
  if (!run())
    return false;

  if (!saveDir.empty()) {
    if (!makeDirectories(saveDir, error)) {
      reportError(error);
      return false;
    }
    for (size_t i = 0; i < model.num_outputs; ++i) {
      std::string path = joinPath(saveDir, format("output_%zu.pb", i));
      if (!writeFileAtomically(path, encodeTensor(model.outputs[i], outputs[i]),
                               error)) {
        reportError(error);
        return false;
      }
    }
    std::printf("%s: saved %zu outputs to %s\n", dir.c_str(), model.num_outputs,
                saveDir.c_str());
  }

  if (references.empty())
    std::printf("%s: no reference outputs\n", dir.c_str());
  for (size_t i = 0; i < references.size(); ++i) {
    if (checkOutput(dir, model.outputs[i], outputs[i], references[i], options))
      ++totals.matched;
    else
      ++totals.mismatched;
  }

  if (options.benchRuns == 0)
    return true;
  std::vector<double> milliseconds;
  for (uint64_t i = 0; i < options.benchRuns; ++i) {
    auto start = std::chrono::steady_clock::now();
    if (!run())
      return false;
    std::chrono::duration<double, std::milli> elapsed =
        std::chrono::steady_clock::now() - start;
    milliseconds.push_back(elapsed.count());
  }
  std::sort(milliseconds.begin(), milliseconds.end());
  size_t middle = milliseconds.size() / 2;
  double median = milliseconds.size() % 2
                      ? milliseconds[middle]
                      : (milliseconds[middle - 1] + milliseconds[middle]) / 2;
  std::printf("bench: %llu runs, median %.3f ms, min %.3f ms (threads %d)\n",
              static_cast<unsigned long long>(options.benchRuns), median,
              milliseconds.front(), options.threads);
  return true;
}

//===----------------------------------------------------------------------===//
// Command line
//===----------------------------------------------------------------------===//

bool parseTolerance(const std::string &text, double &value) {
  char *end;
  errno = 0;
  value = std::strtod(text.c_str(), &end);
  return !text.empty() && *end == '\0' && errno == 0 && std::isfinite(value) &&
         value >= 0;
}

bool parseInteger(const std::string &text, long long low, long long high,
                  long long &value) {
  char *end;
  errno = 0;
  value = std::strtoll(text.c_str(), &end, 10);
  return !text.empty() && *end == '\0' && errno == 0 && value >= low &&
         value <= high;
}

bool parseArguments(int argc, char **argv, Options &options,
                    std::string &error) {
  std::vector<std::string> positional;
  bool optionsEnded = false;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (optionsEnded || arg.size() < 2 || arg[0] != '-') {
      positional.push_back(arg);
      continue;
    }
    if (arg == "--") {
      optionsEnded = true;
      continue;
    }
    if (arg == "--help" || arg == "-h") {
      options.help = true;
      return true;
    }
    std::string name = arg, value;
    size_t equals = arg.find('=');
    bool hasValue = arg.compare(0, 2, "--") == 0 && equals != std::string::npos;
    if (hasValue) {
      name = arg.substr(0, equals);
      value = arg.substr(equals + 1);
    }
    if (name != "--rtol" && name != "--atol" && name != "--save-outputs" &&
        name != "--bench" && name != "--threads" && name != "--weights") {
      error = format("unknown option '%s'", arg.c_str());
      return false;
    }
    if (!hasValue) {
      if (i + 1 == argc) {
        error = format("%s needs a value", name.c_str());
        return false;
      }
      value = argv[++i];
    }
    long long integer;
    if (name == "--rtol" || name == "--atol") {
      double &tolerance = name == "--rtol" ? options.rtol : options.atol;
      if (!parseTolerance(value, tolerance)) {
        error = format("%s needs a number >= 0, got '%s'", name.c_str(),
                       value.c_str());
        return false;
      }
    } else if (name == "--bench") {
      if (!parseInteger(value, 1, maxBenchRuns, integer)) {
        error = format("--bench needs a count of runs from 1 to %llu, got "
                       "'%s'",
                       static_cast<unsigned long long>(maxBenchRuns),
                       value.c_str());
        return false;
      }
      options.benchRuns = uint64_t(integer);
    } else if (name == "--threads") {
      // The library judges the value; a negative one makes create fail.
      if (!parseInteger(value, INT32_MIN, INT32_MAX, integer)) {
        error = format("--threads needs an integer, got '%s'", value.c_str());
        return false;
      }
      options.threads = int32_t(integer);
    } else if (value.empty()) {
      error = format("%s needs a non-empty path", name.c_str());
      return false;
    } else if (name == "--save-outputs") {
      options.saveDir = value;
    } else {
      options.weightsPath = value;
      options.hasWeightsPath = true;
    }
  }
  if (positional.size() < 2) {
    error =
        positional.empty() ? "no library given" : "no data set directory given";
    return false;
  }
  options.library = positional.front();
  options.dataSets.assign(positional.begin() + 1, positional.end());
  return true;
}

/// The directory each data set's outputs are saved into: OUT itself for one
/// data set, OUT/<directory name> for several. False with `error` set when
/// two data sets would share one.
bool saveDirectories(const Options &options, std::vector<std::string> &dirs,
                     std::string &error) {
  if (options.saveDir.empty() || options.dataSets.size() == 1) {
    dirs.assign(options.dataSets.size(), options.saveDir);
    return true;
  }
  for (const std::string &dataSet : options.dataSets) {
    char resolved[PATH_MAX];
    if (!realpath(dataSet.c_str(), resolved)) {
      error = dataSet + ": " + std::strerror(errno);
      return false;
    }
    const char *slash = std::strrchr(resolved, '/');
    std::string dir = joinPath(options.saveDir, slash ? slash + 1 : resolved);
    auto previous = std::find(dirs.begin(), dirs.end(), dir);
    if (previous != dirs.end()) {
      error = format("the data sets '%s' and '%s' would both save into '%s'",
                     options.dataSets[size_t(previous - dirs.begin())].c_str(),
                     dataSet.c_str(), dir.c_str());
      return false;
    }
    dirs.push_back(std::move(dir));
  }
  return true;
}

int runTool(int argc, char **argv) {
  Options options;
  std::string error;
  if (!parseArguments(argc, argv, options, error)) {
    reportError(error);
    std::fprintf(stderr, "usage: kiln-run LIB.so DIR... [options] (see "
                         "kiln-run --help)\n");
    return usageExitCode;
  }
  if (options.help) {
    std::fputs(usageText, stdout);
    return 0;
  }
  std::vector<std::string> saveDirs;
  if (!saveDirectories(options, saveDirs, error)) {
    reportError(error);
    return 1;
  }

  const kiln_model *model = loadModel(options.library, error);
  if (!model) {
    reportError(error);
    return 1;
  }
  char createError[1024] = "";
  kiln_options createOptions{};
  createOptions.struct_size = sizeof createOptions;
  createOptions.num_threads = options.threads;
  createOptions.weights_path =
      options.hasWeightsPath ? options.weightsPath.c_str() : nullptr;
  createOptions.error_buffer = createError;
  createOptions.error_buffer_size = sizeof createError;
  kiln_context *rawContext = nullptr;
  kiln_status status = model->create(&createOptions, &rawContext);
  ContextPtr context(rawContext, ContextDeleter{model});
  if (status != KILN_OK || !context) {
    reportError(format("cannot create a context for the model '%s': %s",
                       model->name,
                       createError[0] ? createError : statusName(status)));
    return 1;
  }

  Totals totals;
  for (size_t i = 0; i < options.dataSets.size(); ++i)
    if (!runDataSet(options.dataSets[i], saveDirs[i], *model, context.get(),
                    options, totals))
      return 1;
  std::printf("%zu outputs matched, %zu mismatched\n", totals.matched,
              totals.mismatched);
  return totals.mismatched == 0 ? 0 : 1;
}

} // namespace

int main(int argc, char **argv) {
  try {
    return runTool(argc, argv);
  } catch (const std::bad_alloc &) {
    reportError("out of memory");
    return 1;
  }
}

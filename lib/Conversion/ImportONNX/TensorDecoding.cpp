//===- TensorDecoding.cpp - ONNX TensorProto to HostTensor ---------------===//
//
// Decodes initializers and Constant values: raw little-endian bytes, the
// typed repeated fields or external data, in every element type a YOLO
// export uses (floats become f32, integers int64). The data is checked
// against the declared shape before anything is allocated.
//
//===----------------------------------------------------------------------===//

#include "ImporterImpl.h"

#include <cstring>

using namespace mlir;
using namespace mlir::yolo;
using namespace mlir::yolo::onnx_import;

namespace {

float halfToFloat(uint16_t h) {
  uint32_t sign = (h & 0x8000u) << 16, exp = (h >> 10) & 0x1f, man = h & 0x3ff;
  uint32_t bits;
  if (exp == 0) {
    if (man == 0) {
      bits = sign;
    } else { // subnormal: normalize
      exp = 127 - 15 + 1;
      while (!(man & 0x400)) {
        man <<= 1;
        --exp;
      }
      man &= 0x3ff;
      bits = sign | (exp << 23) | (man << 13);
    }
  } else if (exp == 0x1f) {
    bits = sign | 0x7f800000u | (man << 13);
  } else {
    bits = sign | ((exp + 127 - 15) << 23) | (man << 13);
  }
  float f;
  std::memcpy(&f, &bits, sizeof f);
  return f;
}

float bf16ToFloat(uint16_t h) {
  uint32_t bits = uint32_t(h) << 16;
  float f;
  std::memcpy(&f, &bits, sizeof f);
  return f;
}

} // namespace

FailureOr<HostTensor> Importer::convertTensor(const onnx::TensorProto &t,
                                              StringRef what) {
  SmallVector<int64_t> shape(t.dims().begin(), t.dims().end());
  if (shape.size() > kMaxRank) {
    (void)fail(what + " '" + t.name() + "' has rank " + Twine(shape.size()) +
               "; at most " + Twine(kMaxRank) + " dimensions are supported");
    return failure();
  }
  int64_t numel = 1;
  for (int64_t d : shape) {
    if (d < 0 || (d > 0 && numel > kMaxElements / d)) {
      (void)fail(what + " '" + t.name() + "' has invalid dimensions " +
                 shapeStr(shape));
      return failure();
    }
    numel *= d;
  }
  const std::string *raw = nullptr;
  std::string external;
  if (t.data_location() == onnx::TensorProto::EXTERNAL) {
    auto data = readExternal(t);
    if (failed(data))
      return failure();
    external = std::move(*data);
    raw = &external;
  } else if (t.has_raw_data()) {
    raw = &t.raw_data();
  }
  auto checkCount = [&](int64_t have) -> LogicalResult {
    if (have != numel)
      return fail(what + " '" + t.name() + "' holds " + Twine(have) +
                  " values but its shape " + shapeStr(shape) + " needs " +
                  Twine(numel));
    return success();
  };
  auto rawElems = [&](size_t elemSize) -> LogicalResult {
    if (raw->size() != static_cast<size_t>(numel) * elemSize)
      return fail(what + " '" + t.name() + "' has " + Twine(raw->size()) +
                  " bytes of data but its shape " + shapeStr(shape) +
                  " needs " + Twine(numel * elemSize));
    return success();
  };
  switch (t.data_type()) {
  case onnx::TensorProto::FLOAT: {
    // Check the data against the shape before allocating: a few bytes of
    // file can declare a 16 GiB tensor.
    if (failed(raw ? rawElems(4) : checkCount(t.float_data_size())))
      return failure();
    std::vector<float> d(numel);
    if (raw) {
      if (numel) // memcpy's pointers must be valid even for 0 bytes.
        std::memcpy(d.data(), raw->data(), numel * 4);
    } else {
      std::copy(t.float_data().begin(), t.float_data().end(), d.begin());
    }
    return HostTensor::floats(shape, std::move(d));
  }
  case onnx::TensorProto::FLOAT16:
  case onnx::TensorProto::BFLOAT16: {
    bool isHalf = t.data_type() == onnx::TensorProto::FLOAT16;
    if (failed(raw ? rawElems(2) : checkCount(t.int32_data_size())))
      return failure();
    std::vector<float> d(numel);
    if (raw) {
      for (int64_t k = 0; k < numel; ++k) {
        uint16_t h;
        std::memcpy(&h, raw->data() + 2 * k, 2);
        d[k] = isHalf ? halfToFloat(h) : bf16ToFloat(h);
      }
    } else {
      for (int64_t k = 0; k < numel; ++k) {
        uint16_t h = static_cast<uint16_t>(t.int32_data(k));
        d[k] = isHalf ? halfToFloat(h) : bf16ToFloat(h);
      }
    }
    return HostTensor::floats(shape, std::move(d));
  }
  case onnx::TensorProto::DOUBLE: {
    if (failed(raw ? rawElems(8) : checkCount(t.double_data_size())))
      return failure();
    std::vector<float> d(numel);
    if (raw) {
      for (int64_t k = 0; k < numel; ++k) {
        double v;
        std::memcpy(&v, raw->data() + 8 * k, 8);
        d[k] = static_cast<float>(v);
      }
    } else {
      for (int64_t k = 0; k < numel; ++k)
        d[k] = static_cast<float>(t.double_data(k));
    }
    return HostTensor::floats(shape, std::move(d));
  }
  case onnx::TensorProto::INT64:
  case onnx::TensorProto::INT32:
  case onnx::TensorProto::INT16:
  case onnx::TensorProto::INT8:
  case onnx::TensorProto::UINT8:
  case onnx::TensorProto::BOOL: {
    if (numel > options.maxHostElements) {
      (void)fail(what + " '" + t.name() + "' is an integer tensor of " +
                 Twine(numel) +
                 " elements; integer tensors are only "
                 "supported for shape computations");
      return failure();
    }
    bool isBool = t.data_type() == onnx::TensorProto::BOOL;
    std::vector<int64_t> d(numel);
    if (raw) {
      size_t size = t.data_type() == onnx::TensorProto::INT64   ? 8
                    : t.data_type() == onnx::TensorProto::INT32 ? 4
                    : t.data_type() == onnx::TensorProto::INT16 ? 2
                                                                : 1;
      if (failed(rawElems(size)))
        return failure();
      for (int64_t k = 0; k < numel; ++k) {
        const char *p = raw->data() + size * k;
        switch (t.data_type()) {
        case onnx::TensorProto::INT64: {
          int64_t v;
          std::memcpy(&v, p, 8);
          d[k] = v;
          break;
        }
        case onnx::TensorProto::INT32: {
          int32_t v;
          std::memcpy(&v, p, 4);
          d[k] = v;
          break;
        }
        case onnx::TensorProto::INT16: {
          int16_t v;
          std::memcpy(&v, p, 2);
          d[k] = v;
          break;
        }
        case onnx::TensorProto::INT8:
          d[k] = static_cast<int8_t>(*p);
          break;
        default:
          d[k] = static_cast<uint8_t>(*p);
        }
      }
    } else if (t.data_type() == onnx::TensorProto::INT64) {
      if (failed(checkCount(t.int64_data_size())))
        return failure();
      std::copy(t.int64_data().begin(), t.int64_data().end(), d.begin());
    } else {
      if (failed(checkCount(t.int32_data_size())))
        return failure();
      std::copy(t.int32_data().begin(), t.int32_data().end(), d.begin());
    }
    return HostTensor::ints(shape, std::move(d), isBool);
  }
  default:
    (void)fail(what + " '" + t.name() + "' has unsupported data type " +
               Twine(t.data_type()));
    return failure();
  }
}

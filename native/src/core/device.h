// A device is a backend type plus an index (CUDA ordinal; always 0 on the CPU).
#pragma once

#include <cstdint>
#include <ostream>

#include "wick/wick.h"

namespace wick {

enum class DeviceType : int32_t { CPU = WK_DEVICE_CPU, CUDA = WK_DEVICE_CUDA };

struct Device {
    DeviceType type = DeviceType::CPU;
    int32_t index = 0;

    bool is_cpu() const { return type == DeviceType::CPU; }
    bool operator==(const Device& o) const { return type == o.type && index == o.index; }
    bool operator!=(const Device& o) const { return !(*this == o); }
};

inline std::ostream& operator<<(std::ostream& os, const Device& d) {
    if (d.is_cpu()) return os << "cpu";
    return os << "cuda:" << d.index;
}

// Validates a device that crossed the ABI (type in range, index >= 0; CPU index must be 0).
Device device_from_abi(int32_t type, int32_t index, const char* what);

}  // namespace wick

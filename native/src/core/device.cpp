#include "core/device.h"

#include "core/error.h"

namespace wick {

Device device_from_abi(int32_t type, int32_t index, const char* what) {
    check(type >= 0 && type < WK_DEVICE_TYPE_COUNT, WK_ERR_INVALID_ARGUMENT, what, ": unknown device type id ", type);
    check(index >= 0, WK_ERR_INVALID_ARGUMENT, what, ": negative device index ", index);
    Device d{static_cast<DeviceType>(type), index};
    check(!d.is_cpu() || index == 0, WK_ERR_INVALID_ARGUMENT, what, ": the CPU device has index 0, got ", index);
    return d;
}

}  // namespace wick

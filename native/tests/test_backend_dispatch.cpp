// A kernel table entry a backend leaves null: the core reports it as not implemented, and on an
// accelerator as a device error (DeviceException above the ABI) that names the op and the backend
// and says how to work around it.
#include <string>

#include "core/backend.h"
#include "core/error.h"
#include "test.h"

using namespace wick;

namespace {

wk_status (*const kMissing)(int) = nullptr;

wk_status call_missing(const Backend& be, std::string* message) {
    try {
        launch(be, kMissing, "group_norm", 1);
    } catch (const Error& e) {
        *message = e.what();
        return e.status();
    }
    return WK_OK;
}

}  // namespace

WICK_TEST(a_null_entry_on_the_cuda_backend_is_a_device_error_naming_the_op_and_backend) {
    Backend be{};
    be.type = DeviceType::CUDA;
    be.name = "cuda";
    std::string message;
    EXPECT(call_missing(be, &message) == WK_ERR_DEVICE);
    EXPECT(message.find("group_norm is not implemented on the cuda backend") != std::string::npos);
    EXPECT(message.find("Cpu()") != std::string::npos);
}

WICK_TEST(a_null_entry_on_the_cpu_backend_is_not_implemented) {
    Backend be{};
    be.type = DeviceType::CPU;
    be.name = "cpu";
    std::string message;
    EXPECT(call_missing(be, &message) == WK_ERR_NOT_IMPLEMENTED);
    EXPECT(message.find("group_norm is not implemented on the cpu backend") != std::string::npos);
}

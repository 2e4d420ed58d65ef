#include "core/error.h"

namespace wick {

namespace {
thread_local std::string t_last_error = "no error";
}

wk_status set_last_error(wk_status status, const char* message) {
    try {
        t_last_error = message;
    } catch (...) {
        // Storing the message needs memory; if even that fails, keep the status.
    }
    return status;
}

const char* last_error_message() { return t_last_error.c_str(); }

}  // namespace wick

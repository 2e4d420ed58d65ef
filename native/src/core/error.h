// Errors inside the core are C++ exceptions carrying a wk_status; the API guard
// (api/guard.h) turns them into a status plus a thread-local message at the boundary.
#pragma once

#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>

#include "wick/wick.h"

namespace wick {

class Error : public std::runtime_error {
public:
    Error(wk_status status, std::string message) : std::runtime_error(std::move(message)), status_(status) {}
    wk_status status() const { return status_; }

private:
    wk_status status_;
};

// Builds a message from any streamable parts: fail(WK_ERR_SHAPE, "add: shapes ", a, " and ", b).
template <class... Parts>
[[noreturn]] void fail(wk_status status, const Parts&... parts) {
    std::ostringstream os;
    (os << ... << parts);
    throw Error(status, os.str());
}

// Checks a condition that the caller is responsible for; the message names what was wrong.
template <class... Parts>
inline void check(bool ok, wk_status status, const Parts&... parts) {
    if (!ok) fail(status, parts...);
}

// Stores the message for wk_last_error on this thread and returns the status.
wk_status set_last_error(wk_status status, const char* message);
const char* last_error_message();

}  // namespace wick

// A random generator is a seed plus an offset (how many counters earlier fills consumed).
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>

namespace wick {

class Generator {
public:
    explicit Generator(uint64_t seed) : seed_(seed) {}

    // Reserves `count` counters and returns (seed, first offset): concurrent fills never overlap.
    void reserve(uint64_t count, uint64_t* seed, uint64_t* offset) {
        std::lock_guard<std::mutex> lock(mu_);
        *seed = seed_;
        *offset = offset_;
        offset_ += count;
    }
    void set_state(uint64_t seed, uint64_t offset) {
        std::lock_guard<std::mutex> lock(mu_);
        seed_ = seed;
        offset_ = offset;
    }
    void get_state(uint64_t* seed, uint64_t* offset) {
        std::lock_guard<std::mutex> lock(mu_);
        *seed = seed_;
        *offset = offset_;
    }

    static Generator& default_generator();

private:
    std::mutex mu_;
    uint64_t seed_;
    uint64_t offset_ = 0;
};

}  // namespace wick

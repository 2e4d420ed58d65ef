#include "core/generator.h"

namespace wick {

// Seeded with a constant, as in PyTorch before manual_seed: runs are reproducible by default.
Generator& Generator::default_generator() {
    static Generator g(67280421310721ull);
    return g;
}

}  // namespace wick

// Generators and random fills.
#include "api/guard.h"
#include "core/generator.h"
#include "ops/random.h"

using namespace wick;
using namespace wick::api;

namespace {

Generator& unwrap_generator(wk_generator g) {
    return g == nullptr ? Generator::default_generator() : *reinterpret_cast<Generator*>(g);
}

Generator& require_generator(wk_generator g, const char* what) {
    if (g == nullptr) fail(WK_ERR_NULL_HANDLE, what, ": null generator handle");
    return *reinterpret_cast<Generator*>(g);
}

}  // namespace

extern "C" {

WK_API wk_status wk_generator_create(uint64_t seed, wk_generator* out) {
    return guard([&] { out_param(out, "generator_create") = reinterpret_cast<wk_generator>(new Generator(seed)); });
}

WK_API wk_status wk_generator_release(wk_generator g) {
    return guard([&] {
        Generator* gen = &require_generator(g, "generator_release");
        check(gen != &Generator::default_generator(), WK_ERR_INVALID_ARGUMENT,
              "generator_release: the default generator is not owned by the caller");
        delete gen;
    });
}

WK_API wk_status wk_generator_default(wk_generator* out) {
    return guard([&] {
        out_param(out, "generator_default") = reinterpret_cast<wk_generator>(&Generator::default_generator());
    });
}

WK_API wk_status wk_generator_set_state(wk_generator g, uint64_t seed, uint64_t offset) {
    return guard([&] { require_generator(g, "generator_set_state").set_state(seed, offset); });
}

WK_API wk_status wk_generator_get_state(wk_generator g, uint64_t* seed, uint64_t* offset) {
    return guard([&] {
        require_generator(g, "generator_get_state")
            .get_state(&out_param(seed, "generator_get_state"), &out_param(offset, "generator_get_state"));
    });
}

WK_API wk_status wk_random_fill_(wk_tensor t, wk_random_dist dist, double a, double b, wk_generator g) {
    return guard([&] { random_fill(unwrap_ref(t, "random_fill_"), dist, a, b, unwrap_generator(g)); });
}

}  // extern "C"

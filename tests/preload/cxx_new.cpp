// C++ new and delete through the preloaded memkit: containers, strings, virtual objects
// and over-aligned types (aligned new). Prints results that must not depend on the
// allocator, and checks alignment itself.
#include <cstdint>
#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <vector>

struct alignas(64) Line {
    unsigned char bytes[64];
};

struct Shape {
    virtual ~Shape() = default;
    virtual long area() const = 0;
};
struct Rect : Shape {
    long w, h;
    Rect(long w_, long h_) : w(w_), h(h_) {}
    long area() const override { return w * h; }
};

int main()
{
    std::map<std::string, std::vector<int>> index;
    for (int i = 0; i < 50000; i++)
        index["key" + std::to_string(i % 997)].push_back(i);
    std::size_t total = 0;
    for (const auto &kv : index)
        total += kv.first.size() + kv.second.size();
    std::printf("map %zu entries, total %zu\n", index.size(), total);

    std::vector<std::unique_ptr<Shape>> shapes;
    for (long i = 0; i < 20000; i++)
        shapes.push_back(std::make_unique<Rect>(i % 13, i % 7));
    long area = 0;
    for (const auto &s : shapes)
        area += s->area();
    std::printf("shapes %zu, area %ld\n", shapes.size(), area);

    int misaligned = 0;
    for (int i = 0; i < 1000; i++) {
        Line *l = new Line[i % 5 + 1];
        misaligned += reinterpret_cast<std::uintptr_t>(l) % alignof(Line) != 0;
        delete[] l;
    }
    std::printf("aligned new: %d misaligned\n", misaligned);
    return misaligned;
}

//===- Containers.h - The runtime's hash containers ------------*- C++ -*-===//
//
// The standard library's unordered containers, with contains() (C++20's)
// and a hash for (module, name) pairs. libhcr.so is loaded by every
// reloadable program, so it depends on libc and libstdc++ only: abseil's
// containers brought 30 shared objects and their relocations to every
// program's start (issue 12 measured 19 ms of CPU for a hello world).
//
//===----------------------------------------------------------------------===//

#ifndef HCR_LIB_RUNTIME_CONTAINERS_H
#define HCR_LIB_RUNTIME_CONTAINERS_H

#include <cstddef>
#include <functional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>

namespace hcr {

template <typename K> struct Hash : std::hash<K> {};

template <typename A, typename B> struct Hash<std::pair<A, B>> {
  size_t operator()(const std::pair<A, B> &P) const noexcept {
    size_t H = Hash<A>()(P.first);
    return H ^
           (Hash<B>()(P.second) + 0x9e3779b97f4a7c15ULL + (H << 6) + (H >> 2));
  }
};

template <typename K, typename V>
class HashMap : public std::unordered_map<K, V, Hash<K>> {
public:
  using std::unordered_map<K, V, Hash<K>>::unordered_map;
  bool contains(const K &Key) const { return this->count(Key) != 0; }
};

template <typename K> class HashSet : public std::unordered_set<K, Hash<K>> {
public:
  using std::unordered_set<K, Hash<K>>::unordered_set;
  bool contains(const K &Key) const { return this->count(Key) != 0; }
};

} // namespace hcr

#endif // HCR_LIB_RUNTIME_CONTAINERS_H

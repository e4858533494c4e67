// Position predicates for phrases (ordered_within) and NEAR (unordered_within),
// checked by hand and against a brute-force reference.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <random>
#include <sstream>
#include <vector>

#include "searcher/position_match.h"

namespace {

using Pos = std::vector<uint32_t>;
using Lists = std::vector<const Pos*>;

std::vector<dateline::PositionList> spans(const Lists& lists) {
  std::vector<dateline::PositionList> out;
  for (const Pos* l : lists) out.emplace_back(*l);
  return out;
}
bool ordered_within(const Lists& lists, uint32_t window) { return dateline::ordered_within(spans(lists), window); }
bool unordered_within(const Lists& lists, const std::vector<uint32_t>& group, uint32_t window) {
  return dateline::unordered_within(spans(lists), group, window);
}

// Groups by list identity: the same list object is the same term.
std::vector<uint32_t> groups_of(const Lists& lists) {
  std::vector<uint32_t> g;
  for (size_t i = 0; i < lists.size(); ++i) {
    uint32_t id = static_cast<uint32_t>(i);
    for (size_t j = 0; j < i; ++j)
      if (lists[j] == lists[i]) {
        id = g[j];
        break;
      }
    g.push_back(id);
  }
  return g;
}

bool near(const Lists& lists, uint32_t window) { return unordered_within(lists, groups_of(lists), window); }

// Reference: try every choice of p0 < p1 < ... from the lists.
bool ordered_ref(const Lists& lists, uint32_t window, size_t i = 0, uint64_t first = 0, int64_t last = -1) {
  if (lists.empty()) return false;
  if (i == lists.size()) return static_cast<uint64_t>(last) - first + 1 <= window;
  for (uint32_t p : *lists[i]) {
    if (static_cast<int64_t>(p) <= last) continue;
    if (ordered_ref(lists, window, i + 1, i == 0 ? p : first, p)) return true;
  }
  return false;
}

// Reference: try every choice of one position per list, all distinct.
bool unordered_ref(const Lists& lists, uint32_t window, size_t i, std::vector<uint32_t>& chosen) {
  if (i == lists.size()) {
    if (chosen.empty()) return false;
    auto [mn, mx] = std::minmax_element(chosen.begin(), chosen.end());
    return static_cast<uint64_t>(*mx) - *mn + 1 <= window;
  }
  for (uint32_t p : *lists[i]) {
    if (std::find(chosen.begin(), chosen.end(), p) != chosen.end()) continue;
    chosen.push_back(p);
    const bool ok = unordered_ref(lists, window, i + 1, chosen);
    chosen.pop_back();
    if (ok) return true;
  }
  return false;
}
bool unordered_ref(const Lists& lists, uint32_t window) {
  std::vector<uint32_t> chosen;
  return unordered_ref(lists, window, 0, chosen);
}

std::string describe(const Lists& lists, uint32_t window) {
  std::ostringstream o;
  o << "window " << window << " lists:";
  for (const Pos* l : lists) {
    o << " [";
    for (size_t i = 0; i < l->size(); ++i) o << (i ? "," : "") << (*l)[i];
    o << "]";
  }
  o << " groups:";
  for (uint32_t g : groups_of(lists)) o << " " << g;
  return o.str();
}

}  // namespace

TEST_CASE("exact phrase: window equal to the number of terms") {
  Pos a{3}, b{4}, b_far{5}, c{5};
  CHECK(ordered_within({&a, &b}, 2));
  CHECK(!ordered_within({&a, &b_far}, 2));
  CHECK(ordered_within({&a, &b_far}, 3));
  CHECK(ordered_within({&a, &b, &c}, 3));
  CHECK(!ordered_within({&a, &c, &b}, 3));
  // Exact phrase among many positions.
  Pos x{1, 10, 20, 30}, y{5, 15, 31, 40};
  CHECK(ordered_within({&x, &y}, 2));  // 30 31
  Pos y2{5, 15, 32, 40};
  CHECK(!ordered_within({&x, &y2}, 2));
  CHECK(ordered_within({&x, &y2}, 3));
}

TEST_CASE("slop windows: span == window matches, span == window + 1 does not") {
  for (uint32_t gap = 1; gap < 20; ++gap) {
    Pos a{100}, b{100 + gap};
    const uint32_t span = gap + 1;
    INFO("gap " << gap);
    CHECK(ordered_within({&a, &b}, span));
    CHECK(!ordered_within({&a, &b}, span - 1));
    CHECK(near({&a, &b}, span));
    CHECK(!near({&a, &b}, span - 1));
    CHECK(near({&b, &a}, span));
    CHECK(!near({&b, &a}, span - 1));
  }
  // Three terms, span 7.
  Pos a{10}, b{12}, c{16};
  CHECK(ordered_within({&a, &b, &c}, 7));
  CHECK(!ordered_within({&a, &b, &c}, 6));
  CHECK(near({&c, &a, &b}, 7));
  CHECK(!near({&c, &a, &b}, 6));
}

TEST_CASE("order matters for ordered_within, not for unordered_within") {
  Pos a{5}, b{3};
  CHECK(!ordered_within({&a, &b}, 10));
  CHECK(ordered_within({&b, &a}, 3));
  CHECK(near({&a, &b}, 3));
  CHECK(near({&b, &a}, 3));
  CHECK(!near({&a, &b}, 2));
  // A later occurrence in the right order still matches.
  Pos a2{5, 50}, b2{3, 52};
  CHECK(ordered_within({&a2, &b2}, 3));
  CHECK(!ordered_within({&a2, &b2}, 2));
  // Ordered needs every middle term between the ends.
  Pos x{1}, y{10}, z{5};
  CHECK(!ordered_within({&x, &y, &z}, 100));
  CHECK(ordered_within({&x, &z, &y}, 10));
  CHECK(near({&x, &y, &z}, 10));
  CHECK(!near({&x, &y, &z}, 9));
}

TEST_CASE("repeated terms need distinct positions") {
  Pos one{4}, two{4, 6}, far{4, 60};
  CHECK(!ordered_within({&one, &one}, 100));
  CHECK(ordered_within({&two, &two}, 3));
  CHECK(!ordered_within({&two, &two}, 2));
  CHECK(!near({&one, &one}, 100));
  CHECK(near({&two, &two}, 3));
  CHECK(!near({&two, &two}, 2));
  CHECK(!near({&far, &far}, 56));
  CHECK(near({&far, &far}, 57));
  // "a b a": the two a's around one b.
  Pos a{1, 3}, b{2};
  CHECK(ordered_within({&a, &b, &a}, 3));
  CHECK(near({&a, &b, &a}, 3));
  CHECK(!near({&a, &a, &a}, 1000));
  Pos three{1, 2, 3};
  CHECK(near({&three, &three, &three}, 3));
  CHECK(!near({&three, &three, &three}, 2));
  CHECK(ordered_within({&three, &three, &three}, 3));
  // A repeated term with another in between: "b a b" from b{2,9}, a{5}.
  Pos b2{2, 9}, a5{5};
  CHECK(near({&b2, &a5, &b2}, 8));
  CHECK(!near({&b2, &a5, &b2}, 7));
  CHECK(ordered_within({&b2, &a5, &b2}, 8));
  CHECK(!ordered_within({&a5, &b2, &b2}, 100));
}

TEST_CASE("empty position lists never match") {
  Pos empty, a{1, 2, 3};
  CHECK(!ordered_within({&empty}, 10));
  CHECK(!ordered_within({&a, &empty}, 10));
  CHECK(!ordered_within({&empty, &a}, 10));
  CHECK(!near({&empty}, 10));
  CHECK(!near({&a, &empty}, 10));
  CHECK(!near({&empty, &a}, 10));
  CHECK(!ordered_within({}, 10));
}

TEST_CASE("a single term matches when it occurs") {
  Pos a{7};
  CHECK(ordered_within({&a}, 1));
  CHECK(near({&a}, 1));
}

TEST_CASE("many positions") {
  Pos a, b, c;
  for (uint32_t i = 0; i < 20000; ++i) {
    a.push_back(i * 10);
    b.push_back(i * 10 + 4);
    c.push_back(i * 10 + 7);
  }
  CHECK(ordered_within({&a, &b}, 5));
  CHECK(!ordered_within({&a, &b}, 4));
  CHECK(ordered_within({&b, &a}, 7));  // 4 -> 10
  CHECK(!ordered_within({&b, &a}, 6));
  CHECK(ordered_within({&a, &b, &c}, 8));
  CHECK(!ordered_within({&a, &b, &c}, 7));
  CHECK(near({&c, &a}, 4));  // 7 .. 10
  CHECK(!near({&c, &a}, 3));
  // The only match is at the very end.
  Pos x, y;
  for (uint32_t i = 0; i < 20000; ++i) x.push_back(i * 100);
  for (uint32_t i = 0; i < 20000; ++i) y.push_back(i * 100 + 50);
  y.back() = x.back() + 1;
  CHECK(ordered_within({&x, &y}, 2));
  CHECK(near({&y, &x}, 2));
  y.back() = x.back() + 2;
  CHECK(!ordered_within({&x, &y}, 2));
  CHECK(!near({&y, &x}, 2));
}

TEST_CASE("large position values") {
  Pos a{4000000000u}, b{4000000002u};
  CHECK(ordered_within({&a, &b}, 3));
  CHECK(!ordered_within({&a, &b}, 2));
  CHECK(near({&b, &a}, 3));
  CHECK(!near({&b, &a}, 2));
}

TEST_CASE("ordered_within and unordered_within agree with brute force on random documents") {
  // Each case is a random document: every position holds at most one term
  // (as in a real index), so different terms never share a position.
  std::mt19937 rng(20240229);
  int matched_ordered = 0, matched_near = 0;
  for (int iter = 0; iter < 5000; ++iter) {
    const uint32_t len = 1 + rng() % 24;
    const uint32_t vocab = 1 + rng() % 4;
    const uint32_t base = rng() % 3 == 0 ? rng() % 1000000 : 0;
    std::vector<Pos> pos(vocab);
    for (uint32_t p = 0; p < len; ++p) {
      const uint32_t t = rng() % (vocab + 1);  // vocab == "some other word"
      if (t < vocab) pos[t].push_back(base + p);
    }
    const size_t k = 1 + rng() % 4;
    Lists lists;
    for (size_t i = 0; i < k; ++i) lists.push_back(&pos[rng() % vocab]);
    const auto group = groups_of(lists);
    for (uint32_t window = 1; window <= 12; ++window) {
      const bool o = ordered_within(lists, window), o_ref = ordered_ref(lists, window);
      const bool u = unordered_within(lists, group, window), u_ref = unordered_ref(lists, window);
      if (o != o_ref) FAIL_CHECK("ordered_within: got " << o << " for " << describe(lists, window));
      if (u != u_ref) FAIL_CHECK("unordered_within: got " << u << " for " << describe(lists, window));
      matched_ordered += o_ref;
      matched_near += u_ref;
    }
  }
  // The generator produces plenty of both outcomes.
  CHECK(matched_ordered > 5000);
  CHECK(matched_near > 10000);
  CHECK(matched_ordered < 55000);
}

TEST_CASE("ordered_within agrees with brute force on independent random lists") {
  // Lists drawn independently (they may share positions): ordered_within
  // only needs strictly increasing positions.
  std::mt19937 rng(77);
  int matched = 0;
  for (int iter = 0; iter < 5000; ++iter) {
    const size_t k = 1 + rng() % 4;
    std::vector<Pos> own(k);
    Lists lists;
    for (size_t i = 0; i < k; ++i) {
      if (i > 0 && rng() % 4 == 0) {  // repeat an earlier list
        lists.push_back(lists[rng() % i]);
        continue;
      }
      const uint32_t n = rng() % 6;
      for (uint32_t j = 0; j < n; ++j) own[i].push_back(rng() % 30);
      std::sort(own[i].begin(), own[i].end());
      own[i].erase(std::unique(own[i].begin(), own[i].end()), own[i].end());
      lists.push_back(&own[i]);
    }
    for (uint32_t window = 1; window <= 15; ++window) {
      const bool o = ordered_within(lists, window), ref = ordered_ref(lists, window);
      if (o != ref) FAIL_CHECK("ordered_within: got " << o << " for " << describe(lists, window));
      matched += ref;
    }
  }
  CHECK(matched > 3000);
}

TEST_CASE("unordered_within with a window smaller than one never matches") {
  // window 0 is never produced by the parser, but the predicate must still
  // answer false without reading outside its event list.
  Pos a{1, 2, 3}, b{4};
  CHECK(!near({&a}, 0));
  CHECK(!near({&a, &b}, 0));
  CHECK(!near({&a, &a}, 0));
  CHECK(!ordered_within({&a}, 0));
  CHECK(!ordered_within({&a, &b}, 0));
}

TEST_CASE("exact_phrase: consecutive positions, repeated words, against ordered_within(lists, k)") {
  using dateline::PositionList;
  const Pos a{3, 10, 20}, b{4, 15, 21}, c{22}, empty{};
  CHECK(dateline::exact_phrase({PositionList(a), PositionList(b)}));                    // 3 4, 20 21
  CHECK(dateline::exact_phrase({PositionList(a), PositionList(b), PositionList(c)}));  // 20 21 22
  CHECK(!dateline::exact_phrase({PositionList(b), PositionList(a)}));
  CHECK(!dateline::exact_phrase({PositionList(a), PositionList(c)}));
  CHECK(!dateline::exact_phrase({PositionList(a), PositionList(empty)}));
  const Pos rep{5, 6, 9};  // "x x": 5 6
  CHECK(dateline::exact_phrase({PositionList(rep), PositionList(rep)}));
  CHECK(!dateline::exact_phrase({PositionList(rep), PositionList(rep), PositionList(rep)}));
  // Random lists, 1 to 4 words drawn from 3 lists (repeats share a list).
  std::mt19937 rng(8);
  for (int round = 0; round < 3000; ++round) {
    Pos pool[3];
    for (auto& l : pool) {
      const int n = static_cast<int>(rng() % 6);
      for (int i = 0; i < n; ++i) l.push_back(static_cast<uint32_t>(rng() % 20));
      std::sort(l.begin(), l.end());
      l.erase(std::unique(l.begin(), l.end()), l.end());
    }
    const size_t k = 1 + rng() % 4;
    Lists lists;
    std::vector<PositionList> spans_of;
    for (size_t i = 0; i < k; ++i) {
      const Pos* l = &pool[rng() % 3];
      lists.push_back(l);
      spans_of.emplace_back(*l);
    }
    INFO(describe(lists, static_cast<uint32_t>(k)));
    CHECK(dateline::exact_phrase(spans_of) == ordered_ref(lists, static_cast<uint32_t>(k)));
  }
}

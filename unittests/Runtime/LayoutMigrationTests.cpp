//===- LayoutMigrationTests.cpp - Old bytes under a new layout ------------===//
//
// Plans made from layout strings as hcr-rewrite writes them, applied to
// real C structs: values follow field names, scalars convert by C's rules,
// arrays of structs migrate element by element, and what cannot be
// migrated is refused with the field and both types.
//
//===----------------------------------------------------------------------===//

#include "LayoutMigration.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include <cstdint>
#include <cstring>

using namespace hcr;
using ::testing::HasSubstr;

namespace {

/// Migrates Old (with layout From) into New (layout To), which holds the
/// new initializer; fails the test if the plan is refused.
template <typename O, typename N>
void migrate(const char *From, const O &Old, const char *To, N &New) {
  MigrationPlan Plan;
  std::string Why;
  ASSERT_TRUE(planMigration(From, To, Plan, Why)) << Why;
  applyMigration(Plan, &Old, &New);
}

std::string refusal(const char *From, const char *To) {
  MigrationPlan Plan;
  std::string Why;
  EXPECT_FALSE(planMigration(From, To, Plan, Why));
  return Why;
}

TEST(LayoutMigrationTest, FieldsFollowTheirNames) {
  struct V1 {
    int a, b;
  } Old{1, 2};
  struct V2 {
    int b, a, c;
  } New{0, 0, 99};
  migrate("{8;P;a@0:i4,b@4:i4,}", Old, "{12;P;b@0:i4,a@4:i4,c@8:i4,}", New);
  EXPECT_EQ(New.a, 1);
  EXPECT_EQ(New.b, 2);
  EXPECT_EQ(New.c, 99) << "an added field keeps its initializer";
}

TEST(LayoutMigrationTest, ScalarsConvertByCsRules) {
  struct V1 {
    short s;
    double d;
    int big;
    unsigned char flag;
    double huge;
  } Old{-7, 2.75, -1, 3, 1e30};
  struct V2 {
    long long s;
    int d;
    unsigned big;
    bool flag;
    int huge;
  } New{};
  migrate("{32;S;s@0:i2,d@8:f8,big@16:i4,flag@20:u1,huge@24:f8,}", Old,
          "{24;S;s@0:i8,d@8:i4,big@12:u4,flag@16:b,huge@20:i4,}", New);
  EXPECT_EQ(New.s, -7) << "sign extended";
  EXPECT_EQ(New.d, 2) << "truncated toward zero";
  EXPECT_EQ(New.big, 0xffffffffu) << "modulo 2^32";
  EXPECT_TRUE(New.flag);
  EXPECT_EQ(New.huge, INT32_MAX) << "saturated, where C says undefined";
}

TEST(LayoutMigrationTest, BitFieldsConvertToo) {
  struct V1 {
    unsigned a : 3;
    int b : 4;
  } Old{};
  Old.a = 5;
  Old.b = -3;
  struct V2 {
    int b : 6;
    long a;
  } New{};
  migrate("{4;B;a@0!3:u4,b@3!4:i4,}", Old, "{16;B;b@0!6:i4,a@8:i8,}", New);
  EXPECT_EQ(New.a, 5);
  EXPECT_EQ(New.b, -3);
}

TEST(LayoutMigrationTest, ArraysOfStructsKeepTheirCommonPrefix) {
  struct E1 {
    int x;
    float w;
  };
  struct E2 {
    double w;
    int x;
    int id;
  };
  E1 Old[3] = {{1, 0.5f}, {2, 1.5f}, {3, 2.5f}};
  E2 New[4] = {{0, 0, 7}, {0, 0, 7}, {0, 0, 7}, {9, 9, 9}};
  migrate("[3]{8;E;x@0:i4,w@4:f4,}", Old, "[4]{16;E;w@0:f8,x@8:i4,id@12:i4,}",
          New);
  for (int I = 0; I < 3; ++I) {
    EXPECT_EQ(New[I].x, I + 1);
    EXPECT_DOUBLE_EQ(New[I].w, I + 0.5);
    EXPECT_EQ(New[I].id, 7);
  }
  EXPECT_EQ(New[3].x, 9) << "past the old length: the initializer";
}

TEST(LayoutMigrationTest, UnmigratableChangesAreRefusedByField) {
  EXPECT_EQ(refusal("{8;P;a@0:i4,b@4:i4,}", "{16;P;a@0:pi4,b@8:i4,}"),
            "field 'a' was int32 and is now a pointer to int32");
  EXPECT_EQ(refusal("{4;S;in@0:{4;T;v@0:i4,},}", "{4;S;in@0:{4;T;v@0:u4,}"),
            "the new layout '{4;S;in@0:{4;T;v@0:u4,}' does not parse");
  EXPECT_EQ(refusal("<4;U;i@0:i4,f@0:f4,>", "<8;U;i@0:i4,f@0:f8,>"),
            "it is union U, whose members changed");
  EXPECT_EQ(refusal("prNode#00ff", "prNode#ff00"),
            "it was a pointer to struct Node and is now a pointer to struct "
            "Node whose layout changed");
  EXPECT_EQ(refusal("{8;S;p@0:{8;Q;x@0:i8,},}", "{8;S;p@0:i8,}"),
            "field 'p' was struct Q and is now int64");
  EXPECT_THAT(refusal("[2]{4;E;v@0:i4,}", "[2]{8;E;v@0:pv,}"),
              HasSubstr("field '[].v' was int32 and is now a pointer to void"));
}

} // namespace

// The storage choices an architecture leaves to the mapper, counted and listed by hand.
#include "dnnspace/arch/storage_choice.hpp"

#include <gtest/gtest.h>

#include "dnnspace/arch/presets.hpp"
#include "dnnspace/arch/validate.hpp"

namespace dnnspace {
namespace {

Architecture eyeriss() {
  Expected<Architecture> arch = arch_preset("eyeriss");
  EXPECT_TRUE(arch.has_value());
  return *arch;
}

TEST(StorageChoice, AFixedArchitectureHasOneChoiceItsOwn) {
  const Architecture arch = eyeriss();
  EXPECT_FALSE(leaves_storage_open(arch));
  EXPECT_EQ(count_storage_choices(arch), 1);
  const std::vector<StorageChoice> choices = storage_choices(arch);
  ASSERT_EQ(choices.size(), 1u);
  EXPECT_EQ(choices[0], storage_of(arch));
  EXPECT_EQ(with_storage(arch, choices[0]), arch);
}

// Bypass searched on the global buffer only: its 7 non-empty keep-sets of {inputs,
// weights, outputs}, largest bit pattern first (outputs = 4, weights = 2, inputs = 1).
TEST(StorageChoice, BypassSearchListsEveryNonEmptyKeepSet) {
  Architecture arch = eyeriss();
  arch.levels[1].bypass_searched = true;
  ASSERT_TRUE(validate_architecture(arch).has_value());
  const std::vector<StorageChoice> choices = storage_choices(arch);
  ASSERT_EQ(choices.size(), 7u);
  EXPECT_EQ(count_storage_choices(arch), 7);
  const unsigned expected_masks[] = {7, 6, 5, 4, 3, 2, 1};
  for (std::size_t i = 0; i < choices.size(); ++i) {
    const LevelStorage& gb = choices[i].levels[1];
    const unsigned mask = (gb.holds[TensorId::Inputs] ? 1u : 0u) | (gb.holds[TensorId::Weights] ? 2u : 0u) |
                          (gb.holds[TensorId::Outputs] ? 4u : 0u);
    EXPECT_EQ(mask, expected_masks[i]) << "choice " << i;
    EXPECT_TRUE(gb.double_buffered);  // eyeriss double-buffers its global buffer; not searched here
    EXPECT_EQ(choices[i].levels[0], storage_of(arch).levels[0]);
    EXPECT_EQ(choices[i].levels[2], storage_of(arch).levels[2]);
  }
  const Architecture applied = with_storage(arch, choices[3]);  // keeps outputs only
  EXPECT_FALSE(applied.levels[1].bypass_searched);
  EXPECT_FALSE(holds_tensor(applied.levels[1], TensorId::Inputs));
  EXPECT_FALSE(holds_tensor(applied.levels[1], TensorId::Weights));
  EXPECT_TRUE(holds_tensor(applied.levels[1], TensorId::Outputs));
}

// Only the tensors the level may hold are choices: a register file that may hold
// weights and outputs has 3 keep-sets; with buffering searched too, 6 choices, single
// before double for each keep-set.
TEST(StorageChoice, KeepSetsAreSubsetsOfHoldsAndBufferingDoubles) {
  Architecture arch = eyeriss();
  StorageLevel& rf = arch.levels[2];
  rf.holds[TensorId::Inputs] = false;
  rf.bypass_searched = true;
  rf.buffering_searched = true;
  const std::vector<StorageChoice> choices = storage_choices(arch);
  ASSERT_EQ(choices.size(), 6u);
  for (std::size_t i = 0; i < choices.size(); ++i) {
    const LevelStorage& s = choices[i].levels[2];
    EXPECT_FALSE(s.holds[TensorId::Inputs]);
    EXPECT_EQ(s.double_buffered, i % 2 == 1) << "choice " << i;
  }
  EXPECT_TRUE(choices[0].levels[2].holds[TensorId::Weights] && choices[0].levels[2].holds[TensorId::Outputs]);
  EXPECT_TRUE(choices[2].levels[2].holds[TensorId::Outputs] && !choices[2].levels[2].holds[TensorId::Weights]);
  EXPECT_TRUE(choices[4].levels[2].holds[TensorId::Weights] && !choices[4].levels[2].holds[TensorId::Outputs]);
  EXPECT_EQ(describe_level_storage(choices[1].levels[2], true), "keeps weights, outputs (double-buffered)");
}

// The limit: three levels with both searched give (7 x 2)^3 = 2,744 choices; a fourth,
// 38,416, past kMaxStorageChoices = 4,096, is refused by validation.
TEST(StorageChoice, TheChoiceLimitAtMaxAndPast) {
  Expected<Architecture> tpu = arch_preset("tpu-like");
  ASSERT_TRUE(tpu.has_value());
  Architecture arch = *tpu;
  for (std::size_t l = 1; l < arch.levels.size(); ++l) {
    arch.levels[l].bypass_searched = true;
    arch.levels[l].buffering_searched = true;
  }
  EXPECT_EQ(count_storage_choices(arch), 2744);
  EXPECT_TRUE(validate_architecture(arch).has_value());
  EXPECT_EQ(storage_choices(arch).size(), 2744u);
  StorageLevel extra = arch.levels[2];
  extra.name = "GlobalBuffer1";
  arch.levels.insert(arch.levels.begin() + 3, extra);
  ++arch.array.parent_level;
  EXPECT_EQ(count_storage_choices(arch), kMaxStorageChoices + 1);  // saturated
  Expected<void> ok = validate_architecture(arch);
  ASSERT_FALSE(ok.has_value());
  EXPECT_NE(ok.error().message.find("more than 4096 storage choices"), std::string::npos) << ok.error().message;
}

// The outermost level cannot leave its bypass open, nor an unbounded level its buffering.
TEST(StorageChoice, ValidationRefusesSearchWhereItMeansNothing) {
  Architecture arch = eyeriss();
  arch.levels[0].bypass_searched = true;
  Expected<void> ok = validate_architecture(arch);
  ASSERT_FALSE(ok.has_value());
  EXPECT_NE(ok.error().message.find("outermost level holds every tensor"), std::string::npos);
  arch.levels[0].bypass_searched = false;
  arch.levels[0].buffering_searched = true;
  ok = validate_architecture(arch);
  ASSERT_FALSE(ok.has_value());
  EXPECT_NE(ok.error().message.find("needs a level with a capacity"), std::string::npos);
}

}  // namespace
}  // namespace dnnspace

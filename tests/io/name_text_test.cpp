// Names read from files must be printable UTF-8 text (they go into one-line reports).
#include "dnnspace/io/name_text.hpp"

#include <gtest/gtest.h>

#include <string>

namespace dnnspace::io {
namespace {

TEST(NameText, PrintableUtf8IsAccepted) {
  EXPECT_FALSE(name_text_problem("conv1"));
  EXPECT_FALSE(name_text_problem("caf\xc3\xa9"));              // U+00E9
  EXPECT_FALSE(name_text_problem("\xe2\x82\xac"));             // U+20AC
  EXPECT_FALSE(name_text_problem("\xf0\x9f\x99\x82"));         // U+1F642
  EXPECT_FALSE(name_text_problem("\xf4\x8f\xbf\xbf"));         // U+10FFFF, the last
}

TEST(NameText, ControlsAndBadBytesAreRefused) {
  EXPECT_EQ(*name_text_problem(std::string("a\0b", 3)), "control characters (newline, tab, NUL, ...) are not allowed");
  EXPECT_TRUE(name_text_problem("a\nb"));
  EXPECT_TRUE(name_text_problem("\xc2\x85"));                  // U+0085, a C1 control
  EXPECT_EQ(*name_text_problem("\xff"), "not valid UTF-8 text");
  EXPECT_TRUE(name_text_problem("\xc3"));                      // cut short
  EXPECT_TRUE(name_text_problem("\xe0\x80\xaf"));              // overlong
  EXPECT_TRUE(name_text_problem("\xed\xa0\x80"));              // a surrogate
  EXPECT_TRUE(name_text_problem("\xf4\x90\x80\x80"));          // past U+10FFFF
}

}  // namespace
}  // namespace dnnspace::io

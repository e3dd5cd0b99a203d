// IDX reading: plain and gzipped files written here, and broken ones with their messages;
// dataset loading (dimensions, label range, count mismatch).
#include "dnnspace/engine/idx_reader.hpp"

#include <gtest/gtest.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "dnnspace/engine/dataset.hpp"

namespace dnnspace::engine {
namespace {

namespace fs = std::filesystem;

std::string idx_bytes(std::vector<std::uint32_t> dims, const std::vector<std::uint8_t>& data, std::uint8_t type = 0x08) {
  std::string out{'\0', '\0', static_cast<char>(type), static_cast<char>(dims.size())};
  for (const std::uint32_t d : dims) {
    for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>((d >> shift) & 0xFF));
  }
  out.append(data.begin(), data.end());
  return out;
}

class IdxFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("dnnspace_idx_test_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string write_plain(const std::string& name, const std::string& bytes) {
    const std::string path = (dir_ / name).string();
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
  }
  std::string write_gzip(const std::string& name, const std::string& bytes) {
    const std::string path = (dir_ / name).string();
    gzFile f = gzopen(path.c_str(), "wb");
    gzwrite(f, bytes.data(), static_cast<unsigned>(bytes.size()));
    gzclose(f);
    return path;
  }
  fs::path dir_;
};

TEST_F(IdxFiles, ReadsPlainAndGzip) {
  // Two 2x3 images: pixel values 0..11.
  std::vector<std::uint8_t> pixels(12);
  for (std::size_t i = 0; i < pixels.size(); ++i) pixels[i] = static_cast<std::uint8_t>(i * 20);
  const std::string bytes = idx_bytes({2, 2, 3}, pixels);
  for (const std::string& path : {write_plain("a.idx", bytes), write_gzip("a.idx.gz", bytes)}) {
    const Expected<IdxArray> array = read_idx_file(path);
    ASSERT_TRUE(array) << array.error().message;
    EXPECT_EQ(array->dims, (std::vector<std::int64_t>{2, 2, 3}));
    EXPECT_EQ(array->data, pixels);
  }
}

TEST_F(IdxFiles, LoadsDatasetScaled) {
  const std::string images = write_gzip("i.gz", idx_bytes({2, 1, 2}, {0, 255, 51, 102}));
  const std::string labels = write_plain("l", idx_bytes({2}, {3, 9}));
  const Expected<Dataset> data = load_idx_dataset(images, labels);
  ASSERT_TRUE(data) << data.error().message;
  EXPECT_EQ(data->images.shape(), (Shape{2, 1, 1, 2}));
  EXPECT_FLOAT_EQ(data->images.data()[1], 1.0F);
  EXPECT_FLOAT_EQ(data->images.data()[2], 0.2F);  // 51 / 255
  EXPECT_EQ(data->labels, (std::vector<std::int32_t>{3, 9}));
  const Dataset first = take_first(*data, 1);
  EXPECT_EQ(first.images.shape(), (Shape{1, 1, 1, 2}));
  EXPECT_EQ(first.labels, (std::vector<std::int32_t>{3}));
}

void expect_error(const Expected<IdxArray>& result, const std::string& path, const std::string& what) {
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message.find(path), std::string::npos) << result.error().message;
  EXPECT_NE(result.error().message.find(what), std::string::npos) << result.error().message;
}

TEST_F(IdxFiles, Errors) {
  const std::string missing = (dir_ / "missing").string();
  expect_error(read_idx_file(missing), missing, "cannot open file");
  const std::string magic = write_plain("magic", "\x01\x02\x08\x01\0\0\0\0");
  expect_error(read_idx_file(magic), magic, "bad magic");
  const std::string type = write_plain("type", idx_bytes({1}, {0}, 0x0D));
  expect_error(read_idx_file(type), type, "unsupported IDX element type 0x0d");
  const std::string short_data = write_plain("short", idx_bytes({2, 2, 2}, {1, 2, 3}));
  expect_error(read_idx_file(short_data), short_data, "declares 8 data bytes, the file has 3");
  const std::string short_gz = write_gzip("short.gz", idx_bytes({2, 2, 2}, {1, 2, 3}));
  expect_error(read_idx_file(short_gz), short_gz, "declares 8 data bytes, the file has 3");
  const std::string short_header = write_plain("header", std::string("\0\0\x08\x03\0\0\0\x02", 8));
  expect_error(read_idx_file(short_header), short_header, "declares 3 dimensions but ends after 1");
  const std::string extra = write_plain("extra", idx_bytes({1}, {7, 8}));
  expect_error(read_idx_file(extra), extra, "bytes after the 1 data bytes");
  // A gzip file cut in the middle of its compressed stream.
  std::vector<std::uint8_t> noise(4000);
  for (std::size_t i = 0; i < noise.size(); ++i) noise[i] = static_cast<std::uint8_t>((i * 7919) % 251);
  const std::string full = write_gzip("full.gz", idx_bytes({4000}, noise));
  std::ifstream in(full, std::ios::binary);
  std::string compressed((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::string cut = write_plain("cut.gz", compressed.substr(0, compressed.size() / 2));
  const Expected<IdxArray> cut_result = read_idx_file(cut);
  ASSERT_FALSE(cut_result);
  EXPECT_NE(cut_result.error().message.find(cut), std::string::npos);
  EXPECT_TRUE(cut_result.error().message.find("truncated") != std::string::npos ||
              cut_result.error().message.find("corrupt") != std::string::npos)
      << cut_result.error().message;
}

// A tiny file whose header declares huge extents: an error from the header (past 2^32
// elements) or from the data that is not there (at 2^32), never an allocation of what the
// header claims. ASan's allocator would abort on a 4 GiB request it cannot serve.
TEST_F(IdxFiles, HeadersDoNotDriveAllocations) {
  const std::string past = write_plain("past", std::string("\0\0\x08\x02\x00\x01\x00\x00\x00\x01\x00\x01", 12));
  expect_error(read_idx_file(past), past, "more than 2^32 elements");  // 65,536 x 65,537
  const std::string at_max = write_plain("at_max", std::string("\0\0\x08\x02\x00\x01\x00\x00\x00\x01\x00\x00", 12) + "abcd");
  expect_error(read_idx_file(at_max), at_max, "declares 4294967296 data bytes, the file has 4");
  // Found by fuzz/idx_fuzz: the product of two near-2^32 extents overflowed 64 bits.
  const std::string wrap = write_plain("wrap", std::string("\0\0\x08\x02\xff\xff\xb0\xb0\xb0\x01\x00\x00", 12));
  expect_error(read_idx_file(wrap), wrap, "more than 2^32 elements");
}

TEST_F(IdxFiles, DatasetErrors) {
  const std::string images = write_plain("i", idx_bytes({2, 1, 2}, {0, 1, 2, 3}));
  const std::string labels3 = write_plain("l3", idx_bytes({3}, {0, 1, 2}));
  const Expected<Dataset> mismatch = load_idx_dataset(images, labels3);
  ASSERT_FALSE(mismatch);
  EXPECT_NE(mismatch.error().message.find("3 labels but " + images + " has 2 images"), std::string::npos)
      << mismatch.error().message;
  const std::string flat = write_plain("flat", idx_bytes({4}, {0, 1, 2, 3}));
  const Expected<Dataset> dims = load_idx_dataset(flat, labels3);
  ASSERT_FALSE(dims);
  EXPECT_NE(dims.error().message.find(flat + ": wrong dimensions: images need 3"), std::string::npos);
  const std::string bad_label = write_plain("bad", idx_bytes({2}, {0, 10}));
  const Expected<Dataset> range = load_idx_dataset(images, bad_label);
  ASSERT_FALSE(range);
  EXPECT_NE(range.error().message.find("label 10 at index 1"), std::string::npos);
  const Expected<DatasetSplits> no_dir = load_mnist_layout((dir_ / "nothing").string());
  ASSERT_FALSE(no_dir);
  EXPECT_NE(no_dir.error().message.find("no train-images-idx3-ubyte"), std::string::npos);
}

}  // namespace
}  // namespace dnnspace::engine

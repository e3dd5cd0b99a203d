#include "dnnspace/dist/ranks.hpp"

#include <mpi.h>

#include <algorithm>
#include <cstdlib>
#include <string_view>

namespace dnnspace::dist {

bool launched_by_mpi() noexcept {
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK"}) {
    if (std::getenv(name)) return true;
  }
  return false;
}

Ranks::Ranks() {
  if (!launched_by_mpi()) return;
  int provided = 0;
  // One thread at a time calls MPI (rank 0's dispatcher while the main thread searches,
  // design_sweep.cpp); the mapper's threads never do.
  MPI_Init_thread(nullptr, nullptr, MPI_THREAD_SERIALIZED, &provided);
  mpi_ = true;
  serialized_ = provided >= MPI_THREAD_SERIALIZED;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
  MPI_Comm local;
  MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, rank_, MPI_INFO_NULL, &local);
  MPI_Comm_size(local, &local_size_);
  MPI_Comm_free(&local);
}

int launched_size() noexcept {
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE"}) {
    if (const char* size = std::getenv(name)) return std::max(1, std::atoi(size));
  }
  return 1;
}

namespace {

// MPI's world as the mapper's WorkShare: every reduction an MPI_Allreduce.
class WorldShare final : public WorkShare {
 public:
  WorldShare(int rank, int size) : rank_(rank), size_(size) {}
  int rank() const noexcept override { return rank_; }
  int size() const noexcept override { return size_; }
  void min_all(std::span<double> values) override {
    MPI_Allreduce(MPI_IN_PLACE, values.data(), static_cast<int>(values.size()), MPI_DOUBLE, MPI_MIN, MPI_COMM_WORLD);
  }
  void sum_all(std::span<std::int64_t> values) override {
    MPI_Allreduce(MPI_IN_PLACE, values.data(), static_cast<int>(values.size()), MPI_INT64_T, MPI_SUM, MPI_COMM_WORLD);
  }
  void broadcast(std::span<std::byte> bytes, int root) override {
    MPI_Bcast(bytes.data(), static_cast<int>(bytes.size()), MPI_BYTE, root, MPI_COMM_WORLD);
  }

 private:
  int rank_;
  int size_;
};

}  // namespace

WorkShare& Ranks::work_share() {
  if (!share_) share_ = std::make_unique<WorldShare>(rank_, size_);
  return *share_;
}

Ranks& Ranks::world() {
  static Ranks ranks;
  return ranks;
}

void Ranks::send(int to, int tag, const std::string& text) {
  MPI_Send(text.data(), static_cast<int>(text.size()), MPI_CHAR, to, tag, MPI_COMM_WORLD);
}

namespace {

Ranks::Message receive_probed(const MPI_Status& status) {
  int count = 0;
  MPI_Get_count(&status, MPI_CHAR, &count);
  Ranks::Message m{status.MPI_SOURCE, status.MPI_TAG, std::string(static_cast<std::size_t>(count), '\0')};
  MPI_Recv(m.text.data(), count, MPI_CHAR, status.MPI_SOURCE, status.MPI_TAG, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
  return m;
}

}  // namespace

std::optional<Ranks::Message> Ranks::try_receive() {
  if (!mpi_) return std::nullopt;
  int flag = 0;
  MPI_Status status;
  MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &status);
  if (!flag) return std::nullopt;
  return receive_probed(status);
}

Ranks::Message Ranks::receive() {
  MPI_Status status;
  MPI_Probe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &status);
  return receive_probed(status);
}

bool Ranks::all_true(bool ok) {
  if (!mpi_) return ok;
  int mine = ok ? 1 : 0, all = 0;
  MPI_Allreduce(&mine, &all, 1, MPI_INT, MPI_LAND, MPI_COMM_WORLD);
  return all != 0;
}

namespace {

bool in_mpi() noexcept {
  int initialized = 0, finalized = 0;
  MPI_Initialized(&initialized);
  MPI_Finalized(&finalized);
  return initialized && !finalized;
}

}  // namespace

bool is_other_rank() noexcept {
  if (!in_mpi()) {  // before MPI starts: the launcher's environment says the rank
    for (const char* name : {"OMPI_COMM_WORLD_RANK", "PMIX_RANK", "PMI_RANK"}) {
      if (const char* rank = std::getenv(name)) return std::string_view(rank) != "0";
    }
    return false;
  }
  int rank = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  return rank != 0;
}

void end_mpi() noexcept {
  if (in_mpi()) MPI_Finalize();
}

}  // namespace dnnspace::dist

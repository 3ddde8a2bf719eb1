// The built browser app (web/dist), loaded into memory once at start and
// answered from there: hashed assets cached for a year, every other page
// path answered with index.html so the app's own routes survive a reload.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include "server/api.h"

namespace rebalance::server {

class StaticFiles {
 public:
  // Loads every regular file under `root` (at most 64 MiB in all). An empty
  // or missing root, or one without index.html, loads nothing.
  // Throws std::runtime_error naming the file when one cannot be read.
  explicit StaticFiles(const std::filesystem::path& root);

  bool loaded() const { return !files_.empty(); }

  // The response for a GET or HEAD of `path` (no query), or nothing when the
  // path is not the app's: under /api/, or a missing file with an extension.
  std::optional<Response> find(const std::string& path) const;

 private:
  struct File {
    std::string content_type;
    std::string body;
  };
  std::map<std::string, File> files_;  // "/assets/index-abc.js" -> file
};

// The default place of the built app: REBALANCE_WEB, else share/rebalance/web
// beside an installed binary, else web/dist of the source tree.
std::filesystem::path default_web_dir(const std::filesystem::path& executable);

}  // namespace rebalance::server

#include "server/static_files.h"

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace rebalance::server {
namespace {

constexpr std::uintmax_t kMaxTotalBytes = 64u << 20;

std::string content_type(const std::filesystem::path& p) {
  static const std::map<std::string, std::string> kTypes = {{".html", "text/html; charset=utf-8"},
                                                            {".js", "text/javascript; charset=utf-8"},
                                                            {".css", "text/css; charset=utf-8"},
                                                            {".svg", "image/svg+xml"},
                                                            {".png", "image/png"},
                                                            {".ico", "image/x-icon"},
                                                            {".json", "application/json"},
                                                            {".webmanifest", "application/manifest+json"},
                                                            {".txt", "text/plain; charset=utf-8"},
                                                            {".woff2", "font/woff2"},
                                                            {".map", "application/json"}};
  const auto it = kTypes.find(p.extension().string());
  return it == kTypes.end() ? "application/octet-stream" : it->second;
}

}  // namespace

StaticFiles::StaticFiles(const std::filesystem::path& root) {
  std::error_code ec;
  if (root.empty() || !std::filesystem::is_regular_file(root / "index.html", ec)) return;
  std::uintmax_t total = 0;
  for (auto it = std::filesystem::recursive_directory_iterator(root, ec); !ec && it != std::filesystem::end(it);
       it.increment(ec)) {
    if (!it->is_regular_file(ec)) continue;
    total += it->file_size(ec);
    if (total > kMaxTotalBytes) throw std::runtime_error("web app at " + root.string() + " is larger than 64 MiB");
    std::ifstream in(it->path(), std::ios::binary);
    std::stringstream body;
    body << in.rdbuf();
    if (!in) throw std::runtime_error("cannot read " + it->path().string());
    const auto relative = std::filesystem::relative(it->path(), root, ec).generic_string();
    files_["/" + relative] = File{content_type(it->path()), body.str()};
  }
  if (ec) throw std::runtime_error("cannot list " + root.string() + ": " + ec.message());
}

std::optional<Response> StaticFiles::find(const std::string& path) const {
  if (files_.empty() || path.rfind("/api/", 0) == 0 || path == "/api") return std::nullopt;
  auto it = files_.find(path == "/" ? "/index.html" : path);
  const bool hashed = it != files_.end() && path.rfind("/assets/", 0) == 0;
  if (it == files_.end()) {
    // An app route (/clients/c_1/program) is a path without an extension.
    const auto slash = path.rfind('/');
    if (path.find('.', slash == std::string::npos ? 0 : slash) != std::string::npos) return std::nullopt;
    it = files_.find("/index.html");
  }
  Response r;
  r.content_type = it->second.content_type;
  r.body = it->second.body;
  // Vite names assets by content hash: they never change under one name.
  r.headers.emplace_back("Cache-Control", hashed ? "public, max-age=31536000, immutable" : "no-cache");
  return r;
}

std::filesystem::path default_web_dir(const std::filesystem::path& executable) {
  if (const char* env = std::getenv("REBALANCE_WEB"); env != nullptr && *env != '\0') return env;
  std::error_code ec;
  const auto exe = std::filesystem::weakly_canonical(executable, ec);
  if (!ec) {
    const auto installed = exe.parent_path().parent_path() / "share" / "rebalance" / "web";
    if (std::filesystem::is_regular_file(installed / "index.html", ec)) return installed;
  }
  return REBALANCE_SOURCE_WEB_DIR;
}

}  // namespace rebalance::server

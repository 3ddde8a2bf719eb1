// The knowledge base as the service publishes it (exercises and their
// drawings, muscles, tests, guidance) and the service's health.
#include <cstdio>

#include "render/render.h"
#include "server/detail/api_internal.h"

namespace rebalance::server {

Response Api::Impl::health() {
  db->count_users();
  return json_response(200, Json{{"status", "ok"}, {"knowledge_base", kb->version}});
}

Response Api::Impl::exercise(const std::string& id) {
  const kb::Exercise* e = kb->exercise(ExerciseId(id));
  if (e == nullptr) throw HttpError{404, "not_found", "no such exercise"};
  return raw_json(render::exercises_json(*kb, e));
}

// An exercise's drawing. Public like the exercise itself; the ETag names the
// knowledge-base version and the drawing's bytes, so a browser revalidates
// cheaply and a changed drawing is seen at once.
Response Api::Impl::figure(const Request& req, const std::string& id, bool animated) {
  const kb::Exercise* e = kb->exercise(ExerciseId(id));
  const body::Illustration* ill = e == nullptr ? nullptr : kb->illustration(e->id);
  if (ill == nullptr) throw HttpError{404, "not_found", "no such exercise"};
  const std::string key = e->id.str() + (animated ? "/a" : "/s");
  std::shared_ptr<const Drawing> d;
  {
    std::lock_guard lock(figures_mutex);
    if (auto it = figures.find(key); it != figures.end()) d = it->second;
  }
  if (!d) {
    auto drawn = std::make_shared<Drawing>();
    drawn->svg = render::figure_svg(*kb, *ill, animated);
    uint64_t h = 1469598103934665603ull;  // FNV-1a
    for (unsigned char ch : drawn->svg) h = (h ^ ch) * 1099511628211ull;
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
    drawn->etag = "\"" + kb->version + "-" + hex + "\"";
    std::lock_guard lock(figures_mutex);
    d = figures.emplace(key, std::move(drawn)).first->second;
  }
  Response r;
  r.content_type = "image/svg+xml";
  r.headers.emplace_back("Cache-Control", "public, max-age=3600");
  r.headers.emplace_back("ETag", d->etag);
  // A drawing is an image, never a document that runs anything.
  r.headers.emplace_back("Content-Security-Policy-Override", "default-src 'none'; style-src 'unsafe-inline'");
  if (auto it = req.headers.find("if-none-match"); it != req.headers.end() && it->second.find(d->etag) != std::string::npos) {
    r.status = 304;
    r.content_type.clear();
    return r;
  }
  r.body = d->svg;
  return r;
}

}  // namespace rebalance::server

// `rebalance serve`, `rebalance user add` and `rebalance backup`: the service
// and its administration from the command line.
#include <sys/resource.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <thread>

#include "cli/commands.h"
#include "cli/config.h"
#include "server/api.h"
#include "server/auth.h"
#include "server/http.h"
#include "server/static_files.h"
#include "store/store.h"

namespace rebalance::cli {
namespace {

// Each connection holds a descriptor: raise the soft limit toward the hard
// one (as far as the connection cap needs, plus room for the database and
// the app's files). A hard limit below the cap only means the server backs
// off from accepting when descriptors run out.
void raise_descriptor_limit(int max_connections) {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return;
  const rlim_t wanted = static_cast<rlim_t>(max_connections) + 256;
  if (limit.rlim_cur >= wanted) return;
  limit.rlim_cur = limit.rlim_max == RLIM_INFINITY ? wanted : std::min(wanted, limit.rlim_max);
  setrlimit(RLIMIT_NOFILE, &limit);
}

struct ServeOptions {
  StoreOptions store;
  std::string bind = "127.0.0.1";
  int port = 8080;
  int threads = 0;
  int workers = 64;
  int db_connections = 0;  // 0: min(workers, 4 per core)
  std::string web;
  std::string public_url;
  bool quiet = false;
  std::vector<std::string> trusted_proxies;
  int max_connections = 4096;
  int max_connections_per_address = 256;
  std::string config;
  std::string data_dir;  // the global --data, or what the settings say
  // Where each setting that did not come from its flag came from, for
  // messages: "REBALANCE_WEB", "/etc/rebalance/rebalance.conf:7: web".
  std::map<std::string, std::string> origin;

  std::string named(const std::string& key, const std::string& flag) const {
    const auto it = origin.find(key);
    return it == origin.end() ? flag : it->second;
  }
};

// The config file serve reads: --config, else $REBALANCE_CONFIG, else the
// default file when it exists; empty when none. A named file that cannot be
// read is a Failure.
std::string config_file_text(const std::string& flag_value, std::string& path) {
  std::string named = "--config";
  path = flag_value;
  if (path.empty()) {
    if (const char* env = std::getenv("REBALANCE_CONFIG"); env != nullptr && *env != '\0') {
      path = env;
      named = "REBALANCE_CONFIG";
    }
  }
  std::error_code ec;
  if (path.empty()) {
    if (!std::filesystem::exists(kDefaultConfigFile, ec)) return "";
    path = kDefaultConfigFile;
    named = "the default config file";
  }
  const std::string where = "rebalance serve: " + named + " " + path + ": expected a readable file, found ";
  const std::string way_out = " (name another with --config FILE, or read none with --config /dev/null)";
  if (std::filesystem::is_directory(path, ec)) throw Failure{kExitBadInput, {where + "a directory" + way_out}};
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Failure{kExitBadInput, {where + std::strerror(errno) + way_out}};
  std::string text(std::istreambuf_iterator<char>(in), {});
  if (in.bad()) throw Failure{kExitBadInput, {where + "a read error" + way_out}};
  return text;
}

// Fills what the command line left unset from the environment and the config
// file (flag > environment > file > default); every problem of either is a
// Failure listing them all.
void apply_settings(const CLI::App& sub, const Globals& globals, ServeOptions& o) {
  const auto& specs = serve_settings();
  std::set<std::string> given;
  for (const auto& spec : specs) {
    const bool set = spec.flag == "--data" ? !globals.data_dir.empty() : sub.get_option(spec.flag)->count() > 0;
    if (set) given.insert(spec.flag);
  }
  std::string path;
  const std::string text = config_file_text(o.config, path);
  const SettingLayer file = parse_config(text, path, specs);
  const SettingLayer environment = read_environment(specs, [](const char* name) { return std::getenv(name); });
  std::vector<std::string> problems = environment.problems;
  problems.insert(problems.end(), file.problems.begin(), file.problems.end());
  if (!problems.empty()) throw Failure{kExitBadInput, problems};
  o.data_dir = globals.data_dir;
  using Setter = void (*)(ServeOptions&, const SettingValue&);
  // Integers are within their spec's range, which fits an int.
  static const std::map<std::string, Setter> setters = {
      {"db", [](ServeOptions& o, const SettingValue& v) { o.store.db = v.text; }},
      {"postgres", [](ServeOptions& o, const SettingValue& v) { o.store.postgres = v.text; }},
      {"bind", [](ServeOptions& o, const SettingValue& v) { o.bind = v.text; }},
      {"port", [](ServeOptions& o, const SettingValue& v) { o.port = static_cast<int>(v.integer); }},
      {"threads", [](ServeOptions& o, const SettingValue& v) { o.threads = static_cast<int>(v.integer); }},
      {"workers", [](ServeOptions& o, const SettingValue& v) { o.workers = static_cast<int>(v.integer); }},
      {"db_connections", [](ServeOptions& o, const SettingValue& v) { o.db_connections = static_cast<int>(v.integer); }},
      {"data", [](ServeOptions& o, const SettingValue& v) { o.data_dir = v.text; }},
      {"web", [](ServeOptions& o, const SettingValue& v) { o.web = v.text; }},
      {"public_url", [](ServeOptions& o, const SettingValue& v) { o.public_url = v.text; }},
      {"access_log", [](ServeOptions& o, const SettingValue& v) { o.quiet = !v.on; }},
      {"trusted_proxies", [](ServeOptions& o, const SettingValue& v) { o.trusted_proxies = v.items; }},
      {"max_connections", [](ServeOptions& o, const SettingValue& v) { o.max_connections = static_cast<int>(v.integer); }},
      {"max_connections_per_address",
       [](ServeOptions& o, const SettingValue& v) { o.max_connections_per_address = static_cast<int>(v.integer); }},
  };
  for (const auto& [key, v] : merge_settings(specs, given, environment, file)) {
    o.origin[key] = v.named(key);
    setters.at(key)(o, v);  // every setting has a setter: a missing one is a bug (exit 1)
  }
}

// The --help footer: the variables, the config file and the precedence, from
// the one table of settings.
std::string settings_help() {
  std::ostringstream out;
  out << "Every setting above can also come from a variable or a config file. Precedence: flag > variable >\n"
      << "config file > default. The config file is --config FILE, else $REBALANCE_CONFIG, else\n"
      << kDefaultConfigFile << " when it exists: `key = value` lines and # comment lines; an unknown key,\n"
      << "a bad value or a key given twice is an error naming FILE:LINE and the key. A list takes commas or\n"
      << "spaces; a switch true or false.\n"
      << "  key                          variable                               flag\n";
  for (const auto& spec : serve_settings()) {
    std::string key = spec.key, variable = variable_of(spec);
    key.resize(std::max<size_t>(key.size(), 28), ' ');
    variable.resize(std::max<size_t>(variable.size(), 38), ' ');
    out << "  " << key << " " << variable << " " << spec.flag;
    if (spec.flag == "--data") out << " (before serve: rebalance --data DIR serve)";
    if (spec.key == "access_log") out << " (access_log = false)";
    if (spec.kind == SettingKind::kList) out << " (repeated)";
    out << "\n";
  }
  out << "Stop with Ctrl-C or SIGTERM: requests in flight are finished first.";
  return out.str();
}

}  // namespace

void add_store_options(CLI::App* sub, StoreOptions& o) {
  auto* db = sub->add_option("--db", o.db, "SQLite database file (default ./var/rebalance.db, created on first start)");
  auto* pg = sub->add_option("--postgres", o.postgres, "PostgreSQL connection URL (postgresql://user@host:port/db)");
  db->excludes(pg);
}

std::shared_ptr<store::Store> open_store(const StoreOptions& o) {
  try {
    std::shared_ptr<store::Store> s;
    if (!o.postgres.empty()) {
      s = store::open_postgres(o.postgres, o.connections);
    } else {
      std::string path = o.db;
      if (path.empty()) {
        std::filesystem::create_directories("var");
        path = "var/rebalance.db";
      }
      s = store::open_sqlite(path);
    }
    s->migrate();
    return s;
  } catch (const store::StoreError& e) {
    throw Failure{kExitBadInput, {std::string("rebalance: ") + e.what()}};
  } catch (const std::filesystem::filesystem_error& e) {
    throw Failure{kExitBadInput, {std::string("rebalance: ") + e.what()}};
  }
}

Run add_serve(CLI::App& app, const Globals& globals) {
  auto o = std::make_shared<ServeOptions>();
  CLI::App* sub = app.add_subcommand("serve", "Run the web service (JSON API under /api/v1)");
  add_store_options(sub, o->store);
  sub->add_option("--port", o->port, "TCP port (default 8080; 0 picks a free one)")->check(CLI::Range(0, 65535));
  sub->add_option("--bind", o->bind, "Address to listen on (default 127.0.0.1)");
  sub->add_option("--threads", o->threads,
                  "Network threads, each serving its share of the connections; with SQLite they also answer quick "
                  "calls (a program, a log) themselves (default: the number of cores, at least 2)")
      ->check(CLI::Range(1, 256));
  sub->add_option("--workers", o->workers,
                  "Threads running the other API calls, which may wait on the database or compute (default 64)")
      ->check(CLI::Range(1, 1024));
  sub->add_option("--db-connections", o->db_connections,
                  "PostgreSQL connections for API calls, plus one for group commits (default: the workers, at most 4 "
                  "per core; more connections than cores only queue in the database server)")
      ->check(CLI::Range(1, 1024));
  sub->add_option("--web", o->web,
                  "Directory of the built browser app (default: share/rebalance/web beside the binary, else web/dist of "
                  "the source tree)");
  sub->add_option("--public-url", o->public_url, "The address users reach, for invite links (default http://BIND:PORT)");
  sub->add_flag("--no-access-log", o->quiet, "Do not write the JSON access log to stderr");
  sub->add_option("--trusted-proxy", o->trusted_proxies,
                  "Address or network (10.0.0.0/8) of a reverse proxy whose Forwarded / X-Forwarded-For headers name the "
                  "client; repeat for several. Without it the socket's peer is the client.");
  sub->add_option("--max-connections", o->max_connections, "Connections open at once (default 4096); more are answered 503")
      ->check(CLI::Range(1, 1000000));
  sub->add_option("--max-connections-per-address", o->max_connections_per_address,
                  "Connections open at once from one address, trusted proxies excepted (default 256)")
      ->check(CLI::Range(1, 1000000));
  sub->add_option("--config", o->config,
                  std::string("Config file of settings (default: $REBALANCE_CONFIG, else ") + kDefaultConfigFile +
                      " when it exists); see below");
  sub->footer(settings_help());
  return [o, sub, &globals]() {
    apply_settings(*sub, globals, *o);
    Globals with_settings = globals;
    with_settings.data_dir = o->data_dir;
    auto kb = load_kb(with_settings);
    const int cores = std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
    o->store.connections = static_cast<size_t>(o->db_connections > 0 ? o->db_connections : std::min(o->workers, 4 * cores));
    auto db = open_store(o->store);
    server::ApiOptions api_options;
    api_options.web_root = o->web.empty() ? server::default_web_dir(globals.argv0).string() : o->web;
    if (!o->web.empty() && !std::filesystem::is_regular_file(std::filesystem::path(o->web) / "index.html"))
      throw Failure{kExitBadInput,
                    {"rebalance serve: " + o->named("web", "--web") + " " + o->web +
                     ": no index.html there (build the app: cd web && npm ci && npm run build)"}};
    const bool first_start = db->count_users() == 0;
    if (first_start) api_options.setup_token = server::random_token();
    server::HttpOptions http;
    http.bind = o->bind;
    http.port = static_cast<uint16_t>(o->port);
    http.threads = o->threads > 0 ? o->threads : std::max(2, cores);
    http.access_log = !o->quiet;
    http.workers = o->workers;
    std::vector<std::string> proxy_errors;
    auto proxies = server::TrustedProxies::parse(o->trusted_proxies, &proxy_errors);
    if (!proxies) {
      std::vector<std::string> lines;
      for (const auto& e : proxy_errors)
        lines.push_back("rebalance serve: " + o->named("trusted_proxies", "--trusted-proxy") + ": " + e);
      throw Failure{kExitBadInput, lines};
    }
    http.trusted_proxies = std::move(*proxies);
    http.max_connections = o->max_connections;
    http.max_connections_per_address = o->max_connections_per_address;
    raise_descriptor_limit(http.max_connections);
    std::unique_ptr<server::Api> api_holder;
    try {
      api_holder = std::make_unique<server::Api>(kb, db, api_options);
    } catch (const std::runtime_error& e) {
      throw Failure{kExitBadInput, {std::string("rebalance serve: ") + e.what()}};
    }
    server::Api& api = *api_holder;
    // The port is known once listening (--port 0 picks one).
    http.on_listening = [&](uint16_t port) {
      const std::string address = "http://" + o->bind + ":" + std::to_string(port);
      api.set_public_url(o->public_url.empty() ? address : o->public_url);
      std::cout << "Rebalance is listening on " << address << " (knowledge base " << kb->version << ", "
                << (o->store.postgres.empty() ? "SQLite " + (o->store.db.empty() ? std::string("var/rebalance.db") : o->store.db)
                                              : std::string("PostgreSQL"))
                << ")\n";
      if (first_start) {
        std::cout << "First start: open " << address << "/setup in a browser and create the admin account with this\n"
                  << "one-time setup token: " << api_options.setup_token << "\n"
                  << "or: curl -X POST " << address << "/api/v1/auth/setup -H 'Content-Type: application/json' \\\n"
                  << "       -d '{\"token\": \"" << api_options.setup_token
                  << "\", \"email\": \"you@example.org\", \"name\": \"Admin\", \"password\": \"at least 10 characters\"}'\n"
                  << "or, with the server stopped: rebalance user add --role admin --email you@example.org --name Admin\n";
      } else {
        std::cout << "Open " << address
                  << "/ in a browser and log in (or POST /api/v1/auth/login with {\"email\", \"password\"})\n";
      }
      std::cout.flush();
    };
    try {
      server::serve(api, http);
    } catch (const std::runtime_error& e) {
      throw Failure{kExitBadInput, {std::string("rebalance serve: ") + e.what()}};
    }
    std::cout << "Rebalance stopped.\n";
    return kExitOk;
  };
}

}  // namespace rebalance::cli

namespace rebalance::cli {

// Reads a password (one line) from standard input: 10 to 200 characters.
std::string read_password(const std::string& command) {
  std::string password;
  std::getline(std::cin, password);
  if (password.size() < 10 || password.size() > 200)
    throw Failure{kExitBadInput, {command + ": password: expected 10 to 200 characters on standard input, found " +
                                  std::to_string(password.size())}};
  return password;
}

Run add_user(CLI::App& app, const Globals& globals) {
  struct Options {
    StoreOptions store;
    std::string email, name, role = "practitioner";
  };
  auto o = std::make_shared<Options>();
  CLI::App* user = app.add_subcommand("user", "Manage accounts");
  user->require_subcommand(1);
  CLI::App* sub = user->add_subcommand("add", "Add an admin or practitioner account; the password is read from standard input");
  add_store_options(sub, o->store);
  sub->add_option("--email", o->email, "Login email")->required();
  sub->add_option("--name", o->name, "Display name")->required();
  sub->add_option("--role", o->role, "admin or practitioner (clients join by invite)")
      ->check(CLI::IsMember({"admin", "practitioner"}));
  // The way back in when nobody who could issue a reset link can log in (the
  // only admin forgot their password): whoever runs the server sets it.
  auto p = std::make_shared<Options>();
  CLI::App* pw = user->add_subcommand(
      "password", "Set an account's password (read from standard input) and end its sessions: for an admin locked out");
  add_store_options(pw, p->store);
  pw->add_option("--email", p->email, "Login email of the account")->required();
  return [o, sub, p, pw, &globals]() {
    (void)globals;
    if (pw->parsed()) {
      const std::string password = read_password("rebalance user password");
      auto db = open_store(p->store);
      const auto account = db->user_by_email(p->email);
      if (!account) throw Failure{kExitBadInput, {"rebalance user password: --email: no account with \"" + p->email + "\""}};
      db->set_password(account->id, server::hash_password(password));
      db->delete_sessions_of(account->id);
      std::cout << "Password set for " << account->email << "; their sessions have ended.\n";
      return kExitOk;
    }
    if (!sub->parsed()) return kExitBadInput;
    if (o->email.find('@') == std::string::npos)
      throw Failure{kExitBadInput, {"rebalance user add: --email: expected an email address, found \"" + o->email + "\""}};
    const std::string password = read_password("rebalance user add");
    auto db = open_store(o->store);
    if (db->user_by_email(o->email))
      throw Failure{kExitBadInput, {"rebalance user add: --email: an account with \"" + o->email + "\" exists"}};
    store::User u;
    u.id = store::new_id("u_");
    u.email = o->email;
    u.name = o->name;
    u.role = *store::parse_role(o->role);
    u.password_hash = server::hash_password(password);
    u.created_at = store::now_s();
    db->create_user(u);
    std::cout << "Added " << o->role << " " << o->email << " (" << u.id << ")\n";
    return kExitOk;
  };
}

Run add_backup(CLI::App& app, const Globals& globals) {
  struct Options {
    std::string db = "var/rebalance.db";
    std::string out;
    int keep_days = 30;
  };
  auto o = std::make_shared<Options>();
  CLI::App* sub = app.add_subcommand("backup", "Online, consistent copy of a live SQLite database");
  sub->add_option("--db", o->db, "SQLite database file (default var/rebalance.db)")->check(CLI::ExistingFile);
  sub->add_option("--keep-days", o->keep_days, "Retention: how long this backup may be kept (default 30 days)")
      ->check(CLI::Range(1, 3650));
  sub->add_option("OUT", o->out, "Backup file to write (must not exist)")->required();
  sub->footer("Beside OUT, OUT.retention names the date after which the backup must be destroyed (health data).");
  return [o, &globals]() {
    (void)globals;
    if (std::filesystem::exists(o->out))
      throw Failure{kExitBadInput, {"rebalance backup: OUT: expected a new file, found an existing " + o->out}};
    check_writable(o->out);
    const std::string tmp = o->out + ".partial";
    const Date made = today();
    try {
      store::backup_sqlite(o->db, tmp);
      std::filesystem::rename(tmp, o->out);
    } catch (const std::exception& e) {
      std::error_code ec;
      std::filesystem::remove(tmp, ec);
      throw Failure{kExitBadInput, {std::string("rebalance backup: ") + e.what()}};
    }
    write_output("backup of " + o->db + " made " + made.iso() + "; keep until " + made.plus_days(o->keep_days).iso() +
                     ", then destroy it (it holds health data)\n",
                 o->out + ".retention");
    std::cout << "Backed up " << o->db << " to " << o->out << " (keep until " << made.plus_days(o->keep_days).iso() << ")\n";
    return kExitOk;
  };
}

Run add_restore(CLI::App& app, const Globals& globals) {
  struct Options {
    std::string db = "var/rebalance.db";
    std::string backup;
  };
  auto o = std::make_shared<Options>();
  CLI::App* sub = app.add_subcommand("restore", "Restore a SQLite backup, re-applying the client deletions recorded since");
  sub->add_option("--db", o->db, "The database to replace (default var/rebalance.db); stop the server first");
  sub->add_option("BACKUP", o->backup, "A file made by rebalance backup")->required()->check(CLI::ExistingFile);
  sub->footer(
      "Clients deleted in the current database (its audit trail records every deletion) are deleted again in the\n"
      "restored copy, so a restore never brings back health data that was deleted. The replaced file is kept as "
      "DB.before-restore.");
  return [o, &globals]() {
    (void)globals;
    // Deletions recorded in the database being replaced.
    std::vector<std::string> deleted;
    if (std::filesystem::exists(o->db)) {
      try {
        auto current = store::open_sqlite(o->db);
        current->migrate();
        for (int64_t after = 0;;) {
          const auto page = current->audit(after, 1000);
          for (const auto& e : page)
            if (e.action == "delete" && e.resource == "client") deleted.push_back(e.resource_id);
          if (page.size() < 1000) break;
          after = page.back().id;
        }
      } catch (const store::StoreError& e) {
        throw Failure{kExitBadInput,
                      {std::string("rebalance restore: --db: cannot read the deletions to re-apply: ") + e.what()}};
      }
    }
    const std::string tmp = o->db + ".restoring";
    try {
      std::error_code ec;
      std::filesystem::remove(tmp, ec);
      store::backup_sqlite(o->backup, tmp);
      {
        auto restored = store::open_sqlite(tmp);
        restored->migrate();
        for (const auto& id : deleted) restored->delete_client(id, "restore");
      }
      // The replaced database is kept, with its write-ahead log if any.
      for (const char* suffix : {"", "-wal", "-shm"})
        if (std::filesystem::exists(o->db + suffix)) std::filesystem::rename(o->db + suffix, o->db + ".before-restore" + suffix);
      std::filesystem::rename(tmp, o->db);
      for (const char* suffix : {"-wal", "-shm"}) std::filesystem::remove(tmp + suffix, ec);
    } catch (const std::exception& e) {
      std::error_code ec;
      std::filesystem::remove(tmp, ec);
      throw Failure{kExitBadInput, {std::string("rebalance restore: ") + e.what()}};
    }
    std::cout << "Restored " << o->backup << " into " << o->db << "; re-applied " << deleted.size()
              << " recorded client deletion(s)\n";
    return kExitOk;
  };
}

}  // namespace rebalance::cli

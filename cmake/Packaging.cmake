# Installing Rebalance as a Debian user expects, and its .deb.
#
#   cmake --install BUILD [--prefix P]   (P defaults to /usr/local)
#     P/bin/rebalance, P/share/rebalance/data, P/share/rebalance/web (when
#     web/dist is built; those three rules are in CMakeLists.txt), and here:
#     the systemd unit, the config file and the README. For P = /usr they go
#     where Debian keeps them (/lib/systemd/system, /etc/rebalance); for any
#     other P under it (P/lib/systemd/system, which systemd also reads for
#     /usr/local, and P/etc/rebalance), the unit naming P's paths.
#   cd BUILD && cpack -G DEB
#     rebalance_VERSION-1_ARCH.deb: the above for /usr, stripped; the config
#     file a conffile; a system user `rebalance` and the unit enabled and
#     started by postinst (packaging/debian/).

# Sanitizer and fuzzing builds (REBALANCE_ENGINE_ONLY) have no rebalance binary.
if(REBALANCE_ENGINE_ONLY)
  return()
endif()

set(REBALANCE_PACKAGING_DIR "${CMAKE_CURRENT_LIST_DIR}/../packaging")
cmake_path(NORMAL_PATH REBALANCE_PACKAGING_DIR)

install(FILES README.md DESTINATION share/doc/rebalance)

# The prefix is known only at install time (--prefix, CPack's /usr), so the
# system files' places are decided then. An existing config file is kept:
# it may hold the administrator's settings.
install(CODE "set(rebalance_packaging_dir \"${REBALANCE_PACKAGING_DIR}\")")
install(CODE [[
  if(CMAKE_INSTALL_PREFIX STREQUAL "/usr")
    set(rebalance_sysconfdir "/etc")
    set(rebalance_unitdir "/lib/systemd/system")
  else()
    set(rebalance_sysconfdir "${CMAKE_INSTALL_PREFIX}/etc")
    set(rebalance_unitdir "${CMAKE_INSTALL_PREFIX}/lib/systemd/system")
  endif()
  file(READ "${rebalance_packaging_dir}/rebalance.service" rebalance_unit)
  string(REPLACE "/usr/bin/" "${CMAKE_INSTALL_PREFIX}/bin/" rebalance_unit "${rebalance_unit}")
  string(REPLACE "/usr/share/" "${CMAKE_INSTALL_PREFIX}/share/" rebalance_unit "${rebalance_unit}")
  string(REPLACE "/etc/rebalance/" "${rebalance_sysconfdir}/rebalance/" rebalance_unit "${rebalance_unit}")
  # One staging file per destination: installs into two places may run at once.
  string(MD5 rebalance_destination "$ENV{DESTDIR}${CMAKE_INSTALL_PREFIX}")
  set(rebalance_staged "${CMAKE_CURRENT_LIST_DIR}/packaging/${rebalance_destination}/rebalance.service")
  file(WRITE "${rebalance_staged}" "${rebalance_unit}")
  file(INSTALL DESTINATION "${rebalance_unitdir}" TYPE FILE FILES "${rebalance_staged}")
  if(EXISTS "$ENV{DESTDIR}${rebalance_sysconfdir}/rebalance/rebalance.conf")
    message(STATUS "Kept: $ENV{DESTDIR}${rebalance_sysconfdir}/rebalance/rebalance.conf")
  else()
    file(INSTALL DESTINATION "${rebalance_sysconfdir}/rebalance" TYPE FILE FILES "${rebalance_packaging_dir}/rebalance.conf")
  endif()
]])

set(CPACK_PACKAGE_NAME rebalance)
set(CPACK_PACKAGE_VENDOR "Rebalance")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "find and correct muscle imbalances (web app, JSON API and command line)")
# The extended description, wrapped for `apt show` (dpkg keeps the lines).
string(CONCAT CPACK_PACKAGE_DESCRIPTION
  "From an intake of lifestyle, pain, posture, range of motion, strength,\n"
  "endurance and movement screens, Rebalance names which muscles are tight and\n"
  "which are weak, on which side and why, and plans a week-by-week corrective\n"
  "program that progresses from what the client logs.\n"
  ".\n"
  "This package runs the web app and its JSON API as the systemd service\n"
  "rebalance (SQLite in /var/lib/rebalance, settings in\n"
  "/etc/rebalance/rebalance.conf). It is not a diagnosis.")
set(CPACK_STRIP_FILES ON)
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(REBALANCE_DEB_MAINTAINER "Rebalance maintainers <maintainers@rebalance.invalid>"
    CACHE STRING "The Maintainer field of the .deb")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${REBALANCE_DEB_MAINTAINER}")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # rebalance_0.1.0-1_amd64.deb
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# Libraries from dpkg-shlibdeps; besides them, adduser for postinst and the
# font the PDF handouts and drawings are set in.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# Without dpkg-shlibdeps CPack would silently leave the libraries out.
find_program(REBALANCE_DPKG_SHLIBDEPS dpkg-shlibdeps)
if(NOT REBALANCE_DPKG_SHLIBDEPS)
  message(WARNING "dpkg-shlibdeps not found (apt install dpkg-dev): a .deb made by cpack would lack its library dependencies")
endif()
# CPack's shlibdeps step also runs `file`, and stops without it.
find_program(REBALANCE_FILE_UTILITY file)
if(NOT REBALANCE_FILE_UTILITY)
  message(WARNING "file not found (apt install file): cpack -G DEB would stop at its shlibdeps step")
endif()
# libpq and Cairo are opened at run time (src/store/detail/libpq.h,
# src/render/detail/libcairo.h), so dpkg-shlibdeps cannot see them.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser, fonts-dejavu-core, libpq5, libcairo2")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "postgresql")
# Control files: the maintainer scripts (packaging/debian/) and the conffile
# list, with the modes Debian policy asks for (scripts 0755, others 0644).
file(WRITE "${CMAKE_BINARY_DIR}/packaging/conffiles" "/etc/rebalance/rebalance.conf\n")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    "${REBALANCE_PACKAGING_DIR}/debian/postinst;${REBALANCE_PACKAGING_DIR}/debian/prerm;${REBALANCE_PACKAGING_DIR}/debian/postrm;${CMAKE_BINARY_DIR}/packaging/conffiles")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)

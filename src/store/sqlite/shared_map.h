/* shared_map.h — one read-only memory map of each database file for all of the SQLite driver's
 * connections in this process: a VFS that wraps the default one and answers SQLite's page
 * fetches (xFetch) from that map. SQLite's own map is per connection, so the same page mapped
 * by every reading thread counted once per thread in the process's resident size, and
 * Debian's SQLite caps each at 2 GiB; shared, the same resident size covers that many times
 * more of the file. docs/design/store.md "Reads". Internal to src/store/sqlite. */
#ifndef SK_STORE_SQLITE_SHARED_MAP_H
#define SK_STORE_SQLITE_SHARED_MAP_H

#include <stdint.h>

/* The VFS's name for sqlite3_open_v2, registered on first use; NULL if it could not be. */
const char *sk_sqlite_shared_map_vfs(void);

/* How much of each database file the map covers at most, in bytes (process-wide; the map
 * grows with the file up to it). Pages beyond it are read as SQLite reads them without a map. */
void sk_sqlite_shared_map_budget(int64_t bytes);

/* Bytes of database files currently mapped (for tests and metrics). */
int64_t sk_sqlite_shared_map_bytes(void);

#endif

/* snapshots.c — read snapshots and checkpoints of the SQLite driver.
 *
 * Read snapshots (docs/design/store.md "Read snapshots"): a read-only transaction is not
 * ended when its caller is done while nothing has been committed since it began; the thread's
 * next read-only transaction reuses it as long as that is still so. "Nothing committed" is
 * read from the WAL-index header every writer updates on commit (in the -shm file, format in
 * sqlite.org/walformat.html §2.1: two 48-byte copies at offset 0), so a commit by any
 * connection of any process ends the reuse. A janitor thread ends snapshots left idle for
 * SNAPSHOT_IDLE_MS, so that a quiet reader never holds back a checkpoint. Saves BEGIN,
 * ROLLBACK and the shared-memory locks (two fcntl and a process-wide mutex) per look-up.
 *
 * Checkpoints (docs/design/store.md "Checkpoints"): the same janitor copies the WAL into the
 * database (a passive checkpoint on the anchor connection) once checkpoint_frames frames wait,
 * so a commit — a 届出's acknowledgement, a batch of look-up audit rows — does not copy
 * 32 MB and fsync the database first, as SQLite's automatic checkpoint in the committing
 * connection does. That one stays, at AUTOCHECKPOINT_BACKSTOP frames, should the janitor not
 * keep up. The janitor follows a pass with short ones until every frame is copied, or the WAL
 * would never start over under a steady writer (sk_sqlite_janitor_main). */
#include <stdatomic.h>
#include <string.h>
#include <time.h>

#include "store/sqlite/sqlite_int.h"
#include "util/clock.h"

/* ---- read snapshots ---- */

/* The WAL-index header now; false when the two copies differ (a writer is updating it). A
 * writer writes the second copy, then the first; we read the first, then the second. */
bool sk_sqlite_wal_header(const pool *pl, uint8_t h[48])
{
    /* six 8-byte words per copy (the map is page-aligned): this runs twice per look-up */
    const volatile uint64_t *w = (const volatile uint64_t *)(const volatile void *)pl->shm;
    uint64_t first[6], second[6];
    for (int i = 0; i < 6; i++)
        first[i] = w[i];
    atomic_thread_fence(memory_order_seq_cst);
    for (int i = 0; i < 6; i++)
        second[i] = w[6 + i];
    memcpy(h, first, 48);
    return memcmp(first, second, 48) == 0;
}

/* Frames of the WAL copied into the database: the checkpoint information's nBackfill (offset
 * 96), walformat.html §2.2. */
static uint32_t wal_copied(const pool *pl)
{
    return ((const volatile uint32_t *)(const volatile void *)pl->shm)[96 / 4];
}

/* Frames in the WAL not yet copied into the database: the WAL-index header's mxFrame (offset
 * 16, §2.1) less those copied. */
static uint32_t wal_backlog(const pool *pl)
{
    uint32_t frames = ((const volatile uint32_t *)(const volatile void *)pl->shm)[16 / 4];
    uint32_t copied = wal_copied(pl);
    return frames > copied ? frames - copied : 0;
}

/* The WAL-index as SQLite maps it for the anchor connection (region 0, 32 KiB, which holds
 * both header copies and the checkpoint information): the pointer stays valid while that
 * connection is open. Leaves pl->shm NULL (no reuse) when there is none yet.
 * Not a map of our own: opening and closing a descriptor of the -shm file would release every
 * POSIX lock the process holds on it (fcntl(2)), SQLite's "a connection is using this
 * WAL-index" lock among them; the next process to open the database would then take itself
 * for the first, truncate the -shm file and rebuild it under the daemon's readers (SIGBUS on
 * the daemon's maps of it, or a reader on a rewritten index). */
void sk_sqlite_map_wal_index(pool *pl)
{
    sqlite3_file *f = NULL;
    void volatile *region = NULL;
    if (sqlite3_file_control(pl->anchor, "main", SQLITE_FCNTL_FILE_POINTER, &f) != SQLITE_OK ||
        !f || !f->pMethods || f->pMethods->iVersion < 2 || !f->pMethods->xShmMap)
        return;
    if (f->pMethods->xShmMap(f, 0, 32768, 0, &region) == SQLITE_OK && region)
        pl->shm = (const volatile uint8_t *)region;
}

/* Ends a held snapshot (c->mu held). */
void sk_sqlite_snapshot_end(conn *c)
{
    if (!c->held)
        return;
    c->held = false;
    if (!sqlite3_get_autocommit(c->h))
        sk_sqlite_run(c, TX_ROLLBACK, NULL);
}

/* The end of a read-only transaction: held when nothing was committed since it began, else
 * rolled back. Releases c->mu. */
void sk_sqlite_read_end(conn *c)
{
    uint8_t h[48];
    c->reading = false;
    if (!sqlite3_get_autocommit(c->h)) {
        if (c->snap_ok && sk_sqlite_wal_header(c->owner, h) && memcmp(h, c->snap, 48) == 0) {
            c->held = true;
            c->held_ns = sk_monotonic_ns();
        } else {
            sk_sqlite_run(c, TX_ROLLBACK, NULL);
        }
    }
    pthread_mutex_unlock(&c->mu);
}

/* Every SNAPSHOT_IDLE_MS: ends snapshots idle for that long, then checkpoints if
 * checkpoint_frames frames wait. Passive: it copies what no reader still needs from the WAL
 * and never waits for a reader or the writer; what it leaves, a later pass copies.
 * Up to CHECKPOINT_PASSES passes, each copying what was committed while the one before ran:
 * SQLite starts the WAL over from its beginning only when a transaction begins with every
 * frame copied, and under a steady writer (the look-up log's, every few tens of ms) one pass
 * never ends before the next commit — the WAL then grew for as long as the load lasted
 * (183 MB in an 18 s benchmark), and every commit's fdatasync had to write the file's new size
 * and so wait for the journal and the checkpoint's writes (docs/design/store.md
 * "Checkpoints"). A pass that copies nothing (a reader still needs the frames) ends them. */
#define CHECKPOINT_PASSES 4
static void checkpoint(pool *pl)
{
    for (int pass = 0; pass < CHECKPOINT_PASSES && wal_backlog(pl) > 0; pass++) {
        uint32_t before = wal_copied(pl);
        sqlite3_wal_checkpoint_v2(pl->anchor, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
        if (wal_copied(pl) == before)
            break;
    }
}

void *sk_sqlite_janitor_main(void *arg)
{
    pool *pl = arg;
    pthread_mutex_lock(&pl->mu);
    while (!pl->janitor_stop) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        long long ns = until.tv_nsec + SNAPSHOT_IDLE_MS * 1000000LL;
        until.tv_sec += (time_t)(ns / 1000000000LL);
        until.tv_nsec = (long)(ns % 1000000000LL);
        pthread_cond_timedwait(&pl->janitor_cv, &pl->mu, &until);
        int64_t now = sk_monotonic_ns();
        for (conn *c = pl->all; c; c = c->next) {
            if (pthread_mutex_trylock(&c->mu) != 0)
                continue; /* in use: not idle */
            if (c->held && now - c->held_ns >= SNAPSHOT_IDLE_MS * 1000000LL)
                sk_sqlite_snapshot_end(c);
            pthread_mutex_unlock(&c->mu);
        }
        if (!pl->janitor_stop && wal_backlog(pl) >= pl->checkpoint_frames) {
            pthread_mutex_unlock(&pl->mu); /* a new thread's connection need not wait */
            checkpoint(pl);
            pthread_mutex_lock(&pl->mu);
        }
    }
    pthread_mutex_unlock(&pl->mu);
    return NULL;
}

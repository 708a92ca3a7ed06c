/* sqlite.c — the SQLite driver: WAL, foreign keys, busy timeout, synchronous=FULL (a commit is
 * on disk when it returns) except on the group commit's writer connection (NORMAL, made
 * durable by drv_sync), one connection per thread (created on the thread's first
 * transaction, closed at thread exit or store close), prepared statements cached per
 * connection, migrations applied at open.
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
 * would never start over under a steady writer (janitor_main). */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdatomic.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "store/sqlite/migrations.h"
#include "store/sqlite/shared_map.h"
#include "store/store_driver.h"
#include "util/clock.h"

/* ---- statements ---- */
enum {
    ST_BEGIN_W,
    ST_BEGIN_R,
    ST_COMMIT,
    ST_ROLLBACK,
    ST_INSURER_ADD,
    ST_INSURER_GET,
    ST_INSURER_LIST,
    ST_EMPLOYER_ADD,
    ST_EMPLOYER_GET,
    ST_PERSON_ADD,
    ST_PERSON_GET_ID,
    ST_PERSON_GET_PID,
    ST_PERSON_GET_IDX,
    ST_PERSON_UPDATE,
    ST_PERSON_SET_MN,
    ST_QUAL_ADD,
    ST_QUAL_GET,
    ST_QUAL_UPDATE,
    ST_QUAL_BY_PERSON,
    ST_QUAL_BY_KEY,
    ST_QUAL_BY_KEY_BRANCH,
    ST_QUAL_BY_KEY_INDEX,
    ST_QUAL_BY_KEY_BRANCH_INDEX,
    ST_ELIG_BY_KEY,
    ST_ELIG_BY_KEY_BRANCH,
    ST_ELIG_BY_KEY_INDEX,
    ST_ELIG_BY_KEY_BRANCH_INDEX,
    ST_NOTIF_ADD,
    ST_NOTIF_GET,
    ST_NOTIF_IDEM,
    ST_NOTIF_UPDATE,
    ST_NOTIF_EVENT_ADD,
    ST_NOTIF_EVENTS,
    ST_NOTIF_COUNTS,
    ST_AUDIT_LAST,
    ST_AUDIT_ADD,
    ST_AUDIT_SCAN,
    ST_PRINCIPAL_ADD,
    ST_PRINCIPAL_FIND,
    ST_COUNTER_NEXT,
    ST_QUAL_BY_INSURER,
    ST_NOTIF_BY_PERSON,
    ST_SAVEPOINT,
    ST_RELEASE,
    ST_ROLLBACK_TO,
    ST_BULK_ADD,
    ST_BULK_GET,
    ST_BULK_NEXT,
    ST_BULK_FINISH,
    ST_BULK_PURGE,
    ST_REFNO_SET,
    ST_DCERT_ADD,
    ST_DCERT_LIST,
    ST_ICHECK_ADD,
    ST_ICHECK_LAST,
    ST_WI_ADD,
    ST_WI_GET,
    ST_WI_RESOLVE,
    ST_WI_LIST,
    ST_WI_LIST_ASSIGNEE,
    ST_WI_LIST_PERSON,
    ST_WI_LIST_NOTIF,
    ST_WI_LIST_KIND,
    ST_STOP_ADD,
    ST_STOP_CLOSE,
    ST_STOP_LIST,
    ST_ACQ_SEED,
    ST_ACQ_DUE,
    ST_ACQ_SETTLED,
    ST_ACQ_GET,
    ST_ACQ_UPDATE,
    ST_PERSON_NEXT,
    ST_BULK_IDEM,
    ST__COUNT
};

#define BULK_COLS                                                                                  \
    "id, reception_number, message, institution, principal_id, charset, request, result, "         \
    "created_ms, coalesce(done_ms, 0), coalesce(idem_key, '')"
#define PERSON_COLS                                                                                \
    "id, pid, name, kana, birthdate, sex, address, postcode, mynumber_ct, mynumber_idx, "          \
    "created_ms, updated_ms"
#define QUAL_COLS                                                                                  \
    "id, person_id, insurer_number, symbol, number, branch, relationship, insured_person_id, "     \
    "card_class, acquired_on, lost_on, loss_reason, ratio_class, limit_category, registered_ms, "  \
    "display_stopped, created_ms, updated_ms, coalesce(employer_id, 0)"
#define ELIG_COLS                                                                                  \
    "q.id, q.person_id, q.insurer_number, q.symbol, q.number, q.branch, q.relationship, "          \
    "q.insured_person_id, q.card_class, q.acquired_on, q.lost_on, q.loss_reason, q.ratio_class, "  \
    "q.limit_category, q.registered_ms, q.display_stopped, q.created_ms, q.updated_ms, "           \
    "coalesce(q.employer_id, 0), p.id, p.pid, p.name, p.kana, p.birthdate, p.sex, p.address, "     \
    "p.postcode, NULL, NULL, p.created_ms, p.updated_ms, coalesce(r.reference_number, '')"
#define ELIG_PERSON_COL 19 /* where PERSON_COLS begin in ELIG_COLS */
#define ELIG_REFNO_COL  31
#define ELIG_FROM                                                                                  \
    " FROM qualifications AS q NOT INDEXED LEFT JOIN persons AS p ON p.id = q.person_id "          \
    "LEFT JOIN reference_numbers AS r ON r.institution = ?5 AND r.person_id = q.person_id "        \
    "WHERE q.insurer_number = ?1 AND q.number = ?2 AND q.symbol = ?3"
#define NOTIF_COLS                                                                                 \
    "id, kind, insurer_number, coalesce(employer_id, 0), submitter, coalesce(idem_key, ''), "      \
    "state, event_date, filed_ms, registered_ms, coalesce(person_id, 0), payload, errors, "        \
    "coalesce(qualification_id, 0)"
#define AUDIT_COLS "id, at_ms, actor, action, object, detail, prev_hash, hash"

#define WI_COLS                                                                                    \
    "id, kind, assignee_role, assignee_scope, insurer_number, person_id, notification_id, "        \
    "qualification_id, risk, detail, state, created_ms, resolved_ms, resolved_by, resolution, "    \
    "reason"
#define WI_FILTER                                                                                  \
    "(?1 IS NULL OR assignee_role = ?1) AND (?2 IS NULL OR assignee_scope = ?2) AND "              \
    "(?3 IS NULL OR state = ?3) AND (?4 IS NULL OR kind = ?4) AND (?5 = 0 OR person_id = ?5) "     \
    "AND (?6 = 0 OR notification_id = ?6) AND id > ?7 ORDER BY id LIMIT ?8"
#define ACQ_COLS                                                                                   \
    "notification_id, person_id, insurer_number, employer_id, stage, requested_ms, reminded_ms, "  \
    "next_ms, attempts, outcome, updated_ms"

static const char *const sql_text[ST__COUNT] = {
    [ST_BEGIN_W] = "BEGIN IMMEDIATE",
    [ST_BEGIN_R] = "BEGIN",
    [ST_COMMIT] = "COMMIT",
    [ST_ROLLBACK] = "ROLLBACK",
    [ST_INSURER_ADD] = "INSERT INTO insurers (number, kind, name, numbering_rule, created_ms) "
                       "VALUES (?, ?, ?, ?, ?)",
    [ST_INSURER_GET] = "SELECT number, kind, name, numbering_rule, created_ms FROM insurers "
                       "WHERE number = ?",
    [ST_INSURER_LIST] = "SELECT number, kind, name, numbering_rule, created_ms FROM insurers "
                        "ORDER BY number",
    [ST_EMPLOYER_ADD] = "INSERT INTO employers (insurer_number, name, office_code, created_ms) "
                        "VALUES (?, ?, ?, ?)",
    [ST_EMPLOYER_GET] = "SELECT id, insurer_number, name, office_code, created_ms FROM employers "
                        "WHERE id = ?",
    [ST_PERSON_ADD] = "INSERT INTO persons (pid, name, kana, birthdate, sex, address, postcode, "
                      "mynumber_ct, mynumber_idx, created_ms, updated_ms) "
                      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    [ST_PERSON_GET_ID] = "SELECT " PERSON_COLS " FROM persons WHERE id = ?",
    [ST_PERSON_GET_PID] = "SELECT " PERSON_COLS " FROM persons WHERE pid = ?",
    [ST_PERSON_GET_IDX] = "SELECT " PERSON_COLS " FROM persons WHERE mynumber_idx = ?",
    [ST_PERSON_UPDATE] = "UPDATE persons SET name = ?, kana = ?, birthdate = ?, sex = ?, "
                         "address = ?, postcode = ?, updated_ms = ? WHERE id = ?",
    [ST_PERSON_SET_MN] = "UPDATE persons SET mynumber_ct = ?, mynumber_idx = ?, updated_ms = ? "
                         "WHERE id = ?",
    /* the table is clustered by card key (migration 10), so ids are given here: the next
     * after the largest, as SQLite gives rowids (found at the end of the UNIQUE index) */
    [ST_QUAL_ADD] =
        "INSERT INTO qualifications (id, person_id, insurer_number, symbol, number, "
        "branch, relationship, insured_person_id, card_class, acquired_on, lost_on, "
        "loss_reason, ratio_class, limit_category, registered_ms, display_stopped, "
        "created_ms, updated_ms, employer_id) VALUES ((SELECT coalesce(max(id), 0) + 1 FROM "
        "qualifications), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    [ST_QUAL_GET] = "SELECT " QUAL_COLS " FROM qualifications WHERE id = ?",
    [ST_QUAL_UPDATE] = "UPDATE qualifications SET lost_on = ?, loss_reason = ?, ratio_class = ?, "
                       "limit_category = ?, registered_ms = ?, display_stopped = ?, "
                       "updated_ms = ? WHERE id = ?",
    [ST_QUAL_BY_PERSON] = "SELECT " QUAL_COLS " FROM qualifications WHERE person_id = ? "
                          "ORDER BY acquired_on, id",
    /* NOT INDEXED: the key is the table's own order (a search of its primary key); ordering
     * by acquired_on would otherwise tempt the planner into another index and a scan of the
     * whole insurer */
    [ST_QUAL_BY_KEY] = "SELECT " QUAL_COLS " FROM qualifications NOT INDEXED "
                       "WHERE insurer_number = ? AND "
                       "number = ? AND symbol = ? ORDER BY acquired_on, id",
    [ST_QUAL_BY_KEY_BRANCH] = "SELECT " QUAL_COLS " FROM qualifications "
                              "NOT INDEXED WHERE "
                              "insurer_number = ? AND number = ? AND symbol = ? AND branch = ? "
                              "ORDER BY acquired_on, id",
    /* the same in key order, for drv_qual_by_key to sort the few rows itself */
    [ST_QUAL_BY_KEY_INDEX] = "SELECT " QUAL_COLS " FROM qualifications NOT INDEXED "
                             "WHERE insurer_number = ? AND number = ? AND symbol = ?",
    [ST_QUAL_BY_KEY_BRANCH_INDEX] = "SELECT " QUAL_COLS " FROM qualifications "
                                    "NOT INDEXED WHERE insurer_number = ? AND "
                                    "number = ? AND symbol = ? AND branch = ?",
    /* an eligibility look-up's rows: the qualifications of a key with their persons and the
     * asking institution's 照会番号 (?5); columns as QUAL_COLS, then PERSON_COLS (the My Number
     * not read), then the number */
    [ST_ELIG_BY_KEY] = "SELECT " ELIG_COLS ELIG_FROM " ORDER BY q.acquired_on, q.id",
    [ST_ELIG_BY_KEY_BRANCH] =
        "SELECT " ELIG_COLS ELIG_FROM " AND q.branch = ?4 ORDER BY q.acquired_on, q.id",
    [ST_ELIG_BY_KEY_INDEX] = "SELECT " ELIG_COLS ELIG_FROM,
    [ST_ELIG_BY_KEY_BRANCH_INDEX] = "SELECT " ELIG_COLS ELIG_FROM " AND q.branch = ?4",
    [ST_NOTIF_ADD] = "INSERT INTO notifications (kind, insurer_number, employer_id, submitter, "
                     "idem_key, state, event_date, filed_ms, registered_ms, person_id, payload, "
                     "errors, qualification_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    [ST_NOTIF_GET] = "SELECT " NOTIF_COLS " FROM notifications WHERE id = ?",
    [ST_NOTIF_IDEM] = "SELECT " NOTIF_COLS " FROM notifications WHERE submitter = ? AND "
                      "idem_key = ?",
    [ST_NOTIF_UPDATE] = "UPDATE notifications SET state = ?, registered_ms = ?, person_id = ?, "
                        "errors = ?, qualification_id = ? WHERE id = ?",
    [ST_NOTIF_EVENT_ADD] = "INSERT INTO notification_events (notification_id, state, at_ms, "
                           "note) VALUES (?, ?, ?, ?)",
    [ST_NOTIF_EVENTS] = "SELECT id, state, at_ms, note FROM notification_events WHERE "
                        "notification_id = ? ORDER BY id",
    [ST_NOTIF_COUNTS] = "SELECT state, count(*) FROM notifications GROUP BY state ORDER BY state",
    [ST_AUDIT_LAST] = "SELECT hash FROM audit ORDER BY id DESC LIMIT 1",
    [ST_AUDIT_ADD] = "INSERT INTO audit (at_ms, actor, action, object, detail, prev_hash, hash) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?)",
    [ST_AUDIT_SCAN] = "SELECT " AUDIT_COLS " FROM audit ORDER BY id",
    [ST_PRINCIPAL_ADD] = "INSERT INTO principals (role, scope, token_hash, label, disabled, "
                         "created_ms) VALUES (?, ?, ?, ?, ?, ?)",
    [ST_PRINCIPAL_FIND] = "SELECT id, role, scope, token_hash, label, disabled, created_ms "
                          "FROM principals WHERE token_hash = ?",
    [ST_COUNTER_NEXT] = "INSERT INTO counters (insurer_number, scope, value) VALUES (?, ?, 1) "
                        "ON CONFLICT (insurer_number, scope) DO UPDATE SET value = value + 1 "
                        "RETURNING value",
    [ST_QUAL_BY_INSURER] = "SELECT " QUAL_COLS " FROM qualifications WHERE insurer_number = ? "
                           "AND acquired_on <= ?2 AND (lost_on IS NULL OR lost_on > ?2) "
                           "AND id > ? ORDER BY id LIMIT ?",
    [ST_NOTIF_BY_PERSON] = "SELECT " NOTIF_COLS " FROM notifications WHERE person_id = ? AND "
                           "state = ? ORDER BY id",
    [ST_SAVEPOINT] = "SAVEPOINT job",
    [ST_RELEASE] = "RELEASE job",
    [ST_ROLLBACK_TO] = "ROLLBACK TO job",
    [ST_BULK_ADD] = "INSERT INTO bulk_requests (reception_number, message, institution, "
                    "principal_id, charset, request, created_ms, idem_key) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    [ST_BULK_IDEM] = "SELECT " BULK_COLS " FROM bulk_requests WHERE institution = ? AND "
                     "idem_key = ?",
    [ST_BULK_GET] = "SELECT " BULK_COLS " FROM bulk_requests WHERE reception_number = ?",
    [ST_BULK_NEXT] = "SELECT " BULK_COLS " FROM bulk_requests WHERE result IS NULL "
                     "ORDER BY id LIMIT 1",
    [ST_BULK_FINISH] = "UPDATE bulk_requests SET result = ?, done_ms = ? WHERE id = ? "
                       "AND result IS NULL",
    [ST_BULK_PURGE] = "DELETE FROM bulk_requests WHERE result IS NOT NULL AND created_ms < ?",
    [ST_REFNO_SET] = "INSERT INTO reference_numbers (institution, person_id, reference_number, "
                     "updated_ms) VALUES (?, ?, ?, ?) ON CONFLICT (institution, person_id) DO "
                     "UPDATE SET reference_number = excluded.reference_number, "
                     "updated_ms = excluded.updated_ms",
    [ST_PERSON_NEXT] = "SELECT id FROM persons WHERE id > ? ORDER BY id LIMIT 1",
    /* the person's latest 本人確認判定 replaces the one before (history: audit rows) */
    [ST_ICHECK_ADD] = "INSERT OR REPLACE INTO identity_status (person_id, at_ms, trigger, "
                      "verdict, differ, folded) VALUES (?, ?, ?, ?, ?, ?)",
    [ST_ICHECK_LAST] = "SELECT person_id, person_id, at_ms, trigger, verdict, differ, folded FROM "
                       "identity_status WHERE person_id = ?",
    [ST_WI_ADD] = "INSERT INTO work_items (kind, assignee_role, assignee_scope, insurer_number, "
                  "person_id, notification_id, qualification_id, risk, detail, state, created_ms) "
                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?)",
    [ST_WI_GET] = "SELECT " WI_COLS " FROM work_items WHERE id = ?",
    [ST_WI_RESOLVE] = "UPDATE work_items SET state = ?, resolved_ms = ?, resolved_by = ?, "
                      "resolution = ?, reason = ? WHERE id = ?",
    /* one shape per leading filter, so that each uses its index (an "?1 IS NULL OR" term
     * cannot) */
    [ST_WI_LIST] = "SELECT " WI_COLS " FROM work_items WHERE " WI_FILTER,
    [ST_WI_LIST_ASSIGNEE] = "SELECT " WI_COLS " FROM work_items WHERE assignee_role = ?1 AND "
                            "assignee_scope = ?2 AND " WI_FILTER,
    [ST_WI_LIST_PERSON] = "SELECT " WI_COLS " FROM work_items WHERE person_id = ?5 AND " WI_FILTER,
    [ST_WI_LIST_NOTIF] =
        "SELECT " WI_COLS " FROM work_items WHERE notification_id = ?6 AND " WI_FILTER,
    [ST_WI_LIST_KIND] = "SELECT " WI_COLS " FROM work_items WHERE kind = ?4 AND " WI_FILTER,
    [ST_STOP_ADD] = "INSERT INTO display_stops (qualification_id, cause, work_item_id, opened_ms, "
                    "opened_by) VALUES (?, ?, ?, ?, ?)",
    [ST_STOP_CLOSE] = "UPDATE display_stops SET closed_ms = ?, closed_by = ?, resolution = ?, "
                      "reason = ? WHERE id = ? AND closed_ms IS NULL",
    [ST_STOP_LIST] = "SELECT id, qualification_id, cause, work_item_id, opened_ms, opened_by, "
                     "closed_ms, closed_by, resolution, reason FROM display_stops "
                     "WHERE qualification_id = ?1 AND (?2 = 0 OR closed_ms IS NULL) ORDER BY id",
    [ST_ACQ_SEED] = "INSERT INTO acquisitions (notification_id, person_id, insurer_number, "
                    "employer_id, stage, requested_ms, next_ms, updated_ms) "
                    "SELECT n.id, n.person_id, n.insurer_number, n.employer_id, 'requested', "
                    "n.filed_ms, n.filed_ms + ?1, ?2 FROM notifications n INDEXED BY "
                    "notifications_pending WHERE n.state = 'pending_my_number' AND "
                    "n.person_id IS NOT NULL AND "
                    "NOT EXISTS (SELECT 1 FROM acquisitions a WHERE a.notification_id = n.id)",
    [ST_ACQ_DUE] = "SELECT " ACQ_COLS " FROM acquisitions WHERE stage IN ('requested', "
                   "'reminded') AND next_ms <= ? ORDER BY next_ms LIMIT ?",
    [ST_ACQ_SETTLED] = "SELECT " ACQ_COLS " FROM acquisitions a WHERE stage != 'done' AND "
                       "(SELECT state FROM notifications n WHERE n.id = a.notification_id) != "
                       "'pending_my_number' LIMIT ?",
    [ST_ACQ_GET] = "SELECT " ACQ_COLS " FROM acquisitions WHERE notification_id = ?",
    [ST_ACQ_UPDATE] = "UPDATE acquisitions SET stage = ?, reminded_ms = ?, next_ms = ?, "
                      "attempts = ?, outcome = ?, updated_ms = ? WHERE notification_id = ?",
    [ST_DCERT_ADD] = "INSERT INTO disease_certificates (qualification_id, category, "
                     "certificate_date, valid_from, valid_until, self_pay, created_ms) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?)",
    [ST_DCERT_LIST] = "SELECT id, qualification_id, category, certificate_date, valid_from, "
                      "valid_until, self_pay, created_ms FROM disease_certificates "
                      "WHERE qualification_id = ? ORDER BY id",
};

/* ---- connections ---- */
typedef struct pool pool;

typedef struct conn {
    sqlite3 *h;
    sqlite3_stmt *st[ST__COUNT];
    struct conn *next;
    pool *owner;
    bool mapped; /* mmap_size set: the thread has run a read-only transaction */
    /* read snapshots: mu is held by the owning thread from begin to commit/rollback and
     * taken by the janitor to end an idle snapshot */
    pthread_mutex_t mu;
    bool reading;    /* the open transaction is read-only */
    bool snap_ok;    /* snap is the WAL-index header the read transaction started on */
    bool held;       /* a read transaction is open though its caller is done */
    int64_t held_ns; /* when it was last let go (monotonic) */
    uint8_t snap[48];
} conn;

struct pool {
    char *path;
    int busy_ms;
    uint32_t checkpoint_frames; /* the janitor checkpoints when this many frames wait */
    int cache_mib;              /* 0 = SQLite's default page cache per connection */
    long long mmap_bytes;       /* read-only transactions' memory map; 0 = none */
    sk_store_kind kind;
    const sk_sqlite_migration *migrations;
    int version;
    pthread_key_t key;
    pthread_mutex_t mu;
    conn *all;
    conn *writer; /* the group commit's connection (one leader at a time uses it) */
    /* the writer commits with synchronous=NORMAL (its frames reach the WAL, unsynced) and
     * drv_sync makes them durable with fdatasync on this descriptor of the WAL file */
    int wal_fd;
    dev_t wal_dev;
    ino_t wal_ino;
    /* read snapshots: the WAL-index as SQLite maps it for the anchor, read only (NULL: no
     * reuse), and the janitor that ends idle ones */
    const volatile uint8_t *shm;
    sqlite3 *anchor; /* open for the pool's life: the -shm file, its map and SQLite's lock stay */
    bool janitor_on, janitor_stop;
    pthread_t janitor;
    pthread_cond_t janitor_cv;
};

#define SNAPSHOT_IDLE_MS        50    /* an unused read snapshot is ended after this */
#define AUTOCHECKPOINT_BACKSTOP 65536 /* a committing connection checkpoints past this */

static sk_err rc_err(sqlite3 *h, int rc, const char *what, sk_diag *d)
{
    int ext = h ? sqlite3_extended_errcode(h) : rc;
    const char *msg = h ? sqlite3_errmsg(h) : sqlite3_errstr(rc);
    switch (rc & 0xFF) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return sk_diag_set(d, SK_C_STORE_BUSY, what, "database busy; retry");
    case SQLITE_CONSTRAINT:
        if (ext == SQLITE_CONSTRAINT_FOREIGNKEY)
            return sk_diag_set(d, SK_C_FOREIGN_KEY, what, "a referenced record does not exist");
        if (ext == SQLITE_CONSTRAINT_UNIQUE || ext == SQLITE_CONSTRAINT_PRIMARYKEY) {
            if (strstr(msg, "mynumber_idx"))
                return sk_diag_set(d, SK_C_MYNUMBER_TAKEN, "mynumber",
                                   "this My Number is already registered for another person");
            return sk_diag_set(d, SK_C_DUPLICATE, what, "a record with this key exists (%s)", msg);
        }
        return sk_diag_set(d, SK_C_STORE, what, "constraint failed: %s", msg);
    default:
        return sk_diag_set(d, SK_C_STORE, what, "sqlite: %s", msg);
    }
}

static sk_err exec_sql(sqlite3 *h, const char *sql, const char *what, sk_diag *d)
{
    char *em = NULL;
    int rc = sqlite3_exec(h, sql, NULL, NULL, &em);
    if (rc != SQLITE_OK) {
        sk_err err = sk_diag_set(d, (rc & 0xFF) == SQLITE_BUSY ? SK_C_STORE_BUSY : SK_C_STORE, what,
                                 "sqlite: %s", em ? em : sqlite3_errstr(rc));
        sqlite3_free(em);
        return err;
    }
    return SK_OK;
}

static void conn_free(conn *c)
{
    for (int i = 0; i < ST__COUNT; i++)
        sqlite3_finalize(c->st[i]);
    sqlite3_close_v2(c->h); /* ends a held read snapshot too */
    pthread_mutex_destroy(&c->mu);
    free(c);
}

static void conn_thread_exit(void *p)
{
    conn *c = p;
    pool *pl = c->owner;
    pthread_mutex_lock(&pl->mu);
    for (conn **pp = &pl->all; *pp; pp = &(*pp)->next) {
        if (*pp == c) {
            *pp = c->next;
            break;
        }
    }
    pthread_mutex_unlock(&pl->mu);
    conn_free(c);
}

/* Once per process, before any connection: SQLite's memory statistics take one global mutex
 * on every allocation, which serialised the group-commit writer against every reader (seen
 * as futex waits under sqlite3Malloc in an off-CPU profile). We do not read them. */
static pthread_once_t sqlite_once = PTHREAD_ONCE_INIT;
static void sqlite_setup(void)
{
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); /* SQLITE_MISUSE if already initialised */
    sqlite3_initialize();
}

static sk_err open_handle(const char *path, int busy_ms, bool create, sqlite3 **out, sk_diag *d)
{
    pthread_once(&sqlite_once, sqlite_setup);
    sqlite3 *h = NULL;
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
    /* the VFS whose page fetches come from one map per file for all connections (reads that
     * enable mapping use it; the rest of the file I/O is the default VFS's) */
    int rc = sqlite3_open_v2(path, &h, flags, sk_sqlite_shared_map_vfs());
    if (rc != SQLITE_OK) {
        sk_err err = sk_diag_set(d, SK_C_STORE, "db", "cannot open database %s: %s", path,
                                 h ? sqlite3_errmsg(h) : sqlite3_errstr(rc));
        sqlite3_close_v2(h);
        return err;
    }
    sqlite3_extended_result_codes(h, 1);
    sqlite3_busy_timeout(h, busy_ms);
    sk_err err = exec_sql(h,
                          "PRAGMA journal_mode = WAL;"
                          "PRAGMA synchronous = FULL;"
                          "PRAGMA foreign_keys = ON;"
                          "PRAGMA trusted_schema = OFF;"
                          "PRAGMA temp_store = MEMORY;"
                          "PRAGMA wal_autocheckpoint = 8192;",
                          "db", d);
    if (err) {
        sqlite3_close_v2(h);
        return err;
    }
    *out = h;
    return SK_OK;
}

static sk_err new_conn(pool *pl, conn **out, sk_diag *d)
{
    conn *c = calloc(1, sizeof(*c));
    if (!c)
        return sk_diag_set(d, SK_C_NOMEM, "db", "out of memory");
    sk_err err = open_handle(pl->path, pl->busy_ms, false, &c->h, d);
    if (err) {
        free(c);
        return err;
    }
    if (pl->cache_mib > 0) {
        char pragma[64];
        snprintf(pragma, sizeof(pragma), "PRAGMA cache_size = -%d;", pl->cache_mib * 1024);
        if ((err = exec_sql(c->h, pragma, "db", d))) {
            sqlite3_close(c->h);
            free(c);
            return err;
        }
    }
    if (pl->janitor_on) { /* it checkpoints; this connection only as a backstop */
        char pragma[64];
        snprintf(pragma, sizeof(pragma), "PRAGMA wal_autocheckpoint = %d;",
                 AUTOCHECKPOINT_BACKSTOP);
        if ((err = exec_sql(c->h, pragma, "db", d))) {
            sqlite3_close(c->h);
            free(c);
            return err;
        }
    }
    c->owner = pl;
    pthread_mutex_init(&c->mu, NULL);
    *out = c;
    return SK_OK;
}

/* ---- read snapshots ---- */

static sk_err run_simple(conn *c, int id, sk_diag *d);

/* The WAL-index header now; false when the two copies differ (a writer is updating it). A
 * writer writes the second copy, then the first; we read the first, then the second. */
static bool wal_header(const pool *pl, uint8_t h[48])
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
static void map_wal_index(pool *pl)
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
static void snapshot_end(conn *c)
{
    if (!c->held)
        return;
    c->held = false;
    if (!sqlite3_get_autocommit(c->h))
        run_simple(c, ST_ROLLBACK, NULL);
}

/* The end of a read-only transaction: held when nothing was committed since it began, else
 * rolled back. Releases c->mu. */
static void read_end(conn *c)
{
    uint8_t h[48];
    c->reading = false;
    if (!sqlite3_get_autocommit(c->h)) {
        if (c->snap_ok && wal_header(c->owner, h) && memcmp(h, c->snap, 48) == 0) {
            c->held = true;
            c->held_ns = sk_monotonic_ns();
        } else {
            run_simple(c, ST_ROLLBACK, NULL);
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

static void *janitor_main(void *arg)
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
                snapshot_end(c);
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

static sk_err get_conn(pool *pl, conn **out, sk_diag *d)
{
    conn *c = pthread_getspecific(pl->key);
    if (c) {
        *out = c;
        return SK_OK;
    }
    sk_err err = new_conn(pl, &c, d);
    if (err)
        return err;
    pthread_mutex_lock(&pl->mu);
    c->next = pl->all;
    pl->all = c;
    pthread_mutex_unlock(&pl->mu);
    pthread_setspecific(pl->key, c);
    *out = c;
    return SK_OK;
}

static sk_err stmt(conn *c, int id, sqlite3_stmt **out, sk_diag *d)
{
    if (!c->st[id]) {
        int rc =
            sqlite3_prepare_v3(c->h, sql_text[id], -1, SQLITE_PREPARE_PERSISTENT, &c->st[id], NULL);
        if (rc != SQLITE_OK)
            return rc_err(c->h, rc, "db", d);
    }
    *out = c->st[id];
    return SK_OK;
}

static void done(sqlite3_stmt *s)
{
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
}

/* ---- migrations ---- */
static int latest_version(const sk_sqlite_migration *list)
{
    int v = 0;
    for (const sk_sqlite_migration *m = list; m->version; m++)
        v = m->version;
    return v;
}

/* Refuses a registry opened as a look-up log and the other way round (each has a table the
 * other has not). */
static sk_err check_kind(sqlite3 *h, sk_store_kind kind, const char *path, sk_diag *d)
{
    sqlite3_stmt *s = NULL;
    const char *other = kind == SK_STORE_LOOKUP_LOG ? "persons" : "lookup_log";
    int rc = sqlite3_prepare_v2(h, "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?",
                                -1, &s, NULL);
    if (rc != SQLITE_OK)
        return rc_err(h, rc, "db", d);
    sqlite3_bind_text(s, 1, other, -1, SQLITE_STATIC);
    rc = sqlite3_step(s);
    sqlite3_finalize(s);
    if (rc == SQLITE_ROW)
        return sk_diag_set(d, SK_C_STORE, "db", "%s is %s, not %s", path,
                           kind == SK_STORE_LOOKUP_LOG ? "a registry database"
                                                       : "a look-up log (<db>.lookups)",
                           kind == SK_STORE_LOOKUP_LOG ? "a look-up log" : "a registry database");
    return rc == SQLITE_DONE ? SK_OK : rc_err(h, rc, "db", d);
}

static sk_err current_version(sqlite3 *h, int *out, sk_diag *d)
{
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(h, "SELECT coalesce(max(version), 0) FROM schema_migrations", -1,
                                &s, NULL);
    if (rc != SQLITE_OK)
        return rc_err(h, rc, "db", d);
    rc = sqlite3_step(s);
    *out = rc == SQLITE_ROW ? sqlite3_column_int(s, 0) : 0;
    sqlite3_finalize(s);
    return rc == SQLITE_ROW ? SK_OK : rc_err(h, rc, "db", d);
}

/* After the migrations of one run, inside their transaction: every reference must still find
 * its row (they ran with enforcement off, see migrate). */
static sk_err references_hold(sqlite3 *h, int version, sk_diag *d)
{
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(h, "PRAGMA foreign_key_check", -1, &s, NULL);
    if (rc != SQLITE_OK)
        return rc_err(h, rc, "db", d);
    rc = sqlite3_step(s);
    sk_err err = SK_OK;
    if (rc == SQLITE_ROW)
        err = sk_diag_set(d, SK_C_STORE, "db",
                          "migration to version %d stopped: a row of %s (rowid %lld) refers to a "
                          "missing row of %s; nothing was changed",
                          version, (const char *)sqlite3_column_text(s, 0),
                          (long long)sqlite3_column_int64(s, 1),
                          (const char *)sqlite3_column_text(s, 2));
    else if (rc != SQLITE_DONE)
        err = rc_err(h, rc, "db", d);
    sqlite3_finalize(s);
    return err;
}

/* Applies the pending migrations in one transaction. Foreign keys are not enforced meanwhile
 * (SQLite's procedure for changing a table others refer to: a rebuild drops the old table
 * and renames the new one, which enforcement would refuse or turn into a cascade of checks);
 * instead the whole database must pass foreign_key_check before it commits. */
static sk_err migrate(sqlite3 *h, const sk_sqlite_migration *list, int *version, sk_diag *d)
{
    sk_err err = exec_sql(h, "PRAGMA foreign_keys = OFF", "db", d);
    if (err)
        return err;
    err = exec_sql(h, "BEGIN IMMEDIATE", "db", d);
    if (err) {
        exec_sql(h, "PRAGMA foreign_keys = ON", "db", NULL);
        return err;
    }
    int from = 0;
    err = exec_sql(h,
                   "CREATE TABLE IF NOT EXISTS schema_migrations ("
                   " version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
                   " applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')))",
                   "db", d);
    int v = 0;
    if (!err)
        err = current_version(h, &v, d);
    from = v;
    if (!err && v > latest_version(list))
        err = sk_diag_set(d, SK_C_STORE_VERSION, "db",
                          "database schema version %d is newer than this program's %d", v,
                          latest_version(list));
    for (const sk_sqlite_migration *m = list; !err && m->version; m++) {
        if (m->version <= v)
            continue;
        err = exec_sql(h, m->sql, "db", d);
        if (!err) {
            sqlite3_stmt *s = NULL;
            int rc = sqlite3_prepare_v2(
                h, "INSERT INTO schema_migrations (version, name) VALUES (?, ?)", -1, &s, NULL);
            if (rc == SQLITE_OK) {
                sqlite3_bind_int(s, 1, m->version);
                sqlite3_bind_text(s, 2, m->name, -1, SQLITE_STATIC);
                rc = sqlite3_step(s);
            }
            sqlite3_finalize(s);
            if (rc != SQLITE_DONE)
                err = rc_err(h, rc, "db", d);
            else
                v = m->version;
        }
    }
    if (!err && v != from)
        err = references_hold(h, v, d);
    if (err)
        exec_sql(h, "ROLLBACK", "db", NULL);
    else
        err = exec_sql(h, "COMMIT", "db", d);
    sk_err on = exec_sql(h, "PRAGMA foreign_keys = ON", "db", err ? NULL : d);
    if (!err)
        err = on;
    if (!err)
        *version = v;
    return err;
}

static sk_err drv_create(const sk_store_options *opt, sk_diag *d)
{
    sqlite3 *h = NULL;
    int v = 0;
    /* create the file ourselves: owner-only (it holds 5情報) and never over an existing one;
     * SQLite gives the -wal and -shm files the same mode */
    int fd = open(opt->path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        if (errno == EEXIST)
            return sk_diag_set(d, SK_C_FILE_EXISTS, "db", "database %s already exists", opt->path);
        return sk_diag_set(d, SK_C_IO, "db", "cannot create %s: %s", opt->path, strerror(errno));
    }
    close(fd);
    sk_err err =
        open_handle(opt->path, opt->busy_timeout_ms > 0 ? opt->busy_timeout_ms : 5000, true, &h, d);
    if (err)
        return err;
    err = migrate(
        h, opt->kind == SK_STORE_LOOKUP_LOG ? sk_sqlite_log_migrations : sk_sqlite_migrations, &v,
        d);
    sqlite3_close_v2(h);
    if (err)
        remove(opt->path);
    return err;
}

static sk_err drv_open(const sk_store_options *opt, void **db, sk_diag *d)
{
    pool *pl = calloc(1, sizeof(*pl));
    sqlite3 *h = NULL;
    if (!pl)
        return sk_diag_set(d, SK_C_NOMEM, "db", "out of memory");
    pl->busy_ms = opt->busy_timeout_ms > 0 ? opt->busy_timeout_ms : 5000;
    pl->checkpoint_frames = opt->checkpoint_frames > 0 ? (uint32_t)opt->checkpoint_frames : 8192;
    pl->cache_mib = opt->cache_mib > 0 ? opt->cache_mib : 0;
    pl->mmap_bytes = opt->mmap_mib < 0
                         ? 0
                         : (long long)(opt->mmap_mib ? opt->mmap_mib : SK_STORE_MMAP_MIB_DEFAULT)
                               << 20;
    if (opt->kind == SK_STORE_LOOKUP_LOG)
        pl->mmap_bytes = 0; /* written, and read only by `audit verify`: never mapped */
    else if (pl->mmap_bytes > 0)
        sk_sqlite_shared_map_budget(pl->mmap_bytes); /* process-wide: the registry's setting */
    pl->kind = opt->kind;
    pl->migrations =
        opt->kind == SK_STORE_LOOKUP_LOG ? sk_sqlite_log_migrations : sk_sqlite_migrations;
    pl->wal_fd = -1;
    pl->path = strdup(opt->path);
    if (!pl->path) {
        free(pl);
        return sk_diag_set(d, SK_C_NOMEM, "db", "out of memory");
    }
    if (opt->kind == SK_STORE_LOOKUP_LOG) {
        /* created on first open, owner-only like the db; an existing file is left alone (a
         * descriptor closed on a file SQLite has open would release its locks, fcntl(2)) */
        int fd = open(opt->path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd >= 0) {
            close(fd);
        } else if (errno != EEXIST) {
            free(pl->path);
            free(pl);
            return sk_diag_set(d, SK_C_IO, "db", "cannot create %s: %s", opt->path,
                               strerror(errno));
        }
    }
    sk_err err = open_handle(pl->path, pl->busy_ms, false, &h, d);
    if (!err)
        err = check_kind(h, pl->kind, pl->path, d);
    if (!err)
        err = migrate(h, pl->migrations, &pl->version, d);
    if (err) {
        sqlite3_close_v2(h);
        free(pl->path);
        free(pl);
        return err;
    }
    /* this handle stays open until close: the WAL-index stays mapped (pl->shm), and the
     * process holds SQLite's lock that says the -shm file is in use */
    pl->anchor = h;
    map_wal_index(pl);
    pthread_mutex_init(&pl->mu, NULL);
    pthread_cond_init(&pl->janitor_cv, NULL);
    pthread_key_create(&pl->key, conn_thread_exit);
    if (pl->shm)
        pl->janitor_on = pthread_create(&pl->janitor, NULL, janitor_main, pl) == 0;
    if (!pl->janitor_on) /* no janitor, no reuse: a snapshot must not linger */
        pl->shm = NULL;
    *db = pl;
    return SK_OK;
}

static void drv_close(void *db)
{
    pool *pl = db;
    if (!pl)
        return;
    if (pl->janitor_on) {
        pthread_mutex_lock(&pl->mu);
        pl->janitor_stop = true;
        pthread_cond_signal(&pl->janitor_cv);
        pthread_mutex_unlock(&pl->mu);
        pthread_join(pl->janitor, NULL);
    }
    pthread_key_delete(pl->key); /* no destructor runs after this */
    if (pl->writer)
        conn_free(pl->writer);
    if (pl->wal_fd >= 0)
        close(pl->wal_fd);
    conn *c = pl->all;
    while (c) {
        conn *n = c->next;
        conn_free(c);
        c = n;
    }
    sqlite3_close_v2(pl->anchor); /* the last: the -shm file (and pl->shm with it) may go now */
    pthread_cond_destroy(&pl->janitor_cv);
    pthread_mutex_destroy(&pl->mu);
    free(pl->path);
    free(pl);
}

static int drv_schema_version(void *db)
{
    return ((pool *)db)->version;
}

static sk_err run_simple(conn *c, int id, sk_diag *d)
{
    sqlite3_stmt *s = NULL;
    sk_err err = stmt(c, id, &s, d);
    if (err)
        return err;
    int rc = sqlite3_step(s);
    err = rc == SQLITE_DONE ? SK_OK : rc_err(c->h, rc, "db", d);
    done(s);
    return err;
}

static sk_err drv_begin(void *db, bool write, void **txh, sk_diag *d)
{
    conn *c = NULL;
    pool *pl = db;
    sk_err err = get_conn(db, &c, d);
    if (err)
        return err;
    pthread_mutex_lock(&c->mu); /* released when the transaction ends */
    if (c->held) {
        uint8_t h[48];
        if (!write && wal_header(pl, h) && memcmp(h, c->snap, 48) == 0) {
            c->held = false; /* nothing committed since: the snapshot is today's */
            c->reading = true;
            *txh = c;
            return SK_OK;
        }
        snapshot_end(c);
    }
    if (!sqlite3_get_autocommit(c->h)) {
        pthread_mutex_unlock(&c->mu);
        return sk_diag_set(d, SK_C_INTERNAL, "db",
                           "a transaction is already open on this thread's connection");
    }
    if (!write && !c->mapped && c->owner->mmap_bytes > 0) {
        /* only threads that read fetch pages from the map (shared_map.c: one per file for
         * the process; this size only turns fetching on, SQLite caps it at 2 GiB): a read-only
         * look-up then costs no system call and no copy per page */
        char pragma[64];
        snprintf(pragma, sizeof(pragma), "PRAGMA mmap_size = %lld;", c->owner->mmap_bytes);
        if ((err = exec_sql(c->h, pragma, "db", d))) {
            pthread_mutex_unlock(&c->mu);
            return err;
        }
        c->mapped = true;
    }
    /* the header before BEGIN: if it is unchanged when the caller is done, the snapshot the
     * first statement took is this one */
    c->snap_ok = !write && pl->shm && wal_header(pl, c->snap);
    c->reading = !write;
    err = run_simple(c, write ? ST_BEGIN_W : ST_BEGIN_R, d);
    if (err) {
        c->reading = false;
        pthread_mutex_unlock(&c->mu);
        return err;
    }
    *txh = c;
    return SK_OK;
}

/* The group commit runs every batch on one connection, whichever thread leads: its page
 * cache stays warm (a per-thread connection would see the others' commits and re-read). */
static sk_err drv_begin_writer(void *db, void **txh, sk_diag *d)
{
    pool *pl = db;
    if (!pl->writer) {
        sk_err err = new_conn(pl, &pl->writer, d);
        if (!err)
            err = exec_sql(pl->writer->h, "PRAGMA synchronous = NORMAL;", "db", d);
        if (err) {
            if (pl->writer)
                conn_free(pl->writer);
            pl->writer = NULL;
            return err;
        }
    }
    conn *c = pl->writer;
    pthread_mutex_lock(&c->mu); /* uncontended (one leader at a time); released at the end */
    if (!sqlite3_get_autocommit(c->h)) {
        pthread_mutex_unlock(&c->mu);
        return sk_diag_set(d, SK_C_INTERNAL, "db", "the writer connection is already in use");
    }
    sk_err err = run_simple(c, ST_BEGIN_W, d);
    if (err) {
        pthread_mutex_unlock(&c->mu);
        return err;
    }
    *txh = c;
    return SK_OK;
}

/* Makes every commit of the writer connection durable: fdatasync of the WAL file, through a
 * descriptor of our own (fsync applies to the file, whichever descriptor asks). The WAL is
 * never replaced while the writer connection is open; a changed inode is still detected and
 * the file reopened, and a new descriptor also syncs the directory that holds its name. */
static sk_err drv_sync(void *db, sk_diag *d)
{
    pool *pl = db;
    char wal[4096];
    struct stat st;
    if ((size_t)snprintf(wal, sizeof(wal), "%s-wal", pl->path) >= sizeof(wal))
        return sk_diag_set(d, SK_C_IO, "db", "database path too long");
    if (stat(wal, &st) != 0)
        return sk_diag_set(d, SK_C_IO, "db", "cannot find the write-ahead log %s: %s", wal,
                           strerror(errno));
    if (pl->wal_fd < 0 || st.st_dev != pl->wal_dev || st.st_ino != pl->wal_ino) {
        if (pl->wal_fd >= 0)
            close(pl->wal_fd);
        pl->wal_fd = open(wal, O_RDONLY | O_CLOEXEC);
        if (pl->wal_fd < 0)
            return sk_diag_set(d, SK_C_IO, "db", "cannot open the write-ahead log %s: %s", wal,
                               strerror(errno));
        if (fstat(pl->wal_fd, &st) != 0) {
            close(pl->wal_fd);
            pl->wal_fd = -1;
            return sk_diag_set(d, SK_C_IO, "db", "cannot stat %s: %s", wal, strerror(errno));
        }
        pl->wal_dev = st.st_dev;
        pl->wal_ino = st.st_ino;
        char dir[4096];
        snprintf(dir, sizeof(dir), "%s", wal);
        char *slash = strrchr(dir, '/');
        if (slash)
            *(slash == dir ? slash + 1 : slash) = '\0';
        int dfd = open(slash ? dir : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dfd < 0 || fsync(dfd) != 0) {
            if (dfd >= 0)
                close(dfd);
            return sk_diag_set(d, SK_C_IO, "db", "cannot sync the directory of %s: %s", wal,
                               strerror(errno));
        }
        close(dfd);
    }
    if (fdatasync(pl->wal_fd) != 0)
        return sk_diag_set(d, SK_C_IO, "db", "fdatasync of the write-ahead log failed: %s",
                           strerror(errno));
    return SK_OK;
}

static sk_err drv_commit(void *txh, sk_diag *d)
{
    conn *c = txh;
    if (c->reading) { /* nothing to commit: the snapshot may be kept */
        read_end(c);
        return SK_OK;
    }
    sk_err err = run_simple(c, ST_COMMIT, d);
    if (err && !sqlite3_get_autocommit(c->h))
        run_simple(c, ST_ROLLBACK, NULL);
    pthread_mutex_unlock(&c->mu);
    return err;
}

static void drv_rollback(void *txh)
{
    conn *c = txh;
    if (c->reading) {
        read_end(c);
        return;
    }
    if (!sqlite3_get_autocommit(c->h))
        run_simple(c, ST_ROLLBACK, NULL);
    pthread_mutex_unlock(&c->mu);
}

/* Savepoints let a group commit run many jobs in one transaction and undo one job alone. */
static sk_err drv_savepoint(void *txh, sk_diag *d)
{
    return run_simple(txh, ST_SAVEPOINT, d);
}

static sk_err drv_release(void *txh, bool undo, sk_diag *d)
{
    sk_err err = undo ? run_simple(txh, ST_ROLLBACK_TO, d) : SK_OK;
    if (!err)
        err = run_simple(txh, ST_RELEASE, d);
    return err;
}

/* ---- column helpers ---- */
static sk_err col_text(sqlite3_stmt *s, int i, char *dst, size_t cap, sk_diag *d)
{
    const unsigned char *t = sqlite3_column_text(s, i);
    size_t n = (size_t)sqlite3_column_bytes(s, i);
    if (n >= cap)
        return sk_diag_set(d, SK_C_STORE, sqlite3_column_name(s, i),
                           "stored value longer than %zu bytes", cap - 1);
    if (n)
        memcpy(dst, t, n);
    dst[n] = '\0';
    return SK_OK;
}

static sk_err col_date(sqlite3_stmt *s, int i, sk_date *out, sk_diag *d)
{
    const char *t = (const char *)sqlite3_column_text(s, i);
    int n = sqlite3_column_bytes(s, i);
    if (!t || sk_date_parse(t, (size_t)n, out, sqlite3_column_name(s, i), NULL) != SK_OK)
        return sk_diag_set(d, SK_C_STORE, sqlite3_column_name(s, i), "stored date is malformed");
    return SK_OK;
}

static sk_err col_hash(sqlite3_stmt *s, int i, uint8_t out[SK_SHA256_BYTES], sk_diag *d)
{
    if (sqlite3_column_bytes(s, i) != SK_SHA256_BYTES)
        return sk_diag_set(d, SK_C_STORE, sqlite3_column_name(s, i), "stored hash is malformed");
    memcpy(out, sqlite3_column_blob(s, i), SK_SHA256_BYTES);
    return SK_OK;
}

static void bind_date(sqlite3_stmt *s, int i, sk_date dt)
{
    char buf[11];
    sk_date_format(dt, buf);
    sqlite3_bind_text(s, i, buf, 10, SQLITE_TRANSIENT);
}

/* 0 = no reference (NULL) */
static void bind_opt_id(sqlite3_stmt *s, int i, int64_t id)
{
    if (id)
        sqlite3_bind_int64(s, i, id);
    else
        sqlite3_bind_null(s, i);
}

static void bind_opt_text(sqlite3_stmt *s, int i, const char *t)
{
    if (t && *t)
        sqlite3_bind_text(s, i, t, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(s, i);
}

/* Steps a write statement expecting DONE. */
/* Ends a statement whose last step gave rc: SQLITE_DONE is success. */
static sk_err step_done_rc(conn *c, sqlite3_stmt *s, int rc, const char *what, sk_diag *d)
{
    sk_err err = rc == SQLITE_DONE ? SK_OK : rc_err(c->h, rc, what, d);
    done(s);
    return err;
}

static sk_err step_done(conn *c, sqlite3_stmt *s, const char *what, sk_diag *d)
{
    return step_done_rc(c, s, sqlite3_step(s), what, d);
}

/* Steps an UPDATE that must change exactly one row. */
static sk_err step_update_one(conn *c, sqlite3_stmt *s, const char *what, sk_diag *d)
{
    sk_err err = step_done(c, s, what, d);
    if (!err && sqlite3_changes(c->h) != 1)
        return sk_diag_set(d, SK_C_NOT_FOUND, what, "no such record");
    return err;
}

/* ---- insurers ---- */
static sk_err read_insurer(sqlite3_stmt *s, sk_insurer_rec *r, sk_diag *d)
{
    char kind[32];
    sk_err err;
    memset(r, 0, sizeof(*r));
    if ((err = col_text(s, 0, r->number, sizeof(r->number), d)) ||
        (err = col_text(s, 1, kind, sizeof(kind), d)) ||
        (err = col_text(s, 2, r->name, sizeof(r->name), d)) ||
        (err = col_text(s, 3, r->numbering_rule, sizeof(r->numbering_rule), d)))
        return err;
    if (sk_insurer_kind_from_name(kind, &r->kind) != SK_OK)
        return sk_diag_set(d, SK_C_STORE, "kind", "stored insurer kind is unknown");
    r->created_ms = sqlite3_column_int64(s, 4);
    return SK_OK;
}

static sk_err drv_insurer_add(void *txh, const sk_insurer_rec *r, sk_diag *d)
{
    conn *c = txh;
    sqlite3_stmt *s = NULL;
    sk_err err = stmt(c, ST_INSURER_ADD, &s, d);
    if (err)
        return err;
    sqlite3_bind_text(s, 1, r->number, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, sk_insurer_kind_name(r->kind), -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, r->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, r->numbering_rule, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 5, r->created_ms);
    return step_done(c, s, "insurer", d);
}

static sk_err drv_insurer_get(void *txh, const char *number, sk_insurer_rec *out, sk_diag *d)
{
    conn *c = txh;
    sqlite3_stmt *s = NULL;
    sk_err err = stmt(c, ST_INSURER_GET, &s, d);
    if (err)
        return err;
    sqlite3_bind_text(s, 1, number, -1, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        err = read_insurer(s, out, d);
    else if (rc == SQLITE_DONE)
        err = sk_diag_set(d, SK_C_NOT_FOUND, "insurer_number", "no insurer with this number");
    else
        err = rc_err(c->h, rc, "insurer", d);
    done(s);
    return err;
}

static sk_err drv_insurer_list(void *txh, sk_insurer_cb cb, void *ctx, sk_diag *d)
{
    conn *c = txh;
    sqlite3_stmt *s = NULL;
    sk_insurer_rec r;
    sk_err err = stmt(c, ST_INSURER_LIST, &s, d);
    if (err)
        return err;
    int rc;
    while (!err && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        err = read_insurer(s, &r, d);
        if (!err)
            err = cb(ctx, &r);
    }
    if (!err && rc != SQLITE_DONE)
        err = rc_err(c->h, rc, "insurer", d);
    done(s);
    return err;
}

/* ---- employers ---- */
static sk_err drv_employer_add(void *txh, sk_employer_rec *r, sk_diag *d)
{
    conn *c = txh;
    sqlite3_stmt *s = NULL;
    sk_err err = stmt(c, ST_EMPLOYER_ADD, &s, d);
    if (err)
        return err;
    sqlite3_bind_text(s, 1, r->insurer_number, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, r->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, r->office_code, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 4, r->created_ms);
    err = step_done(c, s, "employer", d);
    if (!err)
        r->id = sqlite3_last_insert_rowid(c->h);
    return err;
}

static sk_err drv_employer_get(void *txh, int64_t id, sk_employer_rec *out, sk_diag *d)
{
    conn *c = txh;
    sqlite3_stmt *s = NULL;
    sk_err err = stmt(c, ST_EMPLOYER_GET, &s, d);
    if (err)
        return err;
    sqlite3_bind_int64(s, 1, id);
    int rc = sqlite3_step(s);
    memset(out, 0, sizeof(*out));
    if (rc == SQLITE_ROW) {
        out->id = sqlite3_column_int64(s, 0);
        if (!(err = col_text(s, 1, out->insurer_number, sizeof(out->insurer_number), d)) &&
            !(err = col_text(s, 2, out->name, sizeof(out->name), d)))
            err = col_text(s, 3, out->office_code, sizeof(out->office_code), d);
        out->created_ms = sqlite3_column_int64(s, 4);
    } else if (rc == SQLITE_DONE) {
        err = sk_diag_set(d, SK_C_NOT_FOUND, "employer_id", "no employer with this id");
    } else {
        err = rc_err(c->h, rc, "employer", d);
    }
    done(s);
    return err;
}

/* ---- persons ---- */
/* A person from PERSON_COLS starting at column o. */
static sk_err read_person_at(sqlite3_stmt *s, int o, sk_person_rec *r, sk_sealed_mynumber *mn,
                             sk_diag *d)
{
    sk_err err;
    memset(r, 0, sizeof(*r));
    memset(mn, 0, sizeof(*mn));
    r->id = sqlite3_column_int64(s, o);
    if ((err = col_text(s, o + 1, r->pid, sizeof(r->pid), d)) ||
        (err = col_text(s, o + 2, r->name, sizeof(r->name), d)) ||
        (err = col_text(s, o + 3, r->kana, sizeof(r->kana), d)) ||
        (err = col_date(s, o + 4, &r->birthdate, d)) ||
        (err = col_text(s, o + 6, r->address, sizeof(r->address), d)) ||
        (err = col_text(s, o + 7, r->postcode, sizeof(r->postcode), d)))
        return err;
    r->sex = (sk_sex)sqlite3_column_int(s, o + 5);
    if (sqlite3_column_type(s, o + 8) != SQLITE_NULL) {
        int n = sqlite3_column_bytes(s, o + 8);
        if (n <= 0 || (size_t)n > sizeof(mn->ct))
            return sk_diag_set(d, SK_C_CRYPTO, "mynumber", "stored My Number is malformed");
        memcpy(mn->ct, sqlite3_column_blob(s, o + 8), (size_t)n);
        mn->ct_len = (size_t)n;
        if ((err = col_hash(s, o + 9, mn->idx, d)))
            return err;
        mn->present = true;
    }
    r->has_mynumber = mn->present;
    r->created_ms = sqlite3_column_int64(s, o + 10);
    r->updated_ms = sqlite3_column_int64(s, o + 11);
    return SK_OK;
}

static sk_err read_person(sqlite3_stmt *s, sk_person_rec *r, sk_sealed_mynumber *mn, sk_diag *d)
{
    return read_person_at(s, 0, r, mn, d);
}

static void bind_sealed(sqlite3_stmt *s, int i, const sk_sealed_mynumber *mn)
{
    if (mn && mn->present) {
        sqlite3_bind_blob(s, i, mn->ct, (int)mn->ct_len, SQLITE_STATIC);
        sqlite3_bind_blob(s, i + 1, mn->idx, SK_SHA256_BYTES, SQLITE_STATIC);
    } else {
        sqlite3_bind_null(s, i);
        sqlite3_bind_null(s, i + 1);
    }
}

static sk_err drv_person_add(void *txh, sk_person_rec *r, const sk_sealed_mynumber *mn, sk_diag *d)
{
    conn *c = txh;
    sqlite3_stmt *s = NULL;
    sk_err err = stmt(c, ST_PERSON_ADD, &s, d);
    if (err)
        return err;
    sqlite3_bind_text(s, 1, r->pid, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, r->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, r->kana, -1, SQLITE_STATIC);
    bind_date(s, 4, r->birthdate);
    sqlite3_bind_int(s, 5, (int)r->sex);
    sqlite3_bind_text(s, 6, r->address, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 7, r->postcode, -1, SQLITE_STATIC);
    bind_sealed(s, 8, mn);
    sqlite3_bind_int64(s, 10, r->created_ms);
    sqlite3_bind_int64(s, 11, r->updated_ms);
    err = step_done(c, s, "person", d);
    if (!err)
        r->id = sqlite3_last_insert_rowid(c->h);
    return err;
}

static sk_err person_one(conn *c, sqlite3_stmt *s, sk_person_rec *out, sk_sealed_mynumber *mn,
                         sk_diag *d)
{
    sk_err err;
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        err = read_person(s, out, mn, d);
    else if (rc == SQLITE_DONE)
        err = sk_diag_set(d, SK_C_NOT_FOUND, "person", "no such person");
    else
        err = rc_err(c->h, rc, "person", d);
    done(s);
    return err;
}

static sk_err drv_person_get(void *txh, int64_t id, const char *pid, sk_person_rec *out,
                             sk_sealed_mynumber *mn, sk_diag *d)
{
    conn *c = txh;
    sqlite3_stmt *s = NULL;
    sk_err err = stmt(c, pid ? ST_PERSON_GET_PID : ST_PERSON_GET_ID, &s, d);
    if (err)
        return err;
    if (pid)
        sqlite3_bind_text(s, 1, pid, -1, SQLITE_STATIC);
    else
        sqlite3_bind_int64(s, 1, id);
    return person_one(c, s, out, mn, d);
}

static sk_err drv_person_find_by_index(void *txh, const uint8_t idx[SK_SHA256_BYTES],
                                       sk_person_rec *out, sk_sealed_mynumber *mn, sk_diag *d)
{
    conn *c = txh;
    sqlite3_stmt *s = NULL;
    sk_err err = stmt(c, ST_PERSON_GET_IDX, &s, d);
    if (err)
        return err;
    sqlite3_bind_blob(s, 1, idx, SK_SHA256_BYTES, SQLITE_STATIC);
    return person_one(c, s, out, mn, d);
}

static sk_err drv_person_update(void *txh, const sk_person_rec *r, sk_diag *d)
{
    conn *c = txh;
    sqlite3_stmt *s = NULL;
    sk_err err = stmt(c, ST_PERSON_UPDATE, &s, d);
    if (err)
        return err;
    sqlite3_bind_text(s, 1, r->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, r->kana, -1, SQLITE_STATIC);
    bind_date(s, 3, r->birthdate);
    sqlite3_bind_int(s, 4, (int)r->sex);
    sqlite3_bind_text(s, 5, r->address, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 6, r->postcode, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 7, r->updated_ms);
    sqlite3_bind_int64(s, 8, r->id);
    return step_update_one(c, s, "person", d);
}

static sk_err drv_person_set_mynumber(void *txh, int64_t id, int64_t at_ms,
                                      const sk_sealed_mynumber *mn, sk_diag *d)
{
    conn *c = txh;
    sqlite3_stmt *s = NULL;
    sk_err err = stmt(c, ST_PERSON_SET_MN, &s, d);
    if (err)
        return err;
    bind_sealed(s, 1, mn);
    sqlite3_bind_int64(s, 3, at_ms);
    sqlite3_bind_int64(s, 4, id);
    return step_update_one(c, s, "person", d);
}

/* ---- qualifications ---- */
static sk_err read_qual(sqlite3_stmt *s, sk_qualification_rec *r, sk_diag *d)
{
    sk_err err;
    memset(r, 0, sizeof(*r));
    r->id = sqlite3_column_int64(s, 0);
    r->person_id = sqlite3_column_int64(s, 1);
    if ((err = col_text(s, 2, r->insurer_number, sizeof(r->insurer_number), d)) ||
        (err = col_text(s, 3, r->key.symbol, sizeof(r->key.symbol), d)) ||
        (err = col_text(s, 4, r->key.number, sizeof(r->key.number), d)) ||
        (err = col_text(s, 5, r->key.branch, sizeof(r->key.branch), d)) ||
        (err = col_text(s, 8, r->card_class, sizeof(r->card_class), d)) ||
        (err = col_date(s, 9, &r->acquired_on, d)) ||
        (err = col_text(s, 11, r->loss_reason, sizeof(r->loss_reason), d)))
        return err;
    r->relationship = (sk_relationship)sqlite3_column_int(s, 6);
    r->insured_person_id = sqlite3_column_int64(s, 7);
    if (sqlite3_column_type(s, 10) != SQLITE_NULL) {
        if ((err = col_date(s, 10, &r->lost_on, d)))
            return err;
        r->has_lost = true;
    }
    r->ratio_class = (sk_income_class)sqlite3_column_int(s, 12);
    r->limit = (sk_limit)sqlite3_column_int(s, 13);
    r->registered_ms = sqlite3_column_int64(s, 14);
    r->display_stopped = sqlite3_column_int(s, 15) != 0;
    r->created_ms = sqlite3_column_int64(s, 16);
    r->updated_ms = sqlite3_column_int64(s, 17);
    r->employer_id = sqlite3_column_int64(s, 18);
    return SK_OK;
}

static void bind_lost(sqlite3_stmt *s, int i, const sk_qualification_rec *r)
{
    if (r->has_lost)
        bind_date(s, i, r->lost_on);
    else
        sqlite3_bind_null(s, i);
}

static sk_err drv_qual_add(void *txh, sk_qualification_rec *r, sk_diag *d)
{
    conn *c = txh;
    sqlite3_stmt *s = NULL;
    sk_err err = stmt(c, ST_QUAL_ADD, &s, d);
    if (err)
        return err;
    sqlite3_bind_int64(s, 1, r->person_id);
    sqlite3_bind_text(s, 2, r->insurer_number, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, r->key.symbol, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, r->key.number, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 5, r->key.branch, -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 6, (int)r->relationship);
    sqlite3_bind_int64(s, 7, r->insured_person_id);
    sqlite3_bind_text(s, 8, r->card_class[0] ? r->card_class : "01", -1, SQLITE_STATIC);
    bind_date(s, 9, r->acquired_on);
    bind_lost(s, 10, r);
    sqlite3_bind_text(s, 11, r->loss_reason, -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 12, (int)r->ratio_class);
    sqlite3_bind_int(s, 13, (int)r->limit);
    sqlite3_bind_int64(s, 14, r->registered_ms);
    sqlite3_bind_int(s, 15, r->display_stopped ? 1 : 0);
    sqlite3_bind_int64(s, 16, r->created_ms);
    sqlite3_bind_int64(s, 17, r->updated_ms);
    bind_opt_id(s, 18, r->employer_id);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) { /* the row is in by the first step; RETURNING gives its id */
        r->id = sqlite3_column_int64(s, 0);
        rc = sqlite3_step(s);
    }
    return step_done_rc(c, s, rc, "qualification", d);
}

static sk_err drv_qual_get(void *txh, int64_t id, sk_qualification_rec *out, sk_diag *d)
{
    conn *c = txh;
    sqlite3_stmt *s = NULL;
    sk_err err = stmt(c, ST_QUAL_GET, &s, d);
    if (err)
        return err;
    sqlite3_bind_int64(s, 1, id);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        err = read_qual(s, out, d);
    else if (rc == SQLITE_DONE)
        err = sk_diag_set(d, SK_C_NOT_FOUND, "qualification", "no such qualification");
    else
        err = rc_err(c->h, rc, "qualification", d);
    done(s);
    return err;
}

static sk_err drv_qual_update(void *txh, const sk_qualification_rec *r, sk_diag *d)
{
    conn *c = txh;
    sqlite3_stmt *s = NULL;
    sk_err err = stmt(c, ST_QUAL_UPDATE, &s, d);
    if (err)
        return err;
    bind_lost(s, 1, r);
    sqlite3_bind_text(s, 2, r->loss_reason, -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 3, (int)r->ratio_class);
    sqlite3_bind_int(s, 4, (int)r->limit);
    sqlite3_bind_int64(s, 5, r->registered_ms);
    sqlite3_bind_int(s, 6, r->display_stopped ? 1 : 0);
    sqlite3_bind_int64(s, 7, r->updated_ms);
    sqlite3_bind_int64(s, 8, r->id);
    return step_update_one(c, s, "qualification", d);
}

static sk_err qual_each(conn *c, sqlite3_stmt *s, sk_qualification_cb cb, void *ctx, sk_diag *d)
{
    sk_qualification_rec r;
    sk_err err = SK_OK;
    int rc = SQLITE_DONE;
    while (!err && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        err = read_qual(s, &r, d);
        if (!err)
            err = cb(ctx, &r);
    }
    if (!err && rc != SQLITE_DONE)
        err = rc_err(c->h, rc, "qualification", d);
    done(s);
    return err;
}

static sk_err drv_qual_by_person(void *txh, int64_t person_id, sk_qualification_cb cb, void *ctx,
                                 sk_diag *d)
{
    conn *c = txh;
    sqlite3_stmt *s = NULL;
    sk_err err = stmt(c, ST_QUAL_BY_PERSON, &s, d);
    if (err)
        return err;
    sqlite3_bind_int64(s, 1, person_id);
    return qual_each(c, s, cb, ctx, d);
}

static sk_err bind_key(conn *c, int id, const char *insurer, const char *symbol, const char *number,
                       const char *branch, sqlite3_stmt **s, sk_diag *d)
{
    sk_err err = stmt(c, id, s, d);
    if (err)
        return err;
    sqlite3_bind_text(*s, 1, insurer, -1, SQLITE_STATIC);
    sqlite3_bind_text(*s, 2, number, -1, SQLITE_STATIC);
    sqlite3_bind_text(*s, 3, symbol ? symbol : "", -1, SQLITE_STATIC);
    if (branch)
        sqlite3_bind_text(*s, 4, branch, -1, SQLITE_STATIC);
    return SK_OK;
}

static int by_acquisition(const void *a, const void *b)
{
    const sk_qualification_rec *x = a, *y = b;
    int c = sk_date_cmp(x->acquired_on, y->acquired_on);
    return c ? c : (x->id > y->id) - (x->id < y->id);
}

/* A key's rows, oldest acquisition first. They are read in key order and sorted here: a key
 * has one row, or a family's few, and ORDER BY in SQL cost a sorter per look-up (a sixth of
 * a look-up's instructions). More rows than KEY_ROWS (a long history under one key) take the
 * statement with ORDER BY. Two kinds of row share this: a qualification, and an eligibility
 * row (which begins with one, so by_acquisition sorts both). */
#define KEY_ROWS 8
typedef struct key_search {
    int by_key, by_key_branch;   /* key order, sorted here */
    int ordered, ordered_branch; /* ORDER BY acquired_on, id */
    const char *institution;     /* ?5, for eligibility rows */
    size_t size;                 /* of a row */
    sk_err (*read)(sqlite3_stmt *s, void *row, sk_diag *d);
    sk_err (*emit)(const struct key_search *ks, const void *row);
    union {
        sk_qualification_cb qual;
        sk_elig_row_cb elig;
    } cb; /* what emit passes the row to, with ctx */
    void *ctx;
} key_search;

static sk_err key_bind(conn *c, const key_search *ks, int id, const char *insurer,
                       const char *symbol, const char *number, const char *branch, sqlite3_stmt **s,
                       sk_diag *d)
{
    sk_err err = bind_key(c, id, insurer, symbol, number, branch, s, d);
    if (!err && ks->institution)
        sqlite3_bind_text(*s, 5, ks->institution, -1, SQLITE_STATIC);
    return err;
}

static sk_err key_rows(conn *c, const key_search *ks, const char *insurer, const char *symbol,
                       const char *number, const char *branch, sk_diag *d)
{
    _Alignas(max_align_t) unsigned char rows[KEY_ROWS * sizeof(sk_elig_row)];
    size_t n = 0;
    sqlite3_stmt *s = NULL;
    sk_err err = key_bind(c, ks, branch ? ks->by_key_branch : ks->by_key, insurer, symbol, number,
                          branch, &s, d);
    if (err)
        return err;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW && n < KEY_ROWS) {
        if ((err = ks->read(s, rows + n * ks->size, d))) {
            done(s);
            return err;
        }
        n++;
    }
    if (rc == SQLITE_ROW) { /* more than KEY_ROWS: stream them from the ordered statement */
        done(s);
        err = key_bind(c, ks, branch ? ks->ordered_branch : ks->ordered, insurer, symbol, number,
                       branch, &s, d);
        if (err)
            return err;
        while (!err && (rc = sqlite3_step(s)) == SQLITE_ROW)
            if (!(err = ks->read(s, rows, d)))
                err = ks->emit(ks, rows);
        if (!err && rc != SQLITE_DONE)
            err = rc_err(c->h, rc, "qualification", d);
        done(s);
        return err;
    }
    err = rc == SQLITE_DONE ? SK_OK : rc_err(c->h, rc, "qualification", d);
    done(s);
    if (n > 1)
        qsort(rows, n, ks->size, by_acquisition);
    for (size_t i = 0; !err && i < n; i++)
        err = ks->emit(ks, rows + i * ks->size);
    return err;
}

static sk_err read_qual_row(sqlite3_stmt *s, void *row, sk_diag *d)
{
    return read_qual(s, row, d);
}

static sk_err emit_qual(const key_search *ks, const void *row)
{
    return ks->cb.qual(ks->ctx, row);
}

static sk_err drv_qual_by_key(void *txh, const char *insurer, const char *symbol,
                              const char *number, const char *branch, sk_qualification_cb cb,
                              void *ctx, sk_diag *d)
{
    key_search ks = {.by_key = ST_QUAL_BY_KEY_INDEX,
                     .by_key_branch = ST_QUAL_BY_KEY_BRANCH_INDEX,
                     .ordered = ST_QUAL_BY_KEY,
                     .ordered_branch = ST_QUAL_BY_KEY_BRANCH,
                     .size = sizeof(sk_qualification_rec),
                     .read = read_qual_row,
                     .emit = emit_qual,
                     .cb.qual = cb,
                     .ctx = ctx};
    return key_rows(txh, &ks, insurer, symbol, number, branch, d);
}

static sk_err read_elig_row(sqlite3_stmt *s, void *row, sk_diag *d)
{
    sk_elig_row *r = row;
    sk_sealed_mynumber mn; /* selected as NULL: an answer to an institution never needs it */
    sk_err err = read_qual(s, &r->q, d);
    if (err)
        return err;
    if (sqlite3_column_type(s, ELIG_PERSON_COL) == SQLITE_NULL)
        return sk_diag_set(d, SK_C_STORE, "person", "qualification %lld refers to a missing person",
                           (long long)r->q.id);
    if ((err = read_person_at(s, ELIG_PERSON_COL, &r->p, &mn, d)))
        return err;
    return col_text(s, ELIG_REFNO_COL, r->refno, sizeof(r->refno), d);
}

static sk_err emit_elig(const key_search *ks, const void *row)
{
    return ks->cb.elig(ks->ctx, row);
}

static sk_err drv_elig_by_key(void *txh, const char *insurer, const char *symbol,
                              const char *number, const char *branch, const char *institution,
                              sk_elig_row_cb cb, void *ctx, sk_diag *d)
{
    key_search ks = {.by_key = ST_ELIG_BY_KEY_INDEX,
                     .by_key_branch = ST_ELIG_BY_KEY_BRANCH_INDEX,
                     .ordered = ST_ELIG_BY_KEY,
                     .ordered_branch = ST_ELIG_BY_KEY_BRANCH,
                     .institution = institution ? institution : "",
                     .size = sizeof(sk_elig_row),
                     .read = read_elig_row,
                     .emit = emit_elig,
                     .cb.elig = cb,
                     .ctx = ctx};
    return key_rows(txh, &ks, insurer, symbol, number, branch, d);
}

static sk_err drv_qual_by_insurer(void *txh, const char *insurer, sk_date as_of, int64_t after_id,
                                  int limit, sk_qualification_cb cb, void *ctx, sk_diag *d)
{
    conn *c = txh;
    sqlite3_stmt *s = NULL;
    sk_err err = stmt(c, ST_QUAL_BY_INSURER, &s, d);
    if (err)
        return err;
    sqlite3_bind_text(s, 1, insurer, -1, SQLITE_STATIC);
    bind_date(s, 2, as_of);
    sqlite3_bind_int64(s, 3, after_id);
    sqlite3_bind_int(s, 4, limit);
    return qual_each(c, s, cb, ctx, d);
}

static sk_err drv_counter_next(void *txh, const char *insurer, const char *scope, int64_t *out,
                               sk_diag *d)
{
    conn *c = txh;
    sqlite3_stmt *s = NULL;
    sk_err err = stmt(c, ST_COUNTER_NEXT, &s, d);
    if (err)
        return err;
    sqlite3_bind_text(s, 1, insurer, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, scope, -1, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        *out = sqlite3_column_int64(s, 0);
        rc = sqlite3_step(s);
    }
    err = rc == SQLITE_DONE ? SK_OK : rc_err(c->h, rc, "counter", d);
    done(s);
    return err;
}

/* ---- notifications ---- */
static sk_err read_notif(sqlite3_stmt *s, sk_arena *a, sk_notification_rec *r, sk_diag *d)
{
    sk_err err;
    memset(r, 0, sizeof(*r));
    r->id = sqlite3_column_int64(s, 0);
    r->employer_id = sqlite3_column_int64(s, 3);
    if ((err = col_text(s, 1, r->kind, sizeof(r->kind), d)) ||
        (err = col_text(s, 2, r->insurer_number, sizeof(r->insurer_number), d)) ||
        (err = col_text(s, 4, r->submitter, sizeof(r->submitter), d)) ||
        (err = col_text(s, 5, r->idem_key, sizeof(r->idem_key), d)) ||
        (err = col_text(s, 6, r->state, sizeof(r->state), d)))
        return err;
    if (sqlite3_column_type(s, 7) != SQLITE_NULL) {
        if ((err = col_date(s, 7, &r->event_date, d)))
            return err;
        r->has_event_date = true;
    }
    r->filed_ms = sqlite3_column_int64(s, 8);
    r->registered_ms = sqlite3_column_int64(s, 9);
    r->person_id = sqlite3_column_int64(s, 10);
    r->payload = sk_arena_strndup(a, (const char *)sqlite3_column_text(s, 11),
                                  (size_t)sqlite3_column_bytes(s, 11));
    r->errors = sk_arena_strndup(a, (const char *)sqlite3_column_text(s, 12),
                                 (size_t)sqlite3_column_bytes(s, 12));
    if (!r->payload || !r->errors)
        return sk_diag_set(d, SK_C_NOMEM, "notification", "out of memory");
    r->qualification_id = sqlite3_column_int64(s, 13);
    return SK_OK;
}

static sk_err add_event(conn *c, int64_t id, const char *state, int64_t at_ms, const char *note,
                        sk_diag *d)
{
    sqlite3_stmt *s = NULL;
    sk_err err = stmt(c, ST_NOTIF_EVENT_ADD, &s, d);
    if (err)
        return err;
    sqlite3_bind_int64(s, 1, id);
    sqlite3_bind_text(s, 2, state, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 3, at_ms);
    sqlite3_bind_text(s, 4, note ? note : "", -1, SQLITE_STATIC);
    return step_done(c, s, "notification", d);
}

static sk_err drv_notif_add(void *txh, sk_notification_rec *r, sk_diag *d)
{
    conn *c = txh;
    sqlite3_stmt *s = NULL;
    sk_err err = stmt(c, ST_NOTIF_ADD, &s, d);
    if (err)
        return err;
    sqlite3_bind_text(s, 1, r->kind, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, r->insurer_number, -1, SQLITE_STATIC);
    if (r->employer_id)
        sqlite3_bind_int64(s, 3, r->employer_id);
    else
        sqlite3_bind_null(s, 3);
    sqlite3_bind_text(s, 4, r->submitter, -1, SQLITE_STATIC);
    bind_opt_text(s, 5, r->idem_key);
    sqlite3_bind_text(s, 6, r->state, -1, SQLITE_STATIC);
    if (r->has_event_date)
        bind_date(s, 7, r->event_date);
    else
        sqlite3_bind_null(s, 7);
    sqlite3_bind_int64(s, 8, r->filed_ms);
    sqlite3_bind_int64(s, 9, r->registered_ms);
    if (r->person_id)
        sqlite3_bind_int64(s, 10, r->person_id);
    else
        sqlite3_bind_null(s, 10);
    sqlite3_bind_text(s, 11, r->payload ? r->payload : "{}", -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 12, r->errors ? r->errors : "", -1, SQLITE_STATIC);
    bind_opt_id(s, 13, r->qualification_id);
    err = step_done(c, s, "notification", d);
    if (err)
        return err;
    r->id = sqlite3_last_insert_rowid(c->h);
    return add_event(c, r->id, r->state, r->filed_ms, "filed", d);
}

static sk_err notif_one(conn *c, sqlite3_stmt *s, sk_arena *a, sk_notification_rec *out, sk_diag *d)
{
    sk_err err;
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        err = read_notif(s, a, out, d);
    else if (rc == SQLITE_DONE)
        err = sk_diag_set(d, SK_C_NOT_FOUND, "notification", "no such notification");
    else
        err = rc_err(c->h, rc, "notification", d);
    done(s);
    return err;
}

static sk_err drv_notif_get(void *txh, int64_t id, sk_arena *a, sk_notification_rec *out,
                            sk_diag *d)
{
    conn *c = txh;
    sqlite3_stmt *s = NULL;
    sk_err err = stmt(c, ST_NOTIF_GET, &s, d);
    if (err)
        return err;
    sqlite3_bind_int64(s, 1, id);
    return notif_one(c, s, a, out, d);
}

static sk_err drv_notif_idem(void *txh, const char *submitter, const char *key, sk_arena *a,
                             sk_notification_rec *out, sk_diag *d)
{
    conn *c = txh;
    sqlite3_stmt *s = NULL;
    sk_err err = stmt(c, ST_NOTIF_IDEM, &s, d);
    if (err)
        return err;
    sqlite3_bind_text(s, 1, submitter, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, key, -1, SQLITE_STATIC);
    return notif_one(c, s, a, out, d);
}

static sk_err drv_notif_by_person(void *txh, int64_t person_id, const char *state, sk_arena *a,
                                  sk_notification_cb cb, void *ctx, sk_diag *d)
{
    conn *c = txh;
    sqlite3_stmt *s = NULL;
    sk_notification_rec r;
    sk_err err = stmt(c, ST_NOTIF_BY_PERSON, &s, d);
    if (err)
        return err;
    sqlite3_bind_int64(s, 1, person_id);
    sqlite3_bind_text(s, 2, state, -1, SQLITE_STATIC);
    int rc = SQLITE_DONE;
    while (!err && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (!(err = read_notif(s, a, &r, d)))
            err = cb(ctx, &r);
    }
    if (!err && rc != SQLITE_DONE)
        err = rc_err(c->h, rc, "notification", d);
    done(s);
    return err;
}

static sk_err drv_notif_transition(void *txh, const sk_notification_rec *r, int64_t at_ms,
                                   const char *note, sk_diag *d)
{
    conn *c = txh;
    sqlite3_stmt *s = NULL;
    sk_err err = stmt(c, ST_NOTIF_UPDATE, &s, d);
    if (err)
        return err;
    sqlite3_bind_text(s, 1, r->state, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, r->registered_ms);
    if (r->person_id)
        sqlite3_bind_int64(s, 3, r->person_id);
    else
        sqlite3_bind_null(s, 3);
    sqlite3_bind_text(s, 4, r->errors ? r->errors : "", -1, SQLITE_STATIC);
    bind_opt_id(s, 5, r->qualification_id);
    sqlite3_bind_int64(s, 6, r->id);
    err = step_update_one(c, s, "notification", d);
    if (err)
        return err;
    return add_event(c, r->id, r->state, at_ms, note, d);
}

static sk_err drv_notif_events(void *txh, int64_t id, sk_notification_event_cb cb, void *ctx,
                               sk_diag *d)
{
    conn *c = txh;
    sqlite3_stmt *s = NULL;
    sk_notification_event e;
    sk_err err = stmt(c, ST_NOTIF_EVENTS, &s, d);
    if (err)
        return err;
    sqlite3_bind_int64(s, 1, id);
    int rc = SQLITE_DONE;
    while (!err && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        memset(&e, 0, sizeof(e));
        e.id = sqlite3_column_int64(s, 0);
        e.at_ms = sqlite3_column_int64(s, 2);
        if (!(err = col_text(s, 1, e.state, sizeof(e.state), d)) &&
            !(err = col_text(s, 3, e.note, sizeof(e.note), d)))
            err = cb(ctx, &e);
    }
    if (!err && rc != SQLITE_DONE)
        err = rc_err(c->h, rc, "notification", d);
    done(s);
    return err;
}

static sk_err drv_notif_counts(void *txh, sk_state_count_cb cb, void *ctx, sk_diag *d)
{
    conn *c = txh;
    sqlite3_stmt *s = NULL;
    char state[24];
    sk_err err = stmt(c, ST_NOTIF_COUNTS, &s, d);
    if (err)
        return err;
    int rc = SQLITE_DONE;
    while (!err && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (!(err = col_text(s, 0, state, sizeof(state), d)))
            err = cb(ctx, state, sqlite3_column_int64(s, 1));
    }
    if (!err && rc != SQLITE_DONE)
        err = rc_err(c->h, rc, "notification", d);
    done(s);
    return err;
}

/* ---- audit ---- */
static sk_err drv_audit_last(void *txh, bool *found, uint8_t hash[SK_SHA256_BYTES], sk_diag *d)
{
    conn *c = txh;
    sqlite3_stmt *s = NULL;
    sk_err err = stmt(c, ST_AUDIT_LAST, &s, d);
    if (err)
        return err;
    int rc = sqlite3_step(s);
    *found = false;
    memset(hash, 0, SK_SHA256_BYTES);
    if (rc == SQLITE_ROW) {
        err = col_hash(s, 0, hash, d);
        *found = true;
    } else if (rc != SQLITE_DONE) {
        err = rc_err(c->h, rc, "audit", d);
    }
    done(s);
    return err;
}

static sk_err drv_audit_insert(void *txh, sk_audit_rec *r, sk_diag *d)
{
    conn *c = txh;
    sqlite3_stmt *s = NULL;
    sk_err err = stmt(c, ST_AUDIT_ADD, &s, d);
    if (err)
        return err;
    sqlite3_bind_int64(s, 1, r->at_ms);
    sqlite3_bind_text(s, 2, r->actor, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, r->action, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, r->object, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 5, r->detail, -1, SQLITE_STATIC);
    sqlite3_bind_blob(s, 6, r->prev_hash, SK_SHA256_BYTES, SQLITE_STATIC);
    sqlite3_bind_blob(s, 7, r->hash, SK_SHA256_BYTES, SQLITE_STATIC);
    err = step_done(c, s, "audit", d);
    if (!err)
        r->id = sqlite3_last_insert_rowid(c->h);
    return err;
}

static sk_err drv_audit_scan(void *txh, sk_err (*cb)(void *ctx, const sk_audit_rec *r), void *ctx,
                             sk_diag *d)
{
    conn *c = txh;
    sqlite3_stmt *s = NULL;
    sk_audit_rec r;
    sk_err err = stmt(c, ST_AUDIT_SCAN, &s, d);
    if (err)
        return err;
    int rc = SQLITE_DONE;
    while (!err && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        memset(&r, 0, sizeof(r));
        r.id = sqlite3_column_int64(s, 0);
        r.at_ms = sqlite3_column_int64(s, 1);
        if (!(err = col_text(s, 2, r.actor, sizeof(r.actor), d)) &&
            !(err = col_text(s, 3, r.action, sizeof(r.action), d)) &&
            !(err = col_text(s, 4, r.object, sizeof(r.object), d)) &&
            !(err = col_text(s, 5, r.detail, sizeof(r.detail), d))) {
            /* a malformed hash is a broken link, not a read failure */
            if (col_hash(s, 6, r.prev_hash, NULL) || col_hash(s, 7, r.hash, NULL))
                memset(r.hash, 0xFF, sizeof(r.hash));
            err = cb(ctx, &r);
        }
    }
    if (!err && rc != SQLITE_DONE)
        err = rc_err(c->h, rc, "audit", d);
    done(s);
    return err;
}

/* ---- principals ---- */
static sk_err drv_principal_add(void *txh, sk_principal_rec *r, sk_diag *d)
{
    conn *c = txh;
    sqlite3_stmt *s = NULL;
    sk_err err = stmt(c, ST_PRINCIPAL_ADD, &s, d);
    if (err)
        return err;
    sqlite3_bind_text(s, 1, r->role, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, r->scope, -1, SQLITE_STATIC);
    sqlite3_bind_blob(s, 3, r->token_hash, SK_SHA256_BYTES, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, r->label, -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 5, r->disabled ? 1 : 0);
    sqlite3_bind_int64(s, 6, r->created_ms);
    err = step_done(c, s, "principal", d);
    if (!err)
        r->id = sqlite3_last_insert_rowid(c->h);
    return err;
}

static sk_err drv_principal_find(void *txh, const uint8_t hash[SK_SHA256_BYTES],
                                 sk_principal_rec *out, sk_diag *d)
{
    conn *c = txh;
    sqlite3_stmt *s = NULL;
    sk_err err = stmt(c, ST_PRINCIPAL_FIND, &s, d);
    if (err)
        return err;
    sqlite3_bind_blob(s, 1, hash, SK_SHA256_BYTES, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    memset(out, 0, sizeof(*out));
    if (rc == SQLITE_ROW) {
        out->id = sqlite3_column_int64(s, 0);
        if (!(err = col_text(s, 1, out->role, sizeof(out->role), d)) &&
            !(err = col_text(s, 2, out->scope, sizeof(out->scope), d)) &&
            !(err = col_hash(s, 3, out->token_hash, d)))
            err = col_text(s, 4, out->label, sizeof(out->label), d);
        out->disabled = sqlite3_column_int(s, 5) != 0;
        out->created_ms = sqlite3_column_int64(s, 6);
    } else if (rc == SQLITE_DONE) {
        err = sk_diag_set(d, SK_C_NOT_FOUND, "token", "unknown token");
    } else {
        err = rc_err(c->h, rc, "principal", d);
    }
    done(s);
    return err;
}

/* ---- OQS bulk requests ---- */
static sk_err drv_bulk_add(void *txh, sk_bulk_rec *r, sk_diag *d)
{
    conn *c = txh;
    sqlite3_stmt *s = NULL;
    sk_err err = stmt(c, ST_BULK_ADD, &s, d);
    if (err)
        return err;
    sqlite3_bind_text(s, 1, r->reception, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, r->message, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, r->institution, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 4, r->principal_id);
    sqlite3_bind_int(s, 5, r->charset);
    sqlite3_bind_text(s, 6, r->request, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 7, r->created_ms);
    bind_opt_text(s, 8, r->idem_key);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_DONE) {
        r->id = sqlite3_last_insert_rowid(c->h);
        err = SK_OK;
    } else if ((rc & 0xFF) == SQLITE_CONSTRAINT) {
        err = sk_diag_set(d, SK_C_DUPLICATE, "reception_number",
                          "reception number or idempotency key taken");
    } else {
        err = rc_err(c->h, rc, "bulk_requests", d);
    }
    done(s);
    return err;
}

static sk_err read_bulk(sqlite3_stmt *s, sk_arena *a, sk_bulk_rec *r, sk_diag *d)
{
    memset(r, 0, sizeof(*r));
    r->id = sqlite3_column_int64(s, 0);
    r->principal_id = sqlite3_column_int64(s, 4);
    r->charset = sqlite3_column_int(s, 5);
    r->created_ms = sqlite3_column_int64(s, 8);
    r->done_ms = sqlite3_column_int64(s, 9);
    sk_err err;
    if ((err = col_text(s, 1, r->reception, sizeof(r->reception), d)) ||
        (err = col_text(s, 2, r->message, sizeof(r->message), d)) ||
        (err = col_text(s, 3, r->institution, sizeof(r->institution), d)) ||
        (err = col_text(s, 10, r->idem_key, sizeof(r->idem_key), d)))
        return err;
    r->request = sk_arena_strndup(a, (const char *)sqlite3_column_text(s, 6),
                                  (size_t)sqlite3_column_bytes(s, 6));
    if (sqlite3_column_type(s, 7) != SQLITE_NULL)
        r->result = sk_arena_strndup(a, (const char *)sqlite3_column_text(s, 7),
                                     (size_t)sqlite3_column_bytes(s, 7));
    if (!r->request || (sqlite3_column_type(s, 7) != SQLITE_NULL && !r->result))
        return sk_diag_set(d, SK_C_NOMEM, "bulk_requests", "out of memory");
    return SK_OK;
}

static sk_err bulk_one(conn *c, sqlite3_stmt *s, sk_arena *a, sk_bulk_rec *out, sk_diag *d)
{
    int rc = sqlite3_step(s);
    sk_err err = rc == SQLITE_ROW    ? read_bulk(s, a, out, d)
                 : rc == SQLITE_DONE ? SK_ERR_NOTFOUND
                                     : rc_err(c->h, rc, "bulk_requests", d);
    if (err == SK_ERR_NOTFOUND)
        sk_diag_set(d, SK_C_NOT_FOUND, "reception_number", "no such bulk request");
    done(s);
    return err;
}

static sk_err drv_bulk_get(void *txh, const char *reception, sk_arena *a, sk_bulk_rec *out,
                           sk_diag *d)
{
    conn *c = txh;
    sqlite3_stmt *s = NULL;
    sk_err err = stmt(c, ST_BULK_GET, &s, d);
    if (err)
        return err;
    sqlite3_bind_text(s, 1, reception, -1, SQLITE_STATIC);
    return bulk_one(c, s, a, out, d);
}

static sk_err drv_bulk_find_idem(void *txh, const char *institution, const char *key, sk_arena *a,
                                 sk_bulk_rec *out, sk_diag *d)
{
    conn *c = txh;
    sqlite3_stmt *s = NULL;
    sk_err err = stmt(c, ST_BULK_IDEM, &s, d);
    if (err)
        return err;
    sqlite3_bind_text(s, 1, institution, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, key, -1, SQLITE_STATIC);
    return bulk_one(c, s, a, out, d);
}

static sk_err drv_bulk_next_pending(void *txh, sk_arena *a, sk_bulk_rec *out, sk_diag *d)
{
    conn *c = txh;
    sqlite3_stmt *s = NULL;
    sk_err err = stmt(c, ST_BULK_NEXT, &s, d);
    return err ? err : bulk_one(c, s, a, out, d);
}

static sk_err drv_bulk_finish(void *txh, int64_t id, const char *result, int64_t done_ms,
                              sk_diag *d)
{
    conn *c = txh;
    sqlite3_stmt *s = NULL;
    sk_err err = stmt(c, ST_BULK_FINISH, &s, d);
    if (err)
        return err;
    sqlite3_bind_text(s, 1, result, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, done_ms);
    sqlite3_bind_int64(s, 3, id);
    int rc = sqlite3_step(s);
    err = rc != SQLITE_DONE ? rc_err(c->h, rc, "bulk_requests", d)
          : sqlite3_changes(c->h) != 1
              ? sk_diag_set(d, SK_C_STATE, "bulk_requests", "bulk request %lld is not pending",
                            (long long)id)
              : SK_OK;
    done(s);
    return err;
}

static sk_err drv_bulk_purge(void *txh, int64_t before_ms, int64_t *removed, sk_diag *d)
{
    conn *c = txh;
    sqlite3_stmt *s = NULL;
    sk_err err = stmt(c, ST_BULK_PURGE, &s, d);
    if (err)
        return err;
    sqlite3_bind_int64(s, 1, before_ms);
    int rc = sqlite3_step(s);
    err = rc == SQLITE_DONE ? SK_OK : rc_err(c->h, rc, "bulk_requests", d);
    *removed = err ? 0 : sqlite3_changes(c->h);
    done(s);
    return err;
}

/* ---- 照会番号 ---- */
static sk_err drv_refno_set(void *txh, const char *institution, int64_t person_id,
                            const char *refno, int64_t now_ms, sk_diag *d)
{
    conn *c = txh;
    sqlite3_stmt *s = NULL;
    sk_err err = stmt(c, ST_REFNO_SET, &s, d);
    if (err)
        return err;
    sqlite3_bind_text(s, 1, institution, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, person_id);
    sqlite3_bind_text(s, 3, refno, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 4, now_ms);
    int rc = sqlite3_step(s);
    err = rc == SQLITE_DONE ? SK_OK : rc_err(c->h, rc, "reference_numbers", d);
    done(s);
    return err;
}

/* ---- 特定疾病療養受療証 ---- */
static sk_err drv_disease_cert_add(void *txh, sk_disease_cert_rec *r, sk_diag *d)
{
    conn *c = txh;
    sqlite3_stmt *s = NULL;
    sk_err err = stmt(c, ST_DCERT_ADD, &s, d);
    if (err)
        return err;
    char cd[11], from[11], until[11];
    sk_date_format(r->certificate_date, cd);
    sk_date_format(r->valid_from, from);
    sk_date_format(r->valid_until, until);
    sqlite3_bind_int64(s, 1, r->qualification_id);
    sqlite3_bind_int(s, 2, r->category);
    sqlite3_bind_text(s, 3, cd, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 4, from, -1, SQLITE_TRANSIENT);
    if (r->has_until)
        sqlite3_bind_text(s, 5, until, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(s, 5);
    sqlite3_bind_int64(s, 6, r->self_pay);
    sqlite3_bind_int64(s, 7, r->created_ms);
    int rc = sqlite3_step(s);
    err = rc == SQLITE_DONE ? SK_OK : rc_err(c->h, rc, "disease_certificates", d);
    if (!err)
        r->id = sqlite3_last_insert_rowid(c->h);
    done(s);
    return err;
}

static sk_err drv_disease_cert_list(void *txh, int64_t qualification_id, sk_disease_cert_cb cb,
                                    void *ctx, sk_diag *d)
{
    conn *c = txh;
    sqlite3_stmt *s = NULL;
    sk_err err = stmt(c, ST_DCERT_LIST, &s, d);
    if (err)
        return err;
    sqlite3_bind_int64(s, 1, qualification_id);
    int rc;
    while (!err && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        sk_disease_cert_rec r;
        memset(&r, 0, sizeof(r));
        r.id = sqlite3_column_int64(s, 0);
        r.qualification_id = sqlite3_column_int64(s, 1);
        r.category = sqlite3_column_int(s, 2);
        r.self_pay = sqlite3_column_int64(s, 6);
        r.created_ms = sqlite3_column_int64(s, 7);
        r.has_until = sqlite3_column_type(s, 5) != SQLITE_NULL;
        if ((err = col_date(s, 3, &r.certificate_date, d)) ||
            (err = col_date(s, 4, &r.valid_from, d)) ||
            (r.has_until && (err = col_date(s, 5, &r.valid_until, d))))
            break;
        err = cb(ctx, &r);
    }
    if (!err && rc != SQLITE_DONE)
        err = rc_err(c->h, rc, "disease_certificates", d);
    done(s);
    return err;
}

static sk_err drv_person_next_id(void *txh, int64_t after_id, int64_t *out, sk_diag *d)
{
    conn *c = txh;
    sqlite3_stmt *s = NULL;
    sk_err err = stmt(c, ST_PERSON_NEXT, &s, d);
    if (err)
        return err;
    sqlite3_bind_int64(s, 1, after_id);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        *out = sqlite3_column_int64(s, 0);
    else
        err = rc == SQLITE_DONE ? SK_ERR_NOTFOUND : rc_err(c->h, rc, "persons", d);
    done(s);
    return err;
}

/* ---- identity ---- */
static sk_err drv_identity_check_add(void *txh, sk_identity_check_rec *r, sk_diag *d)
{
    conn *c = txh;
    sqlite3_stmt *s = NULL;
    sk_err err = stmt(c, ST_ICHECK_ADD, &s, d);
    if (err)
        return err;
    sqlite3_bind_int64(s, 1, r->person_id);
    sqlite3_bind_int64(s, 2, r->at_ms);
    sqlite3_bind_text(s, 3, r->trigger, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, r->verdict, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 5, r->differ, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 6, r->folded, -1, SQLITE_STATIC);
    if (!(err = step_done(c, s, "identity_status", d)))
        r->id = r->person_id;
    return err;
}

static sk_err drv_identity_check_last(void *txh, int64_t person_id, sk_identity_check_rec *out,
                                      sk_diag *d)
{
    conn *c = txh;
    sqlite3_stmt *s = NULL;
    sk_err err = stmt(c, ST_ICHECK_LAST, &s, d);
    if (err)
        return err;
    sqlite3_bind_int64(s, 1, person_id);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        memset(out, 0, sizeof(*out));
        out->id = sqlite3_column_int64(s, 0);
        out->person_id = sqlite3_column_int64(s, 1);
        out->at_ms = sqlite3_column_int64(s, 2);
        if (!(err = col_text(s, 3, out->trigger, sizeof(out->trigger), d)) &&
            !(err = col_text(s, 4, out->verdict, sizeof(out->verdict), d)) &&
            !(err = col_text(s, 5, out->differ, sizeof(out->differ), d)))
            err = col_text(s, 6, out->folded, sizeof(out->folded), d);
    } else {
        err = rc == SQLITE_DONE ? SK_ERR_NOTFOUND : rc_err(c->h, rc, "identity_status", d);
    }
    done(s);
    return err;
}

static sk_err read_work_item(sqlite3_stmt *s, sk_work_item_rec *r, sk_diag *d)
{
    memset(r, 0, sizeof(*r));
    r->id = sqlite3_column_int64(s, 0);
    r->person_id = sqlite3_column_int64(s, 5);
    r->notification_id = sqlite3_column_int64(s, 6);
    r->qualification_id = sqlite3_column_int64(s, 7);
    r->created_ms = sqlite3_column_int64(s, 11);
    r->resolved_ms = sqlite3_column_int64(s, 12);
    sk_err err;
    if ((err = col_text(s, 1, r->kind, sizeof(r->kind), d)) ||
        (err = col_text(s, 2, r->assignee_role, sizeof(r->assignee_role), d)) ||
        (err = col_text(s, 3, r->assignee_scope, sizeof(r->assignee_scope), d)) ||
        (err = col_text(s, 4, r->insurer_number, sizeof(r->insurer_number), d)) ||
        (err = col_text(s, 8, r->risk, sizeof(r->risk), d)) ||
        (err = col_text(s, 9, r->detail, sizeof(r->detail), d)) ||
        (err = col_text(s, 10, r->state, sizeof(r->state), d)) ||
        (err = col_text(s, 13, r->resolved_by, sizeof(r->resolved_by), d)) ||
        (err = col_text(s, 14, r->resolution, sizeof(r->resolution), d)))
        return err;
    return col_text(s, 15, r->reason, sizeof(r->reason), d);
}

static sk_err drv_work_item_add(void *txh, sk_work_item_rec *r, sk_diag *d)
{
    conn *c = txh;
    sqlite3_stmt *s = NULL;
    sk_err err = stmt(c, ST_WI_ADD, &s, d);
    if (err)
        return err;
    sqlite3_bind_text(s, 1, r->kind, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, r->assignee_role, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, r->assignee_scope, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, r->insurer_number, -1, SQLITE_STATIC);
    bind_opt_id(s, 5, r->person_id);
    bind_opt_id(s, 6, r->notification_id);
    bind_opt_id(s, 7, r->qualification_id);
    sqlite3_bind_text(s, 8, r->risk, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 9, r->detail[0] ? r->detail : "{}", -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 10, r->created_ms);
    if (!(err = step_done(c, s, "work_items", d))) {
        r->id = sqlite3_last_insert_rowid(c->h);
        snprintf(r->state, sizeof(r->state), "open");
    }
    return err;
}

static sk_err drv_work_item_get(void *txh, int64_t id, sk_work_item_rec *out, sk_diag *d)
{
    conn *c = txh;
    sqlite3_stmt *s = NULL;
    sk_err err = stmt(c, ST_WI_GET, &s, d);
    if (err)
        return err;
    sqlite3_bind_int64(s, 1, id);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        err = read_work_item(s, out, d);
    else
        err = rc == SQLITE_DONE ? SK_ERR_NOTFOUND : rc_err(c->h, rc, "work_items", d);
    done(s);
    return err;
}

static sk_err drv_work_item_resolve(void *txh, const sk_work_item_rec *r, sk_diag *d)
{
    conn *c = txh;
    sqlite3_stmt *s = NULL;
    sk_err err = stmt(c, ST_WI_RESOLVE, &s, d);
    if (err)
        return err;
    sqlite3_bind_text(s, 1, r->state, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, r->resolved_ms);
    sqlite3_bind_text(s, 3, r->resolved_by, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, r->resolution, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 5, r->reason, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 6, r->id);
    return step_update_one(c, s, "work_items", d);
}

static sk_err drv_work_item_list(void *txh, const sk_work_item_filter *f, sk_work_item_cb cb,
                                 void *ctx, sk_diag *d)
{
    conn *c = txh;
    sqlite3_stmt *s = NULL;
    int which = f->assignee_role && f->assignee_scope ? ST_WI_LIST_ASSIGNEE
                : f->person_id                        ? ST_WI_LIST_PERSON
                : f->notification_id                  ? ST_WI_LIST_NOTIF
                : f->kind                             ? ST_WI_LIST_KIND
                                                      : ST_WI_LIST;
    sk_err err = stmt(c, which, &s, d);
    if (err)
        return err;
    bind_opt_text(s, 1, f->assignee_role);
    if (f->assignee_scope)
        sqlite3_bind_text(s, 2, f->assignee_scope, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(s, 2);
    bind_opt_text(s, 3, f->state);
    bind_opt_text(s, 4, f->kind);
    sqlite3_bind_int64(s, 5, f->person_id);
    sqlite3_bind_int64(s, 6, f->notification_id);
    sqlite3_bind_int64(s, 7, f->after_id);
    sqlite3_bind_int(s, 8, f->limit > 0 ? f->limit : 100);
    int rc;
    while (!err && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        sk_work_item_rec r;
        if (!(err = read_work_item(s, &r, d)))
            err = cb(ctx, &r);
    }
    if (!err && rc != SQLITE_DONE)
        err = rc_err(c->h, rc, "work_items", d);
    done(s);
    return err;
}

static sk_err drv_stop_add(void *txh, sk_stop_rec *r, sk_diag *d)
{
    conn *c = txh;
    sqlite3_stmt *s = NULL;
    sk_err err = stmt(c, ST_STOP_ADD, &s, d);
    if (err)
        return err;
    sqlite3_bind_int64(s, 1, r->qualification_id);
    sqlite3_bind_text(s, 2, r->cause, -1, SQLITE_STATIC);
    bind_opt_id(s, 3, r->work_item_id);
    sqlite3_bind_int64(s, 4, r->opened_ms);
    sqlite3_bind_text(s, 5, r->opened_by, -1, SQLITE_STATIC);
    if (!(err = step_done(c, s, "display_stops", d)))
        r->id = sqlite3_last_insert_rowid(c->h);
    return err;
}

static sk_err drv_stop_close(void *txh, const sk_stop_rec *r, sk_diag *d)
{
    conn *c = txh;
    sqlite3_stmt *s = NULL;
    sk_err err = stmt(c, ST_STOP_CLOSE, &s, d);
    if (err)
        return err;
    sqlite3_bind_int64(s, 1, r->closed_ms);
    sqlite3_bind_text(s, 2, r->closed_by, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, r->resolution, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, r->reason, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 5, r->id);
    return step_update_one(c, s, "display_stops", d);
}

static sk_err drv_stop_list(void *txh, int64_t qualification_id, bool open_only, sk_stop_cb cb,
                            void *ctx, sk_diag *d)
{
    conn *c = txh;
    sqlite3_stmt *s = NULL;
    sk_err err = stmt(c, ST_STOP_LIST, &s, d);
    if (err)
        return err;
    sqlite3_bind_int64(s, 1, qualification_id);
    sqlite3_bind_int(s, 2, open_only ? 1 : 0);
    int rc;
    while (!err && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        sk_stop_rec r;
        memset(&r, 0, sizeof(r));
        r.id = sqlite3_column_int64(s, 0);
        r.qualification_id = sqlite3_column_int64(s, 1);
        r.work_item_id = sqlite3_column_int64(s, 3);
        r.opened_ms = sqlite3_column_int64(s, 4);
        r.closed_ms = sqlite3_column_int64(s, 6);
        if ((err = col_text(s, 2, r.cause, sizeof(r.cause), d)) ||
            (err = col_text(s, 5, r.opened_by, sizeof(r.opened_by), d)) ||
            (err = col_text(s, 7, r.closed_by, sizeof(r.closed_by), d)) ||
            (err = col_text(s, 8, r.resolution, sizeof(r.resolution), d)) ||
            (err = col_text(s, 9, r.reason, sizeof(r.reason), d)))
            break;
        err = cb(ctx, &r);
    }
    if (!err && rc != SQLITE_DONE)
        err = rc_err(c->h, rc, "display_stops", d);
    done(s);
    return err;
}

static sk_err read_acquisition(sqlite3_stmt *s, sk_acquisition_rec *r, sk_diag *d)
{
    memset(r, 0, sizeof(*r));
    r->notification_id = sqlite3_column_int64(s, 0);
    r->person_id = sqlite3_column_int64(s, 1);
    r->employer_id = sqlite3_column_int64(s, 3);
    r->requested_ms = sqlite3_column_int64(s, 5);
    r->reminded_ms = sqlite3_column_int64(s, 6);
    r->next_ms = sqlite3_column_int64(s, 7);
    r->attempts = sqlite3_column_int(s, 8);
    r->updated_ms = sqlite3_column_int64(s, 10);
    sk_err err;
    if ((err = col_text(s, 2, r->insurer_number, sizeof(r->insurer_number), d)) ||
        (err = col_text(s, 4, r->stage, sizeof(r->stage), d)))
        return err;
    return col_text(s, 9, r->outcome, sizeof(r->outcome), d);
}

static sk_err acq_rows(conn *c, sqlite3_stmt *s, sk_acquisition_cb cb, void *ctx, sk_diag *d)
{
    sk_err err = SK_OK;
    int rc;
    while (!err && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        sk_acquisition_rec r;
        if (!(err = read_acquisition(s, &r, d)))
            err = cb(ctx, &r);
    }
    if (!err && rc != SQLITE_DONE)
        err = rc_err(c->h, rc, "acquisitions", d);
    done(s);
    return err;
}

static sk_err drv_acquisition_seed(void *txh, int64_t first_delay_ms, int64_t now_ms,
                                   int64_t *added, sk_diag *d)
{
    conn *c = txh;
    sqlite3_stmt *s = NULL;
    sk_err err = stmt(c, ST_ACQ_SEED, &s, d);
    if (err)
        return err;
    sqlite3_bind_int64(s, 1, first_delay_ms);
    sqlite3_bind_int64(s, 2, now_ms);
    if (!(err = step_done(c, s, "acquisitions", d)) && added)
        *added = sqlite3_changes(c->h);
    return err;
}

static sk_err drv_acquisition_due(void *txh, int64_t now_ms, int limit, sk_acquisition_cb cb,
                                  void *ctx, sk_diag *d)
{
    conn *c = txh;
    sqlite3_stmt *s = NULL;
    sk_err err = stmt(c, ST_ACQ_DUE, &s, d);
    if (err)
        return err;
    sqlite3_bind_int64(s, 1, now_ms);
    sqlite3_bind_int(s, 2, limit);
    return acq_rows(c, s, cb, ctx, d);
}

static sk_err drv_acquisition_settled(void *txh, int limit, sk_acquisition_cb cb, void *ctx,
                                      sk_diag *d)
{
    conn *c = txh;
    sqlite3_stmt *s = NULL;
    sk_err err = stmt(c, ST_ACQ_SETTLED, &s, d);
    if (err)
        return err;
    sqlite3_bind_int(s, 1, limit);
    return acq_rows(c, s, cb, ctx, d);
}

typedef struct acq_one {
    sk_acquisition_rec *out;
    bool found;
} acq_one;

static sk_err acq_one_cb(void *ctx, const sk_acquisition_rec *r)
{
    acq_one *o = ctx;
    *o->out = *r;
    o->found = true;
    return SK_OK;
}

static sk_err drv_acquisition_get(void *txh, int64_t notification_id, sk_acquisition_rec *out,
                                  sk_diag *d)
{
    conn *c = txh;
    sqlite3_stmt *s = NULL;
    sk_err err = stmt(c, ST_ACQ_GET, &s, d);
    if (err)
        return err;
    sqlite3_bind_int64(s, 1, notification_id);
    acq_one o = {out, false};
    if ((err = acq_rows(c, s, acq_one_cb, &o, d)))
        return err;
    return o.found ? SK_OK : SK_ERR_NOTFOUND;
}

static sk_err drv_acquisition_update(void *txh, const sk_acquisition_rec *r, sk_diag *d)
{
    conn *c = txh;
    sqlite3_stmt *s = NULL;
    sk_err err = stmt(c, ST_ACQ_UPDATE, &s, d);
    if (err)
        return err;
    sqlite3_bind_text(s, 1, r->stage, -1, SQLITE_STATIC);
    bind_opt_id(s, 2, r->reminded_ms);
    bind_opt_id(s, 3, r->next_ms);
    sqlite3_bind_int(s, 4, r->attempts);
    sqlite3_bind_text(s, 5, r->outcome, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 6, r->updated_ms);
    sqlite3_bind_int64(s, 7, r->notification_id);
    return step_update_one(c, s, "acquisitions", d);
}

const sk_store_driver sk_store_sqlite_driver = {
    .name = "sqlite",
    .latest_version = 10, /* the last entry of sk_sqlite_migrations; test_store checks it */
    .create = drv_create,
    .open = drv_open,
    .close = drv_close,
    .schema_version = drv_schema_version,
    .begin = drv_begin,
    .begin_writer = drv_begin_writer,
    .sync = drv_sync,
    .commit = drv_commit,
    .rollback = drv_rollback,
    .savepoint = drv_savepoint,
    .release = drv_release,
    .insurer_add = drv_insurer_add,
    .insurer_get = drv_insurer_get,
    .insurer_list = drv_insurer_list,
    .employer_add = drv_employer_add,
    .employer_get = drv_employer_get,
    .person_add = drv_person_add,
    .person_get = drv_person_get,
    .person_find_by_index = drv_person_find_by_index,
    .person_update = drv_person_update,
    .person_set_mynumber = drv_person_set_mynumber,
    .qualification_add = drv_qual_add,
    .qualification_get = drv_qual_get,
    .qualification_update = drv_qual_update,
    .qualification_list_by_person = drv_qual_by_person,
    .qualification_find_by_key = drv_qual_by_key,
    .qualification_list_by_insurer = drv_qual_by_insurer,
    .counter_next = drv_counter_next,
    .notification_add = drv_notif_add,
    .notification_get = drv_notif_get,
    .notification_find_idem = drv_notif_idem,
    .notification_transition = drv_notif_transition,
    .notification_list_by_person = drv_notif_by_person,
    .notification_events = drv_notif_events,
    .notification_count_by_state = drv_notif_counts,
    .audit_last = drv_audit_last,
    .audit_insert = drv_audit_insert,
    .audit_scan = drv_audit_scan,
    .bulk_add = drv_bulk_add,
    .bulk_get = drv_bulk_get,
    .bulk_find_idem = drv_bulk_find_idem,
    .bulk_next_pending = drv_bulk_next_pending,
    .bulk_finish = drv_bulk_finish,
    .bulk_purge = drv_bulk_purge,
    .disease_cert_add = drv_disease_cert_add,
    .disease_cert_list = drv_disease_cert_list,
    .person_next_id = drv_person_next_id,
    .identity_check_add = drv_identity_check_add,
    .identity_check_last = drv_identity_check_last,
    .work_item_add = drv_work_item_add,
    .work_item_get = drv_work_item_get,
    .work_item_resolve = drv_work_item_resolve,
    .work_item_list = drv_work_item_list,
    .stop_add = drv_stop_add,
    .stop_close = drv_stop_close,
    .stop_list = drv_stop_list,
    .acquisition_seed = drv_acquisition_seed,
    .acquisition_due = drv_acquisition_due,
    .acquisition_settled = drv_acquisition_settled,
    .acquisition_get = drv_acquisition_get,
    .acquisition_update = drv_acquisition_update,
    .refno_set = drv_refno_set,
    .eligibility_by_key = drv_elig_by_key,
    .principal_add = drv_principal_add,
    .principal_find = drv_principal_find,
};

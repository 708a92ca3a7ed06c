/* shared_map.c — see shared_map.h.
 *
 * Every method but xFetch and xUnfetch goes to the default VFS's file unchanged. For a main
 * database file, xFetch answers from maps of the file shared by every connection of the
 * process: segments [start, end) mapped read-only and MAP_SHARED (so they always show the
 * file's current content, as SQLite's own map does), added as the file grows up to the budget,
 * and removed only when the last handle on the file closes — no connection then holds a page
 * from them. A page the maps do not cover gets NULL, and SQLite reads it with xRead, exactly
 * as it does past its own map's size. SQLite asks only for pages below its snapshot's
 * database size, which the file always has (a checkpoint shrinks the file only once no reader
 * needs more), so a page of a map is never past the end of the file. */
#include "store/sqlite/shared_map.h"

#include <fcntl.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/clock.h"

#define VFS_NAME      "sk-shared-map"
#define MAX_SEGMENTS  32
#define SEGMENT_ALIGN ((int64_t)64 << 10) /* every SQLite page size divides it */
#define GROW_CHECK_NS 100000000LL         /* a growing file is looked at 10 times a second */

typedef struct segment {
    char *base;
    int64_t start, end;
} segment;

typedef struct shared_file {
    struct shared_file *next;
    dev_t dev;
    ino_t ino;
    int refs; /* open main-database handles on it (g_mu) */
    int fd;   /* read-only, for mmap */
    segment seg[MAX_SEGMENTS];
    _Atomic int nseg;    /* segments published; seg[i] is immutable once i < nseg */
    _Atomic int64_t end; /* end of the last segment (written under g_mu) */
    _Atomic int64_t next_check_ns;
} shared_file;

typedef struct map_file {
    sqlite3_file base;
    shared_file *sf; /* NULL: not a main database (journal, WAL, temporary) */
} map_file;

/* the default VFS's file object follows ours, aligned */
#define REAL_OFFSET ((sizeof(map_file) + 15) & ~(size_t)15)
#define REAL(f)     ((sqlite3_file *)((char *)(f) + REAL_OFFSET))

static pthread_mutex_t g_mu = PTHREAD_MUTEX_INITIALIZER;
static shared_file *g_files;
static _Atomic int64_t g_budget = (int64_t)1 << 30;
static _Atomic int64_t g_mapped;
static sqlite3_vfs *g_real;
static sqlite3_vfs g_vfs;
static sqlite3_io_methods g_methods;
static bool g_ok;
static pthread_once_t g_once = PTHREAD_ONCE_INIT;

/* ---- the shared maps ---- */

static shared_file *file_ref(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return NULL;
    pthread_mutex_lock(&g_mu);
    shared_file *f = g_files;
    while (f && !(f->dev == st.st_dev && f->ino == st.st_ino))
        f = f->next;
    if (!f && (f = calloc(1, sizeof(*f))) != NULL) {
        f->fd = open(path, O_RDONLY | O_CLOEXEC);
        if (f->fd < 0) {
            free(f);
            f = NULL;
        } else {
            f->dev = st.st_dev;
            f->ino = st.st_ino;
            f->next = g_files;
            g_files = f;
        }
    }
    if (f)
        f->refs++;
    pthread_mutex_unlock(&g_mu);
    return f;
}

static void file_unref(shared_file *f)
{
    pthread_mutex_lock(&g_mu);
    if (--f->refs == 0) { /* no handle left, so no page of these maps is in use */
        for (shared_file **pp = &g_files; *pp; pp = &(*pp)->next)
            if (*pp == f) {
                *pp = f->next;
                break;
            }
        int n = atomic_load(&f->nseg);
        for (int i = 0; i < n; i++) {
            munmap(f->seg[i].base, (size_t)(f->seg[i].end - f->seg[i].start));
            atomic_fetch_sub(&g_mapped, f->seg[i].end - f->seg[i].start);
        }
        close(f->fd);
        free(f);
    }
    pthread_mutex_unlock(&g_mu);
}

/* Maps what the file has gained since the last segment, within the budget. */
static void file_grow(shared_file *f)
{
    if (atomic_load_explicit(&f->end, memory_order_relaxed) >= atomic_load(&g_budget))
        return; /* the budget is mapped: the rest of the file is read */
    int64_t now = sk_monotonic_ns();
    int64_t due = atomic_load_explicit(&f->next_check_ns, memory_order_relaxed);
    if (now < due || !atomic_compare_exchange_strong(&f->next_check_ns, &due, now + GROW_CHECK_NS))
        return;
    pthread_mutex_lock(&g_mu);
    struct stat st;
    int n = atomic_load(&f->nseg);
    int64_t budget = atomic_load(&g_budget);
    int64_t start = atomic_load(&f->end);
    if (n < MAX_SEGMENTS && start < budget && fstat(f->fd, &st) == 0) {
        int64_t end = st.st_size < budget ? st.st_size : budget;
        end -= end % SEGMENT_ALIGN;
        if (end > start) {
            void *m = mmap(NULL, (size_t)(end - start), PROT_READ, MAP_SHARED, f->fd, start);
            if (m != MAP_FAILED) {
                f->seg[n] = (segment){m, start, end};
                atomic_fetch_add(&g_mapped, end - start);
                atomic_store(&f->end, end);
                atomic_store_explicit(&f->nseg, n + 1, memory_order_release);
            }
        }
    }
    pthread_mutex_unlock(&g_mu);
}

static void *file_page(shared_file *f, int64_t off, int amt)
{
    int n = atomic_load_explicit(&f->nseg, memory_order_acquire);
    for (int i = 0; i < n; i++)
        if (off >= f->seg[i].start && off + amt <= f->seg[i].end)
            return f->seg[i].base + (off - f->seg[i].start);
    return NULL;
}

/* ---- the file methods ---- */

static int m_close(sqlite3_file *file)
{
    map_file *m = (map_file *)file;
    int rc = REAL(m)->pMethods->xClose(REAL(m));
    if (m->sf)
        file_unref(m->sf);
    m->sf = NULL;
    return rc;
}

static int m_fetch(sqlite3_file *file, sqlite3_int64 off, int amt, void **pp)
{
    map_file *m = (map_file *)file;
    *pp = NULL;
    if (!m->sf) {
        sqlite3_file *r = REAL(m);
        return r->pMethods->iVersion >= 3 ? r->pMethods->xFetch(r, off, amt, pp) : SQLITE_OK;
    }
    if ((*pp = file_page(m->sf, off, amt)) == NULL) {
        file_grow(m->sf);
        *pp = file_page(m->sf, off, amt);
    }
    return SQLITE_OK;
}

static int m_unfetch(sqlite3_file *file, sqlite3_int64 off, void *p)
{
    map_file *m = (map_file *)file;
    if (m->sf) /* the maps stay until the last handle closes */
        return SQLITE_OK;
    sqlite3_file *r = REAL(m);
    return r->pMethods->iVersion >= 3 ? r->pMethods->xUnfetch(r, off, p) : SQLITE_OK;
}

#define FWD(call) return REAL(file)->pMethods->call
static int m_read(sqlite3_file *file, void *buf, int amt, sqlite3_int64 off)
{
    FWD(xRead(REAL(file), buf, amt, off));
}
static int m_write(sqlite3_file *file, const void *buf, int amt, sqlite3_int64 off)
{
    FWD(xWrite(REAL(file), buf, amt, off));
}
static int m_truncate(sqlite3_file *file, sqlite3_int64 size)
{
    FWD(xTruncate(REAL(file), size));
}
static int m_sync(sqlite3_file *file, int flags)
{
    FWD(xSync(REAL(file), flags));
}
static int m_file_size(sqlite3_file *file, sqlite3_int64 *size)
{
    FWD(xFileSize(REAL(file), size));
}
static int m_lock(sqlite3_file *file, int lock)
{
    FWD(xLock(REAL(file), lock));
}
static int m_unlock(sqlite3_file *file, int lock)
{
    FWD(xUnlock(REAL(file), lock));
}
static int m_check_reserved(sqlite3_file *file, int *out)
{
    FWD(xCheckReservedLock(REAL(file), out));
}
static int m_file_control(sqlite3_file *file, int op, void *arg)
{
    FWD(xFileControl(REAL(file), op, arg));
}
static int m_sector_size(sqlite3_file *file)
{
    FWD(xSectorSize(REAL(file)));
}
static int m_device(sqlite3_file *file)
{
    FWD(xDeviceCharacteristics(REAL(file)));
}
static int m_shm_map(sqlite3_file *file, int page, int size, int extend, void volatile **pp)
{
    FWD(xShmMap(REAL(file), page, size, extend, pp));
}
static int m_shm_lock(sqlite3_file *file, int offset, int n, int flags)
{
    FWD(xShmLock(REAL(file), offset, n, flags));
}
static void m_shm_barrier(sqlite3_file *file)
{
    REAL(file)->pMethods->xShmBarrier(REAL(file));
}
static int m_shm_unmap(sqlite3_file *file, int delete_flag)
{
    FWD(xShmUnmap(REAL(file), delete_flag));
}
#undef FWD

/* ---- the VFS ---- */

static int v_open(sqlite3_vfs *vfs, sqlite3_filename name, sqlite3_file *file, int flags,
                  int *out_flags)
{
    (void)vfs;
    map_file *m = (map_file *)file;
    memset(m, 0, sizeof(*m));
    sqlite3_file *r = REAL(m);
    int rc = g_real->xOpen(g_real, name, r, flags, out_flags);
    if (rc != SQLITE_OK) {
        if (r->pMethods)
            r->pMethods->xClose(r);
        return rc;
    }
    /* only a file whose methods have xFetch and the shared memory of WAL mode is wrapped */
    if (r->pMethods->iVersion < 3) {
        r->pMethods->xClose(r);
        return SQLITE_CANTOPEN;
    }
    if ((flags & SQLITE_OPEN_MAIN_DB) && name)
        m->sf = file_ref(name); /* NULL (no shared map: SQLite reads) if it cannot */
    m->base.pMethods = &g_methods;
    return SQLITE_OK;
}

static int v_delete(sqlite3_vfs *v, const char *name, int sync_dir)
{
    (void)v;
    return g_real->xDelete(g_real, name, sync_dir);
}
static int v_access(sqlite3_vfs *v, const char *name, int flags, int *out)
{
    (void)v;
    return g_real->xAccess(g_real, name, flags, out);
}
static int v_full_pathname(sqlite3_vfs *v, const char *name, int n, char *out)
{
    (void)v;
    return g_real->xFullPathname(g_real, name, n, out);
}
static void *v_dlopen(sqlite3_vfs *v, const char *name)
{
    (void)v;
    return g_real->xDlOpen(g_real, name);
}
static void v_dlerror(sqlite3_vfs *v, int n, char *out)
{
    (void)v;
    g_real->xDlError(g_real, n, out);
}
static void (*v_dlsym(sqlite3_vfs *v, void *h, const char *sym))(void)
{
    (void)v;
    return g_real->xDlSym(g_real, h, sym);
}
static void v_dlclose(sqlite3_vfs *v, void *h)
{
    (void)v;
    g_real->xDlClose(g_real, h);
}
static int v_randomness(sqlite3_vfs *v, int n, char *out)
{
    (void)v;
    return g_real->xRandomness(g_real, n, out);
}
static int v_sleep(sqlite3_vfs *v, int us)
{
    (void)v;
    return g_real->xSleep(g_real, us);
}
static int v_current_time(sqlite3_vfs *v, double *out)
{
    (void)v;
    return g_real->xCurrentTime(g_real, out);
}
static int v_last_error(sqlite3_vfs *v, int n, char *out)
{
    (void)v;
    return g_real->xGetLastError ? g_real->xGetLastError(g_real, n, out) : 0;
}
static int v_current_time64(sqlite3_vfs *v, sqlite3_int64 *out)
{
    (void)v;
    return g_real->xCurrentTimeInt64(g_real, out);
}

static void setup(void)
{
    g_real = sqlite3_vfs_find(NULL);
    if (!g_real || g_real->iVersion < 2)
        return;
    g_methods = (sqlite3_io_methods){.iVersion = 3,
                                     .xClose = m_close,
                                     .xRead = m_read,
                                     .xWrite = m_write,
                                     .xTruncate = m_truncate,
                                     .xSync = m_sync,
                                     .xFileSize = m_file_size,
                                     .xLock = m_lock,
                                     .xUnlock = m_unlock,
                                     .xCheckReservedLock = m_check_reserved,
                                     .xFileControl = m_file_control,
                                     .xSectorSize = m_sector_size,
                                     .xDeviceCharacteristics = m_device,
                                     .xShmMap = m_shm_map,
                                     .xShmLock = m_shm_lock,
                                     .xShmBarrier = m_shm_barrier,
                                     .xShmUnmap = m_shm_unmap,
                                     .xFetch = m_fetch,
                                     .xUnfetch = m_unfetch};
    g_vfs = (sqlite3_vfs){.iVersion = 2,
                          .szOsFile = (int)(REAL_OFFSET + (size_t)g_real->szOsFile),
                          .mxPathname = g_real->mxPathname,
                          .zName = VFS_NAME,
                          .xOpen = v_open,
                          .xDelete = v_delete,
                          .xAccess = v_access,
                          .xFullPathname = v_full_pathname,
                          .xDlOpen = v_dlopen,
                          .xDlError = v_dlerror,
                          .xDlSym = v_dlsym,
                          .xDlClose = v_dlclose,
                          .xRandomness = v_randomness,
                          .xSleep = v_sleep,
                          .xCurrentTime = v_current_time,
                          .xGetLastError = v_last_error,
                          .xCurrentTimeInt64 = v_current_time64};
    g_ok = sqlite3_vfs_register(&g_vfs, 0) == SQLITE_OK;
}

const char *sk_sqlite_shared_map_vfs(void)
{
    pthread_once(&g_once, setup);
    return g_ok ? VFS_NAME : NULL;
}

void sk_sqlite_shared_map_budget(int64_t bytes)
{
    atomic_store(&g_budget, bytes > 0 ? bytes : 0);
}

int64_t sk_sqlite_shared_map_bytes(void)
{
    return atomic_load(&g_mapped);
}

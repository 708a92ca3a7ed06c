/* migrations.h — the SQLite schema as forward-only numbered migrations. */
#ifndef SK_STORE_SQLITE_MIGRATIONS_H
#define SK_STORE_SQLITE_MIGRATIONS_H

typedef struct sk_sqlite_migration {
    int version;
    const char *name;
    const char *sql;
} sk_sqlite_migration;

/* Ordered by version, starting at 1, no gaps; terminated by {0, NULL, NULL}. */
extern const sk_sqlite_migration sk_sqlite_migrations[];
/* The look-up log's schema (SK_STORE_LOOKUP_LOG), likewise. */
extern const sk_sqlite_migration sk_sqlite_log_migrations[];

#endif

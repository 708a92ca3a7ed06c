/* migrations.c — SQLite schema history. Never edit a published migration: append a new one.
 * Dates are ISO text (YYYY-MM-DD), times Unix milliseconds. Tables are STRICT. */
#include "store/sqlite/migrations.h"

#include <stddef.h>

/* The audit row and chain, in the registry (migration 1) and in the look-up log: one text, so
 * the two chains can never differ in shape. The text of migration 1 is unchanged by naming it. */
#define AUDIT_TABLE                                                                                \
    "CREATE TABLE audit ("                                                                         \
    "  id INTEGER PRIMARY KEY,"                                                                    \
    "  at_ms INTEGER NOT NULL,"                                                                    \
    "  actor TEXT NOT NULL,"                                                                       \
    "  action TEXT NOT NULL,"                                                                      \
    "  object TEXT NOT NULL,"                                                                      \
    "  detail TEXT NOT NULL DEFAULT '',"                                                           \
    "  prev_hash BLOB NOT NULL,"                                                                   \
    "  hash BLOB NOT NULL"                                                                         \
    ") STRICT;"

/* A qualification's columns after its id, as migration 1 created them (employer_id came in
 * migration 2); migration 10 rebuilds the table with the same. Naming them leaves the text of
 * migration 1 unchanged. */
#define QUALIFICATION_COLUMNS                                                                      \
    "  person_id INTEGER NOT NULL REFERENCES persons(id),"                                         \
    "  insurer_number TEXT NOT NULL REFERENCES insurers(number),"                                  \
    "  symbol TEXT NOT NULL DEFAULT '',"                                                           \
    "  number TEXT NOT NULL CHECK (number <> ''),"                                                 \
    "  branch TEXT NOT NULL DEFAULT '' CHECK (branch = '' OR length(branch) = 2),"                 \
    "  relationship INTEGER NOT NULL CHECK (relationship IN (1, 2)),"                              \
    "  insured_person_id INTEGER NOT NULL REFERENCES persons(id),"                                 \
    "  card_class TEXT NOT NULL DEFAULT '01',"                                                     \
    "  acquired_on TEXT NOT NULL,"                                                                 \
    "  lost_on TEXT,"                                                                              \
    "  loss_reason TEXT NOT NULL DEFAULT '',"                                                      \
    "  ratio_class INTEGER NOT NULL DEFAULT 0,"                                                    \
    "  limit_category INTEGER NOT NULL DEFAULT 0,"                                                 \
    "  registered_ms INTEGER NOT NULL DEFAULT 0,"                                                  \
    "  display_stopped INTEGER NOT NULL DEFAULT 0 CHECK (display_stopped IN (0, 1)),"              \
    "  created_ms INTEGER NOT NULL,"                                                               \
    "  updated_ms INTEGER NOT NULL,"

const sk_sqlite_migration sk_sqlite_migrations[] = {
    {1, "initial schema",
     "CREATE TABLE insurers ("
     "  number TEXT PRIMARY KEY CHECK (length(number) IN (6, 8)),"
     "  kind TEXT NOT NULL,"
     "  name TEXT NOT NULL,"
     "  numbering_rule TEXT NOT NULL DEFAULT '',"
     "  created_ms INTEGER NOT NULL"
     ") STRICT;"
     "CREATE TABLE employers ("
     "  id INTEGER PRIMARY KEY,"
     "  insurer_number TEXT NOT NULL REFERENCES insurers(number),"
     "  name TEXT NOT NULL,"
     "  office_code TEXT NOT NULL DEFAULT '',"
     "  created_ms INTEGER NOT NULL"
     ") STRICT;"
     "CREATE INDEX employers_insurer ON employers(insurer_number);"
     /* 5情報 in plain text (needed for matching); the My Number only sealed + blind index */
     "CREATE TABLE persons ("
     "  id INTEGER PRIMARY KEY,"
     "  pid TEXT NOT NULL UNIQUE CHECK (length(pid) = 32),"
     "  name TEXT NOT NULL,"
     "  kana TEXT NOT NULL,"
     "  birthdate TEXT NOT NULL CHECK (length(birthdate) = 10),"
     "  sex INTEGER NOT NULL CHECK (sex IN (1, 2, 3)),"
     "  address TEXT NOT NULL,"
     "  postcode TEXT NOT NULL DEFAULT '',"
     "  mynumber_ct BLOB,"
     "  mynumber_idx BLOB UNIQUE,"
     "  created_ms INTEGER NOT NULL,"
     "  updated_ms INTEGER NOT NULL,"
     "  CHECK ((mynumber_ct IS NULL) = (mynumber_idx IS NULL))"
     ") STRICT;"
     "CREATE INDEX persons_birthdate ON persons(birthdate);"
     "CREATE TABLE qualifications ("
     "  id INTEGER PRIMARY KEY," QUALIFICATION_COLUMNS
     "  CHECK (lost_on IS NULL OR lost_on >= acquired_on)"
     ") STRICT;"
     "CREATE INDEX qualifications_key ON qualifications(insurer_number, number, symbol, branch);"
     "CREATE INDEX qualifications_person ON qualifications(person_id);"
     "CREATE TABLE notifications ("
     "  id INTEGER PRIMARY KEY,"
     "  kind TEXT NOT NULL,"
     "  insurer_number TEXT NOT NULL REFERENCES insurers(number),"
     "  employer_id INTEGER REFERENCES employers(id),"
     "  submitter TEXT NOT NULL,"
     "  idem_key TEXT,"
     "  state TEXT NOT NULL,"
     "  event_date TEXT,"
     "  filed_ms INTEGER NOT NULL,"
     "  registered_ms INTEGER NOT NULL DEFAULT 0,"
     "  person_id INTEGER REFERENCES persons(id),"
     "  payload TEXT NOT NULL,"
     "  errors TEXT NOT NULL DEFAULT '',"
     "  UNIQUE (submitter, idem_key)"
     ") STRICT;"
     "CREATE INDEX notifications_state ON notifications(insurer_number, state);"
     "CREATE TABLE notification_events ("
     "  id INTEGER PRIMARY KEY,"
     "  notification_id INTEGER NOT NULL REFERENCES notifications(id),"
     "  state TEXT NOT NULL,"
     "  at_ms INTEGER NOT NULL,"
     "  note TEXT NOT NULL DEFAULT ''"
     ") STRICT;"
     "CREATE INDEX notification_events_by ON notification_events(notification_id);" AUDIT_TABLE
     "CREATE TABLE principals ("
     "  id INTEGER PRIMARY KEY,"
     "  role TEXT NOT NULL"
     "    CHECK (role IN ('operator', 'insurer', 'employer', 'institution', 'person')),"
     "  scope TEXT NOT NULL,"
     "  token_hash BLOB NOT NULL UNIQUE,"
     "  label TEXT NOT NULL DEFAULT '',"
     "  disabled INTEGER NOT NULL DEFAULT 0,"
     "  created_ms INTEGER NOT NULL"
     ") STRICT;"},
    {2, "numbering counters; indexes for 届出 processing and member lists",
     /* one sequence per insurer and scope (a 記号, or "" for insurer-wide numbering) */
     "CREATE TABLE counters ("
     "  insurer_number TEXT NOT NULL REFERENCES insurers(number),"
     "  scope TEXT NOT NULL,"
     "  value INTEGER NOT NULL,"
     "  PRIMARY KEY (insurer_number, scope)"
     ") STRICT;"
     "CREATE INDEX notifications_person ON notifications(person_id, state);"
     /* member lists page through an insurer in id order */
     "CREATE INDEX qualifications_insurer ON qualifications(insurer_number, id);"
     /* the employer whose 届出 created a qualification (dependents: the insured's employer) */
     "ALTER TABLE qualifications ADD COLUMN employer_id INTEGER REFERENCES employers(id);"
     /* the qualification a 届出 created or changed */
     "ALTER TABLE notifications ADD COLUMN qualification_id INTEGER REFERENCES "
     "qualifications(id);"},
    {3, "OQS bulk requests (一括照会): the request until answered, then its result",
     "CREATE TABLE bulk_requests ("
     "  id INTEGER PRIMARY KEY,"
     "  reception_number TEXT NOT NULL UNIQUE,"
     "  message TEXT NOT NULL,"
     "  institution TEXT NOT NULL,"
     "  principal_id INTEGER NOT NULL,"
     "  charset INTEGER NOT NULL CHECK (charset IN (0, 1)),"
     "  request TEXT NOT NULL,"
     "  result TEXT,"
     "  created_ms INTEGER NOT NULL,"
     "  done_ms INTEGER"
     ") STRICT;"
     "CREATE INDEX bulk_requests_pending ON bulk_requests(id) WHERE result IS NULL;"
     "CREATE INDEX bulk_requests_created ON bulk_requests(created_ms);"},
    {4, "照会番号: an institution's own patient number for a person",
     "CREATE TABLE reference_numbers ("
     "  institution TEXT NOT NULL,"
     "  person_id INTEGER NOT NULL REFERENCES persons(id),"
     "  reference_number TEXT NOT NULL CHECK (length(reference_number) BETWEEN 1 AND 200),"
     "  updated_ms INTEGER NOT NULL,"
     "  PRIMARY KEY (institution, person_id)"
     ") STRICT;"},
    {5, "特定疾病療養受療証 recorded by insurers",
     "CREATE TABLE disease_certificates ("
     "  id INTEGER PRIMARY KEY,"
     "  qualification_id INTEGER NOT NULL REFERENCES qualifications(id),"
     "  category INTEGER NOT NULL CHECK (category IN (1, 2, 3)),"
     "  certificate_date TEXT NOT NULL,"
     "  valid_from TEXT NOT NULL,"
     "  valid_until TEXT,"
     "  self_pay INTEGER NOT NULL CHECK (self_pay > 0),"
     "  created_ms INTEGER NOT NULL,"
     "  CHECK (valid_until IS NULL OR valid_until >= valid_from)"
     ") STRICT;"
     "CREATE INDEX disease_certificates_qualification ON disease_certificates(qualification_id);"},
    {6,
     "identity: 誤入力チェック results, 閲覧停止 with their causes, work items, My Number "
     "acquisition",
     "CREATE TABLE identity_checks ("
     "  id INTEGER PRIMARY KEY,"
     "  person_id INTEGER NOT NULL REFERENCES persons(id),"
     "  at_ms INTEGER NOT NULL,"
     "  trigger TEXT NOT NULL,"
     "  verdict TEXT NOT NULL CHECK (verdict IN ('match', 'mismatch_high', 'mismatch_low', "
     "    'not_found', 'pending')),"
     "  differ TEXT NOT NULL,"
     "  folded TEXT NOT NULL"
     ") STRICT;"
     "CREATE INDEX identity_checks_person ON identity_checks(person_id, id);"
     "CREATE TABLE work_items ("
     "  id INTEGER PRIMARY KEY,"
     "  kind TEXT NOT NULL,"
     "  assignee_role TEXT NOT NULL CHECK (assignee_role IN ('operator', 'insurer', 'employer')),"
     "  assignee_scope TEXT NOT NULL,"
     "  insurer_number TEXT NOT NULL REFERENCES insurers(number),"
     "  person_id INTEGER REFERENCES persons(id),"
     "  notification_id INTEGER REFERENCES notifications(id),"
     "  qualification_id INTEGER REFERENCES qualifications(id),"
     "  risk TEXT NOT NULL CHECK (risk IN ('', 'high', 'low')),"
     "  detail TEXT NOT NULL,"
     "  state TEXT NOT NULL CHECK (state IN ('open', 'resolved')),"
     "  created_ms INTEGER NOT NULL,"
     "  resolved_ms INTEGER,"
     "  resolved_by TEXT,"
     "  resolution TEXT,"
     "  reason TEXT"
     ") STRICT;"
     "CREATE INDEX work_items_assignee ON work_items(assignee_role, assignee_scope, state, id);"
     "CREATE INDEX work_items_person ON work_items(person_id, state);"
     "CREATE INDEX work_items_notification ON work_items(notification_id, state);"
     "CREATE TABLE display_stops ("
     "  id INTEGER PRIMARY KEY,"
     "  qualification_id INTEGER NOT NULL REFERENCES qualifications(id),"
     "  cause TEXT NOT NULL CHECK (cause IN ('check', 'report')),"
     "  work_item_id INTEGER REFERENCES work_items(id),"
     "  opened_ms INTEGER NOT NULL,"
     "  opened_by TEXT NOT NULL,"
     "  closed_ms INTEGER,"
     "  closed_by TEXT,"
     "  resolution TEXT,"
     "  reason TEXT"
     ") STRICT;"
     "CREATE INDEX display_stops_qualification ON display_stops(qualification_id, closed_ms);"
     "CREATE TABLE acquisitions ("
     "  notification_id INTEGER PRIMARY KEY REFERENCES notifications(id),"
     "  person_id INTEGER NOT NULL REFERENCES persons(id),"
     "  insurer_number TEXT NOT NULL REFERENCES insurers(number),"
     "  employer_id INTEGER REFERENCES employers(id),"
     "  stage TEXT NOT NULL CHECK (stage IN ('requested', 'reminded', 'review', 'done')),"
     "  requested_ms INTEGER NOT NULL,"
     "  reminded_ms INTEGER,"
     "  next_ms INTEGER,"
     "  attempts INTEGER NOT NULL DEFAULT 0,"
     "  outcome TEXT NOT NULL DEFAULT '',"
     "  updated_ms INTEGER NOT NULL"
     ") STRICT;"
     "CREATE INDEX acquisitions_due ON acquisitions(next_ms) WHERE stage IN ('requested', "
     "'reminded');"},
    {7,
     "indexes for the identity scheduler's periodic scans (pending 届出, open acquisitions, "
     "open work items by kind)",
     "CREATE INDEX notifications_pending ON notifications(id) WHERE state = 'pending_my_number';"
     "CREATE INDEX acquisitions_open ON acquisitions(notification_id) WHERE stage != 'done';"
     "CREATE INDEX work_items_kind ON work_items(kind, state, id);"},
    {8, "本人確認判定: one row per person (the latest check; the history is in the audit rows)",
     "CREATE TABLE identity_status ("
     "  person_id INTEGER PRIMARY KEY REFERENCES persons(id),"
     "  at_ms INTEGER NOT NULL,"
     "  trigger TEXT NOT NULL,"
     "  verdict TEXT NOT NULL CHECK (verdict IN ('match', 'mismatch_high', 'mismatch_low', "
     "    'not_found', 'pending')),"
     "  differ TEXT NOT NULL,"
     "  folded TEXT NOT NULL"
     ") STRICT;"
     "INSERT INTO identity_status (person_id, at_ms, trigger, verdict, differ, folded) "
     "  SELECT person_id, at_ms, trigger, verdict, differ, folded FROM identity_checks c "
     "  WHERE id = (SELECT max(id) FROM identity_checks WHERE person_id = c.person_id);"
     "DROP TABLE identity_checks;"},
    {9,
     "bulk requests: the client's idempotency key (a bridge that resends a file after a crash "
     "gets the first reception number back)",
     "ALTER TABLE bulk_requests ADD COLUMN idem_key TEXT;"
     "CREATE UNIQUE INDEX bulk_requests_idem ON bulk_requests(institution, idem_key) "
     "WHERE idem_key IS NOT NULL;"},
    {10,
     "qualifications clustered by card key (WITHOUT ROWID): an eligibility look-up finds the "
     "row itself in the key's B-tree instead of an index entry and then the table row",
     /* the rows keep their ids (other tables refer to them; UNIQUE makes id a parent key);
      * copied in key order, so the new B-tree is written once, left to right */
     "CREATE TABLE qualifications_by_key ("
     "  id INTEGER NOT NULL UNIQUE," QUALIFICATION_COLUMNS
     "  employer_id INTEGER REFERENCES employers(id),"
     "  CHECK (lost_on IS NULL OR lost_on >= acquired_on),"
     "  PRIMARY KEY (insurer_number, number, symbol, branch, id)"
     ") STRICT, WITHOUT ROWID;"
     "INSERT INTO qualifications_by_key (id, person_id, insurer_number, symbol, number, branch, "
     "  relationship, insured_person_id, card_class, acquired_on, lost_on, loss_reason, "
     "  ratio_class, limit_category, registered_ms, display_stopped, created_ms, updated_ms, "
     "  employer_id) "
     "SELECT id, person_id, insurer_number, symbol, number, branch, relationship, "
     "  insured_person_id, card_class, acquired_on, lost_on, loss_reason, ratio_class, "
     "  limit_category, registered_ms, display_stopped, created_ms, updated_ms, employer_id "
     "FROM qualifications ORDER BY insurer_number, number, symbol, branch, id;"
     "DROP TABLE qualifications;"
     "ALTER TABLE qualifications_by_key RENAME TO qualifications;"
     "CREATE INDEX qualifications_person ON qualifications(person_id);"
     "CREATE INDEX qualifications_insurer ON qualifications(insurer_number, id);"},
    {0, NULL, NULL},
};

/* The look-up log: the same audit row and chain as the registry's audit table, alone in its
 * file (store.h SK_STORE_LOOKUP_LOG). */
const sk_sqlite_migration sk_sqlite_log_migrations[] = {
    {1, "look-up log: the hash-chained audit rows of eligibility look-ups",
     AUDIT_TABLE "CREATE TABLE lookup_log (marker INTEGER PRIMARY KEY CHECK (marker = 1));"
                 "INSERT INTO lookup_log (marker) VALUES (1);"},
    {0, NULL, NULL},
};

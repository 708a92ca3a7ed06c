/* statements.c — the SQLite dialect's text of every statement the SQL layer runs (sql/sql.h
 * ids). Columns are selected in the order of sql/rows.c's mapping. Inserts leave their id to
 * sqlite3_last_insert_rowid (RETURNING made each look-up-log row dearer), but for the
 * qualification's, whose id the statement computes. */
#include "store/sqlite/sqlite_int.h"

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
/* an eligibility row: QUAL_COLS, PERSON_COLS (the My Number not read), the 照会番号 */
#define ELIG_COLS                                                                                  \
    "q.id, q.person_id, q.insurer_number, q.symbol, q.number, q.branch, q.relationship, "          \
    "q.insured_person_id, q.card_class, q.acquired_on, q.lost_on, q.loss_reason, q.ratio_class, "  \
    "q.limit_category, q.registered_ms, q.display_stopped, q.created_ms, q.updated_ms, "           \
    "coalesce(q.employer_id, 0), p.id, p.pid, p.name, p.kana, p.birthdate, p.sex, p.address, "     \
    "p.postcode, NULL, NULL, p.created_ms, p.updated_ms, coalesce(r.reference_number, '')"
/* NOT INDEXED: the key is the table's own order (a search of its primary key, migration 10);
 * ordering by acquired_on would otherwise tempt the planner into another index and a scan of
 * the whole insurer */
#define ELIG_FROM                                                                                  \
    " FROM qualifications AS q NOT INDEXED LEFT JOIN persons AS p ON p.id = q.person_id "          \
    "LEFT JOIN reference_numbers AS r ON r.institution = ?5 AND r.person_id = q.person_id "        \
    "WHERE q.insurer_number = ?1 AND q.number = ?2 AND q.symbol = ?3"
#define QUAL_KEY                                                                                   \
    "SELECT " QUAL_COLS " FROM qualifications NOT INDEXED "                                        \
    "WHERE insurer_number = ?1 AND number = ?2 AND symbol = ?3"
#define BY_ACQUISITION " ORDER BY acquired_on, id"
#define NOTIF_COLS                                                                                 \
    "id, kind, insurer_number, coalesce(employer_id, 0), submitter, coalesce(idem_key, ''), "      \
    "state, event_date, filed_ms, registered_ms, coalesce(person_id, 0), payload, errors, "        \
    "coalesce(qualification_id, 0)"
#define AUDIT_COLS "id, at_ms, actor, action, object, detail, prev_hash, hash"
#define WI_COLS                                                                                    \
    "id, kind, assignee_role, assignee_scope, insurer_number, coalesce(person_id, 0), "            \
    "coalesce(notification_id, 0), coalesce(qualification_id, 0), risk, detail, state, "           \
    "created_ms, coalesce(resolved_ms, 0), coalesce(resolved_by, ''), coalesce(resolution, ''), "  \
    "coalesce(reason, '')"
#define WI_FILTER                                                                                  \
    "(?1 IS NULL OR assignee_role = ?1) AND (?2 IS NULL OR assignee_scope = ?2) AND "              \
    "(?3 IS NULL OR state = ?3) AND (?4 IS NULL OR kind = ?4) AND (?5 = 0 OR person_id = ?5) "     \
    "AND (?6 = 0 OR notification_id = ?6) AND id > ?7 ORDER BY id LIMIT ?8"
#define STOP_COLS                                                                                  \
    "id, qualification_id, cause, coalesce(work_item_id, 0), opened_ms, opened_by, "               \
    "coalesce(closed_ms, 0), coalesce(closed_by, ''), coalesce(resolution, ''), "                  \
    "coalesce(reason, '')"
#define ACQ_COLS                                                                                   \
    "notification_id, person_id, insurer_number, coalesce(employer_id, 0), stage, requested_ms, "  \
    "coalesce(reminded_ms, 0), coalesce(next_ms, 0), attempts, coalesce(outcome, ''), updated_ms"

const char *const sk_sqlite_statements[SQ__COUNT] = {
    [SQ_insurer_add] = "INSERT INTO insurers (number, kind, name, numbering_rule, created_ms) "
                       "VALUES (?, ?, ?, ?, ?)",
    [SQ_insurer_get] = "SELECT number, kind, name, numbering_rule, created_ms FROM insurers "
                       "WHERE number = ?",
    [SQ_insurer_list] = "SELECT number, kind, name, numbering_rule, created_ms FROM insurers "
                        "ORDER BY number",
    [SQ_employer_add] = "INSERT INTO employers (insurer_number, name, office_code, created_ms) "
                        "VALUES (?, ?, ?, ?)",
    [SQ_employer_get] = "SELECT id, insurer_number, name, office_code, created_ms FROM employers "
                        "WHERE id = ?",
    [SQ_person_insert] = "INSERT INTO persons (pid, name, kana, birthdate, sex, address, postcode, "
                         "mynumber_ct, mynumber_idx, created_ms, updated_ms) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    [SQ_person_fetch] = "SELECT " PERSON_COLS " FROM persons WHERE id = ?",
    [SQ_person_fetch_by_pid] = "SELECT " PERSON_COLS " FROM persons WHERE pid = ?",
    [SQ_person_find_by_index] = "SELECT " PERSON_COLS " FROM persons WHERE mynumber_idx = ?",
    [SQ_person_next_id] = "SELECT id FROM persons WHERE id > ? ORDER BY id LIMIT 1",
    [SQ_person_set_sealed] = "UPDATE persons SET mynumber_ct = ?, mynumber_idx = ?, "
                             "updated_ms = ? WHERE id = ?",
    [SQ_person_list_by_name] = "SELECT " PERSON_COLS " FROM persons WHERE name = ?1 AND id > ?2 "
                               "ORDER BY id LIMIT ?3",
    [SQ_person_update] = "UPDATE persons SET name = ?, kana = ?, birthdate = ?, sex = ?, "
                         "address = ?, postcode = ?, updated_ms = ? WHERE id = ?",
    /* the table is clustered by card key (migration 10), so ids are given here: the next
     * after the largest, as SQLite gives rowids (found at the end of the UNIQUE index) */
    [SQ_qualification_add] =
        "INSERT INTO qualifications (id, person_id, insurer_number, symbol, number, "
        "branch, relationship, insured_person_id, card_class, acquired_on, lost_on, "
        "loss_reason, ratio_class, limit_category, registered_ms, display_stopped, "
        "created_ms, updated_ms, employer_id) VALUES ((SELECT coalesce(max(id), 0) + 1 FROM "
        "qualifications), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    [SQ_qualification_get] = "SELECT " QUAL_COLS " FROM qualifications WHERE id = ?",
    [SQ_qualification_update] = "UPDATE qualifications SET lost_on = ?, loss_reason = ?, "
                                "ratio_class = ?, limit_category = ?, registered_ms = ?, "
                                "display_stopped = ?, updated_ms = ? WHERE id = ?",
    [SQ_qualification_list_by_person] = "SELECT " QUAL_COLS " FROM qualifications "
                                        "WHERE person_id = ?" BY_ACQUISITION,
    [SQ_qualification_by_key] = QUAL_KEY,
    [SQ_qualification_by_key_branch] = QUAL_KEY " AND branch = ?4",
    [SQ_qualification_by_key_sorted] = QUAL_KEY BY_ACQUISITION,
    [SQ_qualification_by_key_branch_sorted] = QUAL_KEY " AND branch = ?4" BY_ACQUISITION,
    /* in force on ?2: acquired_on <= ?2 < lost_on (core/qualification.h sk_period_covers) */
    [SQ_qualification_list_by_insurer] =
        "SELECT " QUAL_COLS " FROM qualifications WHERE insurer_number = ?1 "
        "AND acquired_on <= ?2 AND (lost_on IS NULL OR lost_on > ?2) "
        "AND id > ?3 ORDER BY id LIMIT ?4",
    [SQ_eligibility_by_key] = "SELECT " ELIG_COLS ELIG_FROM,
    [SQ_eligibility_by_key_branch] = "SELECT " ELIG_COLS ELIG_FROM " AND q.branch = ?4",
    [SQ_eligibility_by_key_sorted] = "SELECT " ELIG_COLS ELIG_FROM " ORDER BY q.acquired_on, q.id",
    [SQ_eligibility_by_key_branch_sorted] =
        "SELECT " ELIG_COLS ELIG_FROM " AND q.branch = ?4 ORDER BY q.acquired_on, q.id",
    [SQ_counter_next] = "INSERT INTO counters (insurer_number, scope, value) VALUES (?, ?, 1) "
                        "ON CONFLICT (insurer_number, scope) DO UPDATE SET value = value + 1 "
                        "RETURNING value",
    [SQ_notification_add] = "INSERT INTO notifications (kind, insurer_number, employer_id, "
                            "submitter, idem_key, state, event_date, filed_ms, registered_ms, "
                            "person_id, payload, errors, qualification_id) "
                            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    [SQ_notification_get] = "SELECT " NOTIF_COLS " FROM notifications WHERE id = ?",
    [SQ_notification_find_idem] = "SELECT " NOTIF_COLS " FROM notifications WHERE "
                                  "submitter = ? AND idem_key = ?",
    [SQ_notification_transition] = "UPDATE notifications SET state = ?, registered_ms = ?, "
                                   "person_id = ?, errors = ?, qualification_id = ? WHERE id = ?",
    [SQ_notification_event_add] = "INSERT INTO notification_events (notification_id, state, "
                                  "at_ms, note) VALUES (?, ?, ?, ?)",
    [SQ_notification_list_by_person] = "SELECT " NOTIF_COLS " FROM notifications WHERE "
                                       "person_id = ? AND state = ? ORDER BY id",
    [SQ_notification_list_by_insurer] = "SELECT " NOTIF_COLS " FROM notifications WHERE "
                                        "insurer_number = ?1 AND state = ?2 AND id > ?3 "
                                        "ORDER BY id LIMIT ?4",
    [SQ_notification_list_page] = "SELECT " NOTIF_COLS " FROM notifications WHERE "
                                  "(?1 IS NULL OR insurer_number = ?1) AND "
                                  "(?2 IS NULL OR state = ?2) AND id > ?3 ORDER BY id LIMIT ?4",
    [SQ_notification_events] = "SELECT id, state, at_ms, note FROM notification_events WHERE "
                               "notification_id = ? ORDER BY id",
    [SQ_notification_count_by_state] = "SELECT state, count(*) FROM notifications "
                                       "GROUP BY state ORDER BY state",
    [SQ_audit_last] = "SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1",
    [SQ_audit_insert] = "INSERT INTO audit (at_ms, actor, action, object, detail, prev_hash, "
                        "hash) VALUES (?, ?, ?, ?, ?, ?, ?)",
    [SQ_audit_list] = "SELECT " AUDIT_COLS " FROM audit ORDER BY id",
    [SQ_audit_list_page] = "SELECT " AUDIT_COLS " FROM audit WHERE (?1 IS NULL OR action = ?1) "
                           "AND id > ?2 ORDER BY id LIMIT ?3",
    [SQ_bulk_add] = "INSERT INTO bulk_requests (reception_number, message, institution, "
                    "principal_id, charset, request, created_ms, idem_key) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    [SQ_bulk_get] = "SELECT " BULK_COLS " FROM bulk_requests WHERE reception_number = ?",
    [SQ_bulk_find_idem] = "SELECT " BULK_COLS " FROM bulk_requests WHERE institution = ? AND "
                          "idem_key = ?",
    [SQ_bulk_next_pending] = "SELECT " BULK_COLS " FROM bulk_requests WHERE result IS NULL "
                             "ORDER BY id LIMIT 1",
    [SQ_bulk_finish] = "UPDATE bulk_requests SET result = ?, done_ms = ? WHERE id = ? "
                       "AND result IS NULL",
    [SQ_bulk_purge] = "DELETE FROM bulk_requests WHERE result IS NOT NULL AND created_ms < ?",
    [SQ_refno_set] = "INSERT INTO reference_numbers (institution, person_id, reference_number, "
                     "updated_ms) VALUES (?, ?, ?, ?) ON CONFLICT (institution, person_id) DO "
                     "UPDATE SET reference_number = excluded.reference_number, "
                     "updated_ms = excluded.updated_ms",
    [SQ_disease_cert_add] = "INSERT INTO disease_certificates (qualification_id, category, "
                            "certificate_date, valid_from, valid_until, self_pay, created_ms) "
                            "VALUES (?, ?, ?, ?, ?, ?, ?)",
    [SQ_disease_cert_list] = "SELECT id, qualification_id, category, certificate_date, "
                             "valid_from, valid_until, self_pay, created_ms FROM "
                             "disease_certificates WHERE qualification_id = ? ORDER BY id",
    /* the person's latest 本人確認判定 replaces the one before (history: audit rows) */
    [SQ_identity_check_add] = "INSERT OR REPLACE INTO identity_status (person_id, at_ms, "
                              "trigger, verdict, differ, folded) VALUES (?, ?, ?, ?, ?, ?)",
    [SQ_identity_check_last] = "SELECT person_id, person_id, at_ms, trigger, verdict, differ, "
                               "folded FROM identity_status WHERE person_id = ?",
    [SQ_work_item_add] = "INSERT INTO work_items (kind, assignee_role, assignee_scope, "
                         "insurer_number, person_id, notification_id, qualification_id, risk, "
                         "detail, state, created_ms) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?)",
    [SQ_work_item_get] = "SELECT " WI_COLS " FROM work_items WHERE id = ?",
    [SQ_work_item_resolve] = "UPDATE work_items SET state = ?, resolved_ms = ?, resolved_by = ?, "
                             "resolution = ?, reason = ? WHERE id = ?",
    [SQ_work_item_list] = "SELECT " WI_COLS " FROM work_items WHERE " WI_FILTER,
    [SQ_work_item_list_assignee] = "SELECT " WI_COLS " FROM work_items WHERE assignee_role = ?1 "
                                   "AND assignee_scope = ?2 AND " WI_FILTER,
    [SQ_work_item_list_person] =
        "SELECT " WI_COLS " FROM work_items WHERE person_id = ?5 AND " WI_FILTER,
    [SQ_work_item_list_notification] =
        "SELECT " WI_COLS " FROM work_items WHERE notification_id = ?6 AND " WI_FILTER,
    [SQ_work_item_list_kind] = "SELECT " WI_COLS " FROM work_items WHERE kind = ?4 AND " WI_FILTER,
    [SQ_stop_add] = "INSERT INTO display_stops (qualification_id, cause, work_item_id, opened_ms, "
                    "opened_by) VALUES (?, ?, ?, ?, ?)",
    [SQ_stop_close] = "UPDATE display_stops SET closed_ms = ?, closed_by = ?, resolution = ?, "
                      "reason = ? WHERE id = ? AND closed_ms IS NULL",
    [SQ_stop_list] = "SELECT " STOP_COLS " FROM display_stops WHERE qualification_id = ?1 AND "
                     "(?2 = 0 OR closed_ms IS NULL) ORDER BY id",
    /* the literal states are those of the scheduler's partial indexes (migration 7) */
    [SQ_acquisition_seed] =
        "INSERT INTO acquisitions (notification_id, person_id, insurer_number, "
        "employer_id, stage, requested_ms, next_ms, updated_ms) "
        "SELECT n.id, n.person_id, n.insurer_number, n.employer_id, 'requested', "
        "n.filed_ms, n.filed_ms + ?1, ?2 FROM notifications n INDEXED BY "
        "notifications_pending WHERE n.state = 'pending_my_number' AND "
        "n.person_id IS NOT NULL AND "
        "NOT EXISTS (SELECT 1 FROM acquisitions a WHERE a.notification_id = n.id)",
    [SQ_acquisition_due] = "SELECT " ACQ_COLS " FROM acquisitions WHERE stage IN ('requested', "
                           "'reminded') AND next_ms <= ? ORDER BY next_ms LIMIT ?",
    [SQ_acquisition_settled] = "SELECT " ACQ_COLS " FROM acquisitions a WHERE stage != 'done' "
                               "AND (SELECT state FROM notifications n WHERE n.id = "
                               "a.notification_id) != 'pending_my_number' LIMIT ?",
    [SQ_acquisition_get] = "SELECT " ACQ_COLS " FROM acquisitions WHERE notification_id = ?",
    [SQ_acquisition_update] = "UPDATE acquisitions SET stage = ?, reminded_ms = ?, next_ms = ?, "
                              "attempts = ?, outcome = ?, updated_ms = ? WHERE notification_id = ?",
    [SQ_principal_add] = "INSERT INTO principals (role, scope, token_hash, label, disabled, "
                         "created_ms) VALUES (?, ?, ?, ?, ?, ?)",
    [SQ_principal_find_by_token_hash] = "SELECT id, role, scope, token_hash, label, disabled, "
                                        "created_ms FROM principals WHERE token_hash = ?",
};

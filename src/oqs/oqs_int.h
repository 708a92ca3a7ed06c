/* oqs_int.h — private to the OQS readers (xml.c, json.c) and their tests: each
 * reader split into its fast path and its full path, so that tests and fuzzing can check that
 * both read the same bodies the same way. */
#ifndef SK_OQS_OQS_INT_H
#define SK_OQS_OQS_INT_H

#include "oqs/oqs.h"

/* sk_oqs_json_read without its fast path: jansson reads every body. */
sk_err sk_oqs_json_read_full(sk_arena *a, const char *bytes, size_t len, sk_oqs_node **root,
                             sk_oqs_error *e);
/* The fast path alone: true with *root set when it read the body ({"XmlMsg": {…}} in printable
 * ASCII, no escapes, numbers, booleans or duplicates), false when the full reader must. */
bool sk_oqs_json_read_fast(sk_arena *a, const char *bytes, size_t len, sk_oqs_node **root);
/* The same split for XML: sk_oqs_xml_read without its fast path (libxml2 reads every file), and
 * the fast path alone (true with *root set for a UTF-8 file of printable ASCII markup without
 * attributes, references, comments, PIs, CDATA or a DTD; false when libxml2 must read it). */
sk_err sk_oqs_xml_read_full(sk_arena *a, const char *bytes, size_t len, sk_oqs_node **root,
                            sk_oqs_charset *cs, sk_oqs_error *e);
bool sk_oqs_xml_read_fast(sk_arena *a, const char *bytes, size_t len, sk_oqs_node **root);

#endif

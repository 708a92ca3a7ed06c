/* client.c — the bridge's transport: HTTP(S) POST of a request file to shikaku's
 * /oqs/v1/xml with libcurl (one handle, so the connection is kept between files). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "bridge/bridge.h"

struct sk_bridge_http {
    CURL *curl;
    char *server;
    char auth[128];
};

sk_err sk_bridge_http_alloc(const char *server, const char *token, sk_bridge_http **out, sk_diag *d)
{
    *out = NULL;
    if (strncmp(server, "http://", 7) != 0 && strncmp(server, "https://", 8) != 0)
        return sk_diag_set(d, SK_C_CONFIG_VALUE, "server",
                           "the server URL must start with http:// or https://");
    static bool global_done; /* the CLI calls this once, before any thread exists */
    if (!global_done) {
        curl_global_init(CURL_GLOBAL_DEFAULT);
        global_done = true;
    }
    sk_bridge_http *h = calloc(1, sizeof(*h));
    if (!h || !(h->curl = curl_easy_init()) || !(h->server = strdup(server))) {
        sk_bridge_http_free(h);
        return sk_diag_set(d, SK_C_NOMEM, "", "out of memory");
    }
    size_t n = strlen(h->server);
    while (n && h->server[n - 1] == '/')
        h->server[--n] = '\0';
    snprintf(h->auth, sizeof(h->auth), "Authorization: Bearer %s", token);
    *out = h;
    return SK_OK;
}

void sk_bridge_http_free(sk_bridge_http *h)
{
    if (!h)
        return;
    if (h->curl)
        curl_easy_cleanup(h->curl);
    free(h->server);
    memset(h->auth, 0, sizeof(h->auth));
    free(h);
}

static size_t collect(char *p, size_t size, size_t n, void *ctx)
{
    return sk_buf_append(ctx, p, size * n) == SK_OK ? size * n : 0;
}

sk_err sk_bridge_http_send(void *ctx, const char *message, const char *idem_key, const char *bytes,
                           size_t len, unsigned *status, sk_buf *body, sk_diag *d)
{
    sk_bridge_http *h = ctx;
    char url[1024];
    snprintf(url, sizeof(url), "%s/oqs/v1/xml?message=%s", h->server, message);
    struct curl_slist *hdr = curl_slist_append(NULL, h->auth);
    hdr = curl_slist_append(hdr, "Content-Type: application/xml");
    hdr = curl_slist_append(hdr, "Expect:");
    char idem[160];
    if (idem_key && *idem_key) {
        snprintf(idem, sizeof(idem), "Idempotency-Key: %s", idem_key);
        hdr = curl_slist_append(hdr, idem);
    }
    sk_buf_reset(body);
    CURL *c = h->curl;
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_POST, 1L);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, bytes);
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdr);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, body);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 60L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    CURLcode rc = curl_easy_perform(c);
    curl_slist_free_all(hdr);
    if (rc != CURLE_OK)
        return sk_diag_set(d, SK_C_IO, "server", "%s: %s", h->server, curl_easy_strerror(rc));
    long code = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
    *status = (unsigned)code;
    return SK_OK;
}

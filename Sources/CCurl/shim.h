#ifndef CCURL_SHIM_H
#define CCURL_SHIM_H
/*
 * Typed, static inline wrappers around libcurl's variadic functions (Swift cannot call variadic C).
 * One wrapper per argument type that curl reads through va_arg: long, curl_off_t, char*, void*,
 * curl_slist*, and the data callback. Policy lives in Swift (HTTPTransport), not here.
 * Minimum libcurl: 7.81 (Ubuntu 22.04); no API newer than that is used.
 */
#include <curl/curl.h>

static inline CURLcode ccurl_setopt_long(CURL *_Nonnull h, CURLoption o, long v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode ccurl_setopt_off_t(CURL *_Nonnull h, CURLoption o, curl_off_t v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode ccurl_setopt_string(CURL *_Nonnull h, CURLoption o, const char *_Nullable v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode ccurl_setopt_pointer(CURL *_Nonnull h, CURLoption o, void *_Nullable v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode ccurl_setopt_slist(CURL *_Nonnull h, CURLoption o, struct curl_slist *_Nullable v) { return curl_easy_setopt(h, o, v); }

typedef size_t (*ccurl_data_callback)(char *_Nonnull, size_t, size_t, void *_Nullable);
static inline CURLcode ccurl_setopt_write_function(CURL *_Nonnull h, ccurl_data_callback _Nullable f) { return curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, f); }
static inline CURLcode ccurl_setopt_header_function(CURL *_Nonnull h, ccurl_data_callback _Nullable f) { return curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, f); }

static inline CURLcode ccurl_getinfo_long(CURL *_Nonnull h, CURLINFO i, long *_Nonnull out) { return curl_easy_getinfo(h, i, out); }
#endif

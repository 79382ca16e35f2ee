#include <curl/curl.h>
/* The multi socket loop waits with epoll and is woken through an eventfd; Swift's Glibc module
 * does not carry these headers. */
#include <sys/epoll.h>
#include <sys/eventfd.h>

/* curl_easy_setopt, curl_easy_getinfo and curl_multi_setopt are variadic, which Swift cannot
 * call; these typed wrappers, one per argument type, are how RunnelHTTP reaches them. */

typedef size_t (*runnel_curl_data_callback)(char *buffer, size_t size, size_t count, void *user);

static inline CURLcode runnel_curl_easy_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode runnel_curl_easy_setopt_off_t(CURL *handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode runnel_curl_easy_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode runnel_curl_easy_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode runnel_curl_easy_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode runnel_curl_easy_setopt_callback(CURL *handle, CURLoption option, runnel_curl_data_callback value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode runnel_curl_easy_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLcode runnel_curl_easy_getinfo_pointer(CURL *handle, CURLINFO info, void **value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLMcode runnel_curl_multi_setopt_long(CURLM *handle, CURLMoption option, long value) {
    return curl_multi_setopt(handle, option, value);
}

/* CURLMsg keeps its result in a union Swift reads awkwardly. */
static inline CURLcode runnel_curl_msg_result(const CURLMsg *message) {
    return message->data.result;
}

/* The multi socket interface (event-driven: only sockets with activity are looked at). */
static inline CURLMcode runnel_curl_multi_setopt_socket_function(CURLM *handle, curl_socket_callback value) {
    return curl_multi_setopt(handle, CURLMOPT_SOCKETFUNCTION, value);
}

static inline CURLMcode runnel_curl_multi_setopt_timer_function(CURLM *handle, curl_multi_timer_callback value) {
    return curl_multi_setopt(handle, CURLMOPT_TIMERFUNCTION, value);
}

static inline CURLMcode runnel_curl_multi_setopt_pointer(CURLM *handle, CURLMoption option, void *value) {
    return curl_multi_setopt(handle, option, value);
}

// Only the HMAC and digest entry points are used (Heka message signing: md5 and sha1; document ids).
#include <openssl/hmac.h>
#include <openssl/evp.h>
#include <openssl/md5.h>
#include <openssl/sha.h>

// SHA1() in OpenSSL 3 looks the algorithm up through its providers on every call (a lock and
// allocations); the low-level functions hash directly, which a digest per document needs.
static inline void runnel_sha1(const unsigned char *data, size_t count, unsigned char *digest) {
    SHA_CTX context;
    SHA1_Init(&context);
    SHA1_Update(&context, data, count);
    SHA1_Final(digest, &context);
}

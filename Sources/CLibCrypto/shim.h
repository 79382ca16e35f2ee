// Only the HMAC and digest entry points are used (Heka message signing: md5 and sha1).
#include <openssl/hmac.h>
#include <openssl/evp.h>
#include <openssl/md5.h>
#include <openssl/sha.h>

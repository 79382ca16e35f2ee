// gzip request bodies (Elasticsearch bulk) and their decoding in test servers.
#include <zlib.h>

// PCRE2's API is generic over the code unit width; Runnel matches bytes, so it fixes the width at 8
// before the header is read. Swift then sees the `*_8` functions (pcre2_compile_8, pcre2_match_8, …).
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

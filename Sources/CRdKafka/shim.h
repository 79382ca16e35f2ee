#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
/* The producer thread sleeps on an eventfd that librdkafka's queue and senders signal; Swift's
   Glibc module does not export sys/eventfd.h. */
#include <sys/eventfd.h>

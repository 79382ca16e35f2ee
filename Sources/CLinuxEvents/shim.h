// The Linux calls runnel-router's event loops make that Swift's Glibc module leaves out:
// epoll, eventfd and accept4 (a GNU extension, declared here so it needs no _GNU_SOURCE).
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>

extern int accept4(int fd, struct sockaddr *address, socklen_t *length, int flags);

/* Epoll instances inside each other: a cycle is ELOOP, and so is a chain deeper than
 * EP_MAX_NESTS, built from the bottom or from the top (ep_loop_check). Prints the same on
 * Linux. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>

static void add(int into, int what, const char *name)
{
    struct epoll_event ev = {.events = EPOLLIN};
    int r = epoll_ctl(into, EPOLL_CTL_ADD, what, &ev);
    printf("%s: %d %s\n", name, r, r ? (errno == ELOOP ? "ELOOP" : strerror(errno)) : "");
}

int main(void)
{
    int a = epoll_create1(0), b = epoll_create1(0);
    add(a, b, "b into a");
    add(b, a, "a into b (a cycle)");
    int c = epoll_create1(0), d = epoll_create1(0);
    struct epoll_event ev = {.events = EPOLLIN | EPOLLEXCLUSIVE};
    int r = epoll_ctl(c, EPOLL_CTL_ADD, d, &ev);
    printf("EPOLLEXCLUSIVE for an epoll instance: %d %s\n", r, r ? strerror(errno) : "");
    int e[6], f[6];
    for (int i = 0; i < 6; i++)
        e[i] = epoll_create1(0), f[i] = epoll_create1(0);
    char name[64];
    for (int i = 4; i >= 0; i--) {
        snprintf(name, sizeof name, "from the bottom, e%d into e%d", i + 1, i);
        add(e[i], e[i + 1], name);
    }
    for (int i = 0; i < 5; i++) {
        snprintf(name, sizeof name, "from the top, f%d into f%d", i + 1, i);
        add(f[i], f[i + 1], name);
    }
    /* each instance holding every one before it: the depth counts, however shared */
    int g[8], refused = -1;
    for (int k = 0; k < 8 && refused < 0; k++) {
        g[k] = epoll_create1(0);
        for (int j = 0; j < k && refused < 0; j++) {
            struct epoll_event in = {.events = EPOLLIN};
            if (epoll_ctl(g[k], EPOLL_CTL_ADD, g[j], &in) < 0)
                refused = k;
        }
    }
    printf("each holding all before it: refused at %d\n", refused);
    return 0;
}

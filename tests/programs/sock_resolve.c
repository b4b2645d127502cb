/* Names on the machine: gethostname, getaddrinfo of localhost and of the hostname through the
   synthesized /etc/hosts, and a name nobody knows failing at once (no DNS leaves). */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netdb.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include "sock_check.h"

static const char *first_v4(const char *name) {
    static char out[INET_ADDRSTRLEN];
    struct addrinfo hints = {.ai_family = AF_INET, .ai_socktype = SOCK_STREAM}, *res;
    int rc = getaddrinfo(name, "80", &hints, &res);
    if (rc != 0)
        return gai_strerror(rc);
    inet_ntop(AF_INET, &((struct sockaddr_in *)res->ai_addr)->sin_addr, out, sizeof out);
    freeaddrinfo(res);
    return out;
}

int main(void) {
    char host[64];
    CHECK(gethostname(host, sizeof host) == 0, "gethostname");
    printf("hostname %s\n", host);
    printf("localhost %s\n", first_v4("localhost"));
    printf("%s %s\n", host, first_v4(host));
    time_t t0 = time(NULL);
    struct addrinfo hints = {.ai_family = AF_INET}, *res;
    CHECK(getaddrinfo("nowhere.example", "80", &hints, &res) != 0, "an unknown name fails");
    CHECK(time(NULL) - t0 < 5, "at once");
    OK("resolver");
    return 0;
}

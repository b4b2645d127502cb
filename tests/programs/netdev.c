/* What a program learns of the machine's network interfaces: getifaddrs and
 * if_nameindex (rtnetlink dumps), if_nametoindex and the SIOCGIF* ioctls. Only the
 * loopback is printed, so the host's other interfaces do not matter. */
#include <arpa/inet.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

int main(void)
{
    struct ifaddrs *all;
    if (getifaddrs(&all) != 0) {
        perror("getifaddrs");
        return 1;
    }
    for (struct ifaddrs *i = all; i; i = i->ifa_next) {
        if (strcmp(i->ifa_name, "lo") != 0)
            continue;
        int family = i->ifa_addr ? i->ifa_addr->sa_family : -1;
        char host[64] = "-", mask[64] = "-";
        if (family == AF_INET || family == AF_INET6) {
            socklen_t len = family == AF_INET ? sizeof(struct sockaddr_in) : sizeof(struct sockaddr_in6);
            getnameinfo(i->ifa_addr, len, host, sizeof host, NULL, 0, NI_NUMERICHOST);
            getnameinfo(i->ifa_netmask, len, mask, sizeof mask, NULL, 0, NI_NUMERICHOST);
        }
        printf("getifaddrs: lo family %d %s/%s flags %#x\n", family, host, mask, i->ifa_flags);
    }
    freeifaddrs(all);
    struct if_nameindex *names = if_nameindex();
    for (struct if_nameindex *n = names; n && n->if_index; n++)
        if (strcmp(n->if_name, "lo") == 0)
            printf("if_nameindex: %u lo\n", n->if_index);
    if_freenameindex(names);
    char name[IF_NAMESIZE];
    printf("if_nametoindex(lo) %u, if_indextoname(1) %s\n", if_nametoindex("lo"),
           if_indextoname(1, name));

    int s = socket(AF_INET, SOCK_DGRAM, 0);
    struct ifreq r;
    memset(&r, 0, sizeof r);
    strcpy(r.ifr_name, "lo");
    int rc = ioctl(s, SIOCGIFFLAGS, &r);
    printf("SIOCGIFFLAGS %d %#x\n", rc, r.ifr_flags);
    rc = ioctl(s, SIOCGIFMTU, &r);
    printf("SIOCGIFMTU %d %d\n", rc, r.ifr_mtu);
    rc = ioctl(s, SIOCGIFADDR, &r);
    printf("SIOCGIFADDR %d %s\n", rc, inet_ntoa(((struct sockaddr_in *)&r.ifr_addr)->sin_addr));
    rc = ioctl(s, SIOCGIFNETMASK, &r);
    printf("SIOCGIFNETMASK %d %s\n", rc, inet_ntoa(((struct sockaddr_in *)&r.ifr_netmask)->sin_addr));
    rc = ioctl(s, SIOCGIFHWADDR, &r);
    printf("SIOCGIFHWADDR %d family %d\n", rc, r.ifr_hwaddr.sa_family);
    strcpy(r.ifr_name, "nope0");
    rc = ioctl(s, SIOCGIFFLAGS, &r);
    printf("unknown interface %d\n", rc);
    struct ifreq reqs[16];
    struct ifconf conf = {.ifc_len = sizeof reqs, .ifc_req = reqs};
    rc = ioctl(s, SIOCGIFCONF, &conf);
    int lo = 0;
    for (unsigned k = 0; k < conf.ifc_len / sizeof reqs[0]; k++)
        lo |= strcmp(reqs[k].ifr_name, "lo") == 0;
    printf("SIOCGIFCONF %d lo listed %d\n", rc, lo);
    return 0;
}

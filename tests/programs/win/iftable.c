/* The newer interface tables (netioapi.h) Java's NetworkInterface and .NET read: the machine's
 * one interface from GetIfTable2 and GetIfEntry2, its addresses from GetUnicastIpAddressTable,
 * the LUID's name and index, and a prefix length as a mask. */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <iphlpapi.h>
#include <netioapi.h>
#include <stdio.h>
#include <stdlib.h>

int main(void)
{
    PMIB_IF_TABLE2 table = NULL;
    DWORD rc = GetIfTable2(&table);
    printf("if table %lu entries %lu\n", rc, table->NumEntries);
    MIB_IF_ROW2 *row = &table->Table[0];
    printf("index %lu type %lu oper %d alias [%ls] description [%ls] mtu %lu\n",
           row->InterfaceIndex, row->Type, row->OperStatus, row->Alias, row->Description,
           row->Mtu);
    WCHAR name[64];
    rc = ConvertInterfaceLuidToNameW(&row->InterfaceLuid, name, 64);
    NET_LUID luid;
    ConvertInterfaceNameToLuidW(name, &luid);
    NET_IFINDEX index = 0;
    ConvertInterfaceLuidToIndex(&luid, &index);
    printf("name %lu [%ls] same luid %d index %lu\n", rc, name,
           luid.Value == row->InterfaceLuid.Value, index);
    MIB_IF_ROW2 entry = {0};
    entry.InterfaceIndex = row->InterfaceIndex;
    rc = GetIfEntry2(&entry);
    MIB_IF_ROW2 none = {0};
    none.InterfaceIndex = 77;
    printf("entry %lu same %d, unknown %lu\n", rc, entry.InterfaceLuid.Value ==
           row->InterfaceLuid.Value, GetIfEntry2(&none));
    FreeMibTable(table);

    PMIB_UNICASTIPADDRESS_TABLE addrs = NULL;
    rc = GetUnicastIpAddressTable(AF_UNSPEC, &addrs);
    printf("unicast %lu entries %lu\n", rc, addrs->NumEntries);
    for (ULONG i = 0; i < addrs->NumEntries; i++) {
        MIB_UNICASTIPADDRESS_ROW *a = &addrs->Table[i];
        char text[64];
        if (a->Address.si_family == AF_INET)
            inet_ntop(AF_INET, &a->Address.Ipv4.sin_addr, text, sizeof text);
        else
            inet_ntop(AF_INET6, &a->Address.Ipv6.sin6_addr, text, sizeof text);
        printf("  %s/%u index %lu\n", text, a->OnLinkPrefixLength, a->InterfaceIndex);
    }
    FreeMibTable(addrs);
    ULONG mask = 0;
    ConvertLengthToIpv4Mask(20, &mask);
    struct in_addr m = {.s_addr = mask};
    printf("mask /20 %s\n", inet_ntoa(m));
    /* the DNS servers (c-ares, Node's resolver, reads them here) */
    ULONG size = 0;
    DWORD first = GetNetworkParams(NULL, &size);
    FIXED_INFO *info = malloc(size);
    DWORD second = GetNetworkParams(info, &size);
    printf("network params %lu %lu host %d dns %s\n", first, second, info->HostName[0] != 0,
           info->DnsServerList.IpAddress.String);
    return 0;
}

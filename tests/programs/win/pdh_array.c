/* PdhGetFormattedCounterArrayW as Go's gopsutil and nats-server call it: the size asked
   first (PDH_MORE_DATA), then the items: one a processor and _Total for Processor(*), this
   program among the processes for Process(*), the named instance otherwise. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>
#include <pdh.h>

#ifndef PDH_MORE_DATA
#define PDH_MORE_DATA 0x800007D2L   /* pdhmsg.h */
#endif

static void show(PDH_HCOUNTER c, const char *label)
{
    DWORD size = 0, count = 0;
    LONG first = PdhGetFormattedCounterArrayW(c, PDH_FMT_DOUBLE, &size, &count, NULL);
    PDH_FMT_COUNTERVALUE_ITEM_W *items = malloc(size);
    LONG second = PdhGetFormattedCounterArrayW(c, PDH_FMT_DOUBLE, &size, &count, items);
    printf("%s: more data %d, %ld, %lu items:", label, first == (LONG)PDH_MORE_DATA, second,
           count);
    int self = 0;
    for (DWORD i = 0; i < count; i++) {
        int listing = strcmp(label, "process") == 0;
        if (listing && wcscmp(items[i].szName, L"pdh_array") == 0)
            self = 1;
        else if (!listing || wcscmp(items[i].szName, L"_Total") == 0)
            printf(" %ls=%g/%lu", items[i].szName, items[i].FmtValue.doubleValue,
                   items[i].FmtValue.CStatus);
    }
    if (strcmp(label, "process") == 0)
        printf(" self %d", self);
    printf("\n");
    free(items);
}

int main(void)
{
    PDH_HQUERY q;
    PDH_HCOUNTER cpus, procs, one;
    PdhOpenQueryW(NULL, 0, &q);
    PdhAddEnglishCounterW(q, L"\\Processor(*)\\% Processor Time", 0, &cpus);
    PdhAddEnglishCounterW(q, L"\\Process(*)\\% Processor Time", 0, &procs);
    PdhAddEnglishCounterW(q, L"\\Process(pdh_array)\\Working Set", 0, &one);
    PdhCollectQueryData(q);
    show(cpus, "processors");
    show(procs, "process");
    show(one, "one");
    PdhCloseQuery(q);
    return 0;
}

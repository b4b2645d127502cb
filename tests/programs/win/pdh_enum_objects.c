/* pdh's object lists: PdhEnumObjects asked for its size with no buffer, then filled; a short
   buffer; PdhEnumObjectItems' counters and instances of an object with instances (Process)
   and of one without (System); an unknown object and another machine. pywin32's
   win32pdh.EnumObjects died calling PdhEnumObjectsW. The counter psutil samples still works. */
#include <windows.h>
#include <pdh.h>
#include <stdio.h>

static void show(const char *what, const WCHAR *list)
{
    printf("%s:", what);
    for (const WCHAR *s = list; *s; s += wcslen(s) + 1)
        printf(" [%ls]", s);
    printf("\n");
}

int main(void)
{
    DWORD size = 0;
    PDH_STATUS st = PdhEnumObjectsW(NULL, NULL, NULL, &size, PERF_DETAIL_WIZARD, TRUE);
    printf("size: %lx %lu\n", (unsigned long)st, size);
    WCHAR *objects = calloc(size, sizeof(WCHAR));
    DWORD have = size;
    st = PdhEnumObjectsW(NULL, NULL, objects, &have, PERF_DETAIL_WIZARD, FALSE);
    printf("list: %lx %lu\n", (unsigned long)st, have);
    show("objects", objects);
    have = 5;
    st = PdhEnumObjectsW(NULL, NULL, objects, &have, PERF_DETAIL_WIZARD, FALSE);
    printf("short: %lx %lu\n", (unsigned long)st, have);

    WCHAR name[64];
    DWORD name_size = 64;
    GetComputerNameW(name, &name_size);
    WCHAR machine[80] = L"\\\\";
    wcscat(machine, name);
    have = size;
    st = PdhEnumObjectsW(NULL, machine, objects, &have, PERF_DETAIL_WIZARD, FALSE);
    printf("this machine: %lx\n", (unsigned long)st);
    have = size;
    st = PdhEnumObjectsW(NULL, L"\\\\ELSEWHERE", objects, &have, PERF_DETAIL_WIZARD, FALSE);
    printf("elsewhere: %lx\n", (unsigned long)st);

    DWORD ncounters = 0, ninstances = 0;
    st = PdhEnumObjectItemsW(NULL, NULL, L"process", NULL, &ncounters, NULL, &ninstances,
                             PERF_DETAIL_WIZARD, 0);
    printf("process sizes: %lx %d %d\n", (unsigned long)st, ncounters > 2, ninstances > 2);
    WCHAR *counters = calloc(ncounters, sizeof(WCHAR));
    WCHAR *instances = calloc(ninstances, sizeof(WCHAR));
    st = PdhEnumObjectItemsW(NULL, NULL, L"Process", counters, &ncounters, instances,
                             &ninstances, PERF_DETAIL_WIZARD, 0);
    printf("process: %lx\n", (unsigned long)st);
    int id_process = 0;
    for (const WCHAR *s = counters; *s; s += wcslen(s) + 1)
        id_process |= !wcscmp(s, L"ID Process");
    printf("ID Process listed %d\n", id_process);
    show("instances", instances);

    ncounters = 0, ninstances = 0;
    st = PdhEnumObjectItemsW(NULL, NULL, L"System", NULL, &ncounters, NULL, &ninstances,
                             PERF_DETAIL_WIZARD, 0);
    printf("system sizes: %lx %d %lu\n", (unsigned long)st, ncounters > 2, ninstances);
    counters = realloc(counters, ncounters * sizeof(WCHAR));
    st = PdhEnumObjectItemsW(NULL, NULL, L"System", counters, &ncounters, NULL, &ninstances,
                             PERF_DETAIL_WIZARD, 0);
    int queue = 0;
    for (const WCHAR *s = counters; *s; s += wcslen(s) + 1)
        queue |= !wcscmp(s, L"Processor Queue Length");
    printf("system: %lx queue listed %d, instances %lu\n", (unsigned long)st, queue, ninstances);
    st = PdhEnumObjectItemsW(NULL, NULL, L"Nonesuch", NULL, &ncounters, NULL, &ninstances,
                             PERF_DETAIL_WIZARD, 0);
    printf("unknown: %lx\n", (unsigned long)st);

    PDH_HQUERY query;
    PDH_HCOUNTER counter;
    PDH_FMT_COUNTERVALUE value;
    PdhOpenQueryW(NULL, 0, &query);
    PdhAddEnglishCounterW(query, L"\\System\\Processor Queue Length", 0, &counter);
    PdhCollectQueryData(query);
    st = PdhGetFormattedCounterValue(counter, PDH_FMT_DOUBLE, NULL, &value);
    printf("queue: %lx %g\n", (unsigned long)st, value.doubleValue);
    printf("close %lx\n", (unsigned long)PdhCloseQuery(query));
    return 0;
}

/* pdh.dll's ANSI forms, as the Rust sysinfo crate calls them (rescript): a query opened by
   PdhOpenQueryA (and the unsuffixed PdhOpenQuery), counters added by English and localized
   ANSI paths, collected, read and closed; a bad query handle refused. */
#include <stdio.h>
#include <windows.h>
#include <pdh.h>

#undef PdhOpenQuery
PDH_STATUS WINAPI PdhOpenQuery(LPCSTR, DWORD_PTR, PDH_HQUERY *);

int main(void)
{
    PDH_HQUERY q, q2;
    PDH_HCOUNTER c1, c2;
    PDH_FMT_COUNTERVALUE v;
    LONG r1 = PdhOpenQueryA(NULL, 0, &q);
    LONG r2 = PdhAddEnglishCounterA(q, "\\System\\Processor Queue Length", 0, &c1);
    LONG r3 = PdhAddCounterA(q, "\\Processor(_Total)\\% Processor Time", 0, &c2);
    LONG r4 = PdhCollectQueryData(q);
    LONG r5 = PdhGetFormattedCounterValue(c1, PDH_FMT_LONG, NULL, &v);
    LONG r6 = PdhCloseQuery(q);
    printf("ansi %ld %ld %ld %ld %ld value %ld, close %ld\n", r1, r2, r3, r4, r5,
           v.longValue, r6);
    LONG r7 = PdhOpenQuery(NULL, 0, &q2);
    printf("unsuffixed %ld, close %ld\n", r7, PdhCloseQuery(q2));
    printf("bad query %#lx\n", (unsigned long)PdhAddCounterA((PDH_HQUERY)0x1234, "\\x", 0, &c1));
    return 0;
}

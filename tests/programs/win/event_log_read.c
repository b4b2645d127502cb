/* The event log read back: OpenEventLog on the Application log (or by a source's name),
   the records ReportEvent wrote as EVENTLOGRECORDs, read sequentially forwards or backwards
   or from a record number, ERROR_INSUFFICIENT_BUFFER with the size a record needs and
   ERROR_HANDLE_EOF at the end. pywin32's win32evtlog died on the missing OpenEventLogW. */
#include <windows.h>
#include <stdio.h>

static void show(const EVENTLOGRECORD *r)
{
    const WCHAR *source = (const WCHAR *)(r + 1);
    const WCHAR *s = (const WCHAR *)((const BYTE *)r + r->StringOffset);
    printf("  #%lu id %lu type %u cat %u %ls strings %u:", r->RecordNumber,
           r->EventID & 0xFFFF, r->EventType, r->EventCategory, source, r->NumStrings);
    for (int i = 0; i < r->NumStrings; i++, s += wcslen(s) + 1)
        printf(" [%ls]", s);
    printf(" data %lu", r->DataLength);
    if (r->DataLength)
        printf(" %.*s", (int)r->DataLength, (const char *)r + r->DataOffset);
    printf(" tail %d\n", *(const DWORD *)((const BYTE *)r + r->Length - 4) == r->Length);
}

static void read_all(HANDLE log, DWORD flags, const char *what)
{
    static BYTE buf[0x10000];
    DWORD got, need;
    printf("%s\n", what);
    while (ReadEventLogW(log, flags, 0, buf, sizeof buf, &got, &need))
        for (DWORD at = 0; at < got; at += ((EVENTLOGRECORD *)(buf + at))->Length)
            show((EVENTLOGRECORD *)(buf + at));
    printf("  end %lu\n", GetLastError());
}

int main(void)
{
    HANDLE src = RegisterEventSourceW(NULL, L"sweep16");
    const WCHAR *one[] = {L"first"}, *two[] = {L"second", L"more"};
    ReportEventW(src, EVENTLOG_INFORMATION_TYPE, 1, 100, NULL, 1, 0, one, NULL);
    ReportEventW(src, EVENTLOG_WARNING_TYPE, 2, 200, NULL, 2, 4, two, "DATA");
    ReportEventW(src, EVENTLOG_ERROR_TYPE, 0, 300, NULL, 0, 0, NULL, NULL);
    DeregisterEventSource(src);

    HANDLE log = OpenEventLogW(NULL, L"Application");
    DWORD count = 0, oldest = 0;
    GetNumberOfEventLogRecords(log, &count);
    GetOldestEventLogRecord(log, &oldest);
    printf("records %lu oldest %lu\n", count, oldest);
    read_all(log, EVENTLOG_SEQUENTIAL_READ | EVENTLOG_FORWARDS_READ, "forwards");
    CloseEventLog(log);

    log = OpenEventLogW(NULL, L"sweep16");
    read_all(log, EVENTLOG_SEQUENTIAL_READ | EVENTLOG_BACKWARDS_READ, "backwards, by source");
    BYTE small[16], big[512];
    DWORD got = 0, need = 0;
    BOOL ok = ReadEventLogW(log, EVENTLOG_SEEK_READ | EVENTLOG_FORWARDS_READ, 2, small,
                            sizeof small, &got, &need);
    DWORD err = GetLastError();
    printf("small %d %lu need %d\n", ok, err, need > sizeof small);
    ok = ReadEventLogW(log, EVENTLOG_SEEK_READ | EVENTLOG_FORWARDS_READ, 2, big, need, &got,
                       &need);
    printf("seek 2: %d one %d\n", ok, got == ((EVENTLOGRECORD *)big)->Length);
    show((EVENTLOGRECORD *)big);
    ok = ReadEventLogW(log, EVENTLOG_SEEK_READ | EVENTLOG_FORWARDS_READ, 9, big, sizeof big,
                       &got, &need);
    err = GetLastError();
    printf("seek 9: %d %lu\n", ok, err);
    CloseEventLog(log);

    log = OpenEventLogA(NULL, "System");
    GetNumberOfEventLogRecords(log, &count);
    printf("system %lu\n", count);
    CloseEventLog(log);
    ok = CloseEventLog(log);
    err = GetLastError();
    printf("closed twice %d %lu\n", ok, err);
    return 0;
}

/* What a console program learns at start: on pipes no console window and redirected
 * standard handles (STARTF_USESTDHANDLES, as a shell's redirection gives); the processor's
 * relations from GetLogicalProcessorInformationEx (the C++ runtime counts the package's
 * mask bits for hardware_concurrency), and the instruction sets CPUID also reports. */
#include <windows.h>
#include <stdio.h>

static void relation(LOGICAL_PROCESSOR_RELATIONSHIP rel, const char *name)
{
    DWORD len = 0;
    BOOL ok = GetLogicalProcessorInformationEx(rel, NULL, &len);
    DWORD err = GetLastError();
    char buf[4096];
    DWORD have = sizeof buf;
    BOOL ok2 = GetLogicalProcessorInformationEx(rel, (void *)buf, &have);
    printf("%s: probe %d err %lu, then %d:", name, ok, err, ok2);
    for (DWORD at = 0; ok2 && at < have;) {
        SYSTEM_LOGICAL_PROCESSOR_INFORMATION_EX *r = (void *)(buf + at);
        printf(" [%d", r->Relationship);
        if (r->Relationship == RelationProcessorPackage || r->Relationship == RelationProcessorCore)
            printf(" groups %d mask %llx", r->Processor.GroupCount,
                   (unsigned long long)r->Processor.GroupMask[0].Mask);
        if (r->Relationship == RelationCache)
            printf(" L%d %lu", r->Cache.Level, r->Cache.CacheSize);
        if (r->Relationship == RelationGroup)
            printf(" active %d of %d", r->Group.GroupInfo[0].ActiveProcessorCount,
                   r->Group.GroupInfo[0].MaximumProcessorCount);
        printf("]");
        at += r->Size;
    }
    printf("\n");
}

int main(void)
{
    STARTUPINFOW si;
    GetStartupInfoW(&si);
    printf("console window %d, std handles %d, same stdout %d\n", GetConsoleWindow() != NULL,
           (si.dwFlags & STARTF_USESTDHANDLES) != 0,
           si.hStdOutput == GetStdHandle(STD_OUTPUT_HANDLE));
    relation(RelationProcessorCore, "core");
    relation(RelationProcessorPackage, "package");
    relation(RelationGroup, "group");
    relation(RelationCache, "cache");
    relation(RelationAll, "all");
    printf("ssse3 %d sse4.1 %d sse4.2 %d\n", IsProcessorFeaturePresent(36),
           IsProcessorFeaturePresent(37), IsProcessorFeaturePresent(38));
    return 0;
}

/* cfgmgr32's device ids on a machine with no devices: the tree's root alone with no filter
   (and under its enumerator, HTREE), no display adapter for a class filter (uv looks for
   one), a malformed class, a bad flag, a short buffer. uv died on the missing
   CM_Get_Device_ID_List_SizeW. */
#include <windows.h>
#include <cfgmgr32.h>
#include <stdio.h>

static void list(const WCHAR *filter, ULONG flags, const char *what)
{
    ULONG size = 77;
    CONFIGRET cr = CM_Get_Device_ID_List_SizeW(&size, filter, flags);
    printf("%s: size %lx %lu", what, cr, size);
    if (cr != CR_SUCCESS) {
        printf("\n");
        return;
    }
    WCHAR *ids = calloc(size, sizeof(WCHAR));
    cr = CM_Get_Device_ID_ListW(filter, ids, size, flags);
    printf(" list %lx:", cr);
    for (WCHAR *s = ids; *s; s += wcslen(s) + 1)
        printf(" [%ls]", s);
    printf("\n");
    free(ids);
}

int main(void)
{
    list(NULL, CM_GETIDLIST_FILTER_NONE, "all");
    list(L"HTREE", CM_GETIDLIST_FILTER_ENUMERATOR, "HTREE");
    list(L"PCI", CM_GETIDLIST_FILTER_ENUMERATOR, "PCI");
    list(L"{4d36e968-e325-11ce-bfc1-08002be10318}",
         CM_GETIDLIST_FILTER_CLASS | CM_GETIDLIST_FILTER_PRESENT, "display");
    list(L"not a guid", CM_GETIDLIST_FILTER_CLASS, "bad class");
    list(NULL, 0x4000, "bad flag");
    WCHAR small[4];
    printf("short: %lx\n", CM_Get_Device_ID_ListW(NULL, small, 4, CM_GETIDLIST_FILTER_NONE));
    printf("no size: %lx\n", CM_Get_Device_ID_List_SizeW(NULL, NULL, 0));
    return 0;
}

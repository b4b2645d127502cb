/* combase's WinRT strings (vccorlib140, Qt's WinRT code) and activation with no WinRT
   classes, plus small kernel32/shlwapi calls from the export survey. */
#include <windows.h>
#include <stdio.h>
#include <wchar.h>

typedef HRESULT WINAPI create_fn(const wchar_t *, UINT32, void **);
typedef HRESULT WINAPI reference_fn(const wchar_t *, UINT32, void *, void **);
typedef HRESULT WINAPI one_fn(void *);
typedef HRESULT WINAPI dup_fn(void *, void **);
typedef UINT32 WINAPI len_fn(void *);
typedef const wchar_t *WINAPI raw_fn(void *, UINT32 *);
typedef HRESULT WINAPI cmp_fn(void *, void *, INT32 *);
typedef HRESULT WINAPI concat_fn(void *, void *, void **);
typedef HRESULT WINAPI factory_fn(void *, const GUID *, void **);
typedef HRESULT WINAPI error_info_fn(void **);
typedef LPWSTR WINAPI skip_fn(LPCWSTR);
typedef BOOL WINAPI unc_fn(LPCWSTR);
typedef BOOL WINAPI trim_fn(LPWSTR, LPCWSTR);
typedef PCSTR WINAPI strstri_fn(PCSTR, PCSTR);

#define FN(dll, type, name) type *name##_ = (type *)GetProcAddress(dll, #name)

int main(void)
{
    HMODULE combase = LoadLibraryA("combase.dll"), k32 = GetModuleHandleA("kernel32.dll");
    FN(combase, create_fn, WindowsCreateString);
    FN(combase, reference_fn, WindowsCreateStringReference);
    FN(combase, one_fn, WindowsDeleteString);
    FN(combase, dup_fn, WindowsDuplicateString);
    FN(combase, len_fn, WindowsGetStringLen);
    FN(combase, raw_fn, WindowsGetStringRawBuffer);
    FN(combase, cmp_fn, WindowsCompareStringOrdinal);
    FN(combase, concat_fn, WindowsConcatString);
    FN(combase, factory_fn, RoGetActivationFactory);
    FN(combase, error_info_fn, GetRestrictedErrorInfo);

    void *a = NULL, *b = NULL, *c = NULL, *d = NULL;
    BYTE header[24];
    WindowsCreateString_(L"hello", 5, &a);
    WindowsCreateStringReference_(L"world", 5, header, &b);
    UINT32 len = 0;
    const wchar_t *raw = WindowsGetStringRawBuffer_(b, &len);
    printf("strings: %u '%ls' %u\n", WindowsGetStringLen_(a), raw, len);
    WindowsConcatString_(a, b, &c);
    printf("concat: '%ls'\n", WindowsGetStringRawBuffer_(c, NULL));
    INT32 order = 0;
    WindowsCompareStringOrdinal_(a, b, &order);
    printf("compare: %d", order);
    WindowsDuplicateString_(b, &d);
    WindowsCompareStringOrdinal_(b, d, &order);
    printf(" copy %d empty %u '%ls'\n", order, WindowsGetStringLen_(NULL),
           WindowsGetStringRawBuffer_(NULL, NULL));
    printf("reference without NUL: %#lx\n", (unsigned long)WindowsCreateStringReference_(
        L"abc", 2, header, &b));
    WindowsDeleteString_(a);
    WindowsDeleteString_(c);
    WindowsDeleteString_(d);
    void *factory = (void *)1;
    GUID iid = {0};
    HRESULT hr = RoGetActivationFactory_(a, &iid, &factory);
    printf("activation: %#lx %d\n", (unsigned long)hr, factory == NULL);
    void *info = (void *)1;
    hr = GetRestrictedErrorInfo_(&info);
    printf("error info: %#lx %d\n", (unsigned long)hr, info == NULL);

    char buf[8];
    lstrcpynA(buf, "truncated", sizeof buf);
    printf("lstrcpynA: %s\n", buf);
    DWORD session = 9;
    ProcessIdToSessionId(GetCurrentProcessId(), &session);
    printf("session %lu version %d\n", session, GetProcessVersion(0) >= 0x40000);
    FN(k32, skip_fn, PathSkipRootW);
    FN(k32, unc_fn, PathIsUNCW);
    FN(k32, trim_fn, StrTrimW);
    FN(k32, strstri_fn, StrStrIA);
    wchar_t path[] = L"C:\\dir\\file";
    wchar_t padded[] = L"  spaced  ";
    printf("PathSkipRootW: %ls, UNC %d %d, trimmed %d '%ls', StrStrIA %s\n",
           PathSkipRootW_(path), PathIsUNCW_(L"\\\\srv\\share"), PathIsUNCW_(path),
           StrTrimW_(padded, L" "), padded, StrStrIA_("Hello World", "WORLD"));
    return 0;
}

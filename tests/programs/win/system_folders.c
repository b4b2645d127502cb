/* Known folders by GUID and CSIDL (through shell32 and through shfolder.dll, loaded by name),
   imagehlp's PE checksums of this program's file, and FreeLibrary of a data-file load. */
#define INITGUID
#include <windows.h>
#include <shlobj.h>
#include <knownfolders.h>
#include <stdio.h>

typedef HRESULT (WINAPI *folder_fn)(HWND, int, HANDLE, DWORD, LPSTR);
typedef DWORD (WINAPI *map_sum_fn)(PCSTR, PDWORD, PDWORD);
typedef PIMAGE_NT_HEADERS (WINAPI *mapped_sum_fn)(PVOID, DWORD, PDWORD, PDWORD);

static void known(const char *name, REFKNOWNFOLDERID id)
{
    PWSTR path = NULL;
    HRESULT hr = SHGetKnownFolderPath(id, KF_FLAG_DONT_VERIFY, NULL, &path);
    printf("%s 0x%lx %ls\n", name, (unsigned long)hr, path ? path : L"(null)");
    CoTaskMemFree(path);
}

int main(void)
{
    known("ProgramData", &FOLDERID_ProgramData);
    known("Desktop", &FOLDERID_Desktop);
    known("Public", &FOLDERID_Public);
    known("System", &FOLDERID_System);
    known("Fonts", &FOLDERID_Fonts);
    known("LocalAppDataLow", &FOLDERID_LocalAppDataLow);
    known("StartMenu", &FOLDERID_StartMenu);
    known("ProgramFiles", &FOLDERID_ProgramFiles);
    known("ProgramFilesX64", &FOLDERID_ProgramFilesX64);

    char path[MAX_PATH];
    HRESULT hr = SHGetFolderPathA(NULL, CSIDL_COMMON_APPDATA, NULL, 0, path);
    printf("csidl 0x%lx %s\n", (unsigned long)hr, hr ? "" : path);
    HMODULE shfolder = LoadLibraryA("shfolder.dll");
    folder_fn by_shfolder = shfolder ? (folder_fn)GetProcAddress(shfolder, "SHGetFolderPathA") : NULL;
    hr = by_shfolder ? by_shfolder(NULL, CSIDL_WINDOWS, NULL, 0, path) : E_FAIL;
    printf("shfolder 0x%lx %s\n", (unsigned long)hr, hr ? "" : path);

    char self[MAX_PATH];
    GetModuleFileNameA(NULL, self, sizeof self);
    HMODULE imagehlp = LoadLibraryA("imagehlp.dll");
    map_sum_fn map_sum = (map_sum_fn)GetProcAddress(imagehlp, "MapFileAndCheckSumA");
    mapped_sum_fn mapped_sum = (mapped_sum_fn)GetProcAddress(imagehlp, "CheckSumMappedFile");
    DWORD header = 1, sum = 1, header2 = 2, sum2 = 2;
    DWORD status = map_sum(self, &header, &sum);
    HANDLE file = CreateFileA(self, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
    DWORD size = GetFileSize(file, NULL), got = 0;
    char *copy = malloc(size);
    ReadFile(file, copy, size, &got, NULL);
    CloseHandle(file);
    PIMAGE_NT_HEADERS nt = mapped_sum(copy, size, &header2, &sum2);
    printf("checksum %lu %lu same %d headers %d missing %lu\n", status, sum,
           header == header2 && sum == sum2,
           nt == (PIMAGE_NT_HEADERS)(copy + ((IMAGE_DOS_HEADER *)copy)->e_lfanew),
           map_sum("C:\\no-such.exe", &header, &sum));

    HMODULE data = LoadLibraryExA(self, NULL, LOAD_LIBRARY_AS_DATAFILE);
    BOOL freed = FreeLibrary(data);
    BOOL again = FreeLibrary(data);
    printf("datafile %d freed %d again %d %lu\n", data != NULL, freed, again, GetLastError());
    return 0;
}

/* Listing a directory the CRT's way: _findfirst/_findnext/_findclose (and mingw-w64's
   opendir/readdir, built on them), names, sizes, attributes and times. */
#include <dirent.h>
#include <io.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <windows.h>

int main(void) {
    CreateDirectoryA("d", NULL);
    FILE *f = fopen("d\\a.txt", "wb");
    fwrite("12345", 1, 5, f);
    fclose(f);
    CreateDirectoryA("d\\sub", NULL);
    struct _finddata_t data;
    intptr_t h = _findfirst("d\\*.txt", &data);
    time_t now = time(NULL);
    printf("first %d [%s] size %lu dir %d recent %d\n", h != -1, data.name,
           (unsigned long)data.size, !!(data.attrib & _A_SUBDIR),
           data.time_write > now - 3600 && data.time_write <= now + 5);
    printf("next %d\n", _findnext(h, &data));
    _findclose(h);
    int entries = 0, subdirs = 0;
    h = _findfirst("d\\*", &data);
    do {
        entries++;
        subdirs += strcmp(data.name, "sub") == 0 && (data.attrib & _A_SUBDIR);
    } while (_findnext(h, &data) == 0);
    _findclose(h);
    printf("all %d sub %d missing %d\n", entries, subdirs,
           (int)_findfirst("d\\*.none", &data));
    DIR *dir = opendir("d");
    int seen = 0;
    for (struct dirent *e; dir && (e = readdir(dir));)
        seen += strcmp(e->d_name, "a.txt") == 0 || strcmp(e->d_name, "sub") == 0;
    if (dir)
        closedir(dir);
    printf("readdir %d\n", seen);
    DeleteFileA("d\\a.txt");
    RemoveDirectoryA("d\\sub");
    RemoveDirectoryA("d");
    return 0;
}
